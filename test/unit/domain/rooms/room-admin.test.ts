import { describe, expect, it, vi } from 'vitest';
import type { RoomLister, RoomPage, RoomPatch, RoomUpdater } from '../../../../lambdas/domain/rooms/ports.js';
import type { Principal, Role } from '../../../../lambdas/domain/access/roles.js';
import {
  closeAdminRoom,
  createAdminRoom,
  CreateRoomRequest,
  listAdminRooms,
  randomRoomId,
  readAdminRoom,
  roomSummary,
  updateAdminRoom,
  UpdateRoomRequest,
  type RoomAdminDeps,
} from '../../../../lambdas/domain/rooms/room-admin.js';
import { COMMENT_STYLE_IDS } from '../../../../lambdas/domain/feed/comment-styles.js';
import { SettingsChange } from '../../../../lambdas/domain/rooms/room-state.js';
import { createRoom, RoomId, type Room } from '../../../../lambdas/domain/rooms/room.js';
import type { RoomEvent } from '../../../../lambdas/domain/realtime/room-event.js';
import { InMemoryRooms, manualClock, rejection } from '../../fakes.js';

const principal = (roles: Role[], channels: string[] = [], userId = 'u-1'): Principal => ({
  userId,
  displayName: userId,
  roles: new Set(roles),
  channels: new Set(channels),
});
const operator = principal(['operator']);
const moderatorOf = (...channels: string[]) => principal(['moderator'], channels);
const artistOf = (...channels: string[]) => principal(['artist'], channels);
const nobody = principal([]);

/** InMemoryRooms plus the admin ports: a versioned update, and a listing that records its queries. */
class AdminRooms extends InMemoryRooms implements RoomUpdater, RoomLister {
  readonly listed: Parameters<RoomLister['list']>[0][] = [];
  readonly updates: RoomPatch[] = [];

  async update(roomId: string, patch: RoomPatch, expectedVersion: number, updatedAt: string) {
    const room = await this.get(roomId);
    if (!room) return 'not-found' as const;
    if (room.version !== expectedVersion) return 'stale' as const;
    this.updates.push(patch);
    const updated = { ...room, ...patch, version: room.version + 1, updatedAt };
    this.put(updated);
    return updated;
  }

  async list(query: Parameters<RoomLister['list']>[0]): Promise<RoomPage> {
    this.listed.push(query);
    return { rooms: [] };
  }
}

function setup(...rooms: Room[]) {
  const store = new AdminRooms();
  for (const room of rooms) store.put(room);
  const published: RoomEvent[] = [];
  const deps: RoomAdminDeps = {
    rooms: store,
    clock: manualClock(Date.UTC(2030, 0, 1, 12)),
    publisher: { publish: async (event) => void published.push(event) },
  };
  return { store, published, deps };
}

const aRoom = (overrides: Partial<Parameters<typeof createRoom>[0]> = {}) =>
  createRoom(
    { roomId: 'room-1', channelId: 'ch-a', title: 'Launch', ...overrides },
    new Date(Date.UTC(2030, 0, 1)),
  );

describe('SettingsChange', () => {
  it('leaves out what the change does not name, instead of filling in defaults', () => {
    expect(SettingsChange.parse({ slowModeSeconds: 3 })).toEqual({ slowModeSeconds: 3 });
  });

  it('refuses the segment length and unknown settings', () => {
    expect(SettingsChange.safeParse({ segmentSeconds: 20 }).success).toBe(false);
    expect(SettingsChange.safeParse({ colour: 'red' }).success).toBe(false);
  });
});

describe('CreateRoomRequest and UpdateRoomRequest', () => {
  it('trims and NFC-normalises titles and NG words', () => {
    const parsed = CreateRoomRequest.parse({
      channelId: 'c',
      title: '  Cafe\u0301 live ',
      settings: { ngWords: [' spoiler '] },
    });
    expect(parsed.title).toBe('Café live');
    expect(parsed.settings?.ngWords).toEqual(['spoiler']);
  });

  it('accepts emoji built with joiners and variation selectors in a title', () => {
    expect(
      CreateRoomRequest.safeParse({ channelId: 'c', title: 'Family 👨\u200D👩\u200D👧 ❤\uFE0F' }).success,
    ).toBe(true);
  });

  it('refuses a lone surrogate in a title', () => {
    expect(UpdateRoomRequest.safeParse({ version: 1, title: 'bad \uD800 half' }).success).toBe(false);
  });
});

describe('comment styles in admin requests', () => {
  it.each([
    [
      'CreateRoomRequest',
      (settings: object) => CreateRoomRequest.safeParse({ channelId: 'c', title: 't', settings }),
    ],
    ['UpdateRoomRequest', (settings: object) => UpdateRoomRequest.safeParse({ version: 1, settings })],
  ])('%s accepts palette ids, and an empty list', (_name, parse) => {
    expect(parse({ commentStyles: ['gold', 'sky'] }).success).toBe(true);
    expect(parse({ commentStyles: [] }).success).toBe(true);
  });

  it.each([
    [
      'CreateRoomRequest',
      (settings: object) => CreateRoomRequest.safeParse({ channelId: 'c', title: 't', settings }),
    ],
    ['UpdateRoomRequest', (settings: object) => UpdateRoomRequest.safeParse({ version: 1, settings })],
  ])('%s refuses an id the palette lacks, a duplicate and a non-list, naming the field', (_name, parse) => {
    for (const commentStyles of [['gold', 'rainbow'], ['sky', 'sky'], 'gold', [1]]) {
      const result = parse({ commentStyles });
      expect(result.success, JSON.stringify(commentStyles)).toBe(false);
      expect(result.error!.issues[0]!.path.slice(0, 2)).toEqual(['settings', 'commentStyles']);
    }
  });
});

describe('createAdminRoom', () => {
  it('lets an operator create a room with an id of its choice', async () => {
    const { deps, store } = setup();
    const room = await createAdminRoom(deps, operator, {
      roomId: 'r-1',
      channelId: 'ch-a',
      title: 'T',
      shards: 3,
    });
    expect(room).toMatchObject({
      roomId: 'r-1',
      channelId: 'ch-a',
      shards: { write: 3, read: 3 },
      version: 1,
    });
    expect(room.createdAt).toBe('2030-01-01T12:00:00.000Z');
    expect(await store.get('r-1')).toEqual(room);
  });

  it('answers 409 room_exists for an id in use', async () => {
    const existing = aRoom();
    const { deps, store } = setup(existing);
    const error = await rejection(
      createAdminRoom(deps, operator, { roomId: 'room-1', channelId: 'x', title: 'T' }),
    );
    expect([error.status, error.code]).toEqual([409, 'room_exists']);
    expect(await store.get('room-1')).toEqual(existing);
  });

  it('tries another generated id when one is taken', async () => {
    const { deps } = setup(aRoom({ roomId: 'taken' }));
    const ids = ['taken', 'fresh'];
    const room = await createAdminRoom({ ...deps, newRoomId: () => ids.shift()! }, operator, {
      channelId: 'ch-a',
      title: 'T',
    });
    expect(room.roomId).toBe('fresh');
  });

  it.each([
    ['a moderator', moderatorOf('ch-a')],
    ['an artist', artistOf('ch-a')],
    ['a user in no group', nobody],
  ])('refuses %s with 403 and creates nothing', async (_, who) => {
    const { deps, store } = setup();
    const error = await rejection(
      createAdminRoom(deps, who, { roomId: 'r-2', channelId: 'ch-a', title: 'T' }),
    );
    expect(error.status).toBe(403);
    expect(await store.get('r-2')).toBeUndefined();
  });
});

describe('randomRoomId', () => {
  it('makes 12-character, URL-safe, valid and distinct ids', () => {
    const ids = Array.from({ length: 1000 }, randomRoomId);
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-z]{12}$/);
      expect(RoomId.safeParse(id).success).toBe(true);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('listAdminRooms', () => {
  it('lists every channel for an operator and only their channels for others', async () => {
    const { deps, store } = setup();
    await listAdminRooms(deps, operator, { limit: 10 });
    await listAdminRooms(deps, moderatorOf('a', 'b'), { limit: 10, cursor: 'c1' });
    await listAdminRooms(deps, artistOf('a'), { limit: 5 });
    await listAdminRooms(deps, operator, { limit: 10, channelId: 'z' });
    await listAdminRooms(deps, moderatorOf('a', 'b'), { limit: 10, channelId: 'b' });

    expect(store.listed).toEqual([
      { limit: 10 },
      { channelIds: new Set(['a', 'b']), limit: 10, cursor: 'c1' },
      { channelIds: new Set(['a']), limit: 5 },
      { channelIds: new Set(['z']), limit: 10 },
      { channelIds: new Set(['b']), limit: 10 },
    ]);
  });

  it('refuses a channel the caller is not bound to, and a caller with no role, before listing', async () => {
    const { deps, store } = setup();
    expect(
      (await rejection(listAdminRooms(deps, moderatorOf('a'), { limit: 10, channelId: 'b' }))).status,
    ).toBe(403);
    expect((await rejection(listAdminRooms(deps, nobody, { limit: 10 }))).status).toBe(403);
    expect(store.listed).toEqual([]);
  });
});

describe('readAdminRoom', () => {
  it('checks the role before the room exists, and the channel after', async () => {
    const { deps, store } = setup(aRoom());
    expect((await rejection(readAdminRoom(deps, nobody, 'missing'))).status).toBe(403);
    expect(store.reads).toEqual([]);
    expect((await rejection(readAdminRoom(deps, moderatorOf('ch-b'), 'missing'))).status).toBe(404);
    expect((await rejection(readAdminRoom(deps, moderatorOf('ch-b'), 'room-1'))).status).toBe(403);
    expect((await readAdminRoom(deps, artistOf('ch-a'), 'room-1')).roomId).toBe('room-1');
  });
});

describe('updateAdminRoom', () => {
  it('merges settings into the current ones and pushes the public settings once', async () => {
    const room = aRoom({ settings: { ngWords: ['x'], maxCommentLength: 80 } });
    const { deps, store, published } = setup(room);

    const change = await updateAdminRoom(deps, moderatorOf('ch-a'), 'room-1', {
      version: 1,
      settings: { slowModeSeconds: 9 },
    });

    expect(change).toMatchObject({ changed: true, pushed: true, action: 'room.settings' });
    expect(store.updates).toEqual([{ settings: { ...room.settings, slowModeSeconds: 9 } }]);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      kind: 'SETTINGS_CHANGED',
      roomId: 'room-1',
      time: change.value.updatedAt,
    });
    expect(published[0]!.payload).toEqual({
      settings: {
        slowModeSeconds: 9,
        maxCommentLength: 80,
        pollIntervalSeconds: 3,
        segmentSeconds: 10,
        enabled: true,
        postingAllowed: 'everyone',
        commentStyles: [...COMMENT_STYLE_IDS],
      },
      version: 2,
      status: 'open',
    });
  });

  it('narrows the allowed comment styles and pushes the new list to viewers', async () => {
    // Prepare
    const room = aRoom();
    const { deps, store, published } = setup(room);

    // Act
    const change = await updateAdminRoom(deps, moderatorOf('ch-a'), 'room-1', {
      version: 1,
      settings: { commentStyles: ['emerald', 'gold'] },
    });

    // Assess
    expect(change.value.settings.commentStyles).toEqual(['emerald', 'gold']);
    expect(store.updates).toEqual([{ settings: { ...room.settings, commentStyles: ['emerald', 'gold'] } }]);
    expect(published[0]).toMatchObject({
      kind: 'SETTINGS_CHANGED',
      payload: { settings: { commentStyles: ['emerald', 'gold'] } },
    });
    expect(change.details).toMatchObject({ changes: { settings: { commentStyles: ['emerald', 'gold'] } } });
  });

  it('audits a change of title or schedule as room.update, and pushes nothing without settings', async () => {
    const { deps, published } = setup(aRoom());
    const change = await updateAdminRoom(deps, operator, 'room-1', {
      version: 1,
      title: 'New',
      expectedViewers: 5,
    });
    expect(change).toMatchObject({
      action: 'room.update',
      pushed: false,
      details: { fromVersion: 1, toVersion: 2, changes: { title: 'New', expectedViewers: 5 } },
    });
    expect(published).toEqual([]);
  });

  it('needs room.update for room fields: a moderator of the channel may not rename', async () => {
    const { deps, store } = setup(aRoom());
    const error = await rejection(
      updateAdminRoom(deps, moderatorOf('ch-a'), 'room-1', {
        version: 1,
        title: 'Mine',
        settings: { enabled: false },
      }),
    );
    expect(error.status).toBe(403);
    expect(store.reads).toEqual([]);
    expect(store.updates).toEqual([]);
  });

  it('answers 409 stale_version and pushes nothing when the room moved on', async () => {
    const { deps, store, published } = setup({ ...aRoom(), version: 4 });
    const error = await rejection(
      updateAdminRoom(deps, operator, 'room-1', { version: 3, settings: { enabled: false } }),
    );
    expect([error.status, error.code]).toEqual([409, 'stale_version']);
    expect(store.updates).toEqual([]);
    expect(published).toEqual([]);
  });

  it('keeps the change when the push fails, and says so', async () => {
    const { deps, store } = setup(aRoom());
    const onPublishFailed = vi.fn();
    const change = await updateAdminRoom(
      {
        ...deps,
        publisher: { publish: () => Promise.reject(new Error('AppSync down')) },
        onPublishFailed,
      },
      operator,
      'room-1',
      { version: 1, settings: { slowModeSeconds: 1 } },
    );
    expect(change.pushed).toBe(false);
    expect(onPublishFailed).toHaveBeenCalledOnce();
    expect((await store.get('room-1'))!.settings.slowModeSeconds).toBe(1);
  });

  it('refuses the segment length (422) and an empty change (400)', async () => {
    const { deps, store } = setup(aRoom());
    const fixed = await rejection(
      updateAdminRoom(deps, operator, 'room-1', { version: 1, settings: { segmentSeconds: 5 } }),
    );
    expect([fixed.status, fixed.code]).toEqual([422, 'segment_length_fixed']);
    const empty = await rejection(updateAdminRoom(deps, operator, 'room-1', { version: 1, settings: {} }));
    expect([empty.status, empty.code]).toEqual([400, 'nothing_to_change']);
    expect(store.updates).toEqual([]);
  });

  it('merges the schedule end by end, null clearing one, and refuses an end before the start', async () => {
    const { deps, store } = setup(
      aRoom({ schedule: { startsAt: '2031-01-01T10:00:00Z', endsAt: '2031-01-01T12:00:00Z' } }),
    );

    await updateAdminRoom(deps, operator, 'room-1', { version: 1, schedule: { startsAt: null } });
    expect((await store.get('room-1'))!.schedule).toEqual({ endsAt: '2031-01-01T12:00:00Z' });

    await updateAdminRoom(deps, operator, 'room-1', {
      version: 2,
      schedule: { startsAt: '2031-01-01T11:00:00Z' },
    });
    const error = await rejection(
      updateAdminRoom(deps, operator, 'room-1', { version: 3, schedule: { endsAt: '2031-01-01T10:30:00Z' } }),
    );
    expect([error.status, error.code]).toEqual([422, 'invalid_schedule']);
    expect((await store.get('room-1'))!.schedule).toEqual({
      startsAt: '2031-01-01T11:00:00Z',
      endsAt: '2031-01-01T12:00:00Z',
    });
  });
});

describe('closeAdminRoom', () => {
  it('closes an open room at its version and pushes the closed status', async () => {
    const { deps, published } = setup(aRoom());
    const change = await closeAdminRoom(deps, operator, 'room-1', 1);
    expect(change).toMatchObject({ changed: true, pushed: true, value: { status: 'closed', version: 2 } });
    expect(published.map((e) => [e.kind, (e.payload as { status: string }).status])).toEqual([
      ['SETTINGS_CHANGED', 'closed'],
    ]);
  });

  it('answers a closed room as it is, whatever the version, changing and pushing nothing', async () => {
    const closed = { ...aRoom(), status: 'closed' as const, version: 5 };
    const { deps, store, published } = setup(closed);
    const change = await closeAdminRoom(deps, operator, 'room-1', 1);
    expect(change).toMatchObject({ changed: false, pushed: false, value: closed });
    expect(store.updates).toEqual([]);
    expect(published).toEqual([]);
  });

  it('is for operators only', async () => {
    const { deps } = setup(aRoom());
    expect((await rejection(closeAdminRoom(deps, moderatorOf('ch-a'), 'room-1', 1))).status).toBe(403);
  });
});

describe('roomSummary', () => {
  it('counts bans and purges instead of listing them', () => {
    const room = {
      ...aRoom(),
      bans: { a: { bannedAt: '2030-01-01T00:00:00.000Z' }, b: { bannedAt: '2030-01-01T00:00:00.000Z' } },
      purges: { c: '2030-01-01T00:00:00.000Z' },
    };
    const summary = roomSummary(room);
    expect(summary).toMatchObject({ roomId: 'room-1', banCount: 2, purgeCount: 1 });
    expect(summary).not.toHaveProperty('bans');
    expect(summary).not.toHaveProperty('purges');
  });
});
