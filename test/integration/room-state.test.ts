import { describe, expect, it } from 'vitest';
import type { RoomEvent } from '../../lambdas/domain/realtime/room-event.js';
import {
  banUser,
  changeSettings,
  unbanUser,
  type RoomStateDeps,
} from '../../lambdas/domain/rooms/room-state.js';
import { liveEvent } from '../helpers/events.js';
import { testStores } from '../helpers/store.js';
import { testFunctions } from '../helpers/functions.js';

const { getLive } = testFunctions().handlers;

const stores = testStores();

function deps() {
  const published: RoomEvent[] = [];
  const state: RoomStateDeps = {
    rooms: stores.rooms,
    clock: Date.now,
    publisher: { publish: async (e) => void published.push(e) },
  };
  return { state, published };
}
const live = async (roomId: string) => JSON.parse((await getLive(liveEvent(roomId))).body);

describe('room bans in DynamoDB', () => {
  it('keeps every one of 10 concurrent bans', async () => {
    const room = await stores.room();
    const { state, published } = deps();

    await Promise.all(Array.from({ length: 10 }, (_, i) => banUser(state, room.roomId, `user-${i}`, 600)));

    const bans = (await stores.rooms.get(room.roomId))!.bans;
    expect(Object.keys(bans).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `user-${i}`).sort());
    expect(published).toHaveLength(10);
  });

  it('shows active bans in live and drops a lifted one', async () => {
    const room = await stores.room();
    const { state } = deps();
    await banUser(state, room.roomId, 'stays');
    await banUser(state, room.roomId, 'lifted', 60);

    await unbanUser(state, room.roomId, 'lifted');

    expect((await live(room.roomId)).bans).toEqual([{ userId: 'stays', scope: 'room' }]);
  });

  it('answers 404 for a room that does not exist', async () => {
    const { state } = deps();

    await expect(banUser(state, 'no-such-room', 'u')).rejects.toMatchObject({ status: 404 });
  });
});

describe('room settings in DynamoDB', () => {
  it('changes settings at the version read, and live shows the new ones', async () => {
    const room = await stores.room();
    const { state, published } = deps();

    const { value } = await changeSettings(
      state,
      room.roomId,
      { pollIntervalSeconds: 5, slowModeSeconds: 10 },
      1,
    );

    expect(value).toMatchObject({
      version: 2,
      settings: { pollIntervalSeconds: 5, slowModeSeconds: 10, segmentSeconds: 10 },
    });
    expect((await stores.rooms.get(room.roomId))!.version).toBe(2);
    const doc = await live(room.roomId);
    expect(doc.room.settings).toMatchObject({ pollIntervalSeconds: 5, slowModeSeconds: 10 });
    expect(doc.pollAfterMs).toBe(5000);
    expect(published[0]).toMatchObject({ kind: 'SETTINGS_CHANGED', payload: { version: 2 } });
  });

  it('lets exactly one of two changes at the same version through', async () => {
    const room = await stores.room();
    const { state } = deps();

    const results = await Promise.allSettled([
      changeSettings(state, room.roomId, { slowModeSeconds: 1 }, 1),
      changeSettings(state, room.roomId, { slowModeSeconds: 2 }, 1),
    ]);

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({
      reason: { status: 409, code: 'stale_version' },
    });
    expect((await stores.rooms.get(room.roomId))!.version).toBe(2);
  });
});
