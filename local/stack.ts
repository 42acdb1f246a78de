import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from '../lambdas/adapters/dynamodb/client.js';
import { DynamoRoomStore } from '../lambdas/adapters/dynamodb/room-store.js';
import type { LogLevel } from '../lambdas/adapters/logger.js';
import { LocalApiGateway } from './api-gateway.js';
import { LOCAL_CREDENTIALS } from './appsync/auth.js';
import { LocalCapacity } from './capacity.js';
import { startLocalAppSync, type LocalAppSync } from './appsync/server.js';
import { webSocketTrusting } from './adapters/trusting-websocket.js';
import { LocalCanary } from './canary.js';
import { LocalLimits } from './limits.js';
import { localJobQueue } from './adapters/local-job-queue.js';
import type { LocalQueue } from './queue.js';
import { LocalArchiver } from './archiver.js';
import { startLocalS3, type LocalS3 } from './s3.js';
import {
  composeLocalCanary,
  composeLocalLimits,
  composeLocalFunctions,
  LOCAL_REGION,
  type LocalFunctions,
  type LocalFunctionsOptions,
} from './composition.js';
import { DEV_TOKEN_AUDIENCE, DEV_TOKEN_ISSUER, DevTokenIssuer } from './dev-tokens.js';
import { DEV_USER_POOL_CLIENT_ID, DEV_USER_POOL_ID, DevUserPool } from './dev-user-pool.js';
import { LocalUserPool } from './cognito/user-pool.js';
import { LOCAL_COGNITO_PATH } from './cognito/protocol.js';
import { startDynamoDbLocal } from './dynamodb-local.js';
import { EdgeCache } from './edge-cache.js';
import { EventLoopMonitor } from './event-loop.js';
import { LocalOriginSecrets } from './adapters/origin-secrets.js';
import { ORIGIN_HEADER } from '../lambdas/routes.js';
import type { LimitJobQueue } from '../lambdas/domain/limits/job.js';
import { close, listen } from './ports.js';
import { DEMO_ROOM_ID, seedDemoRoom } from './seed.js';
import { buildLocalWebApps } from './web-apps.js';
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
  /**
   * Where to write the AppSync stand-in's certificate (`appsync-cert.pem`), for clients to trust.
   * Default: a directory of its own under the OS temp directory, removed at stop.
   */
  readonly certificateDir?: string;
  /** Interval of the realtime endpoint's `ka` messages. Default 60 s. */
  readonly realtimeKeepAliveMs?: number;
  /** The functions' log level. Default WARN. */
  readonly logLevel?: LogLevel;
  /** Overrides of the functions' settings (their AWS defaults otherwise). */
  readonly settings?: LocalFunctionsOptions['settings'];
  /**
   * How often the canary runs (ADR 0032), in ms; 0 runs it only when asked (`stack.canary.runNow()`,
   * `POST /local/canary/runs`). Default 0, so stacks started by tests see no canary traffic;
   * `npm start` runs it every 60 s.
   */
  readonly canaryIntervalMs?: number;
  /**
   * How often the view-limit batch runs (ADR 0039), in ms; 0 runs it only when asked
   * (`stack.limits.runNow()`, `POST /local/limits/runs`). Default 0; in AWS it runs daily.
   */
  readonly limitsIntervalMs?: number;
  /** The view-limit queue's visibility timeout. Default as in AWS (`LIMITS_QUEUE`, 12 minutes). */
  readonly limitsVisibilityTimeoutMs?: number;
  /**
   * Where the admin API queues view-limit jobs (plan changes, runs now). Default: the local
   * view-limit queue (`stack.limits`), whose worker computes them.
   */
  readonly limitJobs?: LimitJobQueue;
  /**
   * How often the archiver runs (ADR 0037), in ms; 0 runs it only when asked
   * (`stack.archive.runNow()`). Default 0, so tests decide when segments are archived; `npm start`
   * runs it every 60 s.
   */
  readonly archiveIntervalMs?: number;
  /** The local S3 server's port; default a free one. Its objects live under `dataDir`/s3 when given. */
  readonly s3Port?: number;
}

/** The local AppSync-compatible endpoint (GraphQL over HTTP and the realtime WebSocket). */
export interface LocalRealtime {
  /** `https://…/graphql`, what AppSync clients are configured with; they derive the realtime URL. */
  readonly graphqlUrl: string;
  /** `wss://…/graphql/realtime`. */
  readonly realtimeUrl: string;
  /** The same endpoint over plain HTTP: the in-process functions publish here. */
  readonly httpGraphqlUrl: string;
  readonly httpRealtimeUrl: string;
  readonly apiKey: string;
  readonly region: string;
  /** The TLS port's self-signed certificate: clients trust it explicitly. */
  readonly certificatePem: string;
  /** The same certificate in a PEM file: `NODE_EXTRA_CA_CERTS=<file>` for Node, or a client's `ca`. */
  readonly certificateFile: string;
  /** Events published so far (successful `publish` mutations). */
  readonly publishedCount: number;
  stats(): ReturnType<LocalAppSync['stats']>;
  /** Makes the functions' publishes fail (tests of the poll path); `undefined` turns it off. */
  failPublishes: LocalAppSync['failPublishes'];
}

export interface LocalStack {
  readonly edgeUrl: string;
  /** The origin (API Gateway stand-in): it answers only requests that carry `origin.header`. */
  readonly apiUrl: string;
  /**
   * The origin header the edge adds (ADR 0030): send `{ [origin.header.name]: origin.header.value }`
   * to call `apiUrl` directly. `origin.secrets.rotate()` plays a rotation.
   */
  readonly origin: {
    readonly header: { readonly name: string; readonly value: string };
    readonly secrets: LocalOriginSecrets;
  };
  readonly dynamodbEndpoint: string;
  readonly tables: TableNames;
  readonly tokens: DevTokenIssuer;
  /** The Cognito stand-in's keys: ID tokens for the admin API, per role and channel, without a sign-in. */
  readonly adminTokens: DevUserPool;
  /**
   * The console's user pool (`POST /local/cognito/`, accounts from `POST /local/admin-users`):
   * Cognito's sign-in flows over in-memory users, with tokens from `adminTokens`' keys.
   */
  readonly adminUsers: LocalUserPool;
  readonly edge: EdgeCache;
  readonly realtime: LocalRealtime;
  /** The scaler's control plane, schedules and runs (also `GET /local/capacity`). */
  readonly capacity: LocalCapacity;
  /** The functions behind the gateway, as local/composition.ts built them (benchmarks invoke them directly). */
  readonly functions: LocalFunctions;
  /** The canary on its timer, and its recent runs (`GET /local/canary`). */
  readonly canary: LocalCanary;
  /** The view-limit batch: its queue, DLQ and recent batches (`GET /local/limits`). */
  readonly limits: LocalLimits;
  /** The segment archive (ADR 0037): the local S3 server, its bucket, and the archiver on its timer. */
  readonly archive: {
    readonly endpoint: string;
    readonly bucket: string;
    readonly archiver: LocalArchiver;
    /** Runs the archiver now (or joins the run in flight). */
    runNow: LocalArchiver['runNow'];
  };
  stop(): Promise<void>;
}

/**
 * Runs the whole product on this machine: DynamoDB Local, the real handlers
 * behind the shared route table, and an edge cache in front. The handlers are
 * built by the local composition root with everything passed explicitly, so
 * nothing in the process environment configures them.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const dynamodb = options.dynamodbEndpoint
    ? { endpoint: options.dynamodbEndpoint, stop: async () => undefined }
    : await startDynamoDbLocal({
        ...(options.dynamodbPort !== undefined ? { port: options.dynamodbPort } : {}),
        ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
      });
  const servers: Server[] = [];
  let appsync: LocalAppSync | undefined;
  let s3: LocalS3 | undefined;
  // A directory made here is removed at stop; one the caller named is the caller's.
  const certificateDir = options.certificateDir ?? mkdtempSync(join(tmpdir(), 'hybrid-live-chat-'));
  const removeCertificateDir = () => {
    if (!options.certificateDir) rmSync(certificateDir, { recursive: true, force: true });
  };
  try {
    // The local runtime never talks to AWS: fixed local credentials, DynamoDB Local's endpoint.
    const tables = tableNames(options.tablePrefix ?? 'local');
    const client = new DynamoDBClient({
      endpoint: dynamodb.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    try {
      await createTables(client, tables);
    } finally {
      client.destroy();
    }

    const userPool = await DevUserPool.create();
    const originSecrets = new LocalOriginSecrets();
    // The view-limit queue is made after the functions (its worker is one of them); the admin
    // API's jobs reach it from then on.
    const limitsQueue: { current?: LocalQueue } = {};
    const services: LocalServices = {
      originHeader: () => ({ name: ORIGIN_HEADER, value: originSecrets.value }),
      edge: new EdgeCache(),
      tokens: await DevTokenIssuer.create(),
      userPool,
      cognito: new LocalUserPool(userPool),
      eventLoop: new EventLoopMonitor(),
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
    mkdirSync(certificateDir, { recursive: true });
    const certificateFile = join(certificateDir, 'appsync-cert.pem');
    writeFileSync(certificateFile, appsync.certificatePem);
    const realtimeForPlayers = appsync;
    const playerRealtime = {
      // Browsers would refuse the TLS port's self-signed certificate: pages use the plain port.
      graphqlUrl: realtimeForPlayers.httpGraphqlUrl,
      realtimeUrl: realtimeForPlayers.httpRealtimeUrl,
      apiKey: realtimeForPlayers.apiKey,
    };
    const realtimeSources = [realtimeForPlayers.httpGraphqlUrl, realtimeForPlayers.httpRealtimeUrl];
    services.web = await buildLocalWebApps({
      player: {
        config: () => ({
          realtime: playerRealtime,
          devTokensUrl: '/local/tokens',
          defaultRoomId: DEMO_ROOM_ID,
        }),
        connectSources: realtimeSources,
      },
      console: {
        // The console signs in through aws-amplify against the user pool stand-in, as in AWS.
        config: () => ({
          apiUrl: '',
          auth: {
            userPoolId: DEV_USER_POOL_ID,
            userPoolClientId: DEV_USER_POOL_CLIENT_ID,
            userPoolEndpoint: LOCAL_COGNITO_PATH,
          },
          devUsersUrl: '/local/admin-users',
          realtime: playerRealtime,
          stage: 'local',
        }),
        connectSources: realtimeSources,
      },
    });

    s3 = await startLocalS3({
      ...(options.s3Port !== undefined ? { port: options.s3Port } : {}),
      ...(options.dataDir !== undefined ? { directory: join(options.dataDir, 's3') } : {}),
    });
    const functions = composeLocalFunctions({
      dynamodbEndpoint: dynamodb.endpoint,
      tables,
      archive: { endpoint: s3.endpoint, bucket: s3.bucket },
      viewerTokens: {
        jwksUrl: `${edgeUrl}/local/jwks.json`,
        issuer: DEV_TOKEN_ISSUER,
        audience: DEV_TOKEN_AUDIENCE,
      },
      edgeUrl,
      originSecrets,
      // The scaler's AWS calls, schedules and invocations go to this runtime's stand-ins.
      controlPlaneUrl: edgeUrl,
      realtime: {
        // The functions publish over plain HTTP: same endpoint and code path, no custom CA to trust.
        publishUrl: appsync.httpGraphqlUrl,
        // What the admin API's connection info tells players: the TLS endpoint, as AppSync's.
        graphqlUrl: appsync.graphqlUrl,
        realtimeUrl: appsync.realtimeUrl,
        apiKey: appsync.apiKey,
      },
      limitJobs: options.limitJobs ?? {
        send: (jobs) => localJobQueue(limitsQueue.current!).send(jobs),
      },
      ...(options.settings ? { settings: options.settings } : {}),
      ...(options.logLevel ? { logLevel: options.logLevel } : {}),
    });
    services.gateway = new LocalApiGateway(functions.handlers, services.userPool);
    const capacity = new LocalCapacity(functions.scaler);
    services.capacity = capacity;

    if (options.seed ?? true) {
      const db = createDynamoClient({
        region: LOCAL_REGION,
        endpoint: dynamodb.endpoint,
        credentials: LOCAL_CREDENTIALS,
      });
      await seedDemoRoom(new DynamoRoomStore(db, tables.control));
    }

    // Last: its timer must not start for a stack that fails to start.
    const tokens = services.tokens;
    const canary = new LocalCanary(
      composeLocalCanary({
        dynamodbEndpoint: dynamodb.endpoint,
        tables,
        edgeUrl,
        realtime: {
          publishUrl: appsync.httpGraphqlUrl,
          // The TLS endpoint, as AppSync's; its certificate trusted explicitly.
          graphqlUrl: appsync.graphqlUrl,
          realtimeUrl: appsync.realtimeUrl,
          apiKey: appsync.apiKey,
        },
        WebSocket: webSocketTrusting(appsync.certificatePem),
        // The dev issuer stands in for the host service, which issues the canary's token in AWS.
        viewerToken: async () =>
          (await tokens.issue({ userId: 'canary', displayName: 'Canary', ttlSeconds: 300 })).token,
        ...(options.logLevel ? { logLevel: options.logLevel } : {}),
      }),
      options.canaryIntervalMs ?? 0,
    );
    services.canary = canary;
    const limits = new LocalLimits({
      ...composeLocalLimits({
        dynamodbEndpoint: dynamodb.endpoint,
        tables,
        edgeUrl,
        ...(options.logLevel ? { logLevel: options.logLevel } : {}),
      }),
      intervalMs: options.limitsIntervalMs ?? 0,
      ...(options.limitsVisibilityTimeoutMs !== undefined
        ? { visibilityTimeoutMs: options.limitsVisibilityTimeoutMs }
        : {}),
    });
    services.limits = limits;
    limitsQueue.current = limits.queue;
    const archiver = new LocalArchiver(functions.archiver!, options.archiveIntervalMs ?? 0);
    const objectStore = s3;

    const endpoint = appsync;
    return {
      edgeUrl,
      apiUrl,
      origin: {
        get header() {
          return services.originHeader();
        },
        secrets: originSecrets,
      },
      dynamodbEndpoint: dynamodb.endpoint,
      tables,
      tokens: services.tokens,
      adminTokens: services.userPool,
      adminUsers: services.cognito,
      edge: services.edge,
      capacity,
      functions,
      canary,
      limits,
      archive: {
        endpoint: objectStore.endpoint,
        bucket: objectStore.bucket,
        archiver,
        runNow: () => archiver.runNow(),
      },
      realtime: {
        graphqlUrl: endpoint.graphqlUrl,
        realtimeUrl: endpoint.realtimeUrl,
        httpGraphqlUrl: endpoint.httpGraphqlUrl,
        httpRealtimeUrl: endpoint.httpRealtimeUrl,
        apiKey: endpoint.apiKey,
        region: endpoint.region,
        certificatePem: endpoint.certificatePem,
        certificateFile,
        get publishedCount() {
          return endpoint.stats().published;
        },
        stats: () => endpoint.stats(),
        failPublishes: (fault) => endpoint.failPublishes(fault),
      },
      stop: async () => {
        await Promise.all([capacity.stop(), canary.stop(), limits.stop(), archiver.stop()]);
        services.eventLoop?.stop();
        await Promise.all([...servers.map(close), endpoint.stop(), objectStore.stop()]);
        await dynamodb.stop();
        removeCertificateDir();
      },
    };
  } catch (error) {
    await Promise.all([...servers.map(close), appsync?.stop(), s3?.stop()]);
    await dynamodb.stop();
    removeCertificateDir();
    throw error;
  }
}
