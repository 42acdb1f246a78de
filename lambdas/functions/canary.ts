/**
 * The canary function in AWS (ADR 0032): settings parsed once at cold start, the publisher, the
 * room store and the probes made once per instance. It subscribes with the runtime's own
 * WebSocket (nodejs22.x has one), so the bundle carries no WebSocket package.
 */
import { AppSyncPublisher } from '../adapters/appsync-publisher.js';
import { SdkEdgeViewer } from '../adapters/canary/edge-viewer.js';
import { SdkRoomSubscriber } from '../adapters/canary/room-subscriber.js';
import { SecretCanaryToken } from '../adapters/canary/secret-token.js';
import { currentCorrelationId } from '../adapters/correlation.js';
import { createDynamoClient } from '../adapters/dynamodb/client.js';
import { DynamoRoomStore } from '../adapters/dynamodb/room-store.js';
import { createLogger } from '../adapters/logger.js';
import { CanaryConfig, dynamoSettings, parseConfig } from '../config.js';
import { createCanaryHandler } from '../handlers/canary.js';
import { createMetrics } from '../adapters/metrics.js';

const config = parseConfig(CanaryConfig, process.env);
const token = config.CANARY_TOKEN_SECRET_ARN
  ? new SecretCanaryToken(config.CANARY_TOKEN_SECRET_ARN)
  : undefined;

export const handler = createCanaryHandler({
  canary: {
    roomId: config.CANARY_ROOM_ID,
    rooms: new DynamoRoomStore(createDynamoClient(dynamoSettings(config)), config.CONTROL_TABLE_NAME),
    publisher: new AppSyncPublisher({
      graphqlUrl: config.REALTIME_GRAPHQL_URL,
      region: config.AWS_REGION,
      correlationId: currentCorrelationId,
    }),
    subscriber: new SdkRoomSubscriber({
      endpoint: {
        graphqlUrl: config.REALTIME_CLIENT_GRAPHQL_URL,
        realtimeUrl: config.REALTIME_CLIENT_REALTIME_URL,
        apiKey: config.REALTIME_API_KEY,
      },
    }),
    edge: new SdkEdgeViewer({ baseUrl: config.CANARY_EDGE_URL }),
    viewerToken: token ? token.token : async () => undefined,
    clock: Date.now,
  },
  metrics: createMetrics(config.STAGE),
  logger: createLogger(),
});
