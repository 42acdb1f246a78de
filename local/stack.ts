import type { Server } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from '../lambdas/adapters/dynamodb/client.js';
import { LOCAL_CREDENTIALS } from './appsync/auth.js';
import { DynamoRoomStore } from '../lambdas/adapters/dynamodb/room-store.js';
import { LocalApiGateway, loadHandlers } from './api-gateway.js';
import { LocalCapacity } from './capacity.js';
import { startLocalAppSync, type LocalAppSync } from './appsync/server.js';
import { DEV_TOKEN_AUDIENCE, DEV_TOKEN_ISSUER, DevTokenIssuer } from './dev-tokens.js';
import { DevUserPool } from './dev-user-pool.js';
import { startDynamoDbLocal } from './dynamodb-local.js';
import { EdgeCache } from './edge-cache.js';
import { close, listen } from './ports.js';
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
  /** Local AppSync endpoint: plain HTTP/WS port (in-process publisher) and HTTPS/WSS port (clients); 0 = free. */
  readonly appsyncPort?: number;
  readonly appsyncTlsPort?: number;
  /** Interval of the realtime endpoint's `ka` messages. Default 60 s. */
  readonly realtimeKeepAliveMs?: number;
}

/** The local AppSync-compatible endpoint (GraphQL over HTTP and the realtime WebSocket). */
export interface LocalRealtime {
  /** `https://…/graphql`, what AppSync clients are configured with; they derive the realtime URL. */
  readonly graphqlUrl: string;
  /** `wss://…/graphql/realtime`. */
  readonly realtimeUrl: string;
  /** The same endpoint over plain HTTP: the in-process functions publish here (`REALTIME_GRAPHQL_URL`). */
  readonly httpGraphqlUrl: string;
  readonly httpRealtimeUrl: string;
  readonly apiKey: string;
  readonly region: string;
  /** The TLS port's self-signed certificate: clients trust it explicitly. */
  readonly certificatePem: string;
  /** Events published so far (successful `publish` mutations). */
  readonly publishedCount: number;
  stats(): ReturnType<LocalAppSync['stats']>;
}

export interface LocalStack {
  readonly edgeUrl: string;
  readonly apiUrl: string;
  readonly dynamodbEndpoint: string;
  readonly tables: TableNames;
  readonly tokens: DevTokenIssuer;
  /** The Cognito stand-in: ID tokens for the admin API, per role and channel. */
  readonly adminTokens: DevUserPool;
  readonly edge: EdgeCache;
  readonly realtime: LocalRealtime;
  /** The scaler's control plane, schedules and runs (also `GET /local/capacity`). */
  readonly capacity: LocalCapacity;
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
  let appsync: LocalAppSync | undefined;
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

    const services: LocalServices = {
      edge: new EdgeCache(),
      tokens: await DevTokenIssuer.create(),
      userPool: await DevUserPool.create(),
    };
    const edgeServer = createEdgeServer(services);
    const originServer = createOriginServer(services);
    servers.push(edgeServer, originServer);
    const edgeUrl = `http://127.0.0.1:${await listen(edgeServer, options.port ?? 0)}`;
    const apiUrl = `http://127.0.0.1:${await listen(originServer, options.apiPort ?? 0)}`;
    appsync = await startLocalAppSync({
      port: options.appsyncPort ?? 0,
      tlsPort: options.appsyncTlsPort ?? 0,
      ...(options.realtimeKeepAliveMs !== undefined
        ? { keepAliveIntervalMs: options.realtimeKeepAliveMs }
        : {}),
    });
    services.realtime = appsync;

    Object.assign(process.env, {
      COMMENTS_TABLE_NAME: tables.comments,
      CONTROL_TABLE_NAME: tables.control,
      VIEWER_TOKEN_JWKS_URL: `${edgeUrl}/local/jwks.json`,
      VIEWER_TOKEN_ISSUER: DEV_TOKEN_ISSUER,
      VIEWER_TOKEN_AUDIENCE: DEV_TOKEN_AUDIENCE,
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
      // The functions publish over plain HTTP: same endpoint and code path, no custom CA to trust.
      REALTIME_GRAPHQL_URL: appsync.httpGraphqlUrl,
      // What the admin API's connection info tells players: the TLS endpoint, as AppSync's.
      REALTIME_CLIENT_GRAPHQL_URL: appsync.graphqlUrl,
      REALTIME_CLIENT_REALTIME_URL: appsync.realtimeUrl,
      REALTIME_API_KEY: appsync.apiKey,
      LOCAL_EDGE_URL: edgeUrl,
      // The scaler's AWS calls, schedules and invocations go to this runtime's stand-ins.
      LOCAL_CONTROL_PLANE_URL: edgeUrl,
    });
    services.gateway = new LocalApiGateway(await loadHandlers(), services.userPool);
    const capacity = await LocalCapacity.start();
    services.capacity = capacity;

    if (options.seed ?? true)
      await seedDemoRoom(
        new DynamoRoomStore(
          createDynamoClient({
            region: 'us-east-1',
            endpoint: dynamodb.endpoint,
            credentials: LOCAL_CREDENTIALS,
          }),
          tables.control,
        ),
      );

    const endpoint = appsync;
    return {
      edgeUrl,
      apiUrl,
      dynamodbEndpoint: dynamodb.endpoint,
      tables,
      tokens: services.tokens,
      adminTokens: services.userPool,
      edge: services.edge,
      capacity,
      realtime: {
        graphqlUrl: endpoint.graphqlUrl,
        realtimeUrl: endpoint.realtimeUrl,
        httpGraphqlUrl: endpoint.httpGraphqlUrl,
        httpRealtimeUrl: endpoint.httpRealtimeUrl,
        apiKey: endpoint.apiKey,
        region: endpoint.region,
        certificatePem: endpoint.certificatePem,
        get publishedCount() {
          return endpoint.stats().published;
        },
        stats: () => endpoint.stats(),
      },
      stop: async () => {
        await capacity.stop();
        await Promise.all([...servers.map(close), endpoint.stop()]);
        client.destroy();
        await dynamodb.stop();
      },
    };
  } catch (error) {
    await Promise.all([...servers.map(close), appsync?.stop()]);
    await dynamodb.stop();
    throw error;
  }
}
