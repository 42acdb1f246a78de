import { describe, expect, it } from 'vitest';
import type { RoomEvent } from '../../../../lambdas/domain/realtime/room-event.js';
import {
  banUser,
  changeSettings,
  unbanUser,
  type RoomStateDeps,
} from '../../../../lambdas/domain/rooms/room-state.js';
import { getLive } from '../../../../lambdas/domain/feed/read-feed.js';
import { MAX_ROOM_BANS, publicRoom, publicSettings } from '../../../../lambdas/domain/rooms/room.js';
import { aRoom, InMemoryComments, InMemoryRooms, manualClock, rejection } from '../../fakes.js';

function setup() {
  const room = aRoom();
  const rooms = new InMemoryRooms(room);
  const published: RoomEvent[] = [];
  const clock = manualClock(Date.now());
  const deps: RoomStateDeps = { rooms, clock, publisher: { publish: async (e) => void published.push(e) } };
  const live = () => getLive({ rooms, comments: new InMemoryComments(), clock, liveLimit: 10 }, room.roomId);
  return { room, rooms, clock, deps, published, live };
}

describe('banUser', () => {
  it('stores a timed ban, shows it in live until it ends, and pushes USER_BANNED', async () => {
    const { room, clock, deps, published, live } = setup();

    const { value } = await banUser(deps, room.roomId, 'troll', 300);

    expect(Date.parse(value.until!) - Date.now()).toBeGreaterThan(290_000);
    expect((await live()).bans).toEqual([{ userId: 'troll', until: value.until, scope: 'room' }]);
    expect(published).toEqual([
      expect.objectContaining({
        roomId: room.roomId,
        kind: 'USER_BANNED',
        payload: { userId: 'troll', scope: 'room', until: value.until },
      }),
    ]);
    clock.advance(301_000);
    expect((await live()).bans).toEqual([]);
  });

  it('stores a permanent ban without an end', async () => {
    const { room, deps, live } = setup();

    await banUser(deps, room.roomId, 'spammer');

    expect((await live()).bans).toEqual([{ userId: 'spammer', scope: 'room' }]);
  });

  it('prunes expired bans when it adds one', async () => {
    const { room, rooms, clock, deps } = setup();
    await banUser(deps, room.roomId, 'brief', 10);
    clock.advance(11_000);

    await banUser(deps, room.roomId, 'next');

    expect(Object.keys((await rooms.get(room.roomId))!.bans)).toEqual(['next']);
  });

  it.each([0, -5, 1.5, 366 * 86_400])('refuses a duration of %s seconds with 422', async (seconds) => {
    const { room, deps, published } = setup();

    const error = await rejection(banUser(deps, room.roomId, 'u', seconds));

    expect(error).toMatchObject({ status: 422, code: 'invalid_duration' });
    expect(published).toEqual([]);
  });

  it('refuses a ban beyond the room’s limit with 409 and changes nothing', async () => {
    const { room, rooms, deps } = setup();
    const full = Object.fromEntries(
      Array.from({ length: MAX_ROOM_BANS }, (_, i) => [`u${i}`, { bannedAt: new Date().toISOString() }]),
    );
    rooms.put({ ...room, bans: full });

    const error = await rejection(banUser(deps, room.roomId, 'one-more'));

    expect(error).toMatchObject({ status: 409, code: 'too_many_bans' });
    expect(Object.keys((await rooms.get(room.roomId))!.bans)).toHaveLength(MAX_ROOM_BANS);
  });

  it('answers 404 for an unknown room', async () => {
    const { deps } = setup();

    expect(await rejection(banUser(deps, 'nowhere', 'u'))).toMatchObject({
      status: 404,
      code: 'room_not_found',
    });
  });
});

describe('unbanUser', () => {
  it('lifts the ban, clears it from live and pushes USER_UNBANNED', async () => {
    const { room, deps, published, live } = setup();
    await banUser(deps, room.roomId, 'forgiven');

    const { value } = await unbanUser(deps, room.roomId, 'forgiven');

    expect(value).toBe(true);
    expect((await live()).bans).toEqual([]);
    expect(published.at(-1)).toMatchObject({
      kind: 'USER_UNBANNED',
      payload: { userId: 'forgiven', scope: 'room' },
    });
  });

  it('pushes nothing when the user was not banned', async () => {
    const { room, deps, published } = setup();

    expect(await unbanUser(deps, room.roomId, 'nobody')).toEqual({ value: false, pushed: false });
    expect(published).toEqual([]);
  });
});

describe('changeSettings', () => {
  it('applies the change at the version read, bumps the version, shows it in live and pushes SETTINGS_CHANGED', async () => {
    const { room, deps, published, live } = setup();

    const { value } = await changeSettings(deps, room.roomId, { slowModeSeconds: 30 }, room.version);

    expect(value.version).toBe(room.version + 1);
    expect((await live()).room.settings).toEqual({ ...publicRoom(room).settings, slowModeSeconds: 30 });
    expect(published).toEqual([
      expect.objectContaining({
        kind: 'SETTINGS_CHANGED',
        payload: { settings: publicSettings(value.settings), version: value.version },
      }),
    ]);
  });

  it('refuses a stale version with 409 and changes nothing', async () => {
    const { room, rooms, deps, published } = setup();
    await changeSettings(deps, room.roomId, { slowModeSeconds: 5 }, room.version);

    const error = await rejection(changeSettings(deps, room.roomId, { slowModeSeconds: 60 }, room.version));

    expect(error).toMatchObject({ status: 409, code: 'stale_version' });
    expect((await rooms.get(room.roomId))!.settings.slowModeSeconds).toBe(5);
    expect(published).toHaveLength(1);
  });

  it.each([
    ['the segment length', { segmentSeconds: 5 }],
    ['an out-of-range poll interval', { pollIntervalSeconds: 0 }],
    ['an unknown setting', { colour: 'red' }],
  ])('refuses %s with 422', async (_, change) => {
    const { room, deps } = setup();

    const error = await rejection(changeSettings(deps, room.roomId, change as never, room.version));

    expect(error).toMatchObject({ status: 422, code: 'invalid_settings' });
  });
});
