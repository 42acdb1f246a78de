/**
 * The view-limit worker in AWS (ADR 0039): settings parsed once at cold start, the stores made
 * once per instance; each SQS record runs `computeChannelCutoffs` (ADR 0038) for its channel.
 */
import { DynamoCommentStore } from '../adapters/dynamodb/comment-store.js';
import { createDynamoClient } from '../adapters/dynamodb/client.js';
import { DynamoPlanStore } from '../adapters/dynamodb/plan-store.js';
import { DynamoRoomStore } from '../adapters/dynamodb/room-store.js';
import { createLogger } from '../adapters/logger.js';
import { dynamoSettings, LimitsWorkerConfig, parseConfig } from '../config.js';
import { computeChannelCutoffs, type CutoffDeps } from '../domain/limits/compute-cutoffs.js';
import { createLimitsWorkerHandler } from '../handlers/limits-worker.js';

const config = parseConfig(LimitsWorkerConfig, process.env);
const dynamo = createDynamoClient(dynamoSettings(config));
const deps: CutoffDeps = {
  plans: new DynamoPlanStore(dynamo, config.CONTROL_TABLE_NAME),
  rooms: new DynamoRoomStore(dynamo, config.CONTROL_TABLE_NAME),
  comments: new DynamoCommentStore(dynamo, config.COMMENTS_TABLE_NAME, config.CONTROL_TABLE_NAME),
  clock: Date.now,
};

export const handler = createLimitsWorkerHandler({
  compute: (job) => computeChannelCutoffs(deps, job),
  logger: createLogger(),
});
