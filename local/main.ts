/**
 * `npm start`: the whole product on this machine, no AWS account needed.
 * Ctrl-C stops everything, DynamoDB Local included.
 */
import { adminPath, commentsPath, livePath } from '../lambdas/domain/paths.js';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LogLevel } from '@aws-lambda-powertools/logger';
import type { LogLevel as Level } from '../lambdas/adapters/logger.js';
import { projectRoot } from './paths.js';
import { LIMITS_QUEUE } from '../lambdas/routes.js';
import { DEMO_ROOM_ID } from './seed.js';
import { startLocalStack } from './stack.js';

const USAGE = `Usage: npm start -- [options]

  --port <n>              edge (CloudFront stand-in) port        default 3000
  --api-port <n>          API origin (API Gateway stand-in) port default 3001
  --dynamodb-port <n>     DynamoDB Local port                    default 8000
  --appsync-port <n>      AppSync stand-in, plain HTTP/WS port   default 4000
  --appsync-tls-port <n>  AppSync stand-in, HTTPS/WSS port       default 4001
  --data-dir <path>       where DynamoDB Local keeps its data    default .local/dynamodb
                          (the AppSync stand-in's certificate is written there too)
  --in-memory             keep no data between runs (the certificate goes to the OS temp directory)
  --canary-interval <s>   seconds between canary runs (0: only when asked) default 60
  --limits-interval <s>   seconds between view-limit batch runs (0: only when asked) default 3600
  --limits-visibility <s> the view-limit queue's visibility timeout: a failed channel's retry
                          comes after it                          default 720, as in AWS
  --archive-interval <s>  seconds between archiver runs (0: never)         default 60
  --s3-port <n>           local S3 (s3rver) port, the segment archive         default 4569
  --log-level <level>     the functions' log level: TRACE, DEBUG, INFO, WARN, ERROR, CRITICAL or SILENT
                          default $POWERTOOLS_LOG_LEVEL, else WARN
  -h, --help              this text`;

// Lambda runs Node 22; the SDK's notice about this process's Node 20 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '3000' },
    'api-port': { type: 'string', default: '3001' },
    'dynamodb-port': { type: 'string', default: '8000' },
    'appsync-port': { type: 'string', default: '4000' },
    'appsync-tls-port': { type: 'string', default: '4001' },
    'data-dir': { type: 'string', default: join(projectRoot, '.local', 'dynamodb') },
    'in-memory': { type: 'boolean', default: false },
    'canary-interval': { type: 'string', default: '60' },
    'limits-interval': { type: 'string', default: '3600' },
    'limits-visibility': { type: 'string', default: String(LIMITS_QUEUE.visibilityTimeoutMs / 1000) },
    'archive-interval': { type: 'string', default: '60' },
    's3-port': { type: 'string', default: '4569' },
    'log-level': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

function port(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) {
    console.error(`--${name} must be a port number (0–65535); got "${value}".\n\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

function logLevel(value: string): Level {
  const level = value.toUpperCase();
  if (!(level in LogLevel)) {
    console.error(
      `--log-level must be one of ${Object.keys(LogLevel).join(', ')}; got "${value}".\n\n${USAGE}`,
    );
    process.exit(2);
  }
  return level as Level;
}

function seconds(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 86_400) {
    console.error(`--${name} must be whole seconds (0–86400); got "${value}".\n\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

const options = {
  port: port('port', values.port),
  canaryIntervalMs: seconds('canary-interval', values['canary-interval']) * 1000,
  limitsIntervalMs: seconds('limits-interval', values['limits-interval']) * 1000,
  limitsVisibilityTimeoutMs: seconds('limits-visibility', values['limits-visibility']) * 1000,
  archiveIntervalMs: seconds('archive-interval', values['archive-interval']) * 1000,
  s3Port: port('s3-port', values['s3-port']),
  logLevel: logLevel(values['log-level'] ?? process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN'),
  apiPort: port('api-port', values['api-port']),
  dynamodbPort: port('dynamodb-port', values['dynamodb-port']),
  appsyncPort: port('appsync-port', values['appsync-port']),
  appsyncTlsPort: port('appsync-tls-port', values['appsync-tls-port']),
  ...(values['in-memory'] ? {} : { dataDir: values['data-dir'], certificateDir: values['data-dir'] }),
};

console.log('Starting DynamoDB Local and the local stack…');
let stack;
try {
  stack = await startLocalStack(options);
} catch (error) {
  console.error(`Could not start the local stack: ${(error as Error).message}`);
  process.exit(1);
}
const { edgeUrl, apiUrl, dynamodbEndpoint, realtime, origin, archive } = stack;

console.log(`
Hybrid live chat is running locally.

  Edge (CloudFront stand-in)     ${edgeUrl}
  API origin (API Gateway)       ${apiUrl}
    (answers only requests with the header the edge adds, as API Gateway behind CloudFront:
     ${origin.header.name}: ${origin.header.value})
  DynamoDB Local                 ${dynamodbEndpoint} (${options.dataDir ? `data in ${options.dataDir}` : 'in memory'})
  S3 (s3rver), segment archive   ${archive.endpoint}/${archive.bucket} (${options.archiveIntervalMs ? `archived every ${options.archiveIntervalMs / 1000} s` : 'archiver off'}${options.dataDir ? `; objects in ${join(options.dataDir, 's3')}` : ''})
  Demo room                      ${DEMO_ROOM_ID}
  Player (demo page)             ${edgeUrl}/player/?room=${DEMO_ROOM_ID}  (&user=<id> picks the viewer)
  OpenAPI document               ${edgeUrl}/openapi.json
  Edge cache counters            ${edgeUrl}/local/edge
  Capacity (scaler stand-ins)    ${edgeUrl}/local/capacity
  Canary (recent runs)           ${edgeUrl}/local/canary  (${options.canaryIntervalMs ? `every ${options.canaryIntervalMs / 1000} s` : 'only when asked: POST /local/canary/runs'})
  View-limit batch               ${edgeUrl}/local/limits  (${options.limitsIntervalMs ? `every ${options.limitsIntervalMs / 1000} s` : 'only when asked'}; POST /local/limits/runs runs it now)
  GraphQL (AppSync stand-in)     ${realtime.graphqlUrl}
  Realtime WebSocket             ${realtime.realtimeUrl}
  GraphQL, plain HTTP            ${realtime.httpGraphqlUrl} (the local functions publish here)
  AppSync API key                ${realtime.apiKey}
  AppSync certificate            ${realtime.certificateFile}
  (self-signed for 127.0.0.1 and localhost, new at every start: trust this file instead of turning
  TLS checks off, e.g. NODE_EXTRA_CA_CERTS=${realtime.certificateFile} node your-client.js)

Try it:

  TOKEN=$(curl -s -X POST ${edgeUrl}/local/tokens -H 'content-type: application/json' \\
    -d '{"userId":"viewer-1","displayName":"Ada"}' | sed -E 's/.*"token":"([^"]+)".*/\\1/')
  curl -s -X POST ${edgeUrl}${commentsPath(DEMO_ROOM_ID)} -H "authorization: Bearer $TOKEN" \\
    -H 'content-type: application/json' -d '{"text":"hello","clientMessageId":"m-1"}'
  curl -s ${edgeUrl}${livePath(DEMO_ROOM_ID)}

Admin API (dev identities from the local user pool; roles: operator, moderator, artist):

  ADMIN=$(curl -s -X POST ${edgeUrl}/local/admin-tokens -H 'content-type: application/json' \\
    -d '{"roles":["operator"]}' | sed -E 's/.*"token":"([^"]+)".*/\\1/')
  curl -s ${edgeUrl}${adminPath('/rooms')} -H "authorization: Bearer $ADMIN"
  # a moderator of channel "default" (the demo room's): {"roles":["moderator"],"channels":["default"]}

Ctrl-C stops everything.`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    void stack.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
