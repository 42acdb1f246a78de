import { inject } from 'vitest';

// The handlers read this configuration at import, exactly as in Lambda.
Object.assign(process.env, {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_ENDPOINT_URL_DYNAMODB: inject('dynamodbEndpoint'),
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  COMMENTS_TABLE_NAME: inject('commentsTable'),
  CONTROL_TABLE_NAME: inject('controlTable'),
  VIEWER_TOKEN_JWKS_URL: inject('jwksUrl'),
  VIEWER_TOKEN_ISSUER: 'https://host.test/',
  VIEWER_TOKEN_AUDIENCE: 'hybrid-live-chat',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  // Rooms change under the tests' feet (closing, settings): no stale copies.
  ROOM_CACHE_TTL_MS: '0',
  LIVE_COMMENT_LIMIT: '50',
  // The admin function publishes to, and invalidates at, the capture server (global-setup.ts).
  REALTIME_GRAPHQL_URL: `${inject('captureUrl')}/graphql`,
  REALTIME_CLIENT_GRAPHQL_URL: 'https://appsync.test/graphql',
  REALTIME_CLIENT_REALTIME_URL: 'wss://appsync-realtime.test/graphql/realtime',
  REALTIME_API_KEY: 'da2-testkey',
  LOCAL_EDGE_URL: inject('captureUrl'),
  // Room schedules and scaler invocations go to the capture server too.
  LOCAL_CONTROL_PLANE_URL: inject('captureUrl'),
});
