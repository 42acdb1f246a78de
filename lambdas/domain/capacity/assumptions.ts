/**
 * Every number the capacity plan (plan.ts) multiplies by, in two tables:
 *
 * - `ASSUMPTIONS`: per-deployment tunables. Each has a default, a sane range
 *   (an override outside it is refused, never clamped), and a status saying
 *   how much to trust it. The benchmark (`npm run bench`) measures some of
 *   them locally; `calibration` names the key under `calibration` in
 *   bench/results/<date>.json that does.
 * - `LIMITS`: AWS quotas and billing rules the plan checks against, from
 *   docs/sources/ANCHORS.md ("Quotas and limits") and the AWS pages named (docs/sources/README.md).
 *
 * Both are plain data so the README, the ADR and the cost model can render them.
 */
import * as z from 'zod';
import { MAX_SHARDS } from '../feed/shards.js';

/**
 * - `sourced`: an AWS documentation figure or rule.
 * - `assumption`: our guess about the workload or a safety margin; tune it per deployment.
 * - `unverified`: a claim about AWS behaviour nobody has checked against AWS yet.
 * - `measured-by-bench`: taken from a benchmark run.
 */
export type CoefficientStatus = 'sourced' | 'assumption' | 'unverified' | 'measured-by-bench';

export interface Coefficient {
  readonly value: number;
  readonly unit: string;
  readonly description: string;
  readonly source: string;
  readonly status: CoefficientStatus;
}

export interface Assumption extends Coefficient {
  /** Smallest value an override may take. */
  readonly min: number;
  /** Largest value an override may take. */
  readonly max: number;
  readonly integer?: boolean;
  /** The key under `calibration` in bench/results/<date>.json that measures this figure locally. */
  readonly calibration?: string;
}

export const ASSUMPTIONS = {
  /** How often an average viewer comments. */
  commentsPerViewerPerMinute: {
    value: 0.03,
    unit: 'comments / viewer / min',
    description: 'Mean comment rate per concurrent viewer.',
    source: 'ANCHORS.md worked example: 100,000 viewers post 50 comments/s (50 × 60 / 100,000)',
    status: 'assumption',
    min: 0,
    max: 10,
  },
  /** Moments (a song's end, the artist's greeting) post several times the mean rate. */
  burstFactor: {
    value: 4,
    unit: '× mean',
    description: 'Peak comment rate over the mean rate; the plan sizes the post path for the peak.',
    source: 'No public figure; read your own events from the admin statistics (comments per minute)',
    status: 'assumption',
    min: 1,
    max: 100,
  },
  /** Mean duration of one post (JWT check, cached room, one TransactWriteItems). */
  postHandlerMs: {
    value: 50,
    unit: 'ms',
    description: 'Mean postComment duration, for Little’s law.',
    source: 'Guess until calibrated; the bench measures it against DynamoDB Local, not AWS',
    status: 'assumption',
    min: 1,
    max: 10_000,
    calibration: 'postHandlerP50Ms',
  },
  /** Mean duration of one `live` origin request (one Query per shard plus the global feed, in parallel). */
  liveHandlerMs: {
    value: 50,
    unit: 'ms',
    description: 'Mean getLive duration (also used for getRoom), for Little’s law.',
    source: 'Guess until calibrated; the bench measures it against DynamoDB Local, not AWS',
    status: 'assumption',
    min: 1,
    max: 10_000,
    calibration: 'liveHandlerP50Ms',
  },
  /** A segment reads every comment of its slice, more than `live` does. */
  segmentHandlerMs: {
    value: 100,
    unit: 'ms',
    description: 'Mean getSegment duration, for Little’s law.',
    source: 'Guess: about twice getLive, since a segment reads a whole slice',
    status: 'assumption',
    min: 1,
    max: 10_000,
  },
  /**
   * The comment item in the post's transaction: transactional writes cost
   * 2 write units per item up to 1 KB; a comment of the default 200 code
   * points (≤ 800 bytes of UTF-8) plus its keys stays under 1 KB. A room
   * allowing 1,000-character comments writes up to 4 KB: override with 8.
   */
  commentsWriteUnitsPerPost: {
    value: 2,
    unit: 'WCU / post',
    description: 'Write units one accepted post costs on the comments table.',
    source:
      'DynamoDB on-demand pricing: a transactional write costs 2 write units per item ≤ 1 KB; comment-store.ts create',
    status: 'sourced',
    min: 2,
    max: 800,
    calibration: 'commentTableWriteUnitsPerPost',
  },
  /**
   * The idempotency record (2 units) and the slow-mode window (2 more when
   * the room has slow mode on) in the same transaction. Assumes slow mode
   * on, as large events usually run it; 2 without it. The bench's
   * `writeUnitsPerPost` covers both tables with slow mode off: compare it
   * with commentsWriteUnitsPerPost + 2.
   */
  controlWriteUnitsPerPost: {
    value: 4,
    unit: 'WCU / post',
    description: 'Write units one accepted post costs on the control table (slow mode on).',
    source: 'comment-store.ts create: idempotency + slow-mode records, 2 transactional units each',
    status: 'assumption',
    min: 2,
    max: 1_600,
  },
  /**
   * Sizes every read of the feed: a `live` origin call reads the comments of
   * one tick's window from each shard (live-reads.ts), a segment every
   * comment of its slice. Measured on the benchmark's chat stream (short
   * phrases in Japanese and English, with ids, names and keys); a room of
   * long comments stores more (a 200-code-point comment in Japanese ≈ 800 B).
   */
  commentItemBytes: {
    value: 210,
    unit: 'bytes',
    description: 'Mean stored size of one comment item (text, names, keys).',
    source: 'npm run bench, figure 8: mean DynamoDB item size of its chat stream, 208 B',
    status: 'measured-by-bench',
    min: 100,
    max: 400_000,
    calibration: 'commentItemBytes',
  },
  /**
   * A `live` response as CloudFront sends it (brotli, which it picks for
   * browsers) ≈ this + `liveBytesPerComment` × the items it carries. Fitted
   * over the benchmark's documents at 5 and 50 comments/s (figure 8).
   */
  liveDocumentOverheadBytes: {
    value: 650,
    unit: 'bytes / response',
    description: 'Compressed bytes of a `live` document besides its items (room, window, state).',
    source: 'npm run bench, figure 8: least squares over its documents at 5 and 50 comments/s, brotli, 656 B',
    status: 'measured-by-bench',
    min: 100,
    max: 100_000,
    calibration: 'liveDocumentOverheadBytes',
  },
  liveBytesPerComment: {
    value: 34,
    unit: 'bytes / item',
    description: 'Compressed bytes each item adds to a `live` document.',
    source:
      'npm run bench, figure 8: least squares over its documents at 5 and 50 comments/s, brotli, 33.8 B',
    status: 'measured-by-bench',
    min: 1,
    max: 10_000,
    calibration: 'liveBytesPerComment',
  },
  /**
   * CloudFront collapses concurrent misses on one cache key per cache
   * location, so the origin sees about one request per interval from each
   * location that has viewers. How many locations miss independently for one
   * room is not published: regional edge caches should collapse further, so
   * this is a deliberately high guess.
   */
  edgeLocations: {
    value: 50,
    unit: 'locations / room',
    description: 'Cache locations that each miss once per interval for one room.',
    source: 'Unverified: no AWS figure; request collapsing is per cache location (ANCHORS.md)',
    status: 'unverified',
    min: 1,
    max: 1_000,
    integer: true,
  },
  /** Request collapsing turns a location's concurrent misses into one origin request. */
  originFetchesPerLocationPerInterval: {
    value: 1,
    unit: 'origin requests / location / interval',
    description: 'Origin requests one cache location makes per cache lifetime.',
    source:
      'CloudFront request collapsing (ANCHORS.md; DeveloperGuide RequestAndResponseBehaviorCustomOrigin)',
    status: 'sourced',
    min: 0.01,
    max: 100,
    calibration: 'originCallsPerInterval',
  },
  /** Viewers arriving for the start open their realtime subscriptions together. */
  realtimeConnectFraction: {
    value: 0.5,
    unit: 'fraction of viewers',
    description: 'Share of the expected viewers who open a realtime connection in the start window.',
    source: 'Guess: half the audience is there for the first minute',
    status: 'assumption',
    min: 0,
    max: 1,
  },
  realtimeConnectWindowSeconds: {
    value: 60,
    unit: 's',
    description: 'The start window: seconds from the start in which that share connects.',
    source: 'Guess',
    status: 'assumption',
    min: 1,
    max: 3_600,
  },
  /** Little's law gives the mean; bursts and uneven arrivals need more warm instances. */
  provisionedConcurrencyHeadroom: {
    value: 1.5,
    unit: '× mean concurrency',
    description: 'Provisioned concurrency over the mean concurrency Little’s law gives.',
    source: 'Safety margin',
    status: 'assumption',
    min: 1,
    max: 10,
  },
  apiThrottleHeadroom: {
    value: 1.5,
    unit: '× planned requests',
    description: 'API Gateway throttles over the planned request rate.',
    source: 'Safety margin',
    status: 'assumption',
    min: 1,
    max: 10,
  },
  /** Warm throughput is charged and cannot be lowered: keep this margin small. */
  warmThroughputHeadroom: {
    value: 1.25,
    unit: '× planned units',
    description: 'Warm throughput over the planned peak units/s.',
    source: 'Safety margin',
    status: 'assumption',
    min: 1,
    max: 10,
  },
  /** Random shard choice is uneven: leave each partition some slack. */
  partitionHeadroom: {
    value: 0.8,
    unit: 'fraction of 1,000 WCU/s',
    description: 'Share of one partition’s write limit a shard is planned to use.',
    source: 'Safety margin',
    status: 'assumption',
    min: 0.1,
    max: 1,
  },
  /**
   * Every warm instance re-reads the room, its channel item and the global NG
   * list once a second through its caches (ADR 0003, ADR 0012): 3 reads of
   * ≤ 4 KB, eventually consistent, 0.5 units each.
   */
  controlReadUnitsPerInstancePerSecond: {
    value: 1.5,
    unit: 'RCU / instance / s',
    description: 'Control-table reads each busy function instance makes through its 1 s caches.',
    source: 'ADR 0003, ADR 0012: three cached items, each ≤ 4 KB',
    status: 'assumption',
    min: 0,
    max: 1_000,
  },
  /** Quotas are warned about before they are reached, and CloudFront polls are planned under this share. */
  quotaSafetyFactor: {
    value: 0.8,
    unit: 'fraction of a quota',
    description:
      'Share of a quota the plan may use; above it a warning is `info`, above the quota `warning`.',
    source: 'Safety margin',
    status: 'assumption',
    min: 0.1,
    max: 1,
  },
} as const satisfies Record<string, Assumption>;

export type AssumptionName = keyof typeof ASSUMPTIONS;
export type AssumptionValues = { readonly [K in AssumptionName]: number };

export const ASSUMPTION_NAMES = Object.keys(ASSUMPTIONS) as AssumptionName[];

export const DEFAULT_ASSUMPTIONS: AssumptionValues = Object.fromEntries(
  ASSUMPTION_NAMES.map((name) => [name, ASSUMPTIONS[name].value]),
) as AssumptionValues;

/** Overrides of the defaults: each within its entry's range; an unknown name is refused. */
export const AssumptionOverrides = z.strictObject(
  Object.fromEntries(
    ASSUMPTION_NAMES.map((name) => {
      const entry: Assumption = ASSUMPTIONS[name];
      const range = `must be a number from ${entry.min} to ${entry.max} (${entry.unit})`;
      let schema = z.number({ error: range }).min(entry.min, range).max(entry.max, range);
      if (entry.integer) schema = schema.int(`must be a whole number (${entry.unit})`);
      return [name, schema.optional()];
    }),
  ) as Record<AssumptionName, z.ZodOptional<z.ZodNumber>>,
);

export const LIMITS = {
  cloudFrontRequestsPerSecond: {
    value: 250_000,
    unit: 'requests/s per distribution',
    description: 'CloudFront requests per distribution (adjustable).',
    source: 'ANCHORS.md; CloudFront DeveloperGuide cloudfront-limits',
    status: 'sourced',
  },
  appSyncNewConnectionsPerSecond: {
    value: 200,
    unit: 'connections/s per API',
    description: 'AppSync GraphQL new realtime connections (adjustable).',
    source: 'ANCHORS.md; AWS general reference, AppSync quotas',
    status: 'sourced',
  },
  appSyncOutboundMessagesPerSecond: {
    value: 1_000_000,
    unit: 'messages/s per API',
    description: 'AppSync outbound subscription messages.',
    source: 'ANCHORS.md; AWS general reference, AppSync quotas',
    status: 'sourced',
  },
  lambdaAccountConcurrency: {
    value: 1_000,
    unit: 'concurrent executions per region',
    description: 'Lambda account concurrency (default; adjustable).',
    source: 'ANCHORS.md; Lambda scaling-behavior',
    status: 'sourced',
  },
  /** Not checked: the plan provisions concurrency ahead of the event, so nothing has to scale at this rate. */
  lambdaScalingPer10Seconds: {
    value: 1_000,
    unit: 'new environments per 10 s per function',
    description: 'How fast one function scales out on demand.',
    source: 'ANCHORS.md; Lambda scaling-behavior',
    status: 'sourced',
  },
  apiGatewayAccountRate: {
    value: 10_000,
    unit: 'requests/s per account and region',
    description: 'API Gateway account throttle (not adjustable).',
    source: 'ANCHORS.md; API Gateway limits',
    status: 'sourced',
  },
  apiGatewayAccountBurst: {
    value: 5_000,
    unit: 'requests',
    description: 'API Gateway account burst.',
    source: 'ANCHORS.md; API Gateway limits',
    status: 'sourced',
  },
  dynamoDbPartitionWriteUnits: {
    value: 1_000,
    unit: 'WCU/s per partition',
    description: 'Write units one DynamoDB partition serves.',
    source: 'ANCHORS.md; DynamoDB warm-throughput scenarios',
    status: 'sourced',
  },
  dynamoDbPartitionReadUnits: {
    value: 3_000,
    unit: 'RCU/s per partition',
    description: 'Read units one DynamoDB partition serves.',
    source: 'ANCHORS.md; DynamoDB warm-throughput scenarios',
    status: 'sourced',
  },
  dynamoDbOnDemandInitialWriteUnits: {
    value: 4_000,
    unit: 'WCU/s per table',
    description: 'What a new on-demand table serves at once, without warm throughput.',
    source: 'ANCHORS.md; DynamoDB pre-warming',
    status: 'sourced',
  },
  dynamoDbOnDemandInitialReadUnits: {
    value: 12_000,
    unit: 'RCU/s per table',
    description: 'What a new on-demand table serves at once, without warm throughput.',
    source: 'ANCHORS.md; DynamoDB pre-warming',
    status: 'sourced',
  },
  /** Not in ANCHORS.md: the default on-demand table maximum throughput, as remembered from the quotas page. */
  dynamoDbTableMaxUnitsPerSecond: {
    value: 40_000,
    unit: 'RCU/s or WCU/s per table',
    description: 'Default table-level throughput quota of an on-demand table (adjustable).',
    source: 'DynamoDB service quotas, table-level read/write throughput (not checked against the page)',
    status: 'unverified',
  },
  eventuallyConsistentReadUnitsPer4Kb: {
    value: 0.5,
    unit: 'RCU per 4 KB read',
    description: 'An eventually consistent read costs half a read unit per 4 KB (rounded up per request).',
    source: 'DynamoDB DeveloperGuide, read/write capacity units',
    status: 'sourced',
  },
  maxShards: {
    value: MAX_SHARDS,
    unit: 'write shards per room',
    description: 'Most partitions one room writes to; reads merge all of them.',
    source: 'lambdas/domain/shards.ts MAX_SHARDS (a product limit)',
    status: 'sourced',
  },
} as const satisfies Record<string, Coefficient>;

export type LimitName = keyof typeof LIMITS;

/** Bytes per read unit block (the "4 KB" of `eventuallyConsistentReadUnitsPer4Kb`). */
export const READ_UNIT_BYTES = 4_096;

export interface CoefficientRow extends Coefficient {
  readonly name: string;
  readonly kind: 'assumption' | 'limit';
  readonly calibration?: string;
}

/** Both tables as rows, assumptions first, for documentation and the cost model. */
export function coefficientRows(values: AssumptionValues = DEFAULT_ASSUMPTIONS): CoefficientRow[] {
  const assumptionRows = ASSUMPTION_NAMES.map((name): CoefficientRow => {
    const {
      value: _default,
      min: _min,
      max: _max,
      integer: _integer,
      ...entry
    }: Assumption = ASSUMPTIONS[name];
    return { name, kind: 'assumption', value: values[name], ...entry };
  });
  const limitRows = (Object.keys(LIMITS) as LimitName[]).map((name): CoefficientRow => ({
    name,
    kind: 'limit',
    ...LIMITS[name],
  }));
  return [...assumptionRows, ...limitRows];
}
