/**
 * An open-loop poll schedule: N viewers each poll once per interval, their
 * phases spread evenly over the interval, so the aggregate is a steady
 * N ÷ interval requests per second — what a large audience looks like to one
 * edge, with no synchronised bursts. Request j is viewer j mod N's
 * ⌊j ÷ N⌋-th poll, due at j × interval ÷ N.
 */
export interface PollPlan {
  readonly viewers: number;
  readonly intervalMs: number;
  /** Polls each viewer makes. */
  readonly rounds: number;
  readonly requests: number;
  /** Time between two consecutive requests of the aggregate. */
  readonly spacingMs: number;
  /** When the last request is due. */
  readonly lastDueMs: number;
}

/** Bounds one run: 10,000 viewers polling every second for a minute. */
export const MAX_PLANNED_REQUESTS = 600_000;

export function pollPlan(options: {
  readonly viewers: number;
  readonly intervalMs: number;
  readonly durationMs: number;
}): PollPlan {
  const { viewers, intervalMs, durationMs } = options;
  if (!Number.isInteger(viewers) || viewers < 1) {
    throw new RangeError(`viewers must be a whole number ≥ 1, got ${viewers}.`);
  }
  if (!Number.isFinite(intervalMs) || intervalMs <= 0) {
    throw new RangeError(`intervalMs must be positive, got ${intervalMs}.`);
  }
  if (!Number.isFinite(durationMs) || durationMs < intervalMs) {
    throw new RangeError(`durationMs must be at least one interval (${intervalMs} ms), got ${durationMs}.`);
  }
  const rounds = Math.floor(durationMs / intervalMs);
  const requests = viewers * rounds;
  if (requests > MAX_PLANNED_REQUESTS) {
    throw new RangeError(
      `${requests} planned requests is more than ${MAX_PLANNED_REQUESTS}; shorten the run.`,
    );
  }
  const spacingMs = intervalMs / viewers;
  return { viewers, intervalMs, rounds, requests, spacingMs, lastDueMs: (requests - 1) * spacingMs };
}

/** When request j is due, from the start of the run. */
export const dueAtMs = (plan: PollPlan, j: number): number => j * plan.spacingMs;

/** Which viewer makes request j. */
export const viewerOf = (plan: PollPlan, j: number): number => j % plan.viewers;
