/** The getSegment function in AWS: settings parsed once, adapters made once per instance. */
import { createDynamoClient } from '../adapters/dynamodb/client.js';
import { lambdaOriginGuard } from '../adapters/lambda-origin-guard.js';
import { createLogger } from '../adapters/logger.js';
import { viewerStores } from '../adapters/viewer-stores.js';
import { S3SegmentArchive } from '../adapters/s3/segment-archive.js';
import { dynamoSettings, parseConfig, SegmentConfig, tableNames } from '../config.js';
import { createGetSegmentHandler } from '../handlers/get-segment.js';

const config = parseConfig(SegmentConfig, process.env);
const dynamo = createDynamoClient(dynamoSettings(config));

export const handler = createGetSegmentHandler({
  feed: {
    ...viewerStores(dynamo, tableNames(config), config.ROOM_CACHE_TTL_MS),
    clock: Date.now,
    liveLimit: config.LIVE_COMMENT_LIMIT,
    archive: new S3SegmentArchive({ bucket: config.ARCHIVE_BUCKET_NAME, region: config.AWS_REGION }),
  },
  logger: createLogger(),
  origin: lambdaOriginGuard(config),
});
