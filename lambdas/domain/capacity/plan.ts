/**
 * The capacity plan: from each room's expected viewers and schedule to the
 * capacity in force over time (steps), its peak, and the quotas it would
 * reach. Pure and deterministic: the scaler applies a step's target, the
 * admin API and the cost model show the figures. ADR 0013 explains the formula.
 */
import { UnprocessableError } from '../errors.js';
import { MAX_SHARDS } from '../feed/shards.js';
import { LIMITS, type AssumptionValues } from './assumptions.js';
import { liveDocumentWarning } from './live-document.js';
import { INVALID_CAPACITY_INPUT, validatePlanInput, type PlanOptions } from './plan-input.js';
import { roomCapacity, roomLoad, type RoomCapacity, type RoomLoad } from './room-load.js';
import { round3 } from './rounding.js';
import { buildStep, type CapacityStep } from './step.js';
import { sweep } from './sweep.js';
import {
  BASELINE_TARGET,
  CAPACITY_TABLES,
  SCALED_FUNCTIONS,
  THROTTLED_ROUTES,
  type CapacityTarget,
  type PlannedRoom,
  type Throttle,
  type ThrottledRoute,
} from './target.js';
import { formatNumber, quotaLevel, worstOfEach, type QuotaWarning } from './warnings.js';

export type { PlanOptions } from './plan-input.js';
export type { RoomCapacity } from './room-load.js';
export type { CapacityStep, StepLoad } from './step.js';
export type { QuotaWarning, QuotaWarningCode } from './warnings.js';

export interface CapacityPlan {
  /** The values used: the defaults with the overrides applied. */
  readonly assumptions: AssumptionValues;
  /** Rooms with viewers, by room id (a room expecting none contributes nothing). */
  readonly rooms: readonly RoomCapacity[];
  /** Ordered, non-overlapping `[fromMs, toMs)` stretches where at least one room is in its window. */
  readonly steps: readonly CapacityStep[];
  /** Element-wise maximum over the steps; BASELINE_TARGET when there are none. */
  readonly peak: CapacityTarget;
  /** The worst moment of each quota reached (deployment-wide, per room, per table), in time order. */
  readonly warnings: readonly QuotaWarning[];
}

export function planCapacity(rooms: readonly PlannedRoom[], options: PlanOptions): CapacityPlan {
  const input = validatePlanInput(rooms, options);
  const a = input.assumptions;
  const loads = input.rooms
    .filter((room) => room.expectedViewers > 0)
    .sort((x, y) => (x.roomId < y.roomId ? -1 : x.roomId > y.roomId ? 1 : 0))
    .map((room) => roomLoad(room, input.options, a));

  const built = sweep(
    loads.map((load) => ({ fromMs: load.windowFromMs, toMs: load.windowToMs, item: load })),
  ).map((stretch) => buildStep(stretch.fromMs, stretch.toMs, stretch.items, a));
  const steps = built.map((b) => b.step);

  const recommended = new Map<string, number>();
  for (const { recommendedPoll } of built) {
    for (const [roomId, seconds] of recommendedPoll) {
      recommended.set(roomId, Math.max(recommended.get(roomId) ?? 0, seconds));
    }
  }

  // The interval a room polls at once the plan's CloudFront floor applies (its longest over its steps).
  const effectivePoll = (load: RoomLoad) =>
    recommended.get(load.room.roomId) ?? load.room.pollIntervalSeconds;

  return {
    assumptions: a,
    rooms: loads.map((load) => roomCapacity(load, effectivePoll(load), a)),
    steps,
    peak: peakOf(steps.map((s) => s.target)),
    warnings: worstOfEach([
      ...built.flatMap((b) => b.warnings),
      ...loads.flatMap(partitionWarning),
      ...loads.flatMap((load) =>
        liveDocumentWarning(load, effectivePoll(load), input.options.liveCommentLimit, a),
      ),
      ...connectRateWarnings(loads, a),
    ]),
  };
}

/** The target in force at `atMs`: its step's, or the baseline outside every window. */
export function targetAt(plan: CapacityPlan, atMs: number): CapacityTarget {
  if (!Number.isFinite(atMs)) {
    throw new UnprocessableError(INVALID_CAPACITY_INPUT, 'atMs must be a time in milliseconds.');
  }
  // Steps are ordered and disjoint: binary search for the last one starting at or before atMs.
  let low = 0;
  let high = plan.steps.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const step = plan.steps[mid] as CapacityStep;
    if (atMs < step.fromMs) high = mid - 1;
    else if (atMs >= step.toMs) low = mid + 1;
    else return step.target;
  }
  return BASELINE_TARGET;
}

/** What must be true at some point: the maximum of each figure over the targets. */
export function peakOf(targets: readonly CapacityTarget[]): CapacityTarget {
  if (targets.length === 0) return BASELINE_TARGET;
  const max = (of: (t: CapacityTarget) => number) => Math.max(...targets.map(of));
  const maxThrottle = (of: (t: CapacityTarget) => Throttle | undefined): Throttle | undefined => {
    const throttles = targets.map(of).filter((t): t is Throttle => t !== undefined);
    return throttles.length === 0
      ? undefined
      : {
          rateLimit: Math.max(...throttles.map((t) => t.rateLimit)),
          burstLimit: Math.max(...throttles.map((t) => t.burstLimit)),
        };
  };
  const routeThrottling: Partial<Record<ThrottledRoute, Throttle>> = {};
  for (const route of THROTTLED_ROUTES) {
    const throttle = maxThrottle((t) => t.routeThrottling[route]);
    if (throttle) routeThrottling[route] = throttle;
  }
  const roomShards: Record<string, number> = {};
  for (const target of targets) {
    for (const [roomId, shards] of Object.entries(target.roomShards)) {
      roomShards[roomId] = Math.max(roomShards[roomId] ?? 0, shards);
    }
  }
  return {
    provisionedConcurrency: Object.fromEntries(
      SCALED_FUNCTIONS.map((fn) => [fn, max((t) => t.provisionedConcurrency[fn])]),
    ) as CapacityTarget['provisionedConcurrency'],
    warmThroughput: Object.fromEntries(
      CAPACITY_TABLES.map((table) => [
        table,
        {
          readUnitsPerSecond: max((t) => t.warmThroughput[table].readUnitsPerSecond),
          writeUnitsPerSecond: max((t) => t.warmThroughput[table].writeUnitsPerSecond),
        },
      ]),
    ) as CapacityTarget['warmThroughput'],
    stageThrottling: maxThrottle((t) => t.stageThrottling) as Throttle,
    routeThrottling,
    roomShards,
  };
}

/** A room whose peak writes need more than MAX_SHARDS partitions: the shards are capped, the writes are not. */
function partitionWarning(load: RoomLoad): QuotaWarning[] {
  if (load.shardsNeeded <= MAX_SHARDS) return [];
  const perShard = load.commentsWriteUnitsPerSecond / MAX_SHARDS;
  return [
    {
      level: 'warning',
      code: 'dynamodb_partition',
      roomId: load.room.roomId,
      limit: MAX_SHARDS,
      planned: load.shardsNeeded,
      message:
        `Room "${load.room.roomId}" would need ${load.shardsNeeded} write shards for ` +
        `${formatNumber(load.commentsWriteUnitsPerSecond)} write units/s at its peak, but a room has at most ` +
        `${MAX_SHARDS}: each would take ${formatNumber(perShard)} units/s against a partition's ` +
        `${formatNumber(LIMITS.dynamoDbPartitionWriteUnits.value)}, and posts would be throttled. ` +
        `Turn on slow mode or lower the expected comment rate.`,
      fromMs: load.windowFromMs,
      toMs: load.windowToMs,
    },
  ];
}

/**
 * Viewers who arrive for a start open their realtime connections within the
 * start window; rooms starting together add up. One warning per stretch of
 * overlapping start windows that comes close to AppSync's connect rate.
 */
function connectRateWarnings(loads: readonly RoomLoad[], a: AssumptionValues): QuotaWarning[] {
  const limit = LIMITS.appSyncNewConnectionsPerSecond.value;
  const windowMs = a.realtimeConnectWindowSeconds * 1000;
  const surges = sweep(
    loads.map((load) => ({
      fromMs: load.room.startsAtMs,
      toMs: load.room.startsAtMs + windowMs,
      item: load,
    })),
  );
  return surges.flatMap((surge): QuotaWarning[] => {
    const planned = surge.items.reduce((total, load) => total + load.realtimeConnectsPerSecond, 0);
    const level = quotaLevel(planned, limit, a.quotaSafetyFactor);
    if (!level) return [];
    const only = surge.items.length === 1 ? surge.items[0] : undefined;
    const who = only
      ? `room "${only.room.roomId}"`
      : `rooms ${surge.items.map((l) => `"${l.room.roomId}"`).join(', ')} together`;
    return [
      {
        level,
        code: 'appsync_connect_rate',
        ...(only ? { roomId: only.room.roomId } : {}),
        limit,
        planned: round3(planned),
        message:
          `About ${formatNumber(planned)} realtime connections/s in the first ` +
          `${a.realtimeConnectWindowSeconds} s of ${who} (${a.realtimeConnectFraction * 100}% of the viewers) ` +
          `against AppSync's 200 new connections/s: ask AWS to raise the quota (it is adjustable), and have ` +
          `players connect with random jitter to spread the surge; polling carries the chat meanwhile.`,
        fromMs: surge.fromMs,
        toMs: surge.toMs,
      },
    ];
  });
}
