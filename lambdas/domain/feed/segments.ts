/**
 * Fixed-length time slices of a room's feed. Segment `n` holds every comment
 * whose id time lies in [n × length, (n + 1) × length), counted from the Unix
 * epoch, so every viewer computes the same segment numbers and URLs.
 */

/**
 * The longest a comment write can take after its id (and so its segment) was
 * chosen: the post function's timeout. The CDK stack sets that timeout from
 * this constant, so the two cannot drift.
 */
export const MAX_POST_DURATION_MS = 6_000;

/** Allowance for clock differences between the functions that write and read. */
export const CLOCK_SKEW_MS = 2_000;

/**
 * A segment is closed — no acknowledged comment can still land in it — once a
 * whole post duration plus clock skew has passed since its end.
 */
export const SEGMENT_CLOSE_GRACE_MS = MAX_POST_DURATION_MS + CLOCK_SKEW_MS;

export type SegmentState = 'future' | 'open' | 'closed';

/** A segment or tick number in a path: digits only, at most 15 (safe as a JavaScript number). */
export const PATH_NUMBER = /^\d{1,15}$/;

export interface SegmentBounds {
  readonly startMs: number;
  /** Exclusive. */
  readonly endMs: number;
}

export function segmentOf(timeMs: number, segmentSeconds: number): number {
  return Math.floor(timeMs / (segmentSeconds * 1000));
}

export function segmentBounds(n: number, segmentSeconds: number): SegmentBounds {
  const length = segmentSeconds * 1000;
  return { startMs: n * length, endMs: (n + 1) * length };
}

export function segmentState(n: number, nowMs: number, segmentSeconds: number): SegmentState {
  const { startMs, endMs } = segmentBounds(n, segmentSeconds);
  if (startMs > nowMs) return 'future';
  return nowMs >= endMs + SEGMENT_CLOSE_GRACE_MS ? 'closed' : 'open';
}
