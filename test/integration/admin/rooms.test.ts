import { COMMENT_STYLE_IDS } from '../../../lambdas/domain/feed/comment-styles.js';
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { DynamoAuditStore } from '../../../lambdas/adapters/dynamodb/audit-store.js';
import { roomKey } from '../../../lambdas/adapters/dynamodb/keys.js';
import { RoomId, type Room } from '../../../lambdas/domain/rooms/room.js';
import { GLOBAL_EVENT, ROOM_EVENT } from '../../../lambdas/domain/realtime/subscriptions.js';
import {
  artistOf,
  callAdmin,
  moderatorOf,
  nobody,
  operator,
  publishedEvents,
  type Caller,
} from '../../helpers/admin.js';
import { liveEvent, postEvent } from '../../helpers/events.js';
import { integrationOptions, testFunctions } from '../../helpers/functions.js';
import { testStores } from '../../helpers/store.js';
import { signToken } from '../../helpers/tokens.js';
import { composeLocalFunctions } from '../../../local/composition.js';

/**
 * Rooms through the admin function: create, list, read, update, close and
 * connection info. Each test works in channels and rooms of its own, so the
 * shared DynamoDB Local never mixes them up.
 */
const stores = testStores();
const { postComment: postHandler, getLive: getLiveHandler } = testFunctions().handlers;
const audit = new DynamoAuditStore(stores.db, stores.tables.control);
const channel = () => `ch-${randomUUID().slice(0, 8)}`;
const freshId = () => `r-${randomUUID().slice(0, 12)}`;

async function newRoom(input: Parameters<typeof stores.room>[0] = {}) {
  const channelId = input.channelId ?? channel();
  return stores.room({ ...input, channelId });
}

const create = (body: unknown, caller: Caller = operator) =>
  callAdmin({ method: 'POST', path: '/admin/v1/rooms', caller, body });
const read = (roomId: string, caller: Caller = operator) =>
  callAdmin({ method: 'GET', path: `/admin/v1/rooms/${roomId}`, caller });
const patch = (roomId: string, body: unknown, caller: Caller = operator) =>
  callAdmin({ method: 'PATCH', path: `/admin/v1/rooms/${roomId}`, caller, body });
const close = (roomId: string, body: unknown, caller: Caller = operator) =>
  callAdmin({ method: 'POST', path: `/admin/v1/rooms/${roomId}/close`, caller, body });
const list = (query: Record<string, string>, caller: Caller = operator) =>
  callAdmin({ method: 'GET', path: '/admin/v1/rooms', caller, query });
const connection = (roomId: string, caller: Caller = operator, query?: Record<string, string>) =>
  callAdmin({
    method: 'GET',
    path: `/admin/v1/rooms/${roomId}/connection`,
    caller,
    ...(query ? { query } : {}),
  });

const auditEntries = async (roomId: string) => (await audit.list({ roomId }, 100)).entries;

/** A viewer's post through the post function, with a token the test JWKS signs. */
async function viewerPost(roomId: string, text: string) {
  const token = await signToken(inject('signingKey'), {
    sub: `viewer-${randomUUID().slice(0, 6)}`,
    name: 'Ada',
    issuer: 'https://host.test/',
    audience: 'hybrid-live-chat',
  });
  const result = await postHandler(
    postEvent(roomId, { text, clientMessageId: randomUUID() }, { Authorization: `Bearer ${token}` }),
  );
  return { status: result.statusCode, body: JSON.parse(result.body) };
}

async function live(roomId: string) {
  const result = await getLiveHandler(liveEvent(roomId));
  return JSON.parse(result.body);
}

/** The room, its pushes and its audit log are exactly as before the refused request. */
async function expectUnchanged(room: Room) {
  expect(await stores.rooms.get(room.roomId)).toEqual(room);
  expect(await publishedEvents(room.roomId)).toEqual([]);
  expect(await auditEntries(room.roomId)).toEqual([]);
}

describe('POST /admin/v1/rooms', () => {
  it('creates the room an operator describes, answers 201 with it and a Location, and audits it', async () => {
    const channelId = channel();
    const roomId = freshId();
    const body = {
      roomId,
      channelId,
      title: '  Live at Budokan  ',
      settings: { slowModeSeconds: 5, segmentSeconds: 20, ngWords: ['spoiler'], postingAllowed: 'everyone' },
      schedule: { startsAt: '2031-05-01T10:00:00.000Z', endsAt: '2031-05-01T13:00:00.000Z' },
      expectedViewers: 120_000,
      shards: 4,
    };

    const res = await create(body);

    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/admin/v1/rooms/${roomId}`);
    expect(res.headers['cache-control']).toBe('no-store');
    const room = res.body.room;
    expect(room).toEqual({
      roomId,
      channelId,
      title: 'Live at Budokan',
      status: 'open',
      settings: {
        slowModeSeconds: 5,
        maxCommentLength: 200,
        pollIntervalSeconds: 3,
        segmentSeconds: 20,
        ngWords: ['spoiler'],
        enabled: true,
        postingAllowed: 'everyone',
        commentStyles: [...COMMENT_STYLE_IDS], // every style, unless the operator narrows it
      },
      schedule: body.schedule,
      expectedViewers: 120_000,
      shards: { write: 4, read: 4 },
      bans: {},
      purges: {},
      version: 1,
      createdAt: expect.any(String),
      updatedAt: room.createdAt,
    });
    expect(await stores.rooms.get(roomId)).toEqual(room);
    const entries = await auditEntries(roomId);
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'room.create',
        roomId,
        channelId,
        target: roomId,
        actor: { userId: 'op-1', displayName: 'Olga Operator', roles: ['operator'] },
        details: expect.objectContaining({ title: 'Live at Budokan', shards: 4 }),
      }),
    ]);
  });

  it('gives the room the listing index attributes, so a new room is listed at once', async () => {
    const channelId = channel();
    const res = await create({ channelId, title: 'Indexed' });

    const { Item } = await stores.doc.send(
      new GetCommand({ TableName: stores.tables.control, Key: roomKey(res.body.room.roomId) }),
    );
    expect(Item).toMatchObject({
      gsi1pk: `rooms#${channelId}`,
      gsi1sk: `${res.body.room.createdAt}#${res.body.room.roomId}`,
      gsi2pk: 'rooms',
    });
    expect((await list({ channelId })).body.rooms.map((r: Room) => r.roomId)).toEqual([res.body.room.roomId]);
  });

  it('generates a short, URL-safe, unique id when none is given', async () => {
    const channelId = channel();
    const [a, b] = await Promise.all([
      create({ channelId, title: 'One' }),
      create({ channelId, title: 'Two' }),
    ]);

    expect([a.status, b.status]).toEqual([201, 201]);
    for (const res of [a, b]) {
      expect(res.body.room.roomId).toMatch(/^[0-9a-z]{12}$/);
      expect(RoomId.safeParse(res.body.room.roomId).success).toBe(true);
    }
    expect(a.body.room.roomId).not.toBe(b.body.room.roomId);
  });

  it('answers 409 room_exists for an id in use and changes nothing', async () => {
    const existing = await newRoom();

    const res = await create({ roomId: existing.roomId, channelId: channel(), title: 'Impostor' });

    expect(res.status).toBe(409);
    expect(res.body).toEqual({ code: 'room_exists', message: expect.any(String), retryable: false });
    await expectUnchanged(existing);
  });

  it.each([
    ['a moderator', moderatorOf('ch-x')],
    ['an artist', artistOf('ch-x')],
    ['a user in no group', nobody],
  ])('refuses %s with 403 and creates nothing', async (_, caller) => {
    const roomId = freshId();
    const res = await create({ roomId, channelId: 'ch-x', title: 'Not yours' }, caller);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
    expect(await stores.rooms.get(roomId)).toBeUndefined();
  });

  it.each([
    ['a title of the wrong type', { title: 5 }],
    ['no title', { title: undefined }],
    ['no channel', { channelId: undefined }],
    ['an empty title', { title: '   ' }],
    ['a title over 200 characters', { title: 'x'.repeat(201) }],
    ['a control character in the title', { title: 'bell\u0007' }],
    ['a line break in the title', { title: 'two\nlines' }],
    ['a bidi override in the title', { title: 'abc\u202Edef' }],
    ['an unknown field', { colour: 'red' }],
    ['an unknown setting', { settings: { theme: 'dark' } }],
    ['a setting out of bounds', { settings: { slowModeSeconds: 3601 } }],
    ['a setting of the wrong type', { settings: { enabled: 'yes' } }],
    ['a control character in an NG word', { settings: { ngWords: ['bad\u0000'] } }],
    ['an invisible NG word', { settings: { ngWords: ['\u200B'] } }],
    ['an NG word over 50 characters', { settings: { ngWords: ['x'.repeat(51)] } }],
    ['a room id with a slash', { roomId: 'a/b' }],
    ['a room id over 64 characters', { roomId: 'r'.repeat(65) }],
    ['a channel id with a #', { channelId: 'ch#1' }],
    ['no shards', { shards: 0 }],
    ['too many shards', { shards: 1000 }],
    ['a fractional viewer count', { expectedViewers: 1.5 }],
    [
      'a schedule that ends before it starts',
      { schedule: { startsAt: '2031-01-02T00:00:00Z', endsAt: '2031-01-01T00:00:00Z' } },
    ],
    ['a schedule time that is no time', { schedule: { startsAt: 'tomorrow' } }],
  ])('answers 400 invalid_body for %s and creates nothing', async (_, change) => {
    const roomId = freshId();
    const body = { roomId, channelId: channel(), title: 'Valid', ...change };

    const res = await create(body);

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 'invalid_body', message: expect.any(String), retryable: false });
    if (typeof body.roomId === 'string' && RoomId.safeParse(body.roomId).success) {
      expect(await stores.rooms.get(body.roomId)).toBeUndefined();
    }
  });

  it('names the broken field in its message', async () => {
    const res = await create({ channelId: channel(), title: 'x'.repeat(201) });
    expect(res.body.message).toMatch(/title: a title is at most 200 characters/);
  });

  it('refuses malformed JSON (400), another media type (415) and an oversized body (413)', async () => {
    const call = (rawBody: string, contentType = 'application/json') =>
      callAdmin({ method: 'POST', path: '/admin/v1/rooms', caller: operator, rawBody, contentType });
    expect((await call('{"title":')).body.code).toBe('invalid_json');
    expect((await call('title=x', 'application/x-www-form-urlencoded')).status).toBe(415);
    const big = await call(
      JSON.stringify({ channelId: 'c', title: 't', settings: { ngWords: ['x'.repeat(9000)] } }),
    );
    expect(big.status).toBe(413);
  });
});

describe('GET /admin/v1/rooms', () => {
  /** Rooms created at distinct, known times (1 s apart from `baseMs`), in `channelId`. */
  async function roomsIn(channelId: string, count: number, baseMs: number) {
    const rooms: Room[] = [];
    for (let i = 0; i < count; i++) {
      rooms.push(await stores.room({ channelId, createdAt: new Date(baseMs + i * 1000) }));
    }
    return rooms;
  }

  /** Every page of a listing, following nextCursor. */
  async function allPages(query: Record<string, string>, caller: Caller = operator) {
    const pages: Room[][] = [];
    let cursor: string | undefined;
    do {
      const res = await list({ ...query, ...(cursor ? { cursor } : {}) }, caller);
      expect(res.status).toBe(200);
      pages.push(res.body.rooms);
      cursor = res.body.nextCursor;
    } while (cursor);
    return pages;
  }

  const ids = (rooms: Room[]) => rooms.map((r) => r.roomId);

  it("pages through a channel's rooms newest first, without repeating or skipping one", async () => {
    const channelId = channel();
    const rooms = await roomsIn(channelId, 5, Date.UTC(2030, 0, 1));

    const pages = await allPages({ channelId, limit: '2' });

    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(ids(pages.flat())).toEqual(ids(rooms).reverse());
  });

  it('lists a room summary: no bans or purges, but their counts', async () => {
    const channelId = channel();
    const room = await newRoom({ channelId });
    await stores.rooms.updateBans(room.roomId, () => ({ troll: { bannedAt: new Date().toISOString() } }));

    const res = await list({ channelId });

    expect(res.body.rooms).toEqual([
      expect.objectContaining({
        roomId: room.roomId,
        title: room.title,
        version: 1,
        banCount: 1,
        purgeCount: 0,
      }),
    ]);
    expect(res.body.rooms[0].bans).toBeUndefined();
    expect(res.body.nextCursor).toBeUndefined();
  });

  it("merges a moderator's channels newest first and shows no other channel's rooms", async () => {
    const [a, b, other] = [channel(), channel(), channel()];
    const base = Date.UTC(2030, 5, 1);
    const inA = await roomsIn(a, 3, base);
    const inB = await roomsIn(b, 3, base + 500); // interleaved with a's
    await roomsIn(other, 2, base + 250);

    const pages = await allPages({ limit: '4' }, moderatorOf(a, b));

    expect(pages.map((p) => p.length)).toEqual([4, 2]);
    const expected = [...inA, ...inB].sort((x, y) => (x.createdAt < y.createdAt ? 1 : -1));
    expect(ids(pages.flat())).toEqual(ids(expected));
  });

  it('lets an operator list every channel, newest first, each room once', async () => {
    const mine = await roomsIn(channel(), 3, Date.UTC(2030, 2, 1));

    const rooms = (await allPages({ limit: '100' })).flat();

    const keys = rooms.map((r) => `${r.createdAt}#${r.roomId}`);
    expect(keys).toEqual([...keys].sort().reverse());
    expect(new Set(keys).size).toBe(keys.length);
    for (const room of mine) expect(ids(rooms)).toContain(room.roomId);
  });

  it.each([
    ['an operator', operator, 200],
    ['a moderator of the channel', 'moderator-own', 200],
    ['an artist of the channel', 'artist-own', 200],
    ['a moderator of another channel', moderatorOf('ch-elsewhere'), 403],
    ['an artist of another channel', artistOf('ch-elsewhere'), 403],
    ['a user in no group', nobody, 403],
  ] as const)('filtered by channel, answers %s with %i', async (_, who, status) => {
    const channelId = channel();
    const room = await newRoom({ channelId });
    const caller =
      who === 'moderator-own' ? moderatorOf(channelId) : who === 'artist-own' ? artistOf(channelId) : who;

    const res = await list({ channelId }, caller);

    expect(res.status).toBe(status);
    if (status === 200) expect(ids(res.body.rooms)).toEqual([room.roomId]);
    else expect(res.body.code).toBe('forbidden');
  });

  it('answers a moderator bound to no channel with no rooms, and a user in no group with 403', async () => {
    expect((await list({}, moderatorOf())).body).toEqual({ rooms: [] });
    expect((await list({}, nobody)).status).toBe(403);
  });

  it.each([
    ['limit', '0', 'invalid_limit'],
    ['limit', '101', 'invalid_limit'],
    ['limit', 'ten', 'invalid_limit'],
    ['limit', '-1', 'invalid_limit'],
    ['cursor', 'not a cursor!', 'invalid_cursor'],
    ['cursor', Buffer.from('{"pk":"room#x","sk":"room"}').toString('base64url'), 'invalid_cursor'],
    [
      'cursor',
      Buffer.from('{"before":"2030-01-01T00:00:00.000Z#a#b"}').toString('base64url'),
      'invalid_cursor',
    ],
    ['channelId', 'ch#1', 'invalid_channel_id'],
  ])('answers 400 for %s=%s', async (name, value, code) => {
    const res = await list({ [name]: value });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(code);
  });
});

describe('GET /admin/v1/rooms/{roomId}', () => {
  it('shows an admin everything: settings with NG words, bans, purges, version, schedule, shards', async () => {
    const room = await newRoom({
      settings: { ngWords: ['spoiler'] },
      schedule: { startsAt: '2031-01-01T00:00:00.000Z' },
      expectedViewers: 500,
      shards: 2,
    });
    await stores.rooms.updateBans(room.roomId, () => ({ troll: { bannedAt: '2030-01-01T00:00:00.000Z' } }));

    const res = await read(room.roomId);

    expect(res.status).toBe(200);
    expect(res.body.room).toEqual({ ...room, bans: { troll: { bannedAt: '2030-01-01T00:00:00.000Z' } } });
  });

  it.each([
    ['an operator', 'operator', 200],
    ['a moderator of its channel', 'moderator-own', 200],
    ['a moderator of another channel', 'moderator-other', 403],
    ['an artist of its channel', 'artist-own', 200],
    ['an artist of another channel', 'artist-other', 403],
    ['a user in no group', 'nobody', 403],
  ] as const)('answers %s with %i', async (_, who, status) => {
    const room = await newRoom();
    const res = await read(room.roomId, callerFor(who, room.channelId));
    expect(res.status).toBe(status);
    if (status === 403) expect(res.body.code).toBe('forbidden');
    else expect(res.body.room.roomId).toBe(room.roomId);
  });

  it('answers 404 for a missing room, but 403 to a caller with no role for it either way', async () => {
    const missing = freshId();
    expect((await read(missing)).body.code).toBe('room_not_found');
    expect((await read(missing, moderatorOf('ch-any'))).status).toBe(404);
    expect((await read(missing, nobody)).status).toBe(403);
  });

  it('answers 400 for a malformed room id', async () => {
    const res = await read('bad%23id');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_room_id');
  });
});

describe('PATCH /admin/v1/rooms/{roomId}', () => {
  it('changes title, schedule, viewers and settings in one write, bumps the version once, pushes, audits', async () => {
    const room = await newRoom({ settings: { ngWords: ['old'] } });

    const res = await patch(room.roomId, {
      version: 1,
      title: 'Encore',
      schedule: { endsAt: '2031-01-01T02:00:00.000Z' },
      expectedViewers: 9000,
      settings: { slowModeSeconds: 10, ngWords: ['spoiler'] },
    });

    expect(res.status).toBe(200);
    const stored = await stores.rooms.get(room.roomId);
    expect(res.body).toEqual({ room: stored, pushed: true });
    expect(stored).toEqual({
      ...room,
      title: 'Encore',
      schedule: { endsAt: '2031-01-01T02:00:00.000Z' },
      expectedViewers: 9000,
      settings: { ...room.settings, slowModeSeconds: 10, ngWords: ['spoiler'] },
      version: 2,
      updatedAt: expect.any(String),
    });
    const [event, ...more] = await publishedEvents(room.roomId);
    expect(more).toEqual([]);
    const { ngWords: _hidden, ...publicSettings } = room.settings;
    expect(event).toMatchObject({ kind: 'SETTINGS_CHANGED', roomId: room.roomId });
    // NG words are never sent to viewers.
    expect(event!.payload).toEqual({
      settings: { ...publicSettings, slowModeSeconds: 10 },
      version: 2,
      status: 'open',
    });
    expect(await auditEntries(room.roomId)).toEqual([
      expect.objectContaining({
        action: 'room.update',
        target: room.roomId,
        channelId: room.channelId,
        details: expect.objectContaining({
          fromVersion: 1,
          toVersion: 2,
          changes: expect.objectContaining({
            title: 'Encore',
            settings: { slowModeSeconds: 10, ngWords: ['spoiler'] },
          }),
        }),
      }),
    ]);
  });

  it('keeps every setting it was not asked to change', async () => {
    const room = await newRoom({
      settings: { ngWords: ['keep'], maxCommentLength: 50, pollIntervalSeconds: 5 },
    });

    await patch(room.roomId, { version: 1, settings: { slowModeSeconds: 3 } });

    expect((await stores.rooms.get(room.roomId))!.settings).toEqual({
      ...room.settings,
      slowModeSeconds: 3,
    });
  });

  it('merges the schedule: a given end replaces that end, null clears it', async () => {
    const room = await newRoom({
      schedule: { startsAt: '2031-01-01T00:00:00.000Z', endsAt: '2031-01-01T01:00:00.000Z' },
    });

    await patch(room.roomId, { version: 1, schedule: { endsAt: '2031-01-01T03:00:00.000Z' } });
    expect((await stores.rooms.get(room.roomId))!.schedule).toEqual({
      startsAt: '2031-01-01T00:00:00.000Z',
      endsAt: '2031-01-01T03:00:00.000Z',
    });
    await patch(room.roomId, { version: 2, schedule: { startsAt: null } });
    expect((await stores.rooms.get(room.roomId))!.schedule).toEqual({ endsAt: '2031-01-01T03:00:00.000Z' });
  });

  it('applies new settings on the post path and in live at once', async () => {
    const room = await newRoom();

    await patch(room.roomId, { version: 1, settings: { maxCommentLength: 5, pollIntervalSeconds: 7 } });

    const post = await viewerPost(room.roomId, 'far too long');
    expect(post.status).toBe(422);
    expect(post.body.code).toBe('text_too_long');
    const doc = await live(room.roomId);
    expect(doc.room.settings).toMatchObject({ maxCommentLength: 5, pollIntervalSeconds: 7 });
    expect(doc.room.settings.ngWords).toBeUndefined();
  });

  it('lets a moderator of the channel change settings, audited as room.settings', async () => {
    const room = await newRoom();

    const res = await patch(
      room.roomId,
      { version: 1, settings: { enabled: false } },
      moderatorOf(room.channelId),
    );

    expect(res.status).toBe(200);
    expect(res.body.room.settings.enabled).toBe(false);
    expect(await auditEntries(room.roomId)).toEqual([
      expect.objectContaining({
        action: 'room.settings',
        actor: expect.objectContaining({ userId: `mod-${room.channelId}`, roles: ['moderator'] }),
      }),
    ]);
  });

  it('publishes nothing when only the title changes', async () => {
    const room = await newRoom();
    const res = await patch(room.roomId, { version: 1, title: 'Renamed' });
    expect(res.body).toMatchObject({ room: { title: 'Renamed', version: 2 }, pushed: false });
    expect(await publishedEvents(room.roomId)).toEqual([]);
  });

  it.each([
    ['a moderator of its channel changing the title', 'moderator-own', { title: 'Mine now' }],
    [
      'a moderator of its channel changing title and settings',
      'moderator-own',
      { title: 'x', settings: { slowModeSeconds: 1 } },
    ],
    [
      'a moderator of another channel changing settings',
      'moderator-other',
      { settings: { slowModeSeconds: 1 } },
    ],
    ['an artist of its channel changing settings', 'artist-own', { settings: { slowModeSeconds: 1 } }],
    ['an artist of another channel changing settings', 'artist-other', { settings: { slowModeSeconds: 1 } }],
    ['a user in no group changing settings', 'nobody', { settings: { slowModeSeconds: 1 } }],
  ] as const)('refuses %s with 403 and changes nothing', async (_, who, change) => {
    const room = await newRoom();
    const res = await patch(room.roomId, { version: 1, ...change }, callerFor(who, room.channelId));
    expect(res.status).toBe(403);
    await expectUnchanged(room);
  });

  it('lets an operator change settings too', async () => {
    const room = await newRoom();
    const res = await patch(room.roomId, { version: 1, settings: { postingAllowed: 'nobody' } });
    expect(res.status).toBe(200);
    expect(res.body.room.settings.postingAllowed).toBe('nobody');
  });

  it('answers 409 stale_version for a version the room has moved past, and changes nothing', async () => {
    const room = await newRoom();
    expect((await patch(room.roomId, { version: 1, title: 'First' })).status).toBe(200);
    const afterFirst = (await stores.rooms.get(room.roomId))!;
    const eventsBefore = await publishedEvents(room.roomId);
    const auditBefore = await auditEntries(room.roomId);

    const res = await patch(room.roomId, { version: 1, settings: { slowModeSeconds: 30 } });

    expect(res.status).toBe(409);
    expect(res.body).toEqual({ code: 'stale_version', message: expect.any(String), retryable: false });
    expect(await stores.rooms.get(room.roomId)).toEqual(afterFirst);
    expect(await publishedEvents(room.roomId)).toEqual(eventsBefore);
    expect(await auditEntries(room.roomId)).toEqual(auditBefore);
  });

  it('lets exactly one of two concurrent changes at the same version through', async () => {
    const room = await newRoom();

    const results = await Promise.all([
      patch(room.roomId, { version: 1, settings: { slowModeSeconds: 1 } }),
      patch(room.roomId, { version: 1, settings: { slowModeSeconds: 2 } }),
    ]);

    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await stores.rooms.get(room.roomId))!.version).toBe(2);
  });

  it('refuses to change the segment length with 422 segment_length_fixed', async () => {
    const room = await newRoom();
    const res = await patch(room.roomId, { version: 1, settings: { segmentSeconds: 30 } });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('segment_length_fixed');
    expect(res.body.message).toMatch(/fixed when a room is created/);
    await expectUnchanged(room);
  });

  it('refuses a schedule that would end before it starts with 422 invalid_schedule', async () => {
    const room = await newRoom({ schedule: { startsAt: '2031-01-01T10:00:00.000Z' } });
    const res = await patch(room.roomId, { version: 1, schedule: { endsAt: '2031-01-01T09:00:00.000Z' } });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('invalid_schedule');
    await expectUnchanged(room);
  });

  it.each([
    ['no version', { title: 'x' }, 'invalid_body'],
    ['a version of the wrong type', { version: '1', title: 'x' }, 'invalid_body'],
    ['nothing to change', { version: 1 }, 'nothing_to_change'],
    ['empty settings only', { version: 1, settings: {} }, 'nothing_to_change'],
    ['a title over 200 characters', { version: 1, title: 'x'.repeat(201) }, 'invalid_body'],
    ['a control character in the title', { version: 1, title: 'esc\u001b[31m' }, 'invalid_body'],
    ['a control character in an NG word', { version: 1, settings: { ngWords: ['a\u0085'] } }, 'invalid_body'],
    [
      'more than 500 NG words',
      { version: 1, settings: { ngWords: Array.from({ length: 501 }, (_, i) => `w${i}`) } },
      'invalid_body',
    ],
    ['an unknown field', { version: 1, status: 'closed' }, 'invalid_body'],
    ['an unknown setting', { version: 1, settings: { colour: 'red' } }, 'invalid_body'],
    ['a setting out of bounds', { version: 1, settings: { pollIntervalSeconds: 0 } }, 'invalid_body'],
    ['a setting of the wrong type', { version: 1, settings: { postingAllowed: 'some' } }, 'invalid_body'],
    ['an unknown schedule field', { version: 1, schedule: { at: '2031-01-01T00:00:00Z' } }, 'invalid_body'],
    ['negative expected viewers', { version: 1, expectedViewers: -1 }, 'invalid_body'],
  ])('answers 400 for %s and changes nothing', async (_, body, code) => {
    const room = await newRoom();
    const res = await patch(room.roomId, body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(code);
    await expectUnchanged(room);
  });

  it('answers 404 for a missing room, 403 to a caller with no role for the change either way', async () => {
    const missing = freshId();
    expect((await patch(missing, { version: 1, title: 'x' })).status).toBe(404);
    expect(
      (await patch(missing, { version: 1, settings: { enabled: false } }, moderatorOf('c'))).status,
    ).toBe(404);
    expect((await patch(missing, { version: 1, title: 'x' }, moderatorOf('c'))).status).toBe(403);
    expect((await patch(missing, { version: 1, settings: { enabled: false } }, nobody)).status).toBe(403);
    expect(await stores.rooms.get(missing)).toBeUndefined();
  });
});

describe('POST /admin/v1/rooms/{roomId}/close', () => {
  it('closes the room: posts get 403 room_closed, SETTINGS_CHANGED says closed, the change is audited', async () => {
    const room = await newRoom();

    const res = await close(room.roomId, { version: 1 });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      room: { ...room, status: 'closed', version: 2, updatedAt: expect.any(String) },
      pushed: true,
    });
    const post = await viewerPost(room.roomId, 'anyone there?');
    expect(post.status).toBe(403);
    expect(post.body.code).toBe('room_closed');
    expect((await live(room.roomId)).room.status).toBe('closed');
    expect(await publishedEvents(room.roomId)).toEqual([
      expect.objectContaining({
        kind: 'SETTINGS_CHANGED',
        payload: { settings: expect.objectContaining({ slowModeSeconds: 0 }), version: 2, status: 'closed' },
      }),
    ]);
    expect(await auditEntries(room.roomId)).toEqual([
      expect.objectContaining({
        action: 'room.close',
        target: room.roomId,
        details: expect.objectContaining({ toVersion: 2 }),
      }),
    ]);
  });

  it('answers a repeated close with the closed room, whatever the version, changing and auditing nothing', async () => {
    const room = await newRoom();
    await close(room.roomId, { version: 1 });
    const closed = await stores.rooms.get(room.roomId);

    const again = await close(room.roomId, { version: 1 });

    expect(again.status).toBe(200);
    expect(again.body).toEqual({ room: closed, pushed: false });
    expect(await stores.rooms.get(room.roomId)).toEqual(closed);
    expect(await publishedEvents(room.roomId)).toHaveLength(1);
    expect(await auditEntries(room.roomId)).toHaveLength(1);
  });

  it('answers 409 stale_version for an open room at another version', async () => {
    const room = await newRoom();
    const res = await close(room.roomId, { version: 7 });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('stale_version');
    await expectUnchanged(room);
  });

  it.each([
    ['a moderator of its channel', 'moderator-own'],
    ['an artist of its channel', 'artist-own'],
    ['a moderator of another channel', 'moderator-other'],
    ['a user in no group', 'nobody'],
  ] as const)('refuses %s with 403', async (_, who) => {
    const room = await newRoom();
    const res = await close(room.roomId, { version: 1 }, callerFor(who, room.channelId));
    expect(res.status).toBe(403);
    await expectUnchanged(room);
  });

  it.each([
    ['no version', {}],
    ['a version of the wrong type', { version: 'one' }],
    ['a version of 0', { version: 0 }],
    ['an unknown field', { version: 1, reason: 'done' }],
  ])('answers 400 for %s', async (_, body) => {
    const room = await newRoom();
    const res = await close(room.roomId, body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_body');
    await expectUnchanged(room);
  });

  it('answers 404 for a missing room', async () => {
    const res = await close(freshId(), { version: 1 });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('room_not_found');
  });
});

describe('GET /admin/v1/rooms/{roomId}/connection', () => {
  it('tells a player where to poll, post and subscribe, with a snippet', async () => {
    const room = await newRoom({ settings: { pollIntervalSeconds: 4, segmentSeconds: 15 } });
    const base = `${inject('captureUrl')}/v1/rooms/${room.roomId}`;

    const res = await connection(room.roomId);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      roomId: room.roomId,
      channelId: room.channelId,
      status: 'open',
      pollIntervalSeconds: 4,
      segmentSeconds: 15,
      roomUrl: base,
      pollUrl: `${base}/live`,
      pollTickUrlTemplate: `${base}/live/{tick}`,
      segmentUrlTemplate: `${base}/segments/{n}`,
      postUrl: `${base}/comments`,
      graphqlUrl: 'https://appsync.test/graphql',
      realtimeUrl: 'wss://appsync-realtime.test/graphql/realtime',
      apiKey: 'da2-testkey',
      subscriptions: {
        room: { query: ROOM_EVENT, variables: { roomId: room.roomId } },
        global: { query: GLOBAL_EVENT, variables: {} },
      },
      snippet: expect.stringContaining(`src="${inject('captureUrl')}/player/embed.js"`),
    });
    expect(res.body.snippet).toContain(`room="${room.roomId}"`);
    expect(await auditEntries(room.roomId)).toEqual([]);
  });

  it('answers ?format=snippet with the snippet alone, as HTML', async () => {
    const room = await newRoom();
    const info = await connection(room.roomId);

    const res = await connection(room.roomId, operator, { format: 'snippet' });

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).toBe(info.body.snippet);
    expect(res.text).toMatch(/^<!-- Hybrid live chat/);
  });

  it.each([
    ['an operator', 'operator', 200],
    ['a moderator of its channel', 'moderator-own', 200],
    ['a moderator of another channel', 'moderator-other', 403],
    ['an artist of its channel', 'artist-own', 200],
    ['an artist of another channel', 'artist-other', 403],
    ['a user in no group', 'nobody', 403],
  ] as const)('answers %s with %i', async (_, who, status) => {
    const room = await newRoom();
    const res = await connection(room.roomId, callerFor(who, room.channelId));
    expect(res.status).toBe(status);
  });

  it('answers 400 for an unknown format and 404 for a missing room', async () => {
    const room = await newRoom();
    expect((await connection(room.roomId, operator, { format: 'xml' })).body.code).toBe('invalid_format');
    expect((await connection(freshId())).body.code).toBe('room_not_found');
  });

  it('answers 503 realtime_not_configured when the realtime client settings are missing', async () => {
    const options = integrationOptions();
    const { apiKey: _left, ...realtime } = options.realtime;
    const withoutKey = composeLocalFunctions({ ...options, realtime });
    const room = await newRoom();
    const res = await callAdmin(
      { method: 'GET', path: `/admin/v1/rooms/${room.roomId}/connection`, caller: operator },
      withoutKey.handlers.admin,
    );
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('realtime_not_configured');
    expect(res.body.message).toMatch(/REALTIME_API_KEY/);
  });
});

type Who = 'operator' | 'moderator-own' | 'moderator-other' | 'artist-own' | 'artist-other' | 'nobody';

/** The caller for a role, bound to the room's channel (`-own`) or to another one (`-other`). */
function callerFor(who: Who, channelId: string): Caller {
  switch (who) {
    case 'operator':
      return operator;
    case 'moderator-own':
      return moderatorOf(channelId);
    case 'moderator-other':
      return moderatorOf(`${channelId}-other`);
    case 'artist-own':
      return artistOf(channelId);
    case 'artist-other':
      return artistOf(`${channelId}-other`);
    case 'nobody':
      return nobody;
  }
}
