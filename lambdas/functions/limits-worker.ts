/**
 * The view-limit worker in AWS (ADR 0039): settings parsed once at cold start, the stores made
 * once per instance; each SQS record runs `computeChannelCutoffs` (ADR 0038) for its channel.
 */
import { CloudFrontInvalidator } from '../adapters/cloudfront-invalidator.js';
import { SsmEdgeSettings } from '../adapters/edge-settings.js';
import { lazy } from '../lazy.js';
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
const edge = new SsmEdgeSettings(config.EDGE_PARAMETER_NAME);
const logger = createLogger();
const deps: CutoffDeps = {
  plans: new DynamoPlanStore(dynamo, config.CONTROL_TABLE_NAME),
  rooms: new DynamoRoomStore(dynamo, config.CONTROL_TABLE_NAME),
  comments: new DynamoCommentStore(dynamo, config.COMMENTS_TABLE_NAME, config.CONTROL_TABLE_NAME),
  clock: Date.now,
  edge: lazy(() => new CloudFrontInvalidator(edge.distributionId)),
  // A cached segment then keeps what the new cutoff hides until its cache lifetime ends.
  onInvalidateFailed: (paths, error) =>
    logger.warn('Could not invalidate cached segments', { paths: [...paths], error }),
};

export const handler = createLimitsWorkerHandler({
  compute: (job) => computeChannelCutoffs(deps, job),
  logger,
});
