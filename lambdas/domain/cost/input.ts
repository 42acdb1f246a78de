/**
 * What the cost model accepts. A cost built on a typo (hours for seconds, a
 * million viewers too many) misleads whoever budgets from it, so absurd
 * values are refused with the field named, never clamped.
 */
import * as z from 'zod';
import { AssumptionOverrides, DEFAULT_ASSUMPTIONS, type AssumptionValues } from '../capacity/assumptions.js';
import { MAX_EVENT_MS, MAX_PLANNED_VIEWERS } from '../capacity/plan-input.js';
import {
  CAPACITY_TABLES,
  SCALED_FUNCTIONS,
  type CapacityTable,
  type ScaledFunction,
} from '../capacity/target.js';
import { UnprocessableError } from '../errors.js';
import { MAX_SHARDS } from '../feed/shards.js';
import { BYTES_PER_KB, PUSHED_MESSAGE_BYTES } from './coefficients.js';
import { itemsPerSecond, liveResponseBytes, responseModel } from './live-response.js';
import { REGIONS } from './prices.js';

export const INVALID_COST_INPUT = 'invalid_cost_input';

/** The longest event the plan accepts (31 days), in hours. */
export const MAX_EVENT_HOURS = MAX_EVENT_MS / 3_600_000;

/**
 * Above any live stream's comment rate (LINE LIVE's record broadcast: ~170/s,
 * ANCHORS "Real-world scale"); a larger number is a unit mistake.
 */
export const MAX_COMMENTS_PER_SECOND = 100_000;

/** `live` is a few hundred comments; a megabyte response is a unit mistake (bytes for KB). */
export const MAX_RESPONSE_KB = 1_024;

/** Pushed events are the rare ones (ARCHITECTURE §1): above one a second they are comments. */
export const MAX_ARTIST_MESSAGES_PER_MINUTE = 60;

/** What the worked example in ANCHORS assumed for a `live` response: 4 KB (the measured size replaces it). */
export const ANCHORS_RESPONSE_KB = 4;

/** A default the worked example in ANCHORS uses (one artist message a minute). */
export const DEFAULT_ARTIST_MESSAGES_PER_MINUTE = 1;

/** Far above any account's Lambda concurrency; more is a typo. */
const MAX_PROVISIONED_CONCURRENCY = 100_000;

/** Far above DynamoDB's adjustable table quotas; more is a typo. */
const MAX_WARM_UNITS_PER_SECOND = 10_000_000;

const number = (range: string) => z.number({ error: `must be a number ${range}` });
const between = (min: number, max: number, unit: string) => {
  const range = `from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')} ${unit}`;
  return number(range).min(min, `must be ${range}`).max(max, `must be ${range}`);
};
const wholeBetween = (min: number, max: number, unit: string) =>
  between(min, max, unit).int(`must be a whole number ${unit}`);
const positiveUpTo = (max: number, unit: string) => {
  const range = `above 0 and at most ${max.toLocaleString('en-US')} ${unit}`;
  return number(range).positive(`must be ${range}`).max(max, `must be ${range}`);
};

const Throughput = z.strictObject({
  readUnitsPerSecond: between(0, MAX_WARM_UNITS_PER_SECOND, 'units/s'),
  writeUnitsPerSecond: between(0, MAX_WARM_UNITS_PER_SECOND, 'units/s'),
});

const ProvisionedConcurrency = z.strictObject(
  Object.fromEntries(
    SCALED_FUNCTIONS.map((fn) => [fn, wholeBetween(0, MAX_PROVISIONED_CONCURRENCY, 'instances')]),
  ) as Record<ScaledFunction, z.ZodNumber>,
);

const WarmThroughput = z.strictObject(
  Object.fromEntries(CAPACITY_TABLES.map((table) => [table, Throughput])) as Record<
    CapacityTable,
    typeof Throughput
  >,
);

/** Capacity the scaler applies for the event (the capacity plan's peak target). */
const Capacity = z.strictObject({
  provisionedConcurrency: ProvisionedConcurrency,
  /** Units/s each table must serve at once; 0 = no requirement. */
  warmThroughput: WarmThroughput.optional(),
  /** Hours the provisioned concurrency is in force (the event plus the scaler's lead and tail); default `hours`. */
  hours: positiveUpTo(MAX_EVENT_HOURS + 14 * 24, 'hours').optional(),
});

export const CostInput = z.strictObject({
  /** Peak concurrent viewers, all polling for the whole event. */
  viewers: wholeBetween(0, MAX_PLANNED_VIEWERS, 'viewers'),
  hours: positiveUpTo(MAX_EVENT_HOURS, 'hours'),
  /** Mean accepted comments per second over the event. */
  commentsPerSecond: between(0, MAX_COMMENTS_PER_SECOND, 'comments/s'),
  /** The room's poll interval, the `live` CDN lifetime (RoomSettings bounds: 1–60). */
  pollSeconds: wholeBetween(1, 60, 'seconds'),
  region: z.enum(REGIONS, { error: `must be one of ${REGIONS.join(', ')}` }),
  /**
   * Size of one `live` response as sent (compressed). Unset: from the measured bytes per
   * document and per item and the room's rate (live-response.ts).
   */
  responseKb: positiveUpTo(MAX_RESPONSE_KB, 'KB').optional(),
  artistMessagesPerMinute: between(0, MAX_ARTIST_MESSAGES_PER_MINUTE, 'per minute').default(
    DEFAULT_ARTIST_MESSAGES_PER_MINUTE,
  ),
  /** The room's write shards: each origin poll queries every shard plus the global feed. */
  writeShards: wholeBetween(1, MAX_SHARDS, 'shards').default(1),
  /** Size of one message pushed to one subscriber. */
  pushedMessageBytes: wholeBetween(1, 240 * 1_024, 'bytes').default(PUSHED_MESSAGE_BYTES),
  /** Overrides of the capacity plan's assumptions (handler durations, units per post/poll, edge locations). */
  assumptions: AssumptionOverrides.optional(),
  capacity: Capacity.optional(),
});

export type CostInputFields = z.input<typeof CostInput>;

export type ValidCostInput = Omit<z.output<typeof CostInput>, 'assumptions' | 'responseKb'> & {
  readonly assumptions: AssumptionValues;
  /** As given, or from the measured sizes at the event's rate. */
  readonly responseKb: number;
  /** Where `responseKb` came from: the input, or the measured sizes (live-response.ts). */
  readonly responseSize: 'given' | 'measured';
};

/** Checks the input, fills defaults and merges assumption overrides into the plan's defaults. */
export function validateCostInput(input: CostInputFields): ValidCostInput {
  const parsed = CostInput.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const field = issue.path.join('.');
      return `${field || 'input'}: ${issue.message}`;
    });
    throw new UnprocessableError(INVALID_COST_INPUT, `Invalid cost input: ${problems.join('; ')}.`);
  }
  const overrides = Object.fromEntries(
    Object.entries(parsed.data.assumptions ?? {}).filter(([, value]) => value !== undefined),
  );
  const assumptions: AssumptionValues = { ...DEFAULT_ASSUMPTIONS, ...overrides };
  const { responseKb, ...rest } = parsed.data;
  const model = responseModel({ ...rest, responseKb }, assumptions);
  return {
    ...rest,
    assumptions,
    responseKb: liveResponseBytes(model, itemsPerSecond(rest)) / BYTES_PER_KB,
    responseSize: responseKb === undefined ? 'measured' : 'given',
  };
}
