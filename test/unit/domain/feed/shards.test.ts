import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_SHARDS, pickWriteShard, withWriteShards } from '../../../../lambdas/domain/feed/shards.js';

const fixed = (value: number) => () => value;

describe('pickWriteShard', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('picks shard 0 for random 0', () => {
    expect(pickWriteShard({ write: 4, read: 4 }, fixed(0))).toBe(0);
  });

  it('picks the last write shard for random 0.999999', () => {
    expect(pickWriteShard({ write: 4, read: 4 }, fixed(0.999999))).toBe(3);
    expect(pickWriteShard({ write: MAX_SHARDS, read: MAX_SHARDS }, fixed(0.999999))).toBe(MAX_SHARDS - 1);
  });

  it('never returns the write count, even for a random value of 1', () => {
    expect(pickWriteShard({ write: 4, read: 4 }, fixed(1))).toBe(3);
  });

  it('always picks shard 0 when there is one write shard', () => {
    for (const r of [0, 0.25, 0.5, 0.999999]) {
      expect(pickWriteShard({ write: 1, read: 1 }, fixed(r))).toBe(0);
    }
  });

  it.each([1, 2, 3, 7, 16, MAX_SHARDS])('covers every shard in [0, %i) uniformly', (write) => {
    // Prepare: the middle of each shard's slice of [0, 1).
    const picks = new Set<number>();

    // Act
    for (let shard = 0; shard < write; shard++) {
      const picked = pickWriteShard({ write, read: write }, fixed((shard + 0.5) / write));
      expect(picked).toBe(shard);
      picks.add(picked);
    }

    // Assess
    expect(picks.size).toBe(write);
  });

  it('picks from the write shards only, never from shards kept just for reading', () => {
    const shards = { write: 2, read: 8 };

    const picked = [0, 0.3, 0.6, 0.999999].map((r) => pickWriteShard(shards, fixed(r)));

    expect(picked).toEqual([0, 0, 1, 1]);
  });

  it('uses Math.random by default', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.6);

    expect(pickWriteShard({ write: 5, read: 5 })).toBe(3);
  });
});

describe('withWriteShards', () => {
  it('grows read along with write', () => {
    expect(withWriteShards({ write: 2, read: 2 }, 8)).toEqual({ write: 8, read: 8 });
  });

  it('never shrinks read when write shrinks', () => {
    expect(withWriteShards({ write: 8, read: 8 }, 2)).toEqual({ write: 2, read: 8 });
  });

  it('keeps a read count larger than both the old and the new write count', () => {
    expect(withWriteShards({ write: 2, read: 16 }, 4)).toEqual({ write: 4, read: 16 });
  });

  it('keeps read across a shrink followed by a grow', () => {
    const shrunk = withWriteShards({ write: 8, read: 8 }, 1);

    const regrown = withWriteShards(shrunk, 4);

    expect(regrown).toEqual({ write: 4, read: 8 });
  });
});
