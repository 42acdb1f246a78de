import type { SegmentState } from './domain/feed/segments.js';

/**
 * Cache lifetimes are the origin's decision; the CDN's cache policy follows
 * these headers (ADR 0004).
 *
 * - `live` and open segments: exactly the room's poll interval, so the origin
 *   sees about one request per interval per edge location however many poll.
 * - Closed segments change only by deletion: a day at the CDN (deletions reach
 *   it through invalidation and the tombstones in `live`), five minutes in browsers.
 */
export const CLOSED_SEGMENT_CDN_SECONDS = 86_400;
export const CLOSED_SEGMENT_BROWSER_SECONDS = 300;

export function pollCacheControl(pollIntervalSeconds: number): string {
  return `public, max-age=${pollIntervalSeconds}, s-maxage=${pollIntervalSeconds}`;
}

export function segmentCacheControl(
  state: Exclude<SegmentState, 'future'>,
  pollIntervalSeconds: number,
): string {
  return state === 'closed'
    ? `public, max-age=${CLOSED_SEGMENT_BROWSER_SECONDS}, s-maxage=${CLOSED_SEGMENT_CDN_SECONDS}`
    : pollCacheControl(pollIntervalSeconds);
}
