import { describe, expect, it } from 'vitest';
import { COMMENT_STYLE_IDS } from '../../lambdas/domain/feed/comment-styles.js';
import { segmentBounds, segmentOf } from '../../lambdas/domain/feed/segments.js';
import { liveWindow, SETTLE_MS, tickOf } from '../../lambdas/domain/feed/ticks.js';
import { liveEvent, liveTickEvent, roomEvent, segmentEvent } from '../helpers/events.js';
import { seedComment, testStores } from '../helpers/store.js';
import { testFunctions } from '../helpers/functions.js';

const { getLive, getRoom, getSegment } = testFunctions().handlers;

const stores = testStores();
const body = (result: { body: string }) => JSON.parse(result.body);
const HOUR = 3_600_000;

/** Waits until `ready()` holds, checking every 50 ms (at most 5 s). */
async function until(ready: () => boolean): Promise<void> {
  for (let waited = 0; !ready(); waited += 50) {
    if (waited > 5_000) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('GET /v1/rooms/{roomId}/live', () => {
  it('returns the window’s comments oldest first, merged across every shard', async () => {
    const room = await stores.room({ shards: 4 });
    // Written at once, a moment back: `live` covers the last 4.5 to 7.5 s (ADR 0019).
    const now = Date.now();
    const written = await Promise.all(
      Array.from({ length: 12 }, (_, i) => seedComment(stores, room, now - 100 + i, i % 4)),
    );

    const result = await getLive(liveEvent(room.roomId));

    expect(result.statusCode).toBe(200);
    const live = body(result);
    expect(live.comments.map((c: { id: string }) => c.id)).toEqual(written.map((c) => c.id));
    expect(live.truncated).toBe(false);
    expect(live.segment).toEqual({ current: segmentOf(Date.parse(live.generatedAt), 10), lengthSeconds: 10 });
    expect(live.window.tick).toBe(tickOf(Date.parse(live.generatedAt), 3000));
    expect(live.pollAfterMs).toBe(3000);
    expect(live.room).toEqual({
      roomId: room.roomId,
      channelId: 'default',
      title: room.title,
      status: 'open',
      settings: {
        slowModeSeconds: 0,
        maxCommentLength: 200,
        pollIntervalSeconds: 3,
        segmentSeconds: 10,
        enabled: true,
        postingAllowed: 'everyone',
        commentStyles: [...COMMENT_STYLE_IDS], // players may offer only these
      },
      schedule: {},
    });
  });

  it('leaves out comments older than its window', async () => {
    const room = await stores.room({ createdAt: new Date(Date.now() - HOUR) });
    const old = await seedComment(stores, room, Date.now() - 5 * 60_000);
    const recent = await seedComment(stores, room, Date.now());

    const live = body(await getLive(liveEvent(room.roomId)));

    expect(live.comments.map((c: { id: string }) => c.id)).toEqual([recent.id]);
    expect(live.comments.map((c: { id: string }) => c.id)).not.toContain(old.id);
  });

  it('keeps the newest comments and says it is truncated when the window holds more than the limit', async () => {
    const room = await stores.room({ shards: 3 });
    const now = Date.now();
    const written = await Promise.all(
      Array.from({ length: 60 }, (_, i) => seedComment(stores, room, now - 300 + i * 5, i % 3)),
    );

    const live = body(await getLive(liveEvent(room.roomId)));

    expect(live.truncated).toBe(true);
    expect(live.comments.map((c: { id: string }) => c.id)).toEqual(written.slice(-50).map((c) => c.id));
  });

  it('lets a CDN cache it for exactly the room’s poll interval', async () => {
    const room = await stores.room({ settings: { pollIntervalSeconds: 5 } });

    const result = await getLive(liveEvent(room.roomId));

    expect(result.headers?.['Cache-Control']).toBe('public, max-age=5, s-maxage=5');
    expect(body(result).pollAfterMs).toBe(5000);
  });

  it('answers 404 for an unknown room, cacheable for one second', async () => {
    const result = await getLive(liveEvent('missing-room'));

    expect(result.statusCode).toBe(404);
    expect(body(result)).toEqual({
      code: 'room_not_found',
      message: 'Room missing-room does not exist.',
      retryable: false,
    });
    expect(result.headers?.['Cache-Control']).toBe('public, max-age=1');
  });
});

describe('GET /v1/rooms/{roomId}/live/{tick}', () => {
  const POLL_MS = 3_000;

  it('answers the current tick: its window, its comments, cached at the CDN until the tick expires', async () => {
    // Prepare
    const room = await stores.room({ shards: 2 });
    const tick = tickOf(Date.now(), POLL_MS);
    const comment = await seedComment(stores, room, Date.now(), 1);

    // Act
    const result = await getLive(liveTickEvent(room.roomId, tick));

    // Assess
    expect(result.statusCode).toBe(200);
    const live = body(result);
    const madeAt = Date.parse(live.generatedAt);
    expect(live.window).toEqual({
      tick,
      from: new Date(liveWindow(tick, POLL_MS, madeAt).fromMs).toISOString(),
      settledUntil: new Date(madeAt - SETTLE_MS).toISOString(),
    });
    expect(live.comments.map((c: { id: string }) => c.id)).toEqual([comment.id]);
    const cdnSeconds = Math.ceil(((tick + 2) * POLL_MS - madeAt) / 1000);
    expect(result.headers?.['Cache-Control']).toBe(`public, max-age=3, s-maxage=${cdnSeconds}`);
  });

  it('answers the previous tick', async () => {
    const room = await stores.room();
    const tick = tickOf(Date.now(), POLL_MS) - 1;

    const result = await getLive(liveTickEvent(room.roomId, tick));

    expect(result.statusCode).toBe(200);
    expect(body(result).window.tick).toBe(tick);
  });

  it('refuses the next tick well before it starts with a retryable 404 that is never cached', async () => {
    // A 60 s tick, asked for with more than two seconds of the current one left.
    const room = await stores.room({ settings: { pollIntervalSeconds: 60 } });
    await until(() => 60_000 - (Date.now() % 60_000) > 2_000);
    const next = tickOf(Date.now(), 60_000) + 1;

    const result = await getLive(liveTickEvent(room.roomId, next));

    expect(result.statusCode).toBe(404);
    const error = body(result);
    expect(error).toMatchObject({ code: 'tick_not_started', retryable: true });
    expect(result.headers?.['Retry-After']).toBe(String(error.retryAfterSec));
    expect(error.retryAfterSec).toBeGreaterThanOrEqual(2);
    expect(error.retryAfterSec).toBeLessThanOrEqual(60);
    expect(result.headers?.['Cache-Control']).toBe('no-store');
  });

  it('refuses a tick further ahead as not retryable, never cached', async () => {
    const room = await stores.room();

    const result = await getLive(liveTickEvent(room.roomId, tickOf(Date.now(), POLL_MS) + 5));

    expect(result.statusCode).toBe(404);
    expect(body(result)).toMatchObject({ code: 'tick_not_started', retryable: false });
    expect(result.headers?.['Retry-After']).toBeUndefined();
    expect(result.headers?.['Cache-Control']).toBe('no-store');
  });

  it('refuses an expired tick with 404 tick_expired, cacheable for one second', async () => {
    const room = await stores.room();

    const result = await getLive(liveTickEvent(room.roomId, tickOf(Date.now(), POLL_MS) - 3));

    expect(result.statusCode).toBe(404);
    expect(body(result)).toMatchObject({ code: 'tick_expired', retryable: false });
    expect(result.headers?.['Cache-Control']).toBe('public, max-age=1');
  });

  it.each(['abc', '-1', '1.5', '1e3'])('refuses the tick "%s" with 400 invalid_tick', async (tick) => {
    const room = await stores.room();

    const result = await getLive(liveTickEvent(room.roomId, tick));

    expect(result.statusCode).toBe(400);
    expect(body(result).code).toBe('invalid_tick');
  });

  it('answers 404 room_not_found for an unknown room', async () => {
    const result = await getLive(liveTickEvent('missing-room', tickOf(Date.now(), POLL_MS)));

    expect(result.statusCode).toBe(404);
    expect(body(result).code).toBe('room_not_found');
  });
});

describe('GET /v1/rooms/{roomId}/segments/{n}', () => {
  it('returns every comment of a closed segment in id order across shards, and only those, cached long', async () => {
    const room = await stores.room({ shards: 4, createdAt: new Date(Date.now() - HOUR) });
    const n = segmentOf(Date.now() - 30 * 60_000, 10);
    const { startMs, endMs } = segmentBounds(n, 10);
    const before = await seedComment(stores, room, startMs - 1, 0);
    const inside = [
      await seedComment(stores, room, startMs, 1),
      await seedComment(stores, room, startMs + 4000, 3),
      await seedComment(stores, room, startMs + 4000, 0),
      await seedComment(stores, room, endMs - 1, 2),
    ];
    const after = await seedComment(stores, room, endMs, 1);

    const result = await getSegment(segmentEvent(room.roomId, n));

    expect(result.statusCode).toBe(200);
    const segment = body(result);
    expect(segment).toMatchObject({
      roomId: room.roomId,
      segment: n,
      closed: true,
      startsAt: new Date(startMs).toISOString(),
      endsAt: new Date(endMs).toISOString(),
    });
    const ids = segment.comments.map((c: { id: string }) => c.id);
    expect(ids).toEqual(inside.map((c) => c.id).sort());
    expect(ids).not.toContain(before.id);
    expect(ids).not.toContain(after.id);
    expect(result.headers?.['Cache-Control']).toBe('public, max-age=300, s-maxage=86400');
  });

  it('serves the current segment as open, cached for the poll interval only', async () => {
    const room = await stores.room();
    const comment = await seedComment(stores, room, Date.now());
    const n = segmentOf(Date.parse(comment.createdAt), 10);

    const result = await getSegment(segmentEvent(room.roomId, n));

    expect(result.statusCode).toBe(200);
    expect(body(result).closed).toBe(false);
    expect(body(result).comments.map((c: { id: string }) => c.id)).toEqual([comment.id]);
    expect(result.headers?.['Cache-Control']).toBe('public, max-age=3, s-maxage=3');
  });

  it('refuses a future segment with a retryable 404 that is cached for one second', async () => {
    const room = await stores.room();
    const n = segmentOf(Date.now(), 10) + 3;

    const result = await getSegment(segmentEvent(room.roomId, n));

    expect(result.statusCode).toBe(404);
    expect(body(result)).toMatchObject({ code: 'segment_not_started', retryable: true });
    expect(body(result).retryAfterSec).toBeGreaterThanOrEqual(20);
    expect(result.headers?.['Retry-After']).toBe(String(body(result).retryAfterSec));
    expect(result.headers?.['Cache-Control']).toBe('public, max-age=1');
  });

  it('refuses a segment that ended before the room was created', async () => {
    const room = await stores.room();

    const result = await getSegment(segmentEvent(room.roomId, segmentOf(Date.now(), 10) - 100));

    expect(result.statusCode).toBe(404);
    expect(body(result).code).toBe('segment_before_room');
  });

  it.each(['abc', '-1', '1.5', '1e3', ''])('refuses the segment number "%s" with 400', async (n) => {
    const room = await stores.room();

    const result = await getSegment(segmentEvent(room.roomId, n));

    expect(result.statusCode).toBe(400);
    expect(body(result).code).toBe('invalid_segment');
  });
});

describe('GET /v1/rooms/{roomId}', () => {
  it('returns the public room info and the current segment, without internal fields', async () => {
    const room = await stores.room({ shards: 4, settings: { slowModeSeconds: 10 } });

    const result = await getRoom(roomEvent(room.roomId));

    expect(result.statusCode).toBe(200);
    const info = body(result);
    expect(info.room).toMatchObject({
      roomId: room.roomId,
      status: 'open',
      settings: { slowModeSeconds: 10 },
    });
    expect(info.room.shards).toBeUndefined();
    expect(info.room.version).toBeUndefined();
    expect(info.currentSegment).toBe(segmentOf(Date.now(), 10));
    expect(result.headers?.['Cache-Control']).toBe('public, max-age=3, s-maxage=3');
  });
});
