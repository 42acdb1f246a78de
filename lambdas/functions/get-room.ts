/** The getRoom function in AWS: settings parsed once, its one store made once per instance. */
import { CachedRoomReader } from '../adapters/cached-room-reader.js';
import { createDynamoClient } from '../adapters/dynamodb/client.js';
import { DynamoRoomStore } from '../adapters/dynamodb/room-store.js';
import { lambdaOriginGuard } from '../adapters/lambda-origin-guard.js';
import { createLogger } from '../adapters/logger.js';
import { dynamoSettings, parseConfig, ReadConfig } from '../config.js';
import { createGetRoomHandler } from '../handlers/get-room.js';

const config = parseConfig(ReadConfig, process.env);
const dynamo = createDynamoClient(dynamoSettings(config));

export const handler = createGetRoomHandler({
  feed: {
    rooms: new CachedRoomReader(
      new DynamoRoomStore(dynamo, config.CONTROL_TABLE_NAME),
      config.ROOM_CACHE_TTL_MS,
    ),
    clock: Date.now,
  },
  logger: createLogger(),
  origin: lambdaOriginGuard(config),
});
