/**
 * Capped exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and
 * Jitter"): retry `attempt` (0 for the first) waits a random time in
 * `[0, min(maxMs, baseMs · 2^attempt))`, so clients that failed together come back spread out
 * instead of in waves. The poll loop, posting and the realtime client share it.
 */
export interface BackoffOptions {
  /** The first retry's ceiling, in ms. */
  readonly baseMs: number;
  /** No retry's ceiling exceeds this (a Retry-After may: the server's word wins), in ms. */
  readonly maxMs: number;
  /** Uniform in [0, 1). Default `Math.random`. */
  readonly random?: () => number;
}

export interface Backoff {
  /**
   * How long to wait before retry `attempt` (0 for the first; the caller counts and resets).
   * With `retryAfterMs` (the server's Retry-After): never sooner than that, plus the attempt's
   * jitter, so everyone told the same time does not return at the same instant.
   */
  delayMs(attempt: number, retryAfterMs?: number): number;
}

export function createBackoff({ baseMs, maxMs, random = Math.random }: BackoffOptions): Backoff {
  if (!(baseMs > 0 && maxMs >= baseMs)) {
    throw new RangeError(`Backoff needs 0 < baseMs <= maxMs; got baseMs ${baseMs}, maxMs ${maxMs}.`);
  }
  return {
    delayMs(attempt, retryAfterMs = 0) {
      // `> 0` also turns NaN into 0; 2 ** a large attempt is Infinity, which the cap absorbs.
      const ceiling = Math.min(maxMs, baseMs * 2 ** (attempt > 0 ? attempt : 0));
      return (retryAfterMs > 0 ? retryAfterMs : 0) + random() * ceiling;
    },
  };
}
