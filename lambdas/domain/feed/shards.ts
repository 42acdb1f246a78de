/**
 * Write sharding: a room's comments are spread over `count` partitions so no
 * single partition takes more than its 1,000 write units per second.
 */
export const MAX_SHARDS = 64;

export interface RoomShards {
  /** Shards new comments are written to. */
  readonly write: number;
  /** Every shard the room has ever written to; reads merge all of them. Never shrinks. */
  readonly read: number;
}

/** Picks a shard uniformly; `random` returns [0, 1). */
export function pickWriteShard(shards: RoomShards, random: () => number = Math.random): number {
  return Math.min(shards.write - 1, Math.floor(random() * shards.write));
}

/** Changing the write count keeps reading every shard used before. */
export function withWriteShards(shards: RoomShards, write: number): RoomShards {
  return { write, read: Math.max(shards.read, write) };
}
