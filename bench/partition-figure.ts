import {
  PARTITION_HEADROOM,
  PARTITION_WRITE_UNITS_PER_SECOND,
  seededRandom,
  simulatePartitionLoad,
  smallestSafeShardCount,
  type PartitionLoad,
} from './partition-rate.js';

/** Post rates of figure 5: a busy room, LINE LIVE's record broadcast (~170/s, ANCHORS.md), a flood. */
export const PARTITION_POST_RATES = [50, 170, 1_000] as const;
/** Shard counts shown for every rate (the smallest safe one is found separately). */
export const PARTITION_SHARD_COUNTS = [1, 2, 4, 8] as const;
/** Fixed so every run draws the same shard sequence. */
const SEED = 20_261_121;

export interface PartitionRateResult {
  readonly seconds: number;
  /** Write units one post costs on the comments table (measured, figure 4). */
  readonly unitsPerPost: number;
  readonly limitUnitsPerSecond: number;
  readonly headroom: number;
  readonly rows: (PartitionLoad & { readonly postsPerSecond: number })[];
  readonly smallest: {
    readonly postsPerSecond: number;
    readonly shards: number | null;
    readonly busiestUnitsPerSecond: number | null;
    readonly ratioToLimit: number | null;
  }[];
}

export function benchPartitionRate(options: {
  readonly unitsPerPost: number;
  readonly seconds: number;
  readonly rates?: readonly number[];
}): PartitionRateResult {
  const rates = options.rates ?? PARTITION_POST_RATES;
  const rows = rates.flatMap((postsPerSecond) =>
    PARTITION_SHARD_COUNTS.map((shards) => ({
      postsPerSecond,
      ...simulatePartitionLoad({
        postsPerSecond,
        seconds: options.seconds,
        shards,
        unitsPerPost: options.unitsPerPost,
        random: seededRandom(SEED),
      }),
    })),
  );
  const smallest = rates.map((postsPerSecond) => {
    const found = smallestSafeShardCount({
      postsPerSecond,
      seconds: options.seconds,
      unitsPerPost: options.unitsPerPost,
      random: () => seededRandom(SEED),
    });
    return {
      postsPerSecond,
      shards: found.shards ?? null,
      busiestUnitsPerSecond: found.load?.busiestUnitsPerSecond ?? null,
      ratioToLimit: found.load?.ratioToLimit ?? null,
    };
  });
  return {
    seconds: options.seconds,
    unitsPerPost: options.unitsPerPost,
    limitUnitsPerSecond: PARTITION_WRITE_UNITS_PER_SECOND,
    headroom: PARTITION_HEADROOM,
    rows,
    smallest,
  };
}
