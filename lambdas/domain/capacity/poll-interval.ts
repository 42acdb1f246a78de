/** The poll interval that keeps one CloudFront distribution under its request quota. */
import { LIMITS, type AssumptionValues } from './assumptions.js';
import type { RoomLoad } from './room-load.js';
import { atMost } from './rounding.js';

/** The longest poll interval a room may have (RoomSettings.pollIntervalSeconds, room.ts). */
export const MAX_POLL_INTERVAL_SECONDS = 60;

export interface PollRecommendation {
  /** The request rate the distribution is planned to stay under: quota × safety factor. */
  readonly budget: number;
  /** The common floor every room's interval is raised to (1 when nothing needs raising). */
  readonly floorSeconds: number;
  /** False when even 60 s polls exceed the budget (the floor is then 60). */
  readonly fits: boolean;
  /** Per room: max(its interval, the floor). */
  readonly intervals: ReadonlyMap<string, number>;
}

/**
 * The smallest whole number of seconds k such that, with every room polling
 * at max(its interval, k), polls plus posts (posts pass through CloudFront
 * too) stay within the budget. A common floor slows the rooms that poll
 * fastest first and leaves rooms already slower than k alone.
 */
export function recommendPollIntervals(
  loads: readonly RoomLoad[],
  postsPerSecond: number,
  a: AssumptionValues,
): PollRecommendation {
  const budget = LIMITS.cloudFrontRequestsPerSecond.value * a.quotaSafetyFactor;
  const rateWith = (floor: number) =>
    loads.reduce(
      (total, l) => total + l.room.expectedViewers / Math.max(l.room.pollIntervalSeconds, floor),
      postsPerSecond,
    );
  let floorSeconds = 1;
  while (floorSeconds < MAX_POLL_INTERVAL_SECONDS && !atMost(rateWith(floorSeconds), budget)) floorSeconds++;
  return {
    budget,
    floorSeconds,
    fits: atMost(rateWith(floorSeconds), budget),
    intervals: new Map(loads.map((l) => [l.room.roomId, Math.max(l.room.pollIntervalSeconds, floorSeconds)])),
  };
}
