import type { Clock } from '../domain/clock.js';
import type { RoomReader } from '../domain/rooms/ports.js';
import type { Room } from '../domain/rooms/room.js';
import { TtlCache } from './ttl-cache.js';

/**
 * A room is read on every post and poll, always the same item: one hot key.
 * Each function instance keeps rooms in memory for `ttlMs` (absent rooms too,
 * so unknown ids cannot hammer the table), and concurrent misses share one read.
 */
export class CachedRoomReader implements RoomReader {
  private readonly cache: TtlCache<Room | undefined>;

  constructor(
    private readonly inner: RoomReader,
    ttlMs: number,
    clock: Clock = Date.now,
    maxEntries = 10_000,
  ) {
    this.cache = new TtlCache(ttlMs, clock, maxEntries);
  }

  get(roomId: string): Promise<Room | undefined> {
    return this.cache.get(roomId, () => this.inner.get(roomId));
  }
}
