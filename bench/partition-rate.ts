import { MAX_SHARDS, pickWriteShard } from '../lambdas/domain/feed/shards.js';

/**
 * Figure 5: how hot the busiest comment partition runs at a post rate. Posts
 * are spread with the product's own `pickWriteShard`, second by second, and
 * each costs the write units the benchmark measured on the comments table.
 */

/** Write units one partition serves per second (ANCHORS.md, "DynamoDB per partition"; DynamoDB warm-throughput docs). */
export const PARTITION_WRITE_UNITS_PER_SECOND = 1_000;

/**
 * Share of a partition's limit the busiest shard may use in its busiest second.
 * An *assumption*: 20% left for bursts inside a second and for the other
 * writes a partition takes (deletions, tombstones, artist messages).
 */
export const PARTITION_HEADROOM = 0.8;

/** Bounds one simulation: enough for 1,000 posts/s over 10 minutes, never a runaway loop. */
export const MAX_SIMULATED_POSTS = 1_000_000;

export interface PartitionLoadInput {
  /** Posts per second into one room; fractions spread evenly over the seconds. */
  readonly postsPerSecond: number;
  /** Seconds simulated (whole). */
  readonly seconds: number;
  /** Write shards of the room. */
  readonly shards: number;
  /** Write units one post costs on the comments table (measured). */
  readonly unitsPerPost: number;
  /** [0, 1) source for `pickWriteShard`; seeded in the benchmark so runs repeat. */
  readonly random: () => number;
}

export interface PartitionLoad {
  readonly shards: number;
  readonly posts: number;
  /** R × units ÷ S: what each shard takes on average. */
  readonly meanUnitsPerSecond: number;
  /** The most units any one shard took in any one second. */
  readonly busiestUnitsPerSecond: number;
  /** busiest ÷ the partition limit: above 1 the partition throttles. */
  readonly ratioToLimit: number;
}

function check(input: Omit<PartitionLoadInput, 'random' | 'shards'>): void {
  const { postsPerSecond, seconds, unitsPerPost } = input;
  if (!Number.isFinite(postsPerSecond) || postsPerSecond <= 0) {
    throw new RangeError(`postsPerSecond must be a positive number, got ${postsPerSecond}.`);
  }
  if (!Number.isInteger(seconds) || seconds < 1) {
    throw new RangeError(`seconds must be a whole number ≥ 1, got ${seconds}.`);
  }
  if (!Number.isFinite(unitsPerPost) || unitsPerPost <= 0) {
    throw new RangeError(`unitsPerPost must be a positive number, got ${unitsPerPost}.`);
  }
  if (postsPerSecond * seconds > MAX_SIMULATED_POSTS) {
    throw new RangeError(
      `${postsPerSecond}/s over ${seconds} s is more than ${MAX_SIMULATED_POSTS} simulated posts; shorten it.`,
    );
  }
}

function checkShards(shards: number): void {
  if (!Number.isInteger(shards) || shards < 1 || shards > MAX_SHARDS) {
    throw new RangeError(`shards must be a whole number from 1 to ${MAX_SHARDS}, got ${shards}.`);
  }
}

/** Spreads postsPerSecond × seconds posts over the shards, second by second, and finds the hottest. */
export function simulatePartitionLoad(input: PartitionLoadInput): PartitionLoad {
  check(input);
  checkShards(input.shards);
  const { postsPerSecond, seconds, shards, unitsPerPost, random } = input;
  const room = { write: shards, read: shards };
  const counts = new Array<number>(shards);
  let busiest = 0;
  let posts = 0;
  for (let second = 0; second < seconds; second++) {
    counts.fill(0);
    // Posts landing in this second: fractional rates accumulate across seconds.
    const inSecond = Math.floor((second + 1) * postsPerSecond) - Math.floor(second * postsPerSecond);
    for (let i = 0; i < inSecond; i++) counts[pickWriteShard(room, random)]!++;
    posts += inSecond;
    for (const count of counts) busiest = Math.max(busiest, count);
  }
  const busiestUnits = busiest * unitsPerPost;
  return {
    shards,
    posts,
    meanUnitsPerSecond: round((postsPerSecond * unitsPerPost) / shards),
    busiestUnitsPerSecond: round(busiestUnits),
    ratioToLimit: round(busiestUnits / PARTITION_WRITE_UNITS_PER_SECOND),
  };
}

export interface SafeShardCount {
  /** The smallest shard count whose busiest second stays within the limit × headroom; undefined if none up to MAX_SHARDS. */
  readonly shards: number | undefined;
  readonly load: PartitionLoad | undefined;
}

/** Tries 1, 2, … MAX_SHARDS shards (each with a fresh `random()` from the factory, so every count sees the same draw). */
export function smallestSafeShardCount(
  input: Omit<PartitionLoadInput, 'shards' | 'random'> & {
    readonly random: () => () => number;
    readonly headroom?: number;
  },
): SafeShardCount {
  check(input);
  const headroom = input.headroom ?? PARTITION_HEADROOM;
  if (!(headroom > 0 && headroom <= 1)) throw new RangeError(`headroom must be in (0, 1], got ${headroom}.`);
  const budget = PARTITION_WRITE_UNITS_PER_SECOND * headroom;
  for (let shards = 1; shards <= MAX_SHARDS; shards++) {
    // The mean alone already over budget: no draw can fit, skip the simulation.
    if ((input.postsPerSecond * input.unitsPerPost) / shards > budget) continue;
    const load = simulatePartitionLoad({ ...input, shards, random: input.random() });
    if (load.busiestUnitsPerSecond <= budget) return { shards, load };
  }
  return { shards: undefined, load: undefined };
}

/** mulberry32: a small seeded PRNG in [0, 1), so the simulation repeats run to run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;
