import { describe, expect, it } from 'vitest';
import { EdgeCache, type EdgeResponse } from '../../../local/edge-cache.js';
import { manualClock } from '../fakes.js';

/**
 * The edge's per-minute request counts: what `/local/stats` reports as a
 * room's poll requests (the local stand-in for CloudFront's `Requests`).
 */
const T0 = Date.UTC(2030, 0, 1, 0, 0, 0);
const MINUTE = 60_000;
const cached = async (): Promise<EdgeResponse> => ({
  status: 200,
  headers: { 'Cache-Control': 'public, max-age=3' },
  body: '{}',
});

function setup(maxEntries?: number) {
  const clock = manualClock(T0);
  return { clock, edge: new EdgeCache(clock, maxEntries) };
}

describe('EdgeCache.requestsPerMinute', () => {
  it('counts every request by minute, hits and misses alike, for the paths under a prefix', async () => {
    const { clock, edge } = setup();
    await edge.fetch('/v1/rooms/a/live', cached);
    await edge.fetch('/v1/rooms/a/live', cached);
    await edge.fetch('/v1/rooms/a/segments/7', cached);
    await edge.fetch('/v1/rooms/ab/live', cached);
    clock.advance(2 * MINUTE + 5_000);
    await edge.fetch('/v1/rooms/a/live', cached);

    expect(edge.requestsPerMinute('/v1/rooms/a/')).toEqual([
      { minuteMs: T0, count: 3 },
      { minuteMs: T0 + 2 * MINUTE, count: 1 },
    ]);
    expect(edge.requestsPerMinute('/v1/rooms/ab/')).toEqual([{ minuteMs: T0, count: 1 }]);
    expect(edge.requestsPerMinute('/v1/rooms/zz/')).toEqual([]);
  });

  it('keeps a day of minutes, then forgets the oldest', async () => {
    const { clock, edge } = setup();
    await edge.fetch('/v1/rooms/a/live', cached);
    clock.advance(24 * 60 * MINUTE - MINUTE);
    await edge.fetch('/v1/rooms/a/live', cached);
    const beforeADay = edge.requestsPerMinute('/v1/rooms/a/').length;

    clock.advance(MINUTE);
    await edge.fetch('/v1/rooms/a/live', cached);

    expect(beforeADay).toBe(2);
    expect(edge.requestsPerMinute('/v1/rooms/a/').map((m) => m.minuteMs)).toEqual([
      T0 + (24 * 60 - 1) * MINUTE,
      T0 + 24 * 60 * MINUTE,
    ]);
  });

  it('stops counting new paths in a minute past the entry limit, and keeps counting known ones', async () => {
    const { edge } = setup(2);
    await edge.fetch('/v1/rooms/a/live', cached);
    await edge.fetch('/v1/rooms/b/live', cached);
    await edge.fetch('/v1/rooms/c/live', cached);
    await edge.fetch('/v1/rooms/a/segments/1', cached);

    expect(edge.requestsPerMinute('/v1/rooms/c/')).toEqual([]);
    expect(edge.requestsPerMinute('/v1/rooms/')).toEqual([{ minuteMs: T0, count: 2 }]);
    await edge.fetch('/v1/rooms/a/live', cached);
    expect(edge.requestsPerMinute('/v1/rooms/a/')).toEqual([{ minuteMs: T0, count: 2 }]);
  });
});
