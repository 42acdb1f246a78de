/**
 * The HTTP route table, defined once. CDK builds API Gateway resources and
 * CloudFront behaviours from it; the local runtime routes requests with it.
 */
import { MAX_POST_DURATION_MS } from './domain/feed/segments.js';
import { adminPath, VIEWER_ROUTE_PATHS } from './domain/paths.js';

/** `edge`: cacheable by path alone, served through the CDN. `none`: never cached, `Authorization` forwarded. */
export type CacheClass = 'edge' | 'none';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * `public`: no gateway authoriser (public reads; the post function verifies the viewer's own JWT).
 * `admin`: the Cognito user pool authoriser runs first and hands the function the token's claims.
 */
export type RouteAuth = 'public' | 'admin';

export type FunctionName = 'postComment' | 'getLive' | 'getSegment' | 'getRoom' | 'admin';

export interface FunctionDefinition {
  /**
   * The Lambda entry CDK bundles, relative to the project root: it wires the AWS adapters and
   * exports `handler` (lambdas/functions/). The local runtime builds the same handler from
   * lambdas/handlers/ with its own adapters (local/composition.ts).
   */
  readonly entry: string;
  readonly description: string;
  readonly timeoutMs: number;
  /** What the function may do with the tables: its IAM grants in AWS. */
  readonly access: {
    /** `moderate`: read the feed and mark items deleted (admin). */
    readonly comments: 'write' | 'query' | 'moderate';
    /** `admin`: rooms, channels, lists and the audit log, read and written; its indexes queried. */
    readonly control: 'write' | 'read' | 'admin';
  };
  /** Publishes realtime events (the AppSync `publish` mutation). */
  readonly publishes?: boolean;
  /** Invalidates paths at the CDN (a deleted comment's closed segment). */
  readonly invalidatesEdge?: boolean;
  /** Reads CloudWatch metrics (statistics). */
  readonly readsMetrics?: boolean;
  /** Schedules the scaler around events (EventBridge Scheduler) and invokes it directly (ADR 0016). */
  readonly schedulesCapacity?: boolean;
  /** The segment archive (ADR 0037): `read` serves archived segments, `write` also rewrites them (deletions). */
  readonly archive?: 'read' | 'write';
}

/**
 * Memory of every function: 512 MB. The handlers hold the SDK, jose and zod; on Lambda, memory also
 * buys CPU, and 512 MB keeps cold starts and JWT verification short at a per-request price the poll
 * path's cache makes small. CDK deploys with it; the cost model bills it.
 */
export const FUNCTION_MEMORY_MB = 512;

export const functions: Record<FunctionName, FunctionDefinition> = {
  postComment: {
    entry: 'lambdas/functions/post-comment.ts',
    description: 'POST a viewer comment',
    timeoutMs: MAX_POST_DURATION_MS,
    access: { comments: 'write', control: 'write' },
  },
  getLive: {
    entry: 'lambdas/functions/get-live.ts',
    description: 'GET the live edge of a room',
    timeoutMs: 5_000,
    access: { comments: 'query', control: 'read' },
  },
  getSegment: {
    entry: 'lambdas/functions/get-segment.ts',
    description: 'GET one time segment of a room',
    timeoutMs: 10_000,
    access: { comments: 'query', control: 'read' },
    archive: 'read',
  },
  getRoom: {
    entry: 'lambdas/functions/get-room.ts',
    description: 'GET public room info',
    timeoutMs: 5_000,
    access: { comments: 'query', control: 'read' },
  },
  /**
   * The whole control plane in one function: admin traffic is tiny, and one
   * warm function answers a console's burst of calls (ADR 0010).
   */
  admin: {
    entry: 'lambdas/functions/admin.ts',
    description: 'Admin API (operators, moderators, artists)',
    timeoutMs: 25_000,
    access: { comments: 'moderate', control: 'admin' },
    publishes: true,
    invalidatesEdge: true,
    readsMetrics: true,
    schedulesCapacity: true,
    archive: 'write',
  },
};

/**
 * The scaler (ADR 0015): no route. EventBridge Scheduler invokes it ahead of and after each event,
 * the admin function for a dry run or an immediate run; locally, the runtime's timers do.
 */
export const scalerFunction = {
  entry: 'lambdas/functions/scaler.ts',
  description: 'Apply the capacity plan (provisioned concurrency, warm throughput, throttles, shards)',
  timeoutMs: 120_000,
} as const;

/**
 * The canary (ADR 0032): no route. An EventBridge rule invokes it every minute; locally, a timer.
 * It publishes its PING with the same publisher and grant as the admin function.
 */
export const canaryFunction = {
  entry: 'lambdas/functions/canary.ts',
  description: 'Canary: a PING through AppSync and a comment through CloudFront, every minute',
  /** A run takes seconds (each step has its own deadline, 10 s at most, the poll 2 intervals + 2 s). */
  timeoutMs: 60_000,
  publishes: true,
} as const;

/**
 * The view-limit scheduler (ADR 0039): no route. EventBridge Scheduler invokes it daily; it only
 * enqueues one job per limited channel, so a minute is plenty. Locally, a timer.
 */
export const limitsSchedulerFunction = {
  entry: 'lambdas/functions/limits-scheduler.ts',
  description: 'View limits: enqueue one job per limited channel (daily, EventBridge Scheduler)',
  timeoutMs: 60_000,
} as const;

/**
 * The view-limit worker (ADR 0039): no route. The SQS event source invokes it with a few jobs,
 * one channel each; it computes their cutoffs (ADR 0038). Locally, the local queue's poller.
 */
export const limitsWorkerFunction = {
  entry: 'lambdas/functions/limits-worker.ts',
  description: "View limits: compute each channel's oldest visible comment per room (SQS worker)",
  /** A batch is a few channels computed side by side; each reads its rooms' comments once. */
  timeoutMs: 120_000,
  /** A changed cutoff invalidates the room's cached segments. */
  invalidatesEdge: true,
} as const;

/**
 * The view-limit queue's settings, one set for CDK and the local queue (ADR 0039). The visibility
 * timeout is six times the worker's timeout, as AWS advises for an SQS event source, so a batch
 * still running (or retried by the poller) never reappears while it is being worked on.
 */
export const LIMITS_QUEUE = {
  /** Records per invocation: few, so one slow channel holds back little. */
  batchSize: 5,
  /** Receives before a job goes to the dead-letter queue. */
  maxReceiveCount: 5,
  /** Workers at once (SQS's event source allows 2 at least): the comment table is not hammered. */
  maxConcurrency: 2,
  visibilityTimeoutMs: 6 * limitsWorkerFunction.timeoutMs,
} as const;

/**
 * The archiver (ADR 0037): no route. EventBridge Scheduler invokes it every
 * ARCHIVE_INTERVAL_MINUTES; locally, a timer. It copies closed segments to the archive bucket and
 * moves each room's `archivedThrough`.
 */
export const archiverFunction = {
  entry: 'lambdas/functions/archiver.ts',
  description: 'Archive closed segments to S3 and move the watermark of each room',
  /** A run works off at most ARCHIVE_SEGMENTS_PER_RUN segments a room, then stops; the next run continues. */
  timeoutMs: 300_000,
  archive: 'write',
} as const;

/** How often the archiver runs: a closed segment reaches the archive within this plus a run. */
export const ARCHIVE_INTERVAL_MINUTES = 5;

/**
 * The origin secret's rotation (ADR 0030): no route. Secrets Manager invokes it for each step of a
 * rotation; each step may wait for the distribution to deploy, so it has Lambda's longest timeout.
 */
export const originSecretRotationFunction = {
  entry: 'lambdas/functions/rotate-origin-secret.ts',
  description: 'Rotate the origin secret: a new value, CloudFront sends it, then it becomes current',
  timeoutMs: 900_000,
} as const;

export interface Route {
  readonly method: HttpMethod;
  /** API Gateway path syntax: `{name}` is a path parameter. */
  readonly path: string;
  readonly function: FunctionName;
  readonly cache: CacheClass;
  /** Default `public`. */
  readonly auth?: RouteAuth;
}

const admin = (method: HttpMethod, path: string): Route => ({
  method,
  path: adminPath(path),
  function: 'admin',
  cache: 'none',
  auth: 'admin',
});

/** The control plane (README: Admin API). Never cached; every route needs a user pool token. */
export const adminRoutes: readonly Route[] = [
  admin('GET', '/me'),
  admin('GET', '/rooms'),
  admin('POST', '/rooms'),
  admin('GET', '/rooms/{roomId}'),
  admin('PATCH', '/rooms/{roomId}'),
  admin('POST', '/rooms/{roomId}/close'),
  admin('GET', '/rooms/{roomId}/connection'),
  admin('GET', '/rooms/{roomId}/comments'),
  admin('DELETE', '/rooms/{roomId}/comments/{commentId}'),
  admin('POST', '/rooms/{roomId}/purges'),
  admin('GET', '/rooms/{roomId}/bans'),
  admin('PUT', '/rooms/{roomId}/bans/{userId}'),
  admin('DELETE', '/rooms/{roomId}/bans/{userId}'),
  admin('POST', '/rooms/{roomId}/artist-messages'),
  admin('GET', '/rooms/{roomId}/stats'),
  admin('GET', '/rooms/{roomId}/capacity'),
  admin('GET', '/rooms/{roomId}/audit'),
  admin('GET', '/rooms/{roomId}/audit/export'),
  admin('GET', '/channels/{channelId}/bans'),
  admin('PUT', '/channels/{channelId}/bans/{userId}'),
  admin('DELETE', '/channels/{channelId}/bans/{userId}'),
  admin('GET', '/channels/{channelId}/blocks'),
  admin('PUT', '/channels/{channelId}/blocks/{userId}'),
  admin('DELETE', '/channels/{channelId}/blocks/{userId}'),
  admin('GET', '/audit'),
  admin('GET', '/capacity'),
  admin('POST', '/capacity/runs'),
  admin('POST', '/notices'),
  admin('GET', '/ng-words'),
  admin('PUT', '/ng-words'),
  admin('GET', '/channels/{channelId}/plan'),
  admin('PUT', '/channels/{channelId}/plan'),
  admin('DELETE', '/channels/{channelId}/plan'),
  admin('POST', '/channels/{channelId}/plan/runs'),
];

export const routes: readonly Route[] = [
  { method: 'POST', path: VIEWER_ROUTE_PATHS.comments, function: 'postComment', cache: 'none' },
  { method: 'GET', path: VIEWER_ROUTE_PATHS.live, function: 'getLive', cache: 'edge' },
  { method: 'GET', path: VIEWER_ROUTE_PATHS.liveTick, function: 'getLive', cache: 'edge' },
  { method: 'GET', path: VIEWER_ROUTE_PATHS.segment, function: 'getSegment', cache: 'edge' },
  { method: 'GET', path: VIEWER_ROUTE_PATHS.room, function: 'getRoom', cache: 'edge' },
  ...adminRoutes,
];

/** The key an operation is registered under: `GET /admin/v1/rooms/{roomId}`. */
export const routeKey = (route: Pick<Route, 'method' | 'path'>) => `${route.method} ${route.path}`;

/**
 * The origin custom header CloudFront adds to every request it sends to the API, with the origin
 * secret's value (ADR 0030); the local edge adds it too. Lower case, as header names are compared.
 */
export const ORIGIN_HEADER = 'x-origin-verify';

/** CORS for browsers on any origin: public reads, and posts with a bearer token (no cookies). */
export const cors = {
  allowOrigin: '*',
  allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
  allowHeaders: ['Authorization', 'Content-Type'],
  exposeHeaders: ['Retry-After', 'Idempotent-Replayed', 'Location', 'X-Audit-Entries', 'X-Audit-Truncated'],
  maxAgeSeconds: 600,
} as const;

/**
 * Request media types API Gateway hands the functions as the exact bytes, base64-encoded with
 * `isBase64Encoded` (its `binaryMediaTypes`), rather than as text it decoded itself, where bytes
 * that are not UTF-8 silently become U+FFFD. The functions decode JSON bodies strictly
 * (handlers/http.ts) and refuse such bytes with 400 (ADR 0036). CDK sets it on the REST API; the
 * local gateway encodes the same bodies the same way.
 */
export const binaryMediaTypes: readonly string[] = ['application/json'];

/**
 * Answers the API gateway gives by itself, before any function runs, in the
 * API's JSON error shape. CDK sets them as API Gateway gateway responses; the
 * local runtime answers with the same ones.
 */
export const gatewayResponses = {
  /** API Gateway's MISSING_AUTHENTICATION_TOKEN: no route matches the method and path. */
  routeNotFound: { status: 404, code: 'route_not_found', message: 'No such route.', retryable: false },
  /** REQUEST_TOO_LARGE */
  bodyTooLarge: {
    status: 413,
    code: 'payload_too_large',
    message: 'The request is too large.',
    retryable: false,
  },
  /** UNAUTHORIZED: an admin route without a valid user pool token (the authoriser refused it). */
  unauthorized: {
    status: 401,
    code: 'unauthorized',
    message: 'Sign in: this route needs a valid token from the admin user pool.',
    retryable: false,
  },
  /** ACCESS_DENIED: the authoriser denied the request. */
  accessDenied: {
    status: 403,
    code: 'forbidden',
    message: 'Access denied.',
    retryable: false,
  },
  /** WAF_FILTERED: the API stage's web ACL blocked the request (ADR 0031; not the rate rule, which answers its own 429). */
  firewallBlocked: {
    status: 403,
    code: 'request_blocked',
    message: 'The request was refused by the API firewall.',
    retryable: false,
  },
  /** THROTTLED */
  throttled: {
    status: 429,
    code: 'throttled',
    message: 'Too many requests; retry shortly.',
    retryable: true,
  },
  /** DEFAULT_5XX: the function failed or timed out. */
  serverError: {
    status: 502,
    code: 'bad_gateway',
    message: 'The service failed to answer.',
    retryable: true,
  },
} as const;
