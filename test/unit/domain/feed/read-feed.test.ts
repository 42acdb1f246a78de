import { describe, expect, it } from 'vitest';
import {
  getLive,
  getLiveTick,
  getRoom,
  getSegment,
  type ReadFeedDeps,
} from '../../../../lambdas/domain/feed/read-feed.js';
import { liveWindow, SETTLE_MS, TICK_EARLY_MS, tickOf } from '../../../../lambdas/domain/feed/ticks.js';
import { GLOBAL_ROOM_ID } from '../../../../lambdas/domain/paths.js';
import { publicRoom, type Room } from '../../../../lambdas/domain/rooms/room.js';
import {
  SEGMENT_CLOSE_GRACE_MS,
  segmentBounds,
  segmentOf,
} from '../../../../lambdas/domain/feed/segments.js';
import { emptyChannel } from '../../../../lambdas/domain/moderation/moderation.js';
import type { CommentReader } from '../../../../lambdas/domain/feed/ports.js';
import {
  aComment,
  aRoom,
  InMemoryComments,
  InMemoryModeration,
  InMemoryRooms,
  manualClock,
  rejection,
} from '../../fakes.js';

const CREATED = Date.UTC(2030, 0, 1, 12, 0, 0);
const SEGMENT_SECONDS = 10;
/** A moment 4 s into a segment, an hour after the room was created. */
const NOW = CREATED + 3_600_000 + 4_000;
const CURRENT = segmentOf(NOW, SEGMENT_SECONDS);
const bounds = (n: number) => segmentBounds(n, SEGMENT_SECONDS);

function setup(options: { room?: Room; liveLimit?: number; nowMs?: number } = {}) {
  const room =
    options.room ??
    aRoom({
      createdAt: new Date(CREATED),
      settings: { segmentSeconds: SEGMENT_SECONDS, pollIntervalSeconds: 2 },
    });
  const rooms = new InMemoryRooms(room);
  const comments = new InMemoryComments();
  const clock = manualClock(options.nowMs ?? NOW);
  const deps: ReadFeedDeps = { rooms, comments, clock, liveLimit: options.liveLimit ?? 50 };
  const seed = (atMs: number, shard = 0) => comments.seed(aComment(room.roomId, atMs), shard);
  return { room, rooms, comments, clock, deps, seed };
}

const ids = (comments: readonly { id: string }[]) => comments.map((c) => c.id);

describe('getRoom', () => {
  it('returns the public room and the current segment', async () => {
    const { room, deps } = setup();

    const result = await getRoom(deps, room.roomId);

    expect(result).toEqual({
      room: publicRoom(room),
      currentSegment: CURRENT,
      eventStartsAt: new Date(CREATED).toISOString(),
    });
  });

  it('follows the clock for the current segment', async () => {
    const { room, clock, deps } = setup();
    clock.set(bounds(CURRENT + 3).startMs);

    const result = await getRoom(deps, room.roomId);

    expect(result.currentSegment).toBe(CURRENT + 3);
  });

  it('returns 404 room_not_found for an unknown room', async () => {
    const { deps } = setup();

    const error = await rejection(getRoom(deps, 'missing'));

    expect(error).toMatchObject({ status: 404, code: 'room_not_found' });
  });
});

describe('getLive', () => {
  // P = 2 s; NOW is the first millisecond of its tick.
  const POLL_MS = 2_000;
  const TICK = tickOf(NOW, POLL_MS);
  const FROM = liveWindow(TICK, POLL_MS, NOW).fromMs;

  it('returns the current tick’s window, oldest first: a poll interval and 1.5 s back from the tick’s start', async () => {
    // Prepare
    const { room, deps, seed } = setup();
    seed(FROM - 1); // just before the window
    const inWindow = [seed(FROM), seed(FROM + 1_000), seed(NOW - 10), seed(NOW)];

    // Act
    const live = await getLive(deps, room.roomId);

    // Assess
    expect(ids(live.comments)).toEqual(ids(inWindow));
    expect(live.truncated).toBe(false);
    expect(FROM).toBe(NOW - POLL_MS - SETTLE_MS - TICK_EARLY_MS);
    expect(live.window).toEqual({
      tick: TICK,
      from: new Date(FROM).toISOString(),
      settledUntil: new Date(NOW - SETTLE_MS).toISOString(),
    });
    expect(live.segment).toEqual({ current: CURRENT, lengthSeconds: SEGMENT_SECONDS });
  });

  it('describes the room, the poll interval and the generation time', async () => {
    const { room, deps } = setup();

    const live = await getLive(deps, room.roomId);

    expect(live.room).toEqual(publicRoom(room));
    expect(live.pollAfterMs).toBe(2_000);
    expect(live.generatedAt).toBe(new Date(NOW).toISOString());
    expect(live.comments).toEqual([]);
    expect(live.truncated).toBe(false);
  });

  it('merges every read shard into one list in id order', async () => {
    // Prepare: a room that once wrote to 3 shards and now writes to 1.
    const base = aRoom({
      createdAt: new Date(CREATED),
      shards: 3,
      settings: { segmentSeconds: SEGMENT_SECONDS, pollIntervalSeconds: 2 },
    });
    const { room, comments, deps, seed } = setup({ room: { ...base, shards: { write: 1, read: 3 } } });
    const seeded = [
      seed(FROM + 1, 2),
      seed(FROM + 2, 0),
      seed(FROM + 3, 1),
      seed(FROM + 4, 2),
      seed(FROM + 5, 0),
    ];

    // Act
    const live = await getLive(deps, room.roomId);

    // Assess
    expect(ids(live.comments)).toEqual(ids(seeded));
    expect(comments.queries).toEqual([
      { kind: 'newest', roomId: room.roomId, shards: 3 },
      { kind: 'newest', roomId: GLOBAL_ROOM_ID, shards: 1 },
    ]);
  });

  it('is not truncated when the window holds exactly the limit', async () => {
    const { room, deps, seed } = setup({ liveLimit: 3 });
    const seeded = [seed(NOW - 3), seed(NOW - 2), seed(NOW - 1)];

    const live = await getLive(deps, room.roomId);

    expect(ids(live.comments)).toEqual(ids(seeded));
    expect(live.truncated).toBe(false);
  });

  it('keeps the newest comments, oldest first, and is truncated when the window holds more than the limit', async () => {
    // Prepare: all on one shard, so one shard's answer must reveal the extra comment.
    const { room, deps, seed } = setup({ liveLimit: 3 });
    const seeded = [seed(NOW - 4), seed(NOW - 3), seed(NOW - 2), seed(NOW - 1)];

    // Act
    const live = await getLive(deps, room.roomId);

    // Assess
    expect(ids(live.comments)).toEqual(ids(seeded.slice(1)));
    expect(live.truncated).toBe(true);
  });

  it('cuts the merged list across shards at the limit', async () => {
    const base = aRoom({
      createdAt: new Date(CREATED),
      shards: 2,
      settings: { segmentSeconds: SEGMENT_SECONDS, pollIntervalSeconds: 2 },
    });
    const { room, deps, seed } = setup({ room: base, liveLimit: 3 });
    const seeded = [seed(NOW - 6, 0), seed(NOW - 5, 1), seed(NOW - 4, 0), seed(NOW - 3, 1), seed(NOW - 2, 0)];

    const live = await getLive(deps, room.roomId);

    expect(ids(live.comments)).toEqual(ids(seeded.slice(2)));
    expect(live.truncated).toBe(true);
  });

  it('does not count comments outside the window towards the limit', async () => {
    const { room, deps, seed } = setup({ liveLimit: 2 });
    seed(FROM - 5_000);
    seed(FROM - 1);
    const seeded = [seed(NOW - 2), seed(NOW - 1)];

    const live = await getLive(deps, room.roomId);

    expect(ids(live.comments)).toEqual(ids(seeded));
    expect(live.truncated).toBe(false);
  });

  it('returns 404 room_not_found for an unknown room without reading comments', async () => {
    const { comments, deps } = setup();

    const error = await rejection(getLive(deps, 'missing'));

    expect(error).toMatchObject({ status: 404, code: 'room_not_found' });
    expect(comments.queries).toEqual([]);
  });
});

describe('getLiveTick', () => {
  const POLL_MS = 2_000;
  const TICK = tickOf(NOW, POLL_MS);

  const ready = (deps: ReadFeedDeps, roomId: string, tick: number) => getLiveTick(deps, roomId, String(tick));

  it('answers the current tick with its window, and says when the tick expires', async () => {
    // Prepare: 700 ms into the tick.
    const { room, deps, seed } = setup({ nowMs: NOW + 700 });
    const window = liveWindow(TICK, POLL_MS, NOW + 700);
    seed(window.fromMs - 1);
    const inWindow = [seed(window.fromMs), seed(NOW + 650)];

    // Act
    const result = await ready(deps, room.roomId, TICK);

    // Assess
    expect(ids(result.document.comments)).toEqual(ids(inWindow));
    expect(result.document.window).toEqual({
      tick: TICK,
      from: new Date(window.fromMs).toISOString(),
      settledUntil: new Date(NOW + 700 - SETTLE_MS).toISOString(),
    });
    expect(result.expiresAtMs).toBe(NOW + 2 * POLL_MS);
  });

  it('answers the previous tick with its own window, made now', async () => {
    const { room, deps } = setup({ nowMs: NOW + 100 });

    const result = await ready(deps, room.roomId, TICK - 1);

    expect(result.document.window.tick).toBe(TICK - 1);
    expect(result.document.window.from).toBe(
      new Date(liveWindow(TICK - 1, POLL_MS, NOW).fromMs).toISOString(),
    );
    expect(result.document.generatedAt).toBe(new Date(NOW + 100).toISOString());
    expect(result.expiresAtMs).toBe(NOW + POLL_MS);
  });

  it('answers the next tick within the early tolerance of its start', async () => {
    const { room, deps } = setup({ nowMs: NOW + POLL_MS - TICK_EARLY_MS });

    const result = await ready(deps, room.roomId, TICK + 1);

    expect(result.document.window.tick).toBe(TICK + 1);
  });

  it('refuses the next tick before that with a retryable 404, without reading comments', async () => {
    const { room, comments, deps } = setup({ nowMs: NOW + 100 });

    const error = await rejection(getLiveTick(deps, room.roomId, String(TICK + 1)));

    expect(error).toMatchObject({ status: 404, code: 'tick_not_started', retryable: true, cacheable: false });
    expect(comments.queries).toEqual([]);
  });

  it('refuses an expired tick with 404 tick_expired, without reading comments', async () => {
    const { room, comments, deps } = setup();

    const error = await rejection(getLiveTick(deps, room.roomId, String(TICK - 2)));

    expect(error).toMatchObject({ status: 404, code: 'tick_expired', retryable: false });
    expect(comments.queries).toEqual([]);
  });

  it('refuses a malformed tick with 400 before reading the room', async () => {
    const { rooms, deps } = setup();

    const error = await rejection(getLiveTick(deps, 'missing', '12a'));

    expect(error).toMatchObject({ status: 400, code: 'invalid_tick' });
    expect(rooms.reads).toEqual([]);
  });

  it('returns 404 room_not_found for an unknown room', async () => {
    const { deps } = setup();

    const error = await rejection(getLiveTick(deps, 'missing', String(TICK)));

    expect(error).toMatchObject({ status: 404, code: 'room_not_found' });
  });

  it('shows a poller that skipped a tick where its windows do not join', async () => {
    const { room, clock, deps } = setup();
    const first = await ready(deps, room.roomId, TICK);
    clock.set(NOW + 2 * POLL_MS);

    const third = await ready(deps, room.roomId, TICK + 2);

    expect(Date.parse(third.document.window.from)).toBeGreaterThan(
      Date.parse(first.document.window.settledUntil),
    );
  });

  /**
   * The guarantee, swept over phases instead of sampled at random: comments
   * arrive every 37 ms and become readable up to SETTLE_MS after their id time;
   * a viewer asks for every tick at its phase (anywhere the tick is answered,
   * early tolerance included), and gets a copy an edge made at or before its
   * request (at the earliest moment allowed, halfway, or its own request).
   * It misses nothing up to its last document's `settledUntil`.
   */
  it('lets a viewer that asks for every tick, at any phase and from any cached copy, miss nothing', async () => {
    // Prepare: the comment stream, each comment readable 0 … SETTLE_MS after its id time (spread
    // deterministically), and a feed that shows only what is readable at the clock's moment.
    const pollMs = 3_000;
    const first = tickOf(NOW, pollMs) + 1;
    const ticks = 6;
    const room = aRoom({ createdAt: new Date(CREATED), settings: { pollIntervalSeconds: 3 } });
    const stream = Array.from({ length: Math.floor((ticks * pollMs + 8_000) / 37) }, (_, i) => {
      const comment = aComment(room.roomId, first * pollMs - 6_000 + i * 37);
      return { comment, readableAtMs: Date.parse(comment.createdAt) + ((i * 7_919) % (SETTLE_MS + 1)) };
    });
    const clock = manualClock(NOW);
    const readable: CommentReader = {
      newest: async (roomId, _shards, fromId, limit) => [
        stream
          .filter((s) => roomId === room.roomId && s.readableAtMs <= clock() && s.comment.id >= fromId)
          .map((s) => s.comment)
          .sort((a, b) => (a.id < b.id ? 1 : -1))
          .slice(0, limit),
      ],
      range: async () => [[]],
    };
    const deps: ReadFeedDeps = {
      rooms: new InMemoryRooms(room),
      comments: readable,
      clock,
      liveLimit: 1_000,
    };

    // Act and assess, for every phase the tick is answered at (every 173 ms) and three moments the
    // copy the viewer gets may have been made: the earliest allowed, halfway, and its own request.
    let runs = 0;
    for (let phase = -TICK_EARLY_MS; phase < 2 * pollMs; phase += 173) {
      for (const madeAt of new Set([-TICK_EARLY_MS, Math.floor((phase - TICK_EARLY_MS) / 2), phase])) {
        const received = new Set<string>();
        let fromMs = Infinity;
        let settledMs = -Infinity;
        for (let tick = first; tick < first + ticks; tick++) {
          clock.set(tick * pollMs + madeAt);
          const { document } = await ready(deps, room.roomId, tick);
          for (const c of document.comments) received.add(c.id);
          fromMs = Math.min(fromMs, Date.parse(document.window.from));
          settledMs = Date.parse(document.window.settledUntil);
        }
        const missed = stream
          .map((s) => s.comment)
          .filter((c) => {
            const atMs = Date.parse(c.createdAt);
            return atMs >= fromMs && atMs < settledMs && !received.has(c.id);
          });
        expect(
          missed.map((c) => c.createdAt),
          `phase ${phase} ms, made at ${madeAt} ms`,
        ).toEqual([]);
        expect(settledMs - fromMs).toBeGreaterThan((ticks - 1) * pollMs);
        runs++;
      }
    }
    expect(runs).toBeGreaterThan(80);
  });
});

describe('getSegment', () => {
  it.each(['abc', '-1', '1.5', '', '1e3', '1234567890123456', ' 1', '0x10', '+1'])(
    'returns 400 invalid_segment for %j without reading anything',
    async (raw) => {
      // Prepare
      const { room, rooms, comments, deps } = setup();

      // Act
      const error = await rejection(getSegment(deps, room.roomId, raw));

      // Assess
      expect(error).toMatchObject({ status: 400, code: 'invalid_segment', retryable: false });
      expect(rooms.reads).toEqual([]);
      expect(comments.queries).toEqual([]);
    },
  );

  it('answers 400 for a malformed segment even when the room does not exist', async () => {
    const { deps } = setup();

    const error = await rejection(getSegment(deps, 'missing', 'abc'));

    expect(error.status).toBe(400);
  });

  it('returns 404 room_not_found for an unknown room', async () => {
    const { deps } = setup();

    const error = await rejection(getSegment(deps, 'missing', String(CURRENT)));

    expect(error).toMatchObject({ status: 404, code: 'room_not_found' });
  });

  it('answers a future segment with the time until it starts, without reading comments', async () => {
    // Prepare
    const { room, comments, deps } = setup();

    // Act
    const result = await getSegment(deps, room.roomId, String(CURRENT + 1));

    // Assess
    expect(result).toEqual({ state: 'future', startsInMs: bounds(CURRENT + 1).startMs - NOW });
    expect(comments.queries).toEqual([]);
  });

  it('accepts the largest 15-digit segment number as a future segment', async () => {
    const { room, comments, deps } = setup();

    const result = await getSegment(deps, room.roomId, '999999999999999');

    expect(result.state).toBe('future');
    expect(comments.queries).toEqual([]);
  });

  it('returns 404 segment_before_room for a segment before the one the room was created in', async () => {
    const { room, comments, deps } = setup();
    const creationSegment = segmentOf(CREATED, SEGMENT_SECONDS);

    const error = await rejection(getSegment(deps, room.roomId, String(creationSegment - 1)));

    expect(error).toMatchObject({ status: 404, code: 'segment_before_room' });
    expect(comments.queries).toEqual([]);
  });

  it('serves the segment the room was created in', async () => {
    const { room, deps } = setup();
    const creationSegment = segmentOf(CREATED, SEGMENT_SECONDS);

    const result = await getSegment(deps, room.roomId, String(creationSegment));

    expect(result.state).toBe('closed');
  });

  it('returns every comment of the segment, oldest first across shards, and nothing outside it', async () => {
    // Prepare: a room that once wrote to 3 shards and now writes to 1.
    const base = aRoom({
      createdAt: new Date(CREATED),
      shards: 3,
      settings: { segmentSeconds: SEGMENT_SECONDS },
    });
    const { room, comments, deps, seed } = setup({ room: { ...base, shards: { write: 1, read: 3 } } });
    const n = CURRENT - 5;
    const { startMs, endMs } = bounds(n);
    seed(startMs - 1, 0);
    seed(endMs, 1);
    const inside = [seed(startMs, 2), seed(startMs + 1, 0), seed(startMs + 4_000, 1), seed(endMs - 1, 2)];

    // Act
    const result = await getSegment(deps, room.roomId, String(n));

    // Assess
    expect(result.state).not.toBe('future');
    if (result.state === 'future') return;
    expect(ids(result.document.comments)).toEqual(ids(inside));
    expect(result.document).toMatchObject({
      roomId: room.roomId,
      segment: n,
      startsAt: new Date(startMs).toISOString(),
      endsAt: new Date(endMs).toISOString(),
    });
    expect(result.room).toEqual(room);
    expect(comments.queries).toEqual([
      { kind: 'range', roomId: room.roomId, shards: 3 },
      { kind: 'range', roomId: GLOBAL_ROOM_ID, shards: 1 },
    ]);
  });

  it('accepts leading zeros in the segment number', async () => {
    const { room, deps } = setup();

    const result = await getSegment(deps, room.roomId, `00${CURRENT}`);

    expect(result.state).toBe('open');
    if (result.state !== 'future') expect(result.document.segment).toBe(CURRENT);
  });

  describe('state', () => {
    const n = CURRENT - 1;
    const { startMs, endMs } = bounds(n);

    it.each([
      ['at its start', startMs, 'open'],
      ['at its end', endMs, 'open'],
      ['one millisecond before the grace ends', endMs + SEGMENT_CLOSE_GRACE_MS - 1, 'open'],
      ['when the grace ends', endMs + SEGMENT_CLOSE_GRACE_MS, 'closed'],
      ['a day later', endMs + 86_400_000, 'closed'],
    ])('is %s → %s', async (_when, nowMs, state) => {
      // Prepare
      const { room, deps } = setup({ nowMs });

      // Act
      const result = await getSegment(deps, room.roomId, String(n));

      // Assess
      expect(result.state).toBe(state);
      if (result.state !== 'future') expect(result.document.closed).toBe(state === 'closed');
    });

    it('turns from future to open to closed as the clock moves', async () => {
      const { room, clock, deps } = setup({ nowMs: startMs - 1 });

      const states = [];
      for (const t of [
        startMs - 1,
        startMs,
        endMs + SEGMENT_CLOSE_GRACE_MS - 1,
        endMs + SEGMENT_CLOSE_GRACE_MS,
      ]) {
        clock.set(t);
        states.push((await getSegment(deps, room.roomId, String(n))).state);
      }

      expect(states).toEqual(['future', 'open', 'open', 'closed']);
    });

    it('counts startsInMs from the clock', async () => {
      const { room, deps } = setup({ nowMs: startMs - 1_234 });

      const result = await getSegment(deps, room.roomId, String(n));

      expect(result).toEqual({ state: 'future', startsInMs: 1_234 });
    });
  });
});

describe('moderation on the poll path', () => {
  function moderated() {
    const base = setup();
    const room = { ...base.room, channelId: 'ch-1' };
    base.rooms.put(room);
    const moderation = new InMemoryModeration(base.rooms);
    const deps: ReadFeedDeps = { ...base.deps, moderation };
    const by = (userId: string, atMs: number) => base.comments.seed(aComment(room.roomId, atMs, { userId }));
    const segmentOfNow = async () => {
      const result = await getSegment(deps, room.roomId, String(CURRENT));
      if (result.state === 'future') throw new Error('future');
      return result.document;
    };
    return { ...base, room, moderation, deps, by, segmentOfNow };
  }

  it('hides exactly the purged user’s comments created up to the purge, in live and the segment', async () => {
    // Prepare: the purge happens 2 s into the current segment.
    const { room, rooms, deps, by, segmentOfNow } = moderated();
    const purgeAt = bounds(CURRENT).startMs + 2_000;
    const hidden = [by('spammer', purgeAt - 1_000), by('spammer', purgeAt)];
    const kept = [by('spammer', purgeAt + 1), by('bystander', purgeAt - 1_000)];
    rooms.put({ ...room, purges: { spammer: new Date(purgeAt).toISOString() } });

    // Act
    const live = await getLive(deps, room.roomId);
    const segment = await segmentOfNow();

    // Assess
    expect(ids(live.comments).sort()).toEqual(ids(kept).sort());
    expect(ids(segment.comments).sort()).toEqual(ids(kept).sort());
    expect(ids(live.comments)).not.toContain(hidden[0]!.id);
    expect(live.purges).toEqual([{ userId: 'spammer', before: new Date(purgeAt).toISOString() }]);
  });

  it('hides comments of users banned or blocked at channel scope, and lists them with their scope', async () => {
    const { room, moderation, deps, by, segmentOfNow } = moderated();
    const at = bounds(CURRENT).startMs + 1_000;
    const until = new Date(NOW + 60_000).toISOString();
    by('banned', at);
    by('blocked', at);
    const visible = by('fine', at);
    moderation.channels.set('ch-1', {
      ...emptyChannel('ch-1'),
      bans: { banned: { bannedAt: new Date(at).toISOString(), until } },
      blocks: { blocked: { blockedAt: new Date(at).toISOString() } },
    });

    const live = await getLive(deps, room.roomId);
    const segment = await segmentOfNow();

    expect(ids(live.comments)).toEqual([visible.id]);
    expect(ids(segment.comments)).toEqual([visible.id]);
    expect(live.bans).toEqual([
      { userId: 'banned', until, scope: 'channel' },
      { userId: 'blocked', scope: 'channel' },
    ]);
  });

  it('shows a channel-banned user’s comments again once the ban has ended', async () => {
    const { room, moderation, deps, by, clock } = moderated();
    const comment = by('brief', bounds(CURRENT).startMs + 1_000);
    moderation.channels.set('ch-1', {
      ...emptyChannel('ch-1'),
      bans: { brief: { bannedAt: new Date(NOW).toISOString(), until: new Date(NOW + 500).toISOString() } },
    });

    const during = await getLive(deps, room.roomId);
    clock.advance(500);
    const after = await getLive(deps, room.roomId);

    expect(ids(during.comments)).toEqual([]);
    expect(ids(after.comments)).toEqual([comment.id]);
    expect(after.bans).toEqual([]);
  });

  it('reads the room’s own channel only', async () => {
    const { room, moderation, deps } = moderated();
    await getLive(deps, room.roomId);
    expect(moderation.channelReads).toEqual(['ch-1']);
  });
});

describe('vpos', () => {
  // 5 s into a segment, so the items below share one.
  const STARTS = CREATED + 1_805_000;
  const scheduled = (startsAt?: number) => ({
    ...aRoom({ createdAt: new Date(CREATED), settings: { segmentSeconds: SEGMENT_SECONDS } }),
    schedule: startsAt === undefined ? {} : { startsAt: new Date(startsAt).toISOString() },
  });

  it('gives every segment item its offset from the scheduled start in hundredths of a second, negative before it', async () => {
    // Prepare: the start lies inside a segment; items on both sides of it.
    const { room, deps, seed } = setup({ room: scheduled(STARTS) });
    const n = segmentOf(STARTS, SEGMENT_SECONDS);
    const offsets = [-1_234, -5, 0, 9, 10, 4_567];
    for (const offset of offsets) seed(STARTS + offset);

    // Act
    const result = await getSegment(deps, room.roomId, String(n));

    // Assess: rounded down to the hundredth the item was posted in.
    expect(result.state === 'future' ? [] : result.document.comments.map((c) => c.vpos)).toEqual([
      -124, -1, 0, 0, 1, 456,
    ]);
  });

  it('counts from the room’s creation when no start is scheduled, in live documents too', async () => {
    const { room, deps, seed } = setup();
    seed(NOW - 500);

    const live = await getLive(deps, room.roomId);

    expect(live.comments.map((c) => c.vpos)).toEqual([(NOW - 500 - CREATED) / 10]);
  });

  it('re-times items when the start is corrected, with nothing stored', async () => {
    // Prepare
    const { comments, clock } = setup();
    const at = STARTS + 60_000;
    comments.seed(aComment('room-1', at), 0);
    const read = (startsAt: number) => {
      const deps: ReadFeedDeps = {
        rooms: new InMemoryRooms(scheduled(startsAt)),
        comments,
        clock,
        liveLimit: 50,
      };
      return getSegment(deps, 'room-1', String(segmentOf(at, SEGMENT_SECONDS)));
    };

    // Act
    const [before, after] = [await read(STARTS), await read(STARTS + 30_000)];

    // Assess
    const vpos = (r: Awaited<ReturnType<typeof read>>) =>
      r.state === 'future' ? [] : r.document.comments[0]?.vpos;
    expect([vpos(before), vpos(after)]).toEqual([6_000, 3_000]);
  });

  it('tells where offsets count from in the room document', async () => {
    const { room, deps } = setup({ room: scheduled(STARTS) });

    const result = await getRoom(deps, room.roomId);

    expect(result.eventStartsAt).toBe(new Date(STARTS).toISOString());
  });
});
