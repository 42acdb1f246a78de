import type { Clock, RoomReader } from '../domain/ports.js';
import type { Room } from '../domain/room.js';

interface Entry {
  readonly value: Promise<Room | undefined>;
  readonly expiresAt: number;
}

/**
 * A room is read on every post and poll, always the same item: one hot key.
 * Each function instance keeps rooms in memory for `ttlMs` (absent rooms too,
 * so unknown ids cannot hammer the table), and concurrent misses share one read.
 */
export class CachedRoomReader implements RoomReader {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly inner: RoomReader,
    private readonly ttlMs: number,
    private readonly clock: Clock = Date.now,
    private readonly maxEntries = 10_000,
  ) {}

  get(roomId: string): Promise<Room | undefined> {
    const now = this.clock();
    const hit = this.entries.get(roomId);
    if (hit && hit.expiresAt > now) return hit.value;

    const value = this.inner.get(roomId);
    this.entries.delete(roomId);
    if (this.entries.size >= this.maxEntries) {
      // Maps iterate in insertion order: drop the oldest entry.
      this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(roomId, { value, expiresAt: now + this.ttlMs });
    // A failed read must not be remembered.
    value.catch(() => {
      if (this.entries.get(roomId)?.value === value) this.entries.delete(roomId);
    });
    return value;
  }
}
