import { describe, expect, it } from 'vitest';
import { DynamoModerationStore } from '../../../lambdas/adapters/dynamodb/moderation-store.js';
import { artistOf, callAdmin, moderatorOf, operator, publishedEvents } from '../../helpers/admin.js';
import {
  auditOf,
  CALLER_KINDS,
  callerFor,
  liveOf,
  stores,
  uid,
  viewerPost,
} from '../../helpers/moderation.js';

/** A fresh channel with one open room. */
async function aChannelRoom() {
  return stores.room({ channelId: uid('ch') });
}

const roomBan = (roomId: string, userId: string) =>
  `/admin/v1/rooms/${roomId}/bans/${encodeURIComponent(userId)}`;
const channelBan = (channelId: string, userId: string) =>
  `/admin/v1/channels/${channelId}/bans/${encodeURIComponent(userId)}`;
const channelBlock = (channelId: string, userId: string) =>
  `/admin/v1/channels/${channelId}/blocks/${encodeURIComponent(userId)}`;
const lengthOf = (ban: { bannedAt: string; until: string }) =>
  (Date.parse(ban.until) - Date.parse(ban.bannedAt)) / 1000;

/** Role expectations per caller kind: who may ban (operators, the channel's moderators) and who may block (also its artists). */
const MAY_BAN = new Set(['operator', 'moderator of the channel']);
const MAY_BLOCK = new Set([...MAY_BAN, 'artist of the channel']);

/** Bad PUT bodies for a ban; each must answer 400 and write nothing. */
const BAD_BAN_BODIES: [string, unknown][] = [
  ['a duration of 0', { durationSeconds: 0 }],
  ['a negative duration', { durationSeconds: -60 }],
  ['a fractional duration', { durationSeconds: 1.5 }],
  ['a duration over a year', { durationSeconds: 365 * 86_400 + 1 }],
  ['a huge duration', { durationSeconds: 1e15 }],
  ['a duration that is a string', { durationSeconds: '60' }],
  ['timeout false', { timeout: false }],
  ['both a duration and a timeout', { durationSeconds: 60, timeout: true }],
  ['a reason over 200 characters', { reason: 'r'.repeat(201) }],
  ['a reason with a control character', { reason: 'spam\u0007' }],
  ['a reason that is a number', { reason: 5 }],
  ['an unknown field', { durationSeconds: 60, scope: 'channel' }],
  ['an array', [60]],
];

describe('room bans', () => {
  it.each(CALLER_KINDS)('PUT answers %s as its role allows', async (kind) => {
    const room = await aChannelRoom();
    const res = await callAdmin({
      method: 'PUT',
      path: roomBan(room.roomId, 'u'),
      caller: callerFor(kind, room.channelId),
    });
    expect(res.status).toBe(MAY_BAN.has(kind) ? 200 : 403);
    expect(Object.keys((await stores.rooms.get(room.roomId))!.bans)).toEqual(MAY_BAN.has(kind) ? ['u'] : []);
  });

  it.each(CALLER_KINDS)('DELETE answers %s as its role allows', async (kind) => {
    const room = await aChannelRoom();
    await callAdmin({ method: 'PUT', path: roomBan(room.roomId, 'u'), caller: operator });
    const res = await callAdmin({
      method: 'DELETE',
      path: roomBan(room.roomId, 'u'),
      caller: callerFor(kind, room.channelId),
    });
    expect(res.status).toBe(MAY_BAN.has(kind) ? 200 : 403);
    expect(Object.keys((await stores.rooms.get(room.roomId))!.bans)).toEqual(MAY_BAN.has(kind) ? [] : ['u']);
  });

  it.each(CALLER_KINDS)('GET answers %s as its role allows', async (kind) => {
    const room = await aChannelRoom();
    const res = await callAdmin({
      method: 'GET',
      path: `/admin/v1/rooms/${room.roomId}/bans`,
      caller: callerFor(kind, room.channelId),
    });
    expect(res.status).toBe(MAY_BAN.has(kind) ? 200 : 403);
  });

  it('bans permanently without a body: the post is refused, the comments leave live, viewers are told', async () => {
    const room = await aChannelRoom();
    const before = await viewerPost(room.roomId, 'troll', 'first');

    const res = await callAdmin({
      method: 'PUT',
      path: roomBan(room.roomId, 'troll'),
      caller: moderatorOf(room.channelId),
    });
    const refused = await viewerPost(room.roomId, 'troll', 'again');

    expect(res.status).toBe(200);
    expect(res.body.ban).toEqual({
      userId: 'troll',
      scope: 'room',
      bannedAt: expect.any(String),
      by: `mod-${room.channelId}`,
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'banned', retryable: false });
    const live = await liveOf(room.roomId);
    expect(live.comments.map((c) => c.id)).not.toContain(before.body.comment.id);
    expect(live.bans).toEqual([{ userId: 'troll', scope: 'room' }]);
    expect((await publishedEvents(room.roomId)).map((e) => [e.kind, e.payload])).toEqual([
      ['USER_BANNED', { userId: 'troll', scope: 'room' }],
    ]);
    expect(await auditOf({ roomId: room.roomId })).toEqual([
      expect.objectContaining({ action: 'bans.room', target: 'troll', details: { permanent: true } }),
    ]);
  });

  it('climbs the timeout ladder 60 s → 5 min → 1 h → 24 h and stays at 24 h', async () => {
    const room = await aChannelRoom();
    const bans = [];
    for (let i = 0; i < 6; i++) {
      const res = await callAdmin({
        method: 'PUT',
        path: roomBan(room.roomId, 'noisy'),
        caller: operator,
        body: { timeout: true, reason: 'caps' },
      });
      expect(res.status).toBe(200);
      bans.push(res.body.ban);
    }
    expect(bans.map(lengthOf)).toEqual([60, 300, 3_600, 86_400, 86_400, 86_400]);
    expect(bans.map((b) => b.strikes)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(bans[0]).toMatchObject({ reason: 'caps', by: 'op-1' });
  });

  it('bans for an explicit duration, and lifting lets the user post again; lifting twice is a no-op', async () => {
    const room = await aChannelRoom();
    const put = await callAdmin({
      method: 'PUT',
      path: roomBan(room.roomId, 'u'),
      caller: operator,
      body: { durationSeconds: 600 },
    });
    const lifted = await callAdmin({ method: 'DELETE', path: roomBan(room.roomId, 'u'), caller: operator });
    const again = await callAdmin({ method: 'DELETE', path: roomBan(room.roomId, 'u'), caller: operator });
    const post = await viewerPost(room.roomId, 'u', 'back');

    expect(lengthOf(put.body.ban)).toBe(600);
    expect(lifted.body).toMatchObject({ userId: 'u', lifted: true, pushed: true });
    expect(again.body).toMatchObject({ lifted: false, pushed: false });
    expect(post.status).toBe(201);
    expect((await publishedEvents(room.roomId)).map((e) => e.kind)).toEqual(['USER_BANNED', 'USER_UNBANNED']);
    expect((await auditOf({ roomId: room.roomId })).map((e) => e.details)).toEqual([
      { lifted: true },
      { durationSeconds: 600, until: put.body.ban.until },
    ]);
  });

  it.each(BAD_BAN_BODIES)('answers 400 for %s and writes nothing', async (_, body) => {
    const room = await aChannelRoom();
    const res = await callAdmin({ method: 'PUT', path: roomBan(room.roomId, 'u'), caller: operator, body });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_body', retryable: false });
    expect((await stores.rooms.get(room.roomId))!.bans).toEqual({});
    expect(await publishedEvents(room.roomId)).toEqual([]);
  });

  it.each([
    ['a control character', 'bad\u0007user', 'invalid_user_id'],
    ['a format character', 'bad\u200Buser', 'invalid_user_id'],
    ['129 characters', 'u'.repeat(129), 'invalid_user_id'],
  ])('answers 400 for a user id with %s', async (_, userId, code) => {
    const room = await aChannelRoom();
    const res = await callAdmin({ method: 'PUT', path: roomBan(room.roomId, userId), caller: operator });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(code);
    expect((await stores.rooms.get(room.roomId))!.bans).toEqual({});
  });

  it('answers 404 for a room that does not exist, 403 for a moderator of another channel', async () => {
    const room = await aChannelRoom();
    const missing = await callAdmin({ method: 'PUT', path: roomBan(uid('r'), 'u'), caller: operator });
    const missingForArtist = await callAdmin({
      method: 'PUT',
      path: roomBan(uid('r'), 'u'),
      caller: artistOf('x'),
    });
    const other = await callAdmin({
      method: 'PUT',
      path: roomBan(room.roomId, 'u'),
      caller: moderatorOf('another'),
    });

    expect(missing.status).toBe(404);
    expect(missingForArtist.status).toBe(403);
    expect(other.status).toBe(403);
    expect((await stores.rooms.get(room.roomId))!.bans).toEqual({});
  });

  it('lists the room’s bans with the channel’s bans and blocks that apply, each with its scope', async () => {
    const room = await aChannelRoom();
    await callAdmin({
      method: 'PUT',
      path: roomBan(room.roomId, 'r'),
      caller: operator,
      body: { durationSeconds: 60 },
    });
    await callAdmin({
      method: 'PUT',
      path: channelBan(room.channelId, 'c'),
      caller: operator,
      body: { reason: 'spam' },
    });
    await callAdmin({
      method: 'PUT',
      path: channelBlock(room.channelId, 'b'),
      caller: artistOf(room.channelId),
    });

    const res = await callAdmin({
      method: 'GET',
      path: `/admin/v1/rooms/${room.roomId}/bans`,
      caller: moderatorOf(room.channelId),
    });

    expect(res.body.bans).toEqual([
      expect.objectContaining({ userId: 'r', scope: 'room', type: 'ban', until: expect.any(String) }),
      expect.objectContaining({ userId: 'c', scope: 'channel', type: 'ban', reason: 'spam', by: 'op-1' }),
      expect.objectContaining({
        userId: 'b',
        scope: 'channel',
        type: 'block',
        by: `artist-${room.channelId}`,
      }),
    ]);
  });
});

describe('channel bans', () => {
  it.each(CALLER_KINDS)('PUT answers %s as its role allows', async (kind) => {
    const channelId = uid('ch');
    const res = await callAdmin({
      method: 'PUT',
      path: channelBan(channelId, 'u'),
      caller: callerFor(kind, channelId),
    });
    const list = await callAdmin({
      method: 'GET',
      path: `/admin/v1/channels/${channelId}/bans`,
      caller: operator,
    });
    expect(res.status).toBe(MAY_BAN.has(kind) ? 200 : 403);
    expect(list.body.bans.map((b: { userId: string }) => b.userId)).toEqual(MAY_BAN.has(kind) ? ['u'] : []);
  });

  it.each(CALLER_KINDS)('DELETE answers %s as its role allows', async (kind) => {
    const channelId = uid('ch');
    await callAdmin({ method: 'PUT', path: channelBan(channelId, 'u'), caller: operator });
    const res = await callAdmin({
      method: 'DELETE',
      path: channelBan(channelId, 'u'),
      caller: callerFor(kind, channelId),
    });
    const list = await callAdmin({
      method: 'GET',
      path: `/admin/v1/channels/${channelId}/bans`,
      caller: operator,
    });
    expect(res.status).toBe(MAY_BAN.has(kind) ? 200 : 403);
    expect(list.body.bans).toHaveLength(MAY_BAN.has(kind) ? 0 : 1);
  });

  it.each(CALLER_KINDS)('GET answers %s as its role allows', async (kind) => {
    const channelId = uid('ch');
    const res = await callAdmin({
      method: 'GET',
      path: `/admin/v1/channels/${channelId}/bans`,
      caller: callerFor(kind, channelId),
    });
    expect(res.status).toBe(MAY_BAN.has(kind) ? 200 : 403);
    if (res.status === 200) expect(res.body).toEqual({ bans: [] });
  });

  it('refuses the user in every room of the channel, hides their comments, and tells every open room', async () => {
    // Prepare: two open rooms and a closed one in the channel, and a room elsewhere.
    const a = await aChannelRoom();
    const b = await stores.room({ channelId: a.channelId });
    const closed = await stores.room({ channelId: a.channelId, status: 'closed' });
    const elsewhere = await aChannelRoom();
    const earlier = await viewerPost(a.roomId, 'troll', 'hi');

    // Act
    const res = await callAdmin({
      method: 'PUT',
      path: channelBan(a.channelId, 'troll'),
      caller: moderatorOf(a.channelId),
      body: { durationSeconds: 3_600, reason: 'harassment' },
    });

    // Assess
    expect(res.status).toBe(200);
    const { until } = res.body.ban;
    expect(res.body).toMatchObject({
      ban: { userId: 'troll', scope: 'channel', reason: 'harassment' },
      fanout: { rooms: 2, pushed: 2 },
    });
    for (const room of [a, b]) {
      const refused = await viewerPost(room.roomId, 'troll', 'again');
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('banned');
      expect(refused.body.message).toContain(until);
      expect((await liveOf(room.roomId)).bans).toEqual([{ userId: 'troll', until, scope: 'channel' }]);
      expect((await publishedEvents(room.roomId)).map((e) => [e.kind, e.payload])).toEqual([
        ['USER_BANNED', { userId: 'troll', scope: 'channel', until }],
      ]);
    }
    expect((await liveOf(a.roomId)).comments.map((c) => c.id)).not.toContain(earlier.body.comment.id);
    expect(await publishedEvents(closed.roomId)).toEqual([]);
    expect(await publishedEvents(elsewhere.roomId)).toEqual([]);
    expect((await viewerPost(elsewhere.roomId, 'troll', 'fine here')).status).toBe(201);
    expect(await auditOf({ channelId: a.channelId })).toEqual([
      expect.objectContaining({
        action: 'bans.channel',
        target: 'troll',
        details: { durationSeconds: 3_600, until, reason: 'harassment' },
      }),
    ]);
  });

  it('lets the user post again once lifted, pushing USER_UNBANNED; lifting again changes nothing', async () => {
    const room = await aChannelRoom();
    await callAdmin({ method: 'PUT', path: channelBan(room.channelId, 'u'), caller: operator });

    const lifted = await callAdmin({
      method: 'DELETE',
      path: channelBan(room.channelId, 'u'),
      caller: operator,
    });
    const again = await callAdmin({
      method: 'DELETE',
      path: channelBan(room.channelId, 'u'),
      caller: operator,
    });
    const post = await viewerPost(room.roomId, 'u', 'back again');

    expect(lifted.body).toMatchObject({ lifted: true, fanout: { rooms: 1, pushed: 1 } });
    expect(again.body).toMatchObject({ lifted: false, fanout: { rooms: 0, pushed: 0 } });
    expect(post.status).toBe(201);
    expect((await liveOf(room.roomId)).bans).toEqual([]);
    expect((await publishedEvents(room.roomId)).map((e) => [e.kind, e.payload])).toEqual([
      ['USER_BANNED', { userId: 'u', scope: 'channel' }],
      ['USER_UNBANNED', { userId: 'u', scope: 'channel' }],
    ]);
    expect((await auditOf({ channelId: room.channelId })).map((e) => e.details)).toEqual([
      { lifted: true },
      { permanent: true },
    ]);
  });

  it('keeps every one of 10 concurrent bans and blocks (revision-conditioned writes)', async () => {
    const channelId = uid('ch');

    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        callAdmin({
          method: 'PUT',
          path: i % 2 ? channelBan(channelId, `u${i}`) : channelBlock(channelId, `u${i}`),
          caller: operator,
        }),
      ),
    );

    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    const item = (await moderationItem(channelId))!;
    expect(Object.keys(item.bans).sort()).toEqual(['u1', 'u3', 'u5', 'u7', 'u9']);
    expect(Object.keys(item.blocks).sort()).toEqual(['u0', 'u2', 'u4', 'u6', 'u8']);
  });

  it('climbs its own timeout ladder, apart from the rooms’', async () => {
    const room = await aChannelRoom();
    await callAdmin({
      method: 'PUT',
      path: roomBan(room.roomId, 'u'),
      caller: operator,
      body: { timeout: true },
    });
    const lengths = [];
    for (let i = 0; i < 5; i++) {
      const res = await callAdmin({
        method: 'PUT',
        path: channelBan(room.channelId, 'u'),
        caller: operator,
        body: { timeout: true },
      });
      lengths.push(lengthOf(res.body.ban));
    }
    expect(lengths).toEqual([60, 300, 3_600, 86_400, 86_400]);
  });

  it.each(BAD_BAN_BODIES)('answers 400 for %s and writes nothing', async (_, body) => {
    const channelId = uid('ch');
    const res = await callAdmin({ method: 'PUT', path: channelBan(channelId, 'u'), caller: operator, body });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_body' });
    expect(await moderationItem(channelId)).toBeUndefined();
  });

  it.each([
    ['a channel id with a #', channelBan('ch%23x', 'u'), 'invalid_channel_id'],
    ['a channel id over 64 characters', channelBan('c'.repeat(65), 'u'), 'invalid_channel_id'],
    ['a user id with a control character', channelBan('ch-ok', 'a\u0000b'), 'invalid_user_id'],
  ])('answers 400 for %s', async (_, path, code) => {
    const res = await callAdmin({ method: 'PUT', path, caller: operator });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(code);
  });
});

describe('channel blocks', () => {
  it.each(CALLER_KINDS)('PUT answers %s as its role allows', async (kind) => {
    const channelId = uid('ch');
    const res = await callAdmin({
      method: 'PUT',
      path: channelBlock(channelId, 'u'),
      caller: callerFor(kind, channelId),
    });
    expect(res.status).toBe(MAY_BLOCK.has(kind) ? 200 : 403);
    expect(Object.keys((await moderationItem(channelId))?.blocks ?? {})).toEqual(
      MAY_BLOCK.has(kind) ? ['u'] : [],
    );
  });

  it.each(CALLER_KINDS)('DELETE answers %s as its role allows', async (kind) => {
    const channelId = uid('ch');
    await callAdmin({ method: 'PUT', path: channelBlock(channelId, 'u'), caller: operator });
    const res = await callAdmin({
      method: 'DELETE',
      path: channelBlock(channelId, 'u'),
      caller: callerFor(kind, channelId),
    });
    expect(res.status).toBe(MAY_BLOCK.has(kind) ? 200 : 403);
    expect(Object.keys((await moderationItem(channelId))!.blocks)).toEqual(MAY_BLOCK.has(kind) ? [] : ['u']);
  });

  it.each(CALLER_KINDS)('GET answers %s as its role allows', async (kind) => {
    const channelId = uid('ch');
    const res = await callAdmin({
      method: 'GET',
      path: `/admin/v1/channels/${channelId}/blocks`,
      caller: callerFor(kind, channelId),
    });
    expect(res.status).toBe(MAY_BLOCK.has(kind) ? 200 : 403);
  });

  it('keeps a blocked viewer out of all the broadcaster’s streams until unblocked', async () => {
    const room = await aChannelRoom();
    const earlier = await viewerPost(room.roomId, 'stalker', 'hi');

    const blocked = await callAdmin({
      method: 'PUT',
      path: channelBlock(room.channelId, 'stalker'),
      caller: artistOf(room.channelId),
      body: { reason: 'creepy' },
    });
    const refused = await viewerPost(room.roomId, 'stalker', 'hello?');
    const liveWhileBlocked = await liveOf(room.roomId);
    const listed = await callAdmin({
      method: 'GET',
      path: `/admin/v1/channels/${room.channelId}/blocks`,
      caller: artistOf(room.channelId),
    });
    const unblocked = await callAdmin({
      method: 'DELETE',
      path: channelBlock(room.channelId, 'stalker'),
      caller: artistOf(room.channelId),
    });
    const after = await viewerPost(room.roomId, 'stalker', 'ok now');

    expect(blocked.status).toBe(200);
    expect(blocked.body.block).toMatchObject({ userId: 'stalker', scope: 'channel', reason: 'creepy' });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('blocked');
    expect(liveWhileBlocked.comments.map((c) => c.id)).not.toContain(earlier.body.comment.id);
    expect(liveWhileBlocked.bans).toEqual([{ userId: 'stalker', scope: 'channel' }]);
    expect(listed.body.blocks).toEqual([
      expect.objectContaining({ userId: 'stalker', type: 'block', reason: 'creepy' }),
    ]);
    expect(unblocked.body).toMatchObject({ lifted: true });
    expect(after.status).toBe(201);
    expect((await liveOf(room.roomId)).comments.map((c) => c.id)).toContain(earlier.body.comment.id);
    expect((await publishedEvents(room.roomId)).map((e) => [e.kind, e.payload])).toEqual([
      ['USER_BANNED', { userId: 'stalker', scope: 'channel' }],
      ['USER_UNBANNED', { userId: 'stalker', scope: 'channel' }],
    ]);
    expect((await auditOf({ channelId: room.channelId })).map((e) => [e.action, e.details])).toEqual([
      ['blocks.change', { blocked: false }],
      ['blocks.change', { blocked: true, reason: 'creepy' }],
    ]);
  });

  it.each([
    ['a duration (blocks are permanent)', { durationSeconds: 60 }],
    ['a reason that is not a string', { reason: ['x'] }],
    ['a reason with a bidi control', { reason: 'a\u202Eb' }],
    ['an empty reason', { reason: '  ' }],
  ])('answers 400 for %s and writes nothing', async (_, body) => {
    const channelId = uid('ch');
    const res = await callAdmin({
      method: 'PUT',
      path: channelBlock(channelId, 'u'),
      caller: operator,
      body,
    });
    expect(res.status).toBe(400);
    expect(await moderationItem(channelId)).toBeUndefined();
  });
});

/** The channel's moderation item as stored, or undefined. */
function moderationItem(channelId: string) {
  return new DynamoModerationStore(stores.doc, stores.tables.control).channel(channelId);
}
