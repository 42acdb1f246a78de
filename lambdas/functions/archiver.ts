/** The archiver in AWS (ADR 0037): settings parsed once at cold start, the stores made once per instance. */
import { createDynamoClient } from '../adapters/dynamodb/client.js';
import { DynamoCommentStore } from '../adapters/dynamodb/comment-store.js';
import { DynamoRoomStore } from '../adapters/dynamodb/room-store.js';
import { createLogger } from '../adapters/logger.js';
import { S3SegmentArchive } from '../adapters/s3/segment-archive.js';
import { ArchiverConfig, dynamoSettings, parseConfig } from '../config.js';
import { createArchiverHandler } from '../handlers/archiver.js';

const config = parseConfig(ArchiverConfig, process.env);
const dynamo = createDynamoClient(dynamoSettings(config));

export const handler = createArchiverHandler({
  archiver: {
    rooms: new DynamoRoomStore(dynamo, config.CONTROL_TABLE_NAME),
    comments: new DynamoCommentStore(dynamo, config.COMMENTS_TABLE_NAME, config.CONTROL_TABLE_NAME),
    archive: new S3SegmentArchive({ bucket: config.ARCHIVE_BUCKET_NAME, region: config.AWS_REGION }),
    clock: Date.now,
  },
  logger: createLogger(),
});
