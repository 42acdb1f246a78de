import { randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { DynamoAuditStore } from '../../../lambdas/adapters/dynamodb/audit-store.js';
import { DynamoFeedActivity } from '../../../lambdas/adapters/dynamodb/feed-stats.js';
import { roomKey } from '../../../lambdas/adapters/dynamodb/keys.js';
import type { Comment } from '../../../lambdas/domain/feed/comment.js';
import { highestIdAt, lowestIdAt } from '../../../lambdas/domain/feed/ids.js';
import { artistOf, callAdmin, moderatorOf, nobody, operator, type Caller } from '../../helpers/admin.js';
import { testStores } from '../../helpers/store.js';

/**
 * Room statistics through the admin function: comments counted from the
 * room's feed in DynamoDB Local, traffic from the local runtime's
 * `/local/stats` (here the capture server's quiet stand-in, global-setup.ts).
 */
const stores = testStores();
const commentsTable = stores.tables.comments;
const MINUTE = 60_000;
const minuteOf = (ms: number) => Math.floor(ms / MINUTE) * MINUTE;
const iso = (ms: number) => new Date(ms).toISOString();
const expiresAt = () => Math.ceil(Date.now() / 1000) + 3600;

async function newRoom(shards = 1) {
  const channelId = `ch-${randomUUID().slice(0, 8)}`;
  const room = await stores.room({ channelId, shards });
  return { room, channelId, roomId: room.roomId };
}

/** Stores a feed item created at `atMs` on `shard`, as the post path or the admin API would. */
async function seed(
  roomId: string,
  atMs: number,
  userId: string,
  shard = 0,
  kind: Comment['kind'] = 'comment',
): Promise<Comment> {
  const item: Comment = {
    id: ulid(atMs),
    roomId,
    kind,
    userId,
    displayName: userId,
    text: `${kind} by ${userId}`,
    createdAt: iso(atMs),
    ...(kind === 'notice' ? { level: 'info' as const } : {}),
  };
  await stores.comments.append(item, shard, expiresAt());
  return item;
}

const stats = (roomId: string, caller: Caller, query?: Record<string, string>) =>
  callAdmin({ method: 'GET', path: `/admin/v1/rooms/${roomId}/stats`, caller, ...(query ? { query } : {}) });

describe('GET /admin/v1/rooms/{roomId}/stats', () => {
  it('counts the comments per minute and the distinct posters of the window exactly, across shards', async () => {
    const { roomId } = await newRoom(3);
    const now = Date.now();
    const m2 = minuteOf(now) - 2 * MINUTE;
    const m1 = minuteOf(now) - MINUTE;
    await seed(roomId, m2 + 1_000, 'ann', 0);
    await seed(roomId, m2 + 2_000, 'bob', 1);
    await seed(roomId, m2 + 3_000, 'ann', 2);
    const deleted = await seed(roomId, m1 + 4_000, 'cho', 0);
    await seed(roomId, m1 + 5_000, 'ann', 1);
    await seed(roomId, m1 + 6_000, 'purged-user', 2);
    // Not comments: not counted.
    await seed(roomId, m1 + 7_000, 'the-artist', 0, 'artist_message');
    await seed(roomId, m1 + 8_000, 'op', 1, 'notice');
    // Before the window.
    await seed(roomId, minuteOf(now) - 20 * MINUTE, 'dan', 0);
    // Removed by moderators: still counted as posted, and counted as removed.
    await stores.comments.markDeleted(
      roomId,
      3,
      deleted.id,
      { id: ulid(), deletedAt: iso(now) },
      expiresAt(),
    );
    await stores.doc.send(
      new UpdateCommand({
        TableName: stores.tables.control,
        Key: roomKey(roomId),
        UpdateExpression: 'SET purges = :purges',
        ExpressionAttributeValues: { ':purges': { 'purged-user': iso(now) } },
      }),
    );

    const res = await stats(roomId, operator, { minutes: '5' });

    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const { comments, window } = res.body;
    expect(window.minutes).toBe(5);
    expect(comments.perMinute).toHaveLength(5);
    const count = (minuteMs: number) =>
      comments.perMinute.find((p: { minute: string }) => p.minute === iso(minuteMs))?.count;
    expect(count(m2)).toBe(3);
    expect(count(m1)).toBe(3);
    expect(comments.perMinute.reduce((sum: number, p: { count: number }) => sum + p.count, 0)).toBe(6);
    expect(comments).toMatchObject({
      total: 6,
      distinctPosters: 4,
      removed: 2,
      countedFrom: window.from,
      truncated: false,
    });
    expect(res.body.estimates.map((e: { figure: string }) => e.figure)).not.toContain('comments');
  });

  it('covers the last 60 minutes by default, minute by minute up to now', async () => {
    const { roomId } = await newRoom();

    const before = Date.now();
    const res = await stats(roomId, operator);
    const after = Date.now();

    expect(res.status).toBe(200);
    const { window, comments, generatedAt } = res.body;
    expect(window.minutes).toBe(60);
    expect(comments.perMinute).toHaveLength(60);
    expect(comments.perMinute[0].minute).toBe(window.from);
    expect(Date.parse(comments.perMinute[59].minute)).toBe(minuteOf(Date.parse(window.to)));
    expect(Date.parse(window.to)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(window.to)).toBeLessThanOrEqual(after);
    expect(Date.parse(generatedAt)).toBeGreaterThanOrEqual(Date.parse(window.to));
    expect(comments).toMatchObject({ total: 0, distinctPosters: 0, removed: 0, truncated: false });
  });

  it('reports the local runtime’s traffic: the room’s polls and subscriptions exact, connections deployment-wide', async () => {
    const { roomId, channelId } = await newRoom();

    const res = await stats(roomId, artistOf(channelId));

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      roomId,
      channelId,
      pollRequests: { scope: 'room', source: 'local-edge', perMinute: [], total: 0 },
      realtimeConnections: {
        connections: {
          scope: 'deployment',
          source: 'local-appsync',
          current: 0,
          peak: null,
          perMinute: null,
        },
        subscriptions: { scope: 'room', source: 'local-appsync', current: 0, peak: null, perMinute: null },
      },
      unavailable: [],
    });
    expect(res.body.estimates).toEqual([
      { figure: 'realtimeConnections.connections', why: expect.stringContaining('Deployment-wide') },
    ]);
  });

  it('writes nothing, not even an audit entry: it is a read', async () => {
    const { roomId } = await newRoom();
    const audit = new DynamoAuditStore(stores.doc, stores.tables.control);

    await stats(roomId, operator);

    expect((await audit.list({ roomId }, 10)).entries).toEqual([]);
    expect(await stores.commentItems(roomId, 1)).toEqual([]);
  });

  describe('who may read', () => {
    it.each([
      ['an operator', 200, () => operator],
      ['a moderator of the room’s channel', 200, (channelId: string) => moderatorOf(channelId)],
      ['a moderator of another channel', 403, () => moderatorOf('elsewhere')],
      ['an artist of the room’s channel', 200, (channelId: string) => artistOf(channelId)],
      ['an artist of another channel', 403, () => artistOf('elsewhere')],
      ['a user in no group', 403, () => nobody],
    ])('%s: %i', async (_, status, caller) => {
      const { roomId, channelId } = await newRoom();

      const res = await stats(roomId, caller(channelId));

      expect(res.status).toBe(status);
      if (status === 403) expect(res.body).toMatchObject({ code: 'forbidden', retryable: false });
      else expect(res.body.roomId).toBe(roomId);
    });

    it('answers 403, not 404, to a user in no group asking about a room that does not exist', async () => {
      const res = await stats(`missing-${randomUUID().slice(0, 8)}`, nobody);

      expect(res.status).toBe(403);
    });
  });

  describe('bad input', () => {
    it.each([['0'], ['1441'], ['-5'], ['1.5'], ['abc'], [''], ['60 '], ['99999']])(
      'refuses minutes=%j with 400',
      async (minutes) => {
        const { roomId } = await newRoom();

        const res = await stats(roomId, operator, { minutes });

        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ code: 'invalid_minutes', retryable: false });
      },
    );

    it('accepts a whole day', async () => {
      const { roomId } = await newRoom();

      const res = await stats(roomId, operator, { minutes: '1440' });

      expect(res.status).toBe(200);
      expect(res.body.comments.perMinute).toHaveLength(1440);
    });

    it('answers 404 for a room that does not exist', async () => {
      const res = await stats(`missing-${randomUUID().slice(0, 8)}`, operator);

      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 'room_not_found', retryable: false });
    });

    it('answers 400 for a room id that cannot exist', async () => {
      const res = await stats(encodeURIComponent('a room'), operator);

      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_room_id');
    });
  });
});

describe('DynamoFeedActivity', () => {
  const feed = new DynamoFeedActivity(stores.doc, commentsTable);

  it('reads the newest records of the range, at most the limit per shard, and says when a shard held more', async () => {
    const { roomId } = await newRoom(2);
    const base = Date.now() - 10 * MINUTE;
    const onShard0 = [];
    for (let i = 0; i < 5; i++) onShard0.push(await seed(roomId, base + i * 1_000, `u${i}`, 0));
    const onShard1 = [await seed(roomId, base + 500, 'solo', 1)];

    const [shard0, shard1] = await feed.activity(roomId, 2, lowestIdAt(base), highestIdAt(Date.now()), 3);

    expect(shard0).toEqual({
      records: onShard0
        .slice(2)
        .reverse()
        .map((c) => ({ id: c.id, kind: 'comment', userId: c.userId, deleted: false })),
      complete: false,
    });
    expect(shard1).toEqual({
      records: [{ id: onShard1[0]!.id, kind: 'comment', userId: 'solo', deleted: false }],
      complete: true,
    });
  });

  it('is complete when the shard holds exactly the limit, and reads tombstones and deletion marks', async () => {
    const { roomId } = await newRoom();
    const base = Date.now() - 5 * MINUTE;
    const kept = await seed(roomId, base, 'a');
    const gone = await seed(roomId, base + 1_000, 'b');
    const tombstoneId = ulid(base + 2_000);
    await stores.comments.markDeleted(
      roomId,
      1,
      gone.id,
      { id: tombstoneId, deletedAt: iso(base + 2_000) },
      expiresAt(),
    );

    const [shard] = await feed.activity(roomId, 1, kept.id, tombstoneId, 3);

    expect(shard).toEqual({
      records: [
        { id: tombstoneId, kind: 'tombstone', deleted: false },
        { id: gone.id, kind: 'comment', userId: 'b', deleted: true },
        { id: kept.id, kind: 'comment', userId: 'a', deleted: false },
      ],
      complete: true,
    });
  });
});
