import { describe, expect, it } from 'vitest';
import { CachedRoomReader } from '../../../lambdas/adapters/cached-room-reader.js';
import type { RoomReader } from '../../../lambdas/domain/rooms/ports.js';
import type { Room } from '../../../lambdas/domain/rooms/room.js';
import { aRoom, deferred, InMemoryRooms, manualClock } from '../fakes.js';

const TTL_MS = 1_000;
const T0 = Date.UTC(2030, 0, 1);

function setup(options: { maxEntries?: number; rooms?: Room[] } = {}) {
  const inner = new InMemoryRooms(...(options.rooms ?? [aRoom({ roomId: 'a' }), aRoom({ roomId: 'b' })]));
  const clock = manualClock(T0);
  const reader = new CachedRoomReader(inner, TTL_MS, clock, options.maxEntries);
  return { inner, clock, reader };
}

describe('CachedRoomReader', () => {
  it('reads through to the inner reader on a miss', async () => {
    const { inner, reader } = setup();

    const room = await reader.get('a');

    expect(room?.roomId).toBe('a');
    expect(inner.reads).toEqual(['a']);
  });

  it('serves a hit without calling the inner reader until the last fifth of the ttl', async () => {
    // Prepare
    const { inner, clock, reader } = setup();
    const first = await reader.get('a');
    clock.advance(TTL_MS * 0.8 - 1);

    // Act
    const second = await reader.get('a');

    // Assess
    expect(second).toBe(first);
    expect(inner.reads).toEqual(['a']);
  });

  it('reads again once the ttl has passed', async () => {
    // Prepare
    const { inner, clock, reader } = setup();
    await reader.get('a');
    inner.put({ ...aRoom({ roomId: 'a' }), title: 'Renamed' });
    clock.advance(TTL_MS);

    // Act
    const room = await reader.get('a');

    // Assess
    expect(room?.title).toBe('Renamed');
    expect(inner.reads).toEqual(['a', 'a']);
  });

  it('starts a new ttl after a re-read', async () => {
    const { inner, clock, reader } = setup();
    await reader.get('a');
    clock.advance(TTL_MS);
    await reader.get('a');
    clock.advance(TTL_MS * 0.8 - 1);

    await reader.get('a');

    expect(inner.reads).toEqual(['a', 'a']);
  });

  it('caches an absent room too', async () => {
    // Prepare
    const { inner, clock, reader } = setup();
    await reader.get('missing');
    clock.advance(TTL_MS * 0.8 - 1);

    // Act
    const again = await reader.get('missing');

    // Assess
    expect(again).toBeUndefined();
    expect(inner.reads).toEqual(['missing']);
  });

  it('keeps rooms apart by id', async () => {
    const { inner, reader } = setup();

    const [a, b] = [await reader.get('a'), await reader.get('b')];

    expect(a?.roomId).toBe('a');
    expect(b?.roomId).toBe('b');
    expect(inner.reads).toEqual(['a', 'b']);
  });

  it('shares one inner call among concurrent misses', async () => {
    // Prepare
    const pending = deferred<Room | undefined>();
    let calls = 0;
    const inner: RoomReader = {
      get: () => {
        calls++;
        return pending.promise;
      },
    };
    const reader = new CachedRoomReader(inner, TTL_MS, manualClock(T0));

    // Act
    const reads = Array.from({ length: 10 }, () => reader.get('a'));
    pending.resolve(aRoom({ roomId: 'a' }));
    const rooms = await Promise.all(reads);

    // Assess
    expect(calls).toBe(1);
    expect(rooms.every((r) => r?.roomId === 'a')).toBe(true);
  });

  it('does not remember a failed read: the next call reads again', async () => {
    // Prepare
    let calls = 0;
    const inner: RoomReader = {
      get: async (roomId) => {
        calls++;
        if (calls === 1) throw new Error('throttled');
        return aRoom({ roomId });
      },
    };
    const reader = new CachedRoomReader(inner, TTL_MS, manualClock(T0));
    await expect(reader.get('a')).rejects.toThrow('throttled');

    // Act
    const room = await reader.get('a');

    // Assess
    expect(room?.roomId).toBe('a');
    expect(calls).toBe(2);
  });

  it('hands the failure to every caller that shared the failed read', async () => {
    const pending = deferred<Room | undefined>();
    const reader = new CachedRoomReader({ get: () => pending.promise }, TTL_MS, manualClock(T0));

    const reads = [reader.get('a'), reader.get('a')];
    pending.reject(new Error('down'));

    await expect(reads[0]).rejects.toThrow('down');
    await expect(reads[1]).rejects.toThrow('down');
  });

  it('evicts the oldest entry when maxEntries is reached', async () => {
    // Prepare
    const rooms = ['a', 'b', 'c'].map((roomId) => aRoom({ roomId }));
    const { inner, reader } = setup({ maxEntries: 2, rooms });
    await reader.get('a');
    await reader.get('b');

    // Act
    await reader.get('c');
    await reader.get('b');
    await reader.get('c');
    await reader.get('a');

    // Assess: only a was dropped and read again.
    expect(inner.reads).toEqual(['a', 'b', 'c', 'a']);
  });

  it('does not evict another room when re-reading an expired one', async () => {
    const { inner, clock, reader } = setup({ maxEntries: 2 });
    await reader.get('a');
    clock.advance(TTL_MS / 2);
    await reader.get('b');
    clock.advance(TTL_MS / 2);

    await reader.get('a');
    await reader.get('b');

    expect(inner.reads).toEqual(['a', 'b', 'a']);
  });

  it('counts a re-read room as the newest entry when evicting', async () => {
    // Prepare: a is read before b, expires first and is read again.
    const rooms = ['a', 'b', 'c', 'd'].map((roomId) => aRoom({ roomId }));
    const { inner, clock, reader } = setup({ maxEntries: 3, rooms });
    await reader.get('a');
    clock.advance(10);
    await reader.get('b');
    clock.advance(TTL_MS - 10);
    await reader.get('a');

    // Act: two more rooms push one entry out.
    await reader.get('c');
    await reader.get('d');

    // Assess: b, now the oldest entry, went; a stayed.
    await reader.get('a');
    await reader.get('b');
    expect(inner.reads).toEqual(['a', 'b', 'a', 'c', 'd', 'b']);
  });

  it('reads through every time with a ttl of 0', async () => {
    const inner = new InMemoryRooms(aRoom({ roomId: 'a' }));
    const reader = new CachedRoomReader(inner, 0, manualClock(T0));

    await reader.get('a');
    await reader.get('a');

    expect(inner.reads).toEqual(['a', 'a']);
  });
});
