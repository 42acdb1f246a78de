import { describe, expect, it } from 'vitest';
import { testStores } from '../helpers/store.js';

/** DynamoRoomStore.setViewCutoff against DynamoDB Local: the view-limit batch's one write to rooms. */
const stores = testStores();
const cutoff = { id: '01KBA00000000000000000000A', computedAt: '2026-12-01T12:00:00.000Z' };

describe('setting a room’s view cutoff in DynamoDB', () => {
  it('sets and removes the cutoff without touching the version or the update time', async () => {
    const room = await stores.room();

    await expect(stores.rooms.setViewCutoff(room.roomId, cutoff)).resolves.toBe(true);
    const set = (await stores.rooms.get(room.roomId))!;
    await expect(stores.rooms.setViewCutoff(room.roomId, undefined)).resolves.toBe(true);
    const removed = (await stores.rooms.get(room.roomId))!;

    expect(set.viewCutoff).toEqual(cutoff);
    expect(set.version).toBe(room.version);
    expect(set.updatedAt).toBe(room.updatedAt);
    expect(removed).toEqual(room);
  });

  it('answers false for a room that does not exist, and creates nothing', async () => {
    await expect(stores.rooms.setViewCutoff('no-such-room-cutoff', cutoff)).resolves.toBe(false);
    expect(await stores.rooms.get('no-such-room-cutoff')).toBeUndefined();
  });
});
