/**
 * The local runtime's composition root: the same handler factories the Lambda
 * entries use (lambdas/functions/), wired to local adapters — DynamoDB Local
 * with fixed local credentials, the dev JWKS, the local AppSync endpoint, the
 * local edge's invalidations and counters, and the stand-ins for the scaler's
 * control plane, schedules and invocations. Everything is passed explicitly:
 * nothing here reads or writes `process.env`.
 */
import * as z from 'zod/mini';
import { adminStores } from '../lambdas/adapters/admin-stores.js';
import { AppSyncPublisher } from '../lambdas/adapters/appsync-publisher.js';
import { currentCorrelationId } from '../lambdas/adapters/correlation.js';
import { createDynamoClient } from '../lambdas/adapters/dynamodb/client.js';
import { createLogger, type LogLevel } from '../lambdas/adapters/logger.js';
import { viewerStores, type TableNames } from '../lambdas/adapters/viewer-stores.js';
import { ViewerTokenVerifier } from '../lambdas/adapters/viewer-tokens.js';
import { capacityWindows, Config } from '../lambdas/config.js';
import { capacityPlanner } from '../lambdas/domain/capacity/planner.js';
import { createAdminHandler } from '../lambdas/handlers/admin.js';
import { createArchiverHandler, type ArchiverHandler } from '../lambdas/handlers/archiver.js';
import { S3SegmentArchive } from '../lambdas/adapters/s3/segment-archive.js';
import { createGetLiveHandler } from '../lambdas/handlers/get-live.js';
import { createGetRoomHandler } from '../lambdas/handlers/get-room.js';
import { createGetSegmentHandler } from '../lambdas/handlers/get-segment.js';
import type { HttpHandler } from '../lambdas/handlers/http.js';
import { createPostCommentHandler } from '../lambdas/handlers/post-comment.js';
import { createScalerHandler, type ScalerHandler } from '../lambdas/handlers/scaler.js';
import {
  OriginGuard,
  type OriginGuardOptions,
  type OriginSecrets,
} from '../lambdas/handlers/origin-guard.js';
import type { FunctionName } from '../lambdas/routes.js';
import type { LimitJobQueue } from '../lambdas/domain/limits/job.js';
import type { WebSocketLike } from '../client/types.js';
import { SdkEdgeViewer } from '../lambdas/adapters/canary/edge-viewer.js';
import { SdkRoomSubscriber } from '../lambdas/adapters/canary/room-subscriber.js';
import { DynamoRoomStore } from '../lambdas/adapters/dynamodb/room-store.js';
import type { CanaryTimeouts } from '../lambdas/domain/canary/canary.js';
import { DEFAULT_CANARY_ROOM_ID } from '../lambdas/domain/canary/room-ids.js';
import { createCanaryHandler, type CanaryHandler } from '../lambdas/handlers/canary.js';
import { RecordingCanaryMetrics } from './adapters/canary-metrics.js';
import {
  LocalCapacityControls,
  LocalScalerInvoker,
  LocalScheduleStore,
} from './adapters/control-plane-client.js';
import { LocalEdgeInvalidator } from './adapters/edge-invalidator.js';
import { LocalTrafficMetrics } from './adapters/traffic-metrics.js';
import { LOCAL_CREDENTIALS } from './appsync/auth.js';
import { DynamoCommentStore } from '../lambdas/adapters/dynamodb/comment-store.js';
import { DynamoPlanStore } from '../lambdas/adapters/dynamodb/plan-store.js';
import { computeChannelCutoffs, type CutoffDeps } from '../lambdas/domain/limits/compute-cutoffs.js';
import {
  createLimitsSchedulerHandler,
  type LimitsSchedulerHandler,
} from '../lambdas/handlers/limits-scheduler.js';
import { createLimitsWorkerHandler, type LimitsWorkerHandler } from '../lambdas/handlers/limits-worker.js';
import { localJobQueue } from './adapters/local-job-queue.js';
import type { LocalQueue } from './queue.js';
import { S3RVER_CREDENTIALS } from './s3.js';

/** The region the local clients sign for; nothing leaves this machine. */
export const LOCAL_REGION = 'us-east-1';

/** The functions' tunable settings, with the same bounds and defaults as in AWS (lambdas/config.ts). */
export const LocalSettings = z.pick(Config, {
  ROOM_CACHE_TTL_MS: true,
  LIVE_COMMENT_LIMIT: true,
  COMMENT_RETENTION_DAYS: true,
  CAPACITY_LEAD_MINUTES: true,
  CAPACITY_TAIL_MINUTES: true,
});

export interface LocalFunctionsOptions {
  /** DynamoDB Local's endpoint. */
  readonly dynamodbEndpoint: string;
  readonly tables: TableNames;
  /** The keys the post function verifies viewer tokens with (the dev JWKS), and the claims it expects. */
  readonly viewerTokens: { readonly jwksUrl: string; readonly issuer: string; readonly audience: string };
  /** The local edge: the base URL players use, where invalidations go, whose counters statistics read. */
  readonly edgeUrl: string;
  /** The runtime that stands in for Lambda, DynamoDB and API Gateway's control plane, Scheduler and Invoke. */
  readonly controlPlaneUrl: string;
  readonly realtime: {
    /** Where the admin function publishes: the local AppSync endpoint over plain HTTP. */
    readonly publishUrl: string;
    /** What connection info tells players; while any is missing it answers 503, as in AWS. */
    readonly graphqlUrl?: string;
    readonly realtimeUrl?: string;
    readonly apiKey?: string;
  };
  /**
   * The values the origin header must carry (ADR 0030): the local edge's (local/adapters/origin-secrets.ts).
   * `originCheck` tunes the check's refresh interval (tests).
   */
  readonly originSecrets: OriginSecrets;
  readonly originCheck?: Omit<OriginGuardOptions, 'clock'>;
  /** Where the admin API queues view-limit jobs (plan changes, runs now): the local queue in `npm start`. */
  readonly limitJobs: LimitJobQueue;
  /** Overrides of the functions' settings (e.g. no room cache in tests). */
  readonly settings?: z.input<typeof LocalSettings>;
  /** Default WARN. */
  readonly logLevel?: LogLevel;
  /**
   * The segment archive (ADR 0037): the local S3 server and its bucket. Without it, segments are
   * read from the table only and there is no archiver (integration tests of other parts).
   */
  readonly archive?: LocalArchiveTarget;
}

/** Where the archive is locally: s3rver's endpoint and the bucket (local/s3.ts). */
export interface LocalArchiveTarget {
  readonly endpoint: string;
  readonly bucket: string;
}

/** The same S3 adapter as in AWS, pointed at the local S3 server with its account's keys. */
export function localSegmentArchive(target: LocalArchiveTarget): S3SegmentArchive {
  return new S3SegmentArchive({
    bucket: target.bucket,
    region: LOCAL_REGION,
    endpoint: target.endpoint,
    credentials: S3RVER_CREDENTIALS,
  });
}

export interface LocalFunctions {
  /** The functions' settings, as parsed (defaults filled in). */
  readonly settings: z.infer<typeof LocalSettings>;
  /** The route functions, for the local API gateway. */
  readonly handlers: Readonly<Record<FunctionName, HttpHandler>>;
  /** The scaler function, for the local control plane's invocations and schedules. */
  readonly scaler: ScalerHandler;
  /** The archiver function (ADR 0037), for the local timer; only with `archive`. */
  readonly archiver?: ArchiverHandler;
}

/**
 * Builds every function once for this process. Like one warm instance of
 * each: the stores, the caches, the audit log and the publisher are made
 * once and shared by every function that uses them.
 */
export function composeLocalFunctions(options: LocalFunctionsOptions): LocalFunctions {
  const settings = LocalSettings.parse(options.settings ?? {});
  const { edgeUrl, controlPlaneUrl, tables } = options;
  const dynamo = createDynamoClient({
    region: LOCAL_REGION,
    endpoint: options.dynamodbEndpoint,
    credentials: LOCAL_CREDENTIALS,
  });
  const logger = createLogger({ logLevel: options.logLevel ?? 'WARN' });
  const clock = Date.now;
  const viewer = viewerStores(dynamo, tables, settings.ROOM_CACHE_TTL_MS);
  const reads = { ...viewer, clock, liveLimit: settings.LIVE_COMMENT_LIMIT };
  const archive = options.archive ? localSegmentArchive(options.archive) : undefined;
  const admin = adminStores(dynamo, tables);
  // The plan checks `live` documents against the limit the read functions use (ADR 0035).
  const windows = { ...capacityWindows(settings), liveCommentLimit: settings.LIVE_COMMENT_LIMIT };
  // One check per function, like one per Lambda instance.
  const origin = () => new OriginGuard(options.originSecrets, options.originCheck ?? {});

  const handlers = {
    postComment: createPostCommentHandler({
      feed: { ...viewer, clock, retentionDays: settings.COMMENT_RETENTION_DAYS },
      viewerTokens: ViewerTokenVerifier.fromJwksUrl(
        options.viewerTokens.jwksUrl,
        options.viewerTokens.issuer,
        options.viewerTokens.audience,
        logger,
      ),
      logger,
      origin: origin(),
    }),
    getLive: createGetLiveHandler({ feed: reads, logger, origin: origin() }),
    getSegment: createGetSegmentHandler({
      feed: { ...reads, ...(archive ? { archive } : {}) },
      logger,
      origin: origin(),
    }),
    getRoom: createGetRoomHandler({ feed: reads, logger, origin: origin() }),
    admin: createAdminHandler({
      ...admin,
      // The same publisher and signing as in AWS, with the local credentials the endpoint accepts.
      publisher: new AppSyncPublisher({
        graphqlUrl: options.realtime.publishUrl,
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
        correlationId: currentCorrelationId,
      }),
      edge: new LocalEdgeInvalidator(edgeUrl),
      edgeUrl: async () => edgeUrl,
      realtimeClient: {
        graphqlUrl: options.realtime.graphqlUrl,
        realtimeUrl: options.realtime.realtimeUrl,
        apiKey: options.realtime.apiKey,
      },
      traffic: new LocalTrafficMetrics(edgeUrl),
      schedules: new LocalScheduleStore(controlPlaneUrl),
      scaler: new LocalScalerInvoker(controlPlaneUrl, currentCorrelationId),
      capacity: { ...windows, region: LOCAL_REGION },
      retentionDays: settings.COMMENT_RETENTION_DAYS,
      limitJobs: options.limitJobs,
      ...(archive ? { archive } : {}),
      clock,
      logger,
      origin: origin(),
    }),
  } satisfies Record<FunctionName, HttpHandler>;

  const scaler = createScalerHandler({
    scaler: {
      rooms: admin.rooms,
      controls: new LocalCapacityControls(controlPlaneUrl, tables, admin.rooms),
      auditLog: admin.auditLog,
      plan: capacityPlanner(windows),
      clock,
    },
    logger,
  });

  const archiver = archive
    ? createArchiverHandler({
        archiver: { rooms: admin.rooms, comments: admin.comments, archive, clock },
        logger,
      })
    : undefined;

  return { settings, handlers, scaler, ...(archiver ? { archiver } : {}) };
}

export interface LocalCanaryOptions {
  readonly dynamodbEndpoint: string;
  readonly tables: TableNames;
  /** The local edge: the canary posts and polls through it, as it does through CloudFront in AWS. */
  readonly edgeUrl: string;
  readonly realtime: {
    /** Where it publishes its PING: the same plain-HTTP endpoint the admin function publishes to. */
    readonly publishUrl: string;
    /** Where it subscribes: the TLS endpoint, as AppSync's (`https://…/graphql`, `wss://…/graphql/realtime`). */
    readonly graphqlUrl: string;
    readonly realtimeUrl: string;
    readonly apiKey: string;
  };
  /** Node 20 has no global WebSocket: `ws`, trusting the local endpoint's certificate. */
  readonly WebSocket: WebSocketLike;
  /** A dev viewer token for the canary's user; undefined leaves the post step `not_configured`. */
  readonly viewerToken: () => Promise<string | undefined>;
  /** Default `canary`. */
  readonly roomId?: string;
  readonly timeouts?: Partial<CanaryTimeouts>;
  /** Default WARN. */
  readonly logLevel?: LogLevel;
}

export interface LocalCanaryFunction {
  readonly roomId: string;
  /** The same handler the canary's Lambda entry builds (lambdas/functions/canary.ts). */
  readonly handler: CanaryHandler;
  /** What the handler emitted for its last run (EMF in AWS). */
  readonly metrics: RecordingCanaryMetrics;
}

/** The canary function, wired to the local endpoints and the dev token issuer. */
export function composeLocalCanary(options: LocalCanaryOptions): LocalCanaryFunction {
  const roomId = options.roomId ?? DEFAULT_CANARY_ROOM_ID;
  const dynamo = createDynamoClient({
    region: LOCAL_REGION,
    endpoint: options.dynamodbEndpoint,
    credentials: LOCAL_CREDENTIALS,
  });
  const metrics = new RecordingCanaryMetrics();
  const handler = createCanaryHandler({
    canary: {
      roomId,
      rooms: new DynamoRoomStore(dynamo, options.tables.control),
      publisher: new AppSyncPublisher({
        graphqlUrl: options.realtime.publishUrl,
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
        correlationId: currentCorrelationId,
      }),
      subscriber: new SdkRoomSubscriber({
        endpoint: {
          graphqlUrl: options.realtime.graphqlUrl,
          realtimeUrl: options.realtime.realtimeUrl,
          apiKey: options.realtime.apiKey,
        },
        WebSocket: options.WebSocket,
      }),
      edge: new SdkEdgeViewer({ baseUrl: options.edgeUrl }),
      viewerToken: options.viewerToken,
      clock: Date.now,
      ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    },
    metrics,
    logger: createLogger({ logLevel: options.logLevel ?? 'WARN' }),
  });
  return { roomId, handler, metrics };
}

export interface LocalLimitsFunctions {
  /** The same handler `lambdas/functions/limits-scheduler.ts` builds, sending to the local queue. */
  readonly scheduler: (queue: LocalQueue) => LimitsSchedulerHandler;
  /** The same handler `lambdas/functions/limits-worker.ts` builds. */
  readonly worker: LimitsWorkerHandler;
}

/** The view-limit batch's two functions (ADR 0039), wired as their Lambda entries wire them. */
export function composeLocalLimits(options: {
  readonly dynamodbEndpoint: string;
  readonly tables: TableNames;
  /** The local edge: a changed cutoff invalidates the room's cached segments there. */
  readonly edgeUrl: string;
  readonly logLevel?: LogLevel;
}): LocalLimitsFunctions {
  const dynamo = createDynamoClient({
    region: LOCAL_REGION,
    endpoint: options.dynamodbEndpoint,
    credentials: LOCAL_CREDENTIALS,
  });
  const plans = new DynamoPlanStore(dynamo, options.tables.control);
  const logger = createLogger({ logLevel: options.logLevel ?? 'WARN' });
  const deps: CutoffDeps = {
    plans,
    rooms: new DynamoRoomStore(dynamo, options.tables.control),
    comments: new DynamoCommentStore(dynamo, options.tables.comments, options.tables.control),
    clock: Date.now,
    edge: new LocalEdgeInvalidator(options.edgeUrl),
    onInvalidateFailed: (paths, error) =>
      logger.warn('Could not invalidate cached segments', { paths: [...paths], error }),
  };
  return {
    scheduler: (queue) =>
      createLimitsSchedulerHandler({
        enqueue: { plans, queue: localJobQueue(queue), clock: Date.now },
        logger,
      }),
    worker: createLimitsWorkerHandler({ compute: (job) => computeChannelCutoffs(deps, job), logger }),
  };
}
