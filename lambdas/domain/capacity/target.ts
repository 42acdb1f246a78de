/**
 * What the scaler applies: the capacity in force over one stretch of time.
 * The capacity plan (plan.ts) produces one per step; the scaler (scaler.ts)
 * compares it with what AWS has now and makes the calls that close the gap.
 */

/** The hot-path functions kept warm with provisioned concurrency (on their `live` alias). */
export const SCALED_FUNCTIONS = ['postComment', 'getLive', 'getSegment'] as const;
export type ScaledFunction = (typeof SCALED_FUNCTIONS)[number];

/** The tables whose warm throughput the scaler raises. */
export const CAPACITY_TABLES = ['comments', 'control'] as const;
export type CapacityTable = (typeof CAPACITY_TABLES)[number];

/**
 * The routes that get their own API Gateway throttle during an event (route keys of `lambdas/routes.ts`).
 * Both `live` routes get the whole `live` origin rate: players poll by tick, first loads and simple
 * clients without, and either may carry all of it.
 */
export const THROTTLED_ROUTES = [
  'POST /v1/rooms/{roomId}/comments',
  'GET /v1/rooms/{roomId}/live',
  'GET /v1/rooms/{roomId}/live/{tick}',
  'GET /v1/rooms/{roomId}/segments/{n}',
] as const;
export type ThrottledRoute = (typeof THROTTLED_ROUTES)[number];

export interface Throughput {
  readonly readUnitsPerSecond: number;
  readonly writeUnitsPerSecond: number;
}

/** API Gateway's token bucket: steady requests per second and the bucket size. */
export interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export interface CapacityTarget {
  /** Provisioned concurrency per function alias; 0 means none configured. */
  readonly provisionedConcurrency: Readonly<Record<ScaledFunction, number>>;
  /**
   * Warm throughput each table must be able to serve at once; 0 means no
   * requirement. The scaler only ever raises it: DynamoDB cannot lower it.
   */
  readonly warmThroughput: Readonly<Record<CapacityTable, Throughput>>;
  /** The stage's default throttle (every method). */
  readonly stageThrottling: Throttle;
  /** Per-route throttles during events; a route left out has none of its own (the stage's applies). */
  readonly routeThrottling: Readonly<Partial<Record<ThrottledRoute, Throttle>>>;
  /** Write shards each room in an event needs; rooms left out keep what they have. */
  readonly roomShards: Readonly<Record<string, number>>;
}

/**
 * The stage throttle when no event is planned: well under the account's
 * 10,000 requests/s, well above what cached rooms need between events.
 * CDK deploys the stage with it; the scaler returns to it after events.
 */
export const BASELINE_STAGE_THROTTLING: Throttle = { rateLimit: 1_000, burstLimit: 500 };

/** Capacity with no event planned: nothing provisioned, nothing warmed, the baseline throttle. */
export const BASELINE_TARGET: CapacityTarget = {
  provisionedConcurrency: { postComment: 0, getLive: 0, getSegment: 0 },
  warmThroughput: {
    comments: { readUnitsPerSecond: 0, writeUnitsPerSecond: 0 },
    control: { readUnitsPerSecond: 0, writeUnitsPerSecond: 0 },
  },
  stageThrottling: BASELINE_STAGE_THROTTLING,
  routeThrottling: {},
  roomShards: {},
};

/** The alias CDK publishes on every function; provisioned concurrency and API integrations use it. */
export const SCALED_ALIAS = 'live';

/** One room's event as the capacity plan sees it (from the room's expected size and schedule). */
export interface PlannedRoom {
  readonly roomId: string;
  /** Peak concurrent viewers expected. */
  readonly expectedViewers: number;
  readonly startsAtMs: number;
  readonly endsAtMs: number;
  /** The room's poll interval (its `live` CDN lifetime). */
  readonly pollIntervalSeconds: number;
  readonly segmentSeconds: number;
  /** Write shards the room has now. */
  readonly writeShards: number;
}
