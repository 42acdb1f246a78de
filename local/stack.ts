import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDocumentClient } from '../lambdas/adapters/dynamodb/client.js';
import { DynamoRoomStore } from '../lambdas/adapters/dynamodb/room-store.js';
import { LocalApiGateway, loadHandlers } from './api-gateway.js';
import { DEV_TOKEN_AUDIENCE, DEV_TOKEN_ISSUER, DevTokenIssuer } from './dev-tokens.js';
import { startDynamoDbLocal } from './dynamodb-local.js';
import { EdgeCache } from './edge-cache.js';
import { seedDemoRoom } from './seed.js';
import { createEdgeServer, createOriginServer, type LocalServices } from './server.js';
import { createTables, tableNames, type TableNames } from './tables.js';

export interface LocalStackOptions {
  /** Edge (CloudFront stand-in) port; 0 picks a free one. Default 0. */
  readonly port?: number;
  /** API origin (API Gateway stand-in) port; 0 picks a free one. Default 0. */
  readonly apiPort?: number;
  /** Use a running DynamoDB endpoint instead of starting DynamoDB Local. */
  readonly dynamodbEndpoint?: string;
  /** When starting DynamoDB Local: its port (default free) and data directory (default in memory). */
  readonly dynamodbPort?: number;
  readonly dataDir?: string;
  /** Table name prefix. Default `local`. */
  readonly tablePrefix?: string;
  /** Create the demo room. Default true. */
  readonly seed?: boolean;
}

export interface LocalStack {
  readonly edgeUrl: string;
  readonly apiUrl: string;
  readonly dynamodbEndpoint: string;
  readonly tables: TableNames;
  readonly tokens: DevTokenIssuer;
  readonly edge: EdgeCache;
  stop(): Promise<void>;
}

let started = false;

/**
 * Runs the whole product on this machine: DynamoDB Local, the real handlers
 * behind the shared route table, and an edge cache in front. Once per process:
 * like Lambda, the handlers read their configuration when first imported.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  if (started) throw new Error('The local stack runs once per process; stop this process to start another.');
  started = true;
  // Lambda runs Node 22; the SDK's notice about Node 20 is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

  const dynamodb = options.dynamodbEndpoint
    ? { endpoint: options.dynamodbEndpoint, stop: async () => undefined }
    : await startDynamoDbLocal({
        ...(options.dynamodbPort !== undefined ? { port: options.dynamodbPort } : {}),
        ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
      });
  const servers: Server[] = [];
  try {
    // The local runtime never talks to AWS: fixed local credentials, DynamoDB Local's endpoint.
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
    });
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;

    const tables = tableNames(options.tablePrefix ?? 'local');
    const client = new DynamoDBClient({});
    await createTables(client, tables);

    const services: LocalServices = { edge: new EdgeCache(), tokens: await DevTokenIssuer.create() };
    const edgeServer = createEdgeServer(services);
    const originServer = createOriginServer(services);
    servers.push(edgeServer, originServer);
    const edgeUrl = await listen(edgeServer, options.port ?? 0);
    const apiUrl = await listen(originServer, options.apiPort ?? 0);

    Object.assign(process.env, {
      COMMENTS_TABLE_NAME: tables.comments,
      CONTROL_TABLE_NAME: tables.control,
      VIEWER_TOKEN_JWKS_URL: `${edgeUrl}/local/jwks.json`,
      VIEWER_TOKEN_ISSUER: DEV_TOKEN_ISSUER,
      VIEWER_TOKEN_AUDIENCE: DEV_TOKEN_AUDIENCE,
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    });
    services.gateway = new LocalApiGateway(await loadHandlers());

    if (options.seed ?? true)
      await seedDemoRoom(new DynamoRoomStore(createDocumentClient(client), tables.control));

    return {
      edgeUrl,
      apiUrl,
      dynamodbEndpoint: dynamodb.endpoint,
      tables,
      tokens: services.tokens,
      edge: services.edge,
      stop: async () => {
        await Promise.all(servers.map(close));
        client.destroy();
        await dynamodb.stop();
      },
    };
  } catch (error) {
    await Promise.all(servers.map(close));
    await dynamodb.stop();
    throw error;
  }
}

function listen(server: Server, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`Port ${port} on 127.0.0.1 is in use; choose another (see npm start -- --help).`)
          : error,
      ),
    );
    server.listen(port, '127.0.0.1', () => {
      const { port: actual } = server.address() as AddressInfo;
      resolve(`http://127.0.0.1:${actual}`);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
