import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import type {
  FeedActivityReader,
  FeedActivityRecord,
  FeedActivityShard,
  PollTraffic,
  RealtimeTraffic,
  TrafficMetrics,
} from '../../../../lambdas/domain/stats/ports.js';
import type { Principal, Role } from '../../../../lambdas/domain/access/roles.js';
import {
  countComments,
  MAX_SCANNED_RECORDS,
  roomStats,
  seriesIn,
  statsWindow,
  type StatsDeps,
} from '../../../../lambdas/domain/stats/stats.js';
import { aRoom, InMemoryRooms, manualClock, rejection } from '../../fakes.js';

/** 2030-01-01T00:10:30Z: half a minute into the 11th minute of the day. */
const NOW = Date.UTC(2030, 0, 1, 0, 10, 30);
const iso = (ms: number) => new Date(ms).toISOString();
const at = (minute: number, second = 0) => Date.UTC(2030, 0, 1, 0, minute, second);

const comment = (atMs: number, userId: string, deleted = false): FeedActivityRecord => ({
  id: ulid(atMs),
  kind: 'comment',
  userId,
  deleted,
});
/** A shard as the reader returns it: newest first. */
const shard = (records: FeedActivityRecord[], complete = true): FeedActivityShard => ({
  records: [...records].sort((a, b) => (a.id < b.id ? 1 : -1)),
  complete,
});

describe('statsWindow', () => {
  it('spans whole minutes ending with the running one', () => {
    expect(statsWindow(NOW, 3)).toEqual({ fromMs: at(8), toMs: NOW, minutes: 3 });
    expect(statsWindow(at(10), 1)).toEqual({ fromMs: at(10), toMs: at(10), minutes: 1 });
  });
});

describe('countComments', () => {
  const window = statsWindow(NOW, 3);

  it('counts comments per minute, zeros included, and distinct posters across shards', () => {
    const stats = countComments(
      [
        shard([comment(at(8, 1), 'ann'), comment(at(8, 59), 'bob'), comment(at(10, 29), 'ann')]),
        shard([comment(at(8, 30), 'ann'), comment(at(10, 0), 'cho')]),
      ],
      window,
    );

    expect(stats).toEqual({
      perMinute: [
        { minute: iso(at(8)), count: 3 },
        { minute: iso(at(9)), count: 0 },
        { minute: iso(at(10)), count: 2 },
      ],
      total: 5,
      distinctPosters: 3,
      removed: 0,
      countedFrom: iso(at(8)),
      truncated: false,
    });
  });

  it('leaves out artist messages, notices, tombstones and records outside the window', () => {
    const stats = countComments(
      [
        shard([
          { id: ulid(at(9)), kind: 'artist_message', userId: 'artist', deleted: false },
          { id: ulid(at(9)), kind: 'notice', userId: 'op', deleted: false },
          { id: ulid(at(9)), kind: 'tombstone', deleted: false },
          comment(at(7, 59), 'early'),
          comment(NOW + 1, 'late'),
          comment(at(9), 'counted'),
        ]),
      ],
      window,
    );

    expect(stats.total).toBe(1);
    expect(stats.distinctPosters).toBe(1);
  });

  it('counts removed comments as posted, and tells how many were deleted or purged since', () => {
    const stats = countComments(
      [
        shard([
          comment(at(8), 'deleted-one', true),
          comment(at(9), 'purged'),
          comment(at(10, 10), 'purged'),
          comment(at(10), 'kept'),
        ]),
      ],
      window,
      // Purged at 00:10:05: the comment after it stays.
      { purged: iso(at(10, 5)) },
    );

    expect(stats).toMatchObject({ total: 4, distinctPosters: 3, removed: 2 });
  });

  it('says from which minute on the counts are exact when a shard held more than was read', () => {
    // Shard 0 was read back to 00:09:20 only; shard 1 entirely.
    const stats = countComments(
      [
        shard([comment(at(9, 20), 'a'), comment(at(10), 'b')], false),
        shard([comment(at(8, 10), 'c'), comment(at(9, 50), 'd')]),
      ],
      window,
    );

    expect(stats).toMatchObject({ truncated: true, countedFrom: iso(at(10)), total: 4 });
  });
});

describe('seriesIn', () => {
  it('cuts a sparse series to the window and orders it', () => {
    const window = statsWindow(NOW, 2);

    expect(
      seriesIn(
        [
          { minuteMs: at(10), count: 4 },
          { minuteMs: at(8), count: 9 },
          { minuteMs: at(9), count: 1 },
          { minuteMs: at(11), count: 2 },
        ],
        window,
      ),
    ).toEqual([
      { minute: iso(at(9)), count: 1 },
      { minute: iso(at(10)), count: 4 },
    ]);
  });
});

/** Reads what it was given; records the limits it was asked for. */
class FakeFeed implements FeedActivityReader {
  readonly calls: { shards: number; fromId: string; toId: string; limitPerShard: number }[] = [];
  constructor(private readonly shards: FeedActivityShard[] = []) {}
  async activity(_roomId: string, shards: number, fromId: string, toId: string, limitPerShard: number) {
    this.calls.push({ shards, fromId, toId, limitPerShard });
    return Array.from({ length: shards }, (_, i) => this.shards[i] ?? shard([]));
  }
}

const roomTraffic: PollTraffic = {
  scope: 'room',
  source: 'local-edge',
  perMinute: [
    { minuteMs: at(9), count: 30 },
    { minuteMs: at(10), count: 12 },
  ],
};
const deploymentRealtime: RealtimeTraffic = {
  connections: {
    scope: 'deployment',
    source: 'cloudwatch:AWS/AppSync/ActiveConnections',
    note: 'Late.',
    current: 7,
    perMinute: [
      { minuteMs: at(8), count: 5 },
      { minuteMs: at(9), count: 9 },
    ],
  },
  subscriptions: { scope: 'room', source: 'local-appsync', current: 3, perMinute: null },
};

function principal(roles: Role[], channels: string[] = []): Principal {
  return { userId: 'u', displayName: 'U', roles: new Set(roles), channels: new Set(channels) };
}

function setup(
  overrides: {
    traffic?: Partial<TrafficMetrics>;
    feed?: FakeFeed;
    shards?: number;
    maxScannedRecords?: number;
  } = {},
) {
  const room = { ...aRoom({ roomId: 'r1', shards: overrides.shards ?? 1 }), channelId: 'ch-1' };
  const failures: string[] = [];
  const feed = overrides.feed ?? new FakeFeed();
  const deps: StatsDeps = {
    rooms: new InMemoryRooms(room),
    feed,
    traffic: {
      pollRequests: async () => roomTraffic,
      realtime: async () => deploymentRealtime,
      ...overrides.traffic,
    },
    clock: manualClock(NOW),
    onTrafficFailed: (figure) => void failures.push(figure),
    ...(overrides.maxScannedRecords ? { maxScannedRecords: overrides.maxScannedRecords } : {}),
  };
  return { deps, feed, failures, room };
}

describe('roomStats', () => {
  const operator = principal(['operator']);

  it('puts the feed’s counts and the traffic figures together, cut to the window', async () => {
    const { deps } = setup({ feed: new FakeFeed([shard([comment(at(10), 'ann')])]) });

    const stats = await roomStats(deps, operator, 'r1', 3);

    expect(stats).toEqual({
      roomId: 'r1',
      channelId: 'ch-1',
      window: { from: iso(at(8)), to: iso(NOW), minutes: 3 },
      comments: expect.objectContaining({ total: 1, distinctPosters: 1 }),
      pollRequests: {
        scope: 'room',
        source: 'local-edge',
        perMinute: [
          { minute: iso(at(9)), count: 30 },
          { minute: iso(at(10)), count: 12 },
        ],
        total: 42,
      },
      realtimeConnections: {
        connections: {
          scope: 'deployment',
          source: 'cloudwatch:AWS/AppSync/ActiveConnections',
          current: 7,
          peak: 9,
          perMinute: [
            { minute: iso(at(8)), count: 5 },
            { minute: iso(at(9)), count: 9 },
          ],
        },
        subscriptions: { scope: 'room', source: 'local-appsync', current: 3, peak: null, perMinute: null },
      },
      estimates: [
        {
          figure: 'realtimeConnections.connections',
          why:
            'Deployment-wide: cloudwatch:AWS/AppSync/ActiveConnections has no per-room figure, ' +
            'so this counts every room together. Late.',
        },
      ],
      unavailable: [],
      generatedAt: iso(NOW),
    });
  });

  it('reads the window’s id range, and shares the record budget between the shards', async () => {
    const { deps, feed } = setup({ shards: 4 });

    await roomStats(deps, operator, 'r1', 3);

    expect(feed.calls).toEqual([
      {
        shards: 4,
        fromId: expect.stringMatching(/^[0-9A-Z]{10}0{16}$/),
        toId: expect.stringMatching(/^[0-9A-Z]{10}Z{16}$/),
        limitPerShard: MAX_SCANNED_RECORDS / 4,
      },
    ]);
    expect(feed.calls[0]!.fromId.slice(0, 10)).toBe(ulid(at(8)).slice(0, 10));
    expect(feed.calls[0]!.toId.slice(0, 10)).toBe(ulid(NOW).slice(0, 10));
  });

  it('marks truncated comment counts as an estimate', async () => {
    const { deps } = setup({
      maxScannedRecords: 1,
      feed: new FakeFeed([shard([comment(at(9, 30), 'a')], false)]),
    });

    const stats = await roomStats(deps, operator, 'r1', 3);

    expect(stats.comments).toMatchObject({ truncated: true, countedFrom: iso(at(10)) });
    expect(stats.estimates.map((e) => e.figure)).toContain('comments');
    expect(stats.estimates.find((e) => e.figure === 'comments')?.why).toContain('more than 1 feed records');
  });

  it('leaves out a figure whose source fails, says so without its details, and keeps the rest', async () => {
    const { deps, failures } = setup({
      traffic: {
        pollRequests: async () => {
          throw new Error('AccessDenied: arn:aws:iam::123456789012:role/secret');
        },
      },
    });

    const stats = await roomStats(deps, operator, 'r1', 3);

    expect(stats.pollRequests).toBeNull();
    expect(stats.realtimeConnections).not.toBeNull();
    expect(stats.unavailable).toEqual([{ figure: 'pollRequests', why: expect.any(String) }]);
    expect(JSON.stringify(stats)).not.toContain('arn:aws');
    expect(failures).toEqual(['pollRequests']);
  });

  it('clamps the window to a day', async () => {
    const { deps } = setup();

    const stats = await roomStats(deps, operator, 'r1', 10_000);

    expect(stats.window.minutes).toBe(1440);
    expect(stats.comments.perMinute).toHaveLength(1440);
  });

  describe('who may read', () => {
    it.each([
      ['a moderator of the channel', principal(['moderator'], ['ch-1'])],
      ['an artist of the channel', principal(['artist'], ['ch-1'])],
      ['an operator bound to no channel', operator],
    ])('allows %s', async (_, who) => {
      await expect(roomStats(setup().deps, who, 'r1', 3)).resolves.toMatchObject({ roomId: 'r1' });
    });

    it.each([
      ['a moderator of another channel', principal(['moderator'], ['ch-2'])],
      ['an artist of another channel', principal(['artist'], ['ch-2'])],
      ['a user in no group, even bound to the channel', principal([], ['ch-1'])],
    ])('refuses %s with 403, reading no statistics', async (_, who) => {
      const { deps, feed } = setup();

      const error = await rejection(roomStats(deps, who, 'r1', 3));

      expect(error.status).toBe(403);
      expect(feed.calls).toEqual([]);
    });

    it('answers 404 for a missing room, and 403 to a caller who may read no statistics at all', async () => {
      const { deps } = setup();

      expect((await rejection(roomStats(deps, operator, 'nope', 3))).status).toBe(404);
      expect((await rejection(roomStats(deps, principal([]), 'nope', 3))).status).toBe(403);
    });
  });
});
