/**
 * The postComment function in AWS: its settings parsed once at cold start, its adapters made
 * once per instance, the handler built from them (handlers/post-comment.ts).
 */
import { createDynamoClient } from '../adapters/dynamodb/client.js';
import { lambdaOriginGuard } from '../adapters/lambda-origin-guard.js';
import { createLogger } from '../adapters/logger.js';
import { viewerStores } from '../adapters/viewer-stores.js';
import { ViewerTokenVerifier } from '../adapters/viewer-tokens.js';
import { dynamoSettings, parseConfig, PostConfig, tableNames } from '../config.js';
import { createPostCommentHandler } from '../handlers/post-comment.js';

const config = parseConfig(PostConfig, process.env);
const dynamo = createDynamoClient(dynamoSettings(config));
const logger = createLogger();

export const handler = createPostCommentHandler({
  feed: {
    ...viewerStores(dynamo, tableNames(config), config.ROOM_CACHE_TTL_MS),
    clock: Date.now,
    retentionDays: config.COMMENT_RETENTION_DAYS,
  },
  viewerTokens: ViewerTokenVerifier.fromJwksUrl(
    config.VIEWER_TOKEN_JWKS_URL,
    config.VIEWER_TOKEN_ISSUER,
    config.VIEWER_TOKEN_AUDIENCE,
    logger,
  ),
  logger,
  origin: lambdaOriginGuard(config),
});
