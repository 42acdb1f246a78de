import { estimateCost, type CostEstimate } from '../cost/estimate.js';
import { REGIONS, type Region } from '../cost/prices.js';
import type { Room } from '../rooms/room.js';
import { planCapacity, type CapacityPlan, type PlanOptions, type RoomCapacity } from './plan.js';
import { planLeavingOut, plannedRooms } from './scaler.js';
import { capacityGaps, scheduleName } from './schedules.js';

/**
 * One room's capacity as the admin console shows it (README: Admin API):
 * what the scaler will apply for its event, when, and what the event costs
 * on this design and on the alternatives — the same plan and cost model the
 * scaler and `npm run cost` use.
 */
export interface RoomCapacityView {
  readonly roomId: string;
  /** Whether the room has an event to plan for; if not, what it lacks. */
  readonly planned: boolean;
  readonly missing: readonly string[];
  readonly region: Region;
  /** Set when the deployment's region has no prices in the table (the estimate uses `region`). */
  readonly regionNote?: string;
  readonly room?: RoomCapacity;
  /** The capacity the room's event alone needs at its peak, and the plan's warnings for it. */
  readonly peak?: CapacityPlan['peak'];
  readonly warnings?: CapacityPlan['warnings'];
  readonly schedules?: {
    readonly scaleUp: { readonly name: string; readonly at: string };
    readonly scaleDown: { readonly name: string; readonly at: string };
  };
  readonly cost?: CostEstimate;
}

export interface RoomCapacityOptions {
  readonly leadTimeMs: number;
  readonly tailMs: number;
  /** The read functions' LIVE_COMMENT_LIMIT (default 500). */
  readonly liveCommentLimit?: number;
  /** The deployment's region (AWS_REGION). */
  readonly region?: string;
}

export function roomCapacityView(room: Room, options: RoomCapacityOptions): RoomCapacityView {
  const known = REGIONS.find((r) => r === options.region);
  const region: Region = known ?? 'us-east-1';
  const regionNote = known
    ? undefined
    : `No prices for ${options.region ?? 'this region'} in lambdas/domain/cost/prices.ts; estimated with us-east-1.`;
  const base = { roomId: room.roomId, region, ...(regionNote ? { regionNote } : {}) };
  const [planned] = plannedRooms([room]);
  if (!planned) return { ...base, planned: false, missing: capacityGaps(room) };

  const plan = planCapacity([planned], planOptions(options));
  const capacity = plan.rooms[0]!;
  const hours = (planned.endsAtMs - planned.startsAtMs) / 3_600_000;
  const cost = estimateCost({
    viewers: planned.expectedViewers,
    hours,
    // The plan's mean rate: the cost is billed on the mean, capacity is sized for the burst.
    commentsPerSecond: (planned.expectedViewers * plan.assumptions.commentsPerViewerPerMinute) / 60,
    pollSeconds: planned.pollIntervalSeconds,
    region,
    writeShards: capacity.writeShards,
    assumptions: plan.assumptions,
    capacity: {
      provisionedConcurrency: plan.peak.provisionedConcurrency,
      warmThroughput: plan.peak.warmThroughput,
      hours: (capacity.windowToMs - capacity.windowFromMs) / 3_600_000,
    },
  });
  return {
    ...base,
    planned: true,
    missing: [],
    room: capacity,
    peak: plan.peak,
    warnings: plan.warnings,
    schedules: {
      scaleUp: {
        name: scheduleName('scale-up', room.roomId),
        at: new Date(capacity.windowFromMs).toISOString(),
      },
      scaleDown: {
        name: scheduleName('scale-down', room.roomId),
        at: new Date(capacity.windowToMs).toISOString(),
      },
    },
    cost,
  };
}

/**
 * The plan for every event not yet over (window end after `nowMs`), as the
 * console's capacity page shows it; a room the planner refuses on its own is
 * left out and named (`planLeavingOut`).
 */
export function upcomingPlan(
  rooms: readonly Room[],
  options: RoomCapacityOptions,
  nowMs: number,
): { readonly plan: CapacityPlan; readonly leftOut: readonly { roomId: string; reason: string }[] } {
  const windows = planOptions(options);
  const upcoming = plannedRooms(rooms).filter((room) => room.endsAtMs + options.tailMs > nowMs);
  const { result, leftOut } = planLeavingOut(upcoming, (some) => planCapacity(some, windows));
  return { plan: result, leftOut };
}

/** The plan's options from the view's: the windows, and the live limit when the deployment gives one. */
const planOptions = (options: RoomCapacityOptions): PlanOptions => ({
  leadTimeMs: options.leadTimeMs,
  tailMs: options.tailMs,
  ...(options.liveCommentLimit === undefined ? {} : { liveCommentLimit: options.liveCommentLimit }),
});
