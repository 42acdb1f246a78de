/**
 * The scaler function in AWS: settings parsed once at cold start (a missing one stops it there),
 * the rooms and the audit log made once per instance, the control-plane clients on first run.
 */
import { AwsCapacityControls } from '../adapters/capacity/aws-capacity-controls.js';
import { DynamoAuditStore } from '../adapters/dynamodb/audit-store.js';
import { createDynamoClient } from '../adapters/dynamodb/client.js';
import { DynamoRoomStore } from '../adapters/dynamodb/room-store.js';
import { createLogger } from '../adapters/logger.js';
import { capacityWindows, dynamoSettings, parseConfig, ScalerConfig, tableNames } from '../config.js';
import { capacityPlanner } from '../domain/capacity/planner.js';
import { createScalerHandler } from '../handlers/scaler.js';
import { lazy } from '../lazy.js';

const config = parseConfig(ScalerConfig, process.env);
const dynamo = createDynamoClient(dynamoSettings(config));
const rooms = new DynamoRoomStore(dynamo, config.CONTROL_TABLE_NAME);

export const handler = createScalerHandler({
  scaler: {
    rooms,
    controls: lazy(
      () =>
        new AwsCapacityControls(
          {
            functionNames: config.SCALED_FUNCTION_NAMES,
            tableNames: tableNames(config),
            restApiId: config.REST_API_ID,
            stageName: config.REST_API_STAGE,
          },
          rooms,
        ),
    ),
    auditLog: new DynamoAuditStore(dynamo, config.CONTROL_TABLE_NAME),
    plan: capacityPlanner({ ...capacityWindows(config), liveCommentLimit: config.LIVE_COMMENT_LIMIT }),
    clock: Date.now,
  },
  logger: createLogger(),
});
