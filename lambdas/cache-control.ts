import type { SegmentState } from './domain/feed/segments.js';

/**
 * Cache lifetimes are the origin's decision; the CDN's cache policy follows
 * these headers (ADR 0004).
 *
 * - `live` and open segments: exactly the room's poll interval, so the origin
 *   sees about one request per interval per edge location however many poll.
 * - `live/{tick}` (ADR 0019): browsers the poll interval; the CDN until the
 *   tick expires (two ticks after its start, rounded up to a second), so each
 *   edge location asks the origin for each tick at most once, late pollers
 *   included. A copy kept a moment past expiry is harmless: any document of
 *   tick t joins any of tick t + 1.
 * - Closed segments change only by deletion: a day at the CDN (deletions reach
 *   it through invalidation and the tombstones in `live`), five minutes in browsers.
 */
export const CLOSED_SEGMENT_CDN_SECONDS = 86_400;
export const CLOSED_SEGMENT_BROWSER_SECONDS = 300;

export function pollCacheControl(pollIntervalSeconds: number): string {
  return `public, max-age=${pollIntervalSeconds}, s-maxage=${pollIntervalSeconds}`;
}

export function tickCacheControl(
  pollIntervalSeconds: number,
  generatedAtMs: number,
  expiresAtMs: number,
): string {
  const cdnSeconds = Math.max(1, Math.ceil((expiresAtMs - generatedAtMs) / 1000));
  return `public, max-age=${pollIntervalSeconds}, s-maxage=${cdnSeconds}`;
}

export function segmentCacheControl(
  state: Exclude<SegmentState, 'future'>,
  pollIntervalSeconds: number,
): string {
  return state === 'closed'
    ? `public, max-age=${CLOSED_SEGMENT_BROWSER_SECONDS}, s-maxage=${CLOSED_SEGMENT_CDN_SECONDS}`
    : pollCacheControl(pollIntervalSeconds);
}
