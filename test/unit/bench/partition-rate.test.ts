import { describe, expect, it } from 'vitest';
import {
  MAX_SIMULATED_POSTS,
  PARTITION_HEADROOM,
  PARTITION_WRITE_UNITS_PER_SECOND,
  seededRandom,
  simulatePartitionLoad,
  smallestSafeShardCount,
} from '../../../bench/partition-rate.js';
import { benchPartitionRate } from '../../../bench/partition-figure.js';

const base = { postsPerSecond: 170, seconds: 30, unitsPerPost: 2 };

describe('simulatePartitionLoad', () => {
  it('puts every post of a one-shard room on that shard', () => {
    const load = simulatePartitionLoad({ ...base, shards: 1, random: seededRandom(1) });

    expect(load.posts).toBe(170 * 30);
    expect(load.busiestUnitsPerSecond).toBe(340);
    expect(load.meanUnitsPerSecond).toBe(340);
    expect(load.ratioToLimit).toBe(340 / PARTITION_WRITE_UNITS_PER_SECOND);
  });

  it('reports the hottest shard, not the average: an unlucky draw lands everything on one shard', () => {
    const load = simulatePartitionLoad({ ...base, shards: 4, random: () => 0.99 });

    expect(load.meanUnitsPerSecond).toBe(85);
    expect(load.busiestUnitsPerSecond).toBe(340);
  });

  it('splits posts by pickWriteShard: an alternating draw halves the load over two shards', () => {
    let i = 0;
    const alternating = () => (i++ % 2 === 0 ? 0.1 : 0.6);
    const load = simulatePartitionLoad({ ...base, postsPerSecond: 100, shards: 2, random: alternating });

    expect(load.busiestUnitsPerSecond).toBe(100);
  });

  it('spreads a fractional rate over the seconds', () => {
    const load = simulatePartitionLoad({
      ...base,
      postsPerSecond: 2.5,
      seconds: 4,
      shards: 1,
      random: Math.random,
    });

    expect(load.posts).toBe(10);
    expect(load.busiestUnitsPerSecond).toBe(3 * 2);
  });

  it('a random spread runs the busiest shard above the mean', () => {
    const load = simulatePartitionLoad({ ...base, postsPerSecond: 1000, shards: 4, random: seededRandom(7) });

    expect(load.busiestUnitsPerSecond).toBeGreaterThan(load.meanUnitsPerSecond);
    expect(load.busiestUnitsPerSecond).toBeLessThan(2 * load.meanUnitsPerSecond);
  });

  it('refuses absurd inputs with a clear error', () => {
    const ok = { ...base, shards: 2, random: Math.random };

    expect(() => simulatePartitionLoad({ ...ok, postsPerSecond: 0 })).toThrow(/postsPerSecond/);
    expect(() => simulatePartitionLoad({ ...ok, postsPerSecond: Infinity })).toThrow(/postsPerSecond/);
    expect(() => simulatePartitionLoad({ ...ok, seconds: 1.5 })).toThrow(/seconds/);
    expect(() => simulatePartitionLoad({ ...ok, unitsPerPost: -2 })).toThrow(/unitsPerPost/);
    expect(() => simulatePartitionLoad({ ...ok, shards: 0 })).toThrow(/shards/);
    expect(() => simulatePartitionLoad({ ...ok, shards: 65 })).toThrow(/shards/);
    expect(() => simulatePartitionLoad({ ...ok, postsPerSecond: MAX_SIMULATED_POSTS, seconds: 2 })).toThrow(
      /simulated posts/,
    );
  });
});

describe('smallestSafeShardCount', () => {
  it('finds the first shard count within the headroom, and the one below it is not', () => {
    const input = { postsPerSecond: 1000, seconds: 60, unitsPerPost: 2 };
    const found = smallestSafeShardCount({ ...input, random: () => seededRandom(3) });
    const budget = PARTITION_WRITE_UNITS_PER_SECOND * PARTITION_HEADROOM;

    expect(found.shards).toBeGreaterThanOrEqual(3);
    expect(found.load!.busiestUnitsPerSecond).toBeLessThanOrEqual(budget);
    const oneFewer = simulatePartitionLoad({ ...input, shards: found.shards! - 1, random: seededRandom(3) });
    expect(oneFewer.busiestUnitsPerSecond).toBeGreaterThan(budget);
  });

  it('one shard suffices for a quiet room', () => {
    expect(
      smallestSafeShardCount({
        postsPerSecond: 50,
        seconds: 10,
        unitsPerPost: 2,
        random: () => seededRandom(1),
      }).shards,
    ).toBe(1);
  });

  it('says so when no shard count up to the maximum fits', () => {
    const found = smallestSafeShardCount({
      postsPerSecond: 40_000,
      seconds: 1,
      unitsPerPost: 2,
      random: () => seededRandom(1),
    });

    expect(found).toEqual({ shards: undefined, load: undefined });
  });

  it('refuses a headroom outside (0, 1]', () => {
    const input = { postsPerSecond: 50, seconds: 10, unitsPerPost: 2, random: () => seededRandom(1) };

    expect(() => smallestSafeShardCount({ ...input, headroom: 0 })).toThrow(/headroom/);
    expect(() => smallestSafeShardCount({ ...input, headroom: 1.5 })).toThrow(/headroom/);
  });
});

describe('seededRandom', () => {
  it('repeats for a seed and stays in [0, 1)', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const values = Array.from({ length: 1000 }, () => a());

    expect(values).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(seededRandom(43)()).not.toBe(values[0]);
  });
});

describe('benchPartitionRate', () => {
  it('simulates each rate at each shown shard count, and finds the smallest safe count per rate', () => {
    const result = benchPartitionRate({ unitsPerPost: 2, seconds: 20, rates: [50, 1000] });

    expect(result.rows.map((r) => [r.postsPerSecond, r.shards])).toEqual([
      [50, 1],
      [50, 2],
      [50, 4],
      [50, 8],
      [1000, 1],
      [1000, 2],
      [1000, 4],
      [1000, 8],
    ]);
    expect(result.rows.find((r) => r.postsPerSecond === 1000 && r.shards === 1)!.ratioToLimit).toBe(2);
    expect(result.smallest[0]).toMatchObject({ postsPerSecond: 50, shards: 1 });
    expect(result.smallest[1]!.shards).toBeGreaterThanOrEqual(3);
    expect(result.smallest[1]!.ratioToLimit).toBeLessThanOrEqual(PARTITION_HEADROOM);
  });
});
