import { describe, expect, it } from 'vitest';
import {
  liftChannelBan,
  liftChannelBlock,
  listRoomBans,
  setChannelBan,
  setChannelBlock,
  setRoomBan,
  type BanActionDeps,
} from '../../../../lambdas/domain/moderation/ban-actions.js';
import {
  deleteRoomComment,
  listRoomComments,
  purgeUserComments,
} from '../../../../lambdas/domain/moderation/comment-moderation.js';
import {
  readGlobalNgWords,
  replaceGlobalNgWords,
} from '../../../../lambdas/domain/moderation/global-ng-words.js';
import type { RoomLister } from '../../../../lambdas/domain/rooms/ports.js';
import type { Principal, Role } from '../../../../lambdas/domain/access/roles.js';
import type { RoomEvent } from '../../../../lambdas/domain/realtime/room-event.js';
import type { Room } from '../../../../lambdas/domain/rooms/room.js';
import {
  aComment,
  aRoom,
  InMemoryComments,
  InMemoryModeration,
  InMemoryRooms,
  manualClock,
  rejection,
} from '../../fakes.js';

const T0 = Date.UTC(2031, 5, 1);

const principal = (roles: Role[], channels: string[] = []): Principal => ({
  userId: `${roles.join('-') || 'none'}-1`,
  displayName: 'Tester',
  roles: new Set(roles),
  channels: new Set(channels),
});
const operator = principal(['operator']);
const moderatorOf = (...channels: string[]) => principal(['moderator'], channels);
const artistOf = (...channels: string[]) => principal(['artist'], channels);

function setup(extraRooms: Room[] = []) {
  const room: Room = { ...aRoom({ roomId: 'room-a', shards: 3 }), channelId: 'ch-1' };
  const all = [room, ...extraRooms];
  const rooms = new InMemoryRooms(...all);
  // Newest first by creation, like the DynamoDB listing; the cursor is an index.
  const lister: RoomLister = {
    async list({ channelIds, limit, cursor }) {
      const matching = all.filter((r) => !channelIds || channelIds.has(r.channelId));
      const start = cursor ? Number(cursor) : 0;
      const page = matching.slice(start, start + limit);
      return {
        rooms: page,
        ...(start + limit < matching.length ? { nextCursor: String(start + limit) } : {}),
      };
    },
  };
  const moderation = new InMemoryModeration(rooms);
  const comments = new InMemoryComments();
  const clock = manualClock(T0);
  const published: RoomEvent[] = [];
  const invalidated: string[][] = [];
  const base = {
    clock,
    publisher: { publish: async (event: RoomEvent) => void published.push(event) },
  };
  const banDeps: BanActionDeps = { ...base, rooms: Object.assign(rooms, lister), moderation };
  const commentDeps = {
    ...base,
    rooms,
    comments,
    moderation,
    retentionDays: 30,
    edge: { invalidate: async (paths: readonly string[]) => void invalidated.push([...paths]) },
  };
  return { room, rooms, moderation, comments, clock, published, invalidated, banDeps, commentDeps };
}

describe('listRoomComments', () => {
  it('pages the whole feed newest first across shards, marking deleted and purged items, without tombstones', async () => {
    // Prepare: 7 items over 3 shards, one deleted (its tombstone lands in the feed too), one user purged.
    const { room, rooms, comments, commentDeps } = setup();
    const items = Array.from({ length: 7 }, (_, i) =>
      comments.seed(
        aComment(room.roomId, T0 - 10_000 + i * 1_000, { userId: i === 2 ? 'spammer' : `u${i}` }),
        i % 3,
      ),
    );
    await comments.markDeleted(room.roomId, 3, items[4]!.id, {
      id: aComment(room.roomId, T0).id,
      deletedAt: new Date(T0).toISOString(),
    });
    rooms.put({ ...room, purges: { spammer: new Date(T0 - 1).toISOString() } });

    // Act
    const first = await listRoomComments(commentDeps, moderatorOf('ch-1'), room.roomId, { limit: 3 });
    const second = await listRoomComments(commentDeps, moderatorOf('ch-1'), room.roomId, {
      limit: 3,
      cursor: first.nextCursor!,
    });
    const third = await listRoomComments(commentDeps, moderatorOf('ch-1'), room.roomId, {
      limit: 3,
      cursor: second.nextCursor!,
    });

    // Assess
    const all = [...first.comments, ...second.comments, ...third.comments];
    expect(all.map((c) => c.id)).toEqual(items.map((c) => c.id).reverse());
    expect(third.nextCursor).toBeUndefined();
    expect(all.find((c) => c.id === items[4]!.id)?.deletedAt).toBe(new Date(T0).toISOString());
    expect(all.filter((c) => c.purged).map((c) => c.id)).toEqual([items[2]!.id]);
  });

  it('refuses a cursor that is not an item id with 400, before reading anything', async () => {
    const { room, rooms, commentDeps } = setup();
    const error = await rejection(
      listRoomComments(commentDeps, operator, room.roomId, { limit: 3, cursor: 'nope' }),
    );
    expect(error).toMatchObject({ status: 400, code: 'invalid_cursor' });
    expect(rooms.reads).toEqual([]);
  });

  it.each([
    ['an artist of the channel', artistOf('ch-1')],
    ['a moderator of another channel', moderatorOf('ch-2')],
  ])('refuses %s with 403', async (_, caller) => {
    const { room, commentDeps } = setup();
    expect(await rejection(listRoomComments(commentDeps, caller, room.roomId, { limit: 3 }))).toMatchObject({
      status: 403,
    });
  });
});

describe('deleteRoomComment', () => {
  it('deletes once, pushes once, and 404s an unknown comment', async () => {
    const { room, comments, published, commentDeps } = setup();
    const item = comments.seed(aComment(room.roomId, T0 - 1_000), 1);

    const first = await deleteRoomComment(commentDeps, operator, room.roomId, item.id);
    const second = await deleteRoomComment(commentDeps, operator, room.roomId, item.id);
    const missing = await rejection(
      deleteRoomComment(commentDeps, operator, room.roomId, aComment(room.roomId, T0).id),
    );

    expect([first.value, second.value]).toEqual(['deleted', 'already-deleted']);
    expect(published.map((e) => e.kind)).toEqual(['COMMENT_DELETED']);
    expect(missing).toMatchObject({ status: 404, code: 'comment_not_found' });
  });
});

describe('purgeUserComments', () => {
  it('records the purge in the room, pushes COMMENTS_PURGED and drops the segments’ CDN copies', async () => {
    const { room, rooms, published, invalidated, commentDeps } = setup();

    const { value, pushed } = await purgeUserComments(
      commentDeps,
      moderatorOf('ch-1'),
      room.roomId,
      'spammer',
    );

    expect(value).toEqual({ userId: 'spammer', before: new Date(T0).toISOString() });
    expect(pushed).toBe(true);
    expect((await rooms.get(room.roomId))!.purges).toEqual({ spammer: value.before });
    expect(published).toEqual([
      expect.objectContaining({ roomId: room.roomId, kind: 'COMMENTS_PURGED', payload: value }),
    ]);
    expect(invalidated).toEqual([[`/v1/rooms/${room.roomId}/segments/*`]]);
  });

  it('keeps purges older than the retention when segments are archived (they still hide archived items)', async () => {
    // Prepare: a purge from 40 days ago, beyond the 30-day retention.
    const { room, rooms, commentDeps } = setup();
    const old = new Date(T0 - 40 * 86_400_000).toISOString();
    rooms.put({ ...room, purges: { early: old } });
    const archive = { get: async () => undefined, put: async () => undefined };

    // Act
    await purgeUserComments({ ...commentDeps, archive }, moderatorOf('ch-1'), room.roomId, 'spammer');
    const archived = Object.keys((await rooms.get(room.roomId))!.purges).sort();
    await purgeUserComments(commentDeps, moderatorOf('ch-1'), room.roomId, 'other');
    const tableOnly = Object.keys((await rooms.get(room.roomId))!.purges).sort();

    // Assess: kept with the archive; without one, forgotten as before.
    expect(archived).toEqual(['early', 'spammer']);
    expect(tableOnly).toEqual(['other', 'spammer']);
  });

  it('answers 403 for a caller without the role even when the room does not exist, else 404', async () => {
    const { commentDeps, published } = setup();
    expect(await rejection(purgeUserComments(commentDeps, artistOf('ch-1'), 'nowhere', 'u'))).toMatchObject({
      status: 403,
    });
    expect(await rejection(purgeUserComments(commentDeps, operator, 'nowhere', 'u'))).toMatchObject({
      status: 404,
    });
    expect(published).toEqual([]);
  });
});

describe('room bans', () => {
  it('climb the ladder per room, and list with the channel’s bans and blocks', async () => {
    const { room, clock, banDeps, moderation } = setup();
    const lengths: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { ban } = await setRoomBan(banDeps, moderatorOf('ch-1'), room.roomId, 'u', { length: 'timeout' });
      lengths.push((Date.parse(ban.until!) - Date.parse(ban.bannedAt)) / 1000);
      // The next timeout comes after this one ended; the last stays in force for the listing.
      if (i < 4) clock.set(Date.parse(ban.until!) + 1_000);
    }
    await setChannelBan(banDeps, operator, 'ch-1', 'c', { length: undefined, reason: 'spam' });
    await setChannelBlock(banDeps, artistOf('ch-1'), 'ch-1', 'b', {});

    const { bans } = await listRoomBans(banDeps, moderatorOf('ch-1'), room.roomId);

    expect(lengths).toEqual([60, 300, 3_600, 86_400, 86_400]);
    expect(bans.map((b) => [b.userId, b.scope, b.type])).toEqual([
      ['u', 'room', 'ban'],
      ['c', 'channel', 'ban'],
      ['b', 'channel', 'block'],
    ]);
    expect(moderation.channels.get('ch-1')!.bans.c).toMatchObject({ by: 'operator-1', reason: 'spam' });
  });

  it('are refused to artists and to moderators of other channels', async () => {
    const { room, banDeps } = setup();
    for (const caller of [artistOf('ch-1'), moderatorOf('ch-2'), principal([])]) {
      expect(
        await rejection(setRoomBan(banDeps, caller, room.roomId, 'u', { length: undefined })),
      ).toMatchObject({
        status: 403,
      });
    }
  });
});

describe('channel bans and blocks', () => {
  const other = (roomId: string, channelId: string, status: Room['status'] = 'open'): Room => ({
    ...aRoom({ roomId, status }),
    channelId,
  });

  it('push USER_BANNED with channel scope to every open room of the channel, and only those', async () => {
    const { banDeps, published } = setup([
      other('room-b', 'ch-1'),
      other('room-c', 'ch-1', 'closed'),
      other('room-x', 'ch-2'),
    ]);

    const { ban, fanout } = await setChannelBan(banDeps, moderatorOf('ch-1'), 'ch-1', 'troll', {
      length: 600,
    });

    expect(fanout).toEqual({ rooms: 2, pushed: 2 });
    expect(published.map((e) => [e.roomId, e.kind, e.payload])).toEqual([
      ['room-a', 'USER_BANNED', { userId: 'troll', scope: 'channel', until: ban.until }],
      ['room-b', 'USER_BANNED', { userId: 'troll', scope: 'channel', until: ban.until }],
    ]);
  });

  it('push nothing when viewers would see no change (a ban over a block), and the block’s lift shows the ban', async () => {
    const { banDeps, published } = setup();
    await setChannelBlock(banDeps, artistOf('ch-1'), 'ch-1', 'u', { reason: 'rude' });
    published.length = 0;

    const banned = await setChannelBan(banDeps, operator, 'ch-1', 'u', { length: 60 });
    const unblocked = await liftChannelBlock(banDeps, artistOf('ch-1'), 'ch-1', 'u');

    expect(banned.fanout).toEqual({ rooms: 0, pushed: 0 });
    expect(unblocked.lifted).toBe(true);
    expect(published.map((e) => [e.kind, e.payload])).toEqual([
      ['USER_BANNED', { userId: 'u', scope: 'channel', until: banned.ban.until }],
    ]);
  });

  it('lift a ban with USER_UNBANNED, and lifting nothing writes and pushes nothing', async () => {
    const { banDeps, published, moderation } = setup();
    await setChannelBan(banDeps, operator, 'ch-1', 'u', { length: undefined });
    published.length = 0;

    const lifted = await liftChannelBan(banDeps, operator, 'ch-1', 'u');
    const before = moderation.channels.get('ch-1');
    const again = await liftChannelBan(banDeps, operator, 'ch-1', 'u');

    expect([lifted.lifted, again.lifted]).toEqual([true, false]);
    expect(published.map((e) => e.kind)).toEqual(['USER_UNBANNED']);
    expect(moderation.channels.get('ch-1')).toBe(before);
  });

  it('let artists block in their own channel only, and never ban', async () => {
    const { banDeps } = setup();
    await expect(setChannelBlock(banDeps, artistOf('ch-1'), 'ch-1', 'u', {})).resolves.toBeDefined();
    expect(await rejection(setChannelBlock(banDeps, artistOf('ch-2'), 'ch-1', 'u', {}))).toMatchObject({
      status: 403,
    });
    expect(
      await rejection(setChannelBan(banDeps, artistOf('ch-1'), 'ch-1', 'u', { length: 60 })),
    ).toMatchObject({
      status: 403,
    });
  });
});

describe('global NG words', () => {
  it('replaces the list at the version read, de-duplicated, and refuses a stale version with 409', async () => {
    const { moderation, clock } = setup();
    const deps = { moderation, clock };

    const first = await replaceGlobalNgWords(deps, operator, ['spoiler', 'ＳＰＯＩＬＥＲ', 'leak'], 0);
    const stale = await rejection(replaceGlobalNgWords(deps, operator, ['other'], 0));
    const second = await replaceGlobalNgWords(deps, operator, ['leak', 'new'], 1);

    expect(first.list).toMatchObject({ words: ['spoiler', 'leak'], version: 1, updatedBy: 'operator-1' });
    expect(stale).toMatchObject({ status: 409, code: 'stale_version' });
    expect(second).toMatchObject({ added: ['new'], removed: ['spoiler'] });
    expect(await readGlobalNgWords(deps, operator)).toMatchObject({ words: ['leak', 'new'], version: 2 });
  });

  it('is for operators only', async () => {
    const { moderation, clock } = setup();
    expect(await rejection(readGlobalNgWords({ moderation, clock }, moderatorOf('ch-1')))).toMatchObject({
      status: 403,
    });
  });
});
