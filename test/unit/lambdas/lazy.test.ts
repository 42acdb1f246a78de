import { describe, expect, it, vi } from 'vitest';
import { lazy } from '../../../lambdas/lazy.js';

class Counter {
  private count = 0;
  constructor(readonly start: number) {
    this.count = start;
  }
  next(): number {
    return ++this.count;
  }
}

describe('lazy', () => {
  it('makes nothing until first used, then makes it once', () => {
    const create = vi.fn(() => new Counter(10));

    const counter = lazy(create);

    expect(create).not.toHaveBeenCalled();
    expect(counter.next()).toBe(11);
    expect(counter.next()).toBe(12);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('calls methods on the instance, so they keep their `this`', () => {
    const counter = lazy(() => new Counter(1));
    const { next } = counter;

    expect(next()).toBe(2);
    expect(counter.start).toBe(1);
  });

  it('tries again on the next use when making it failed', () => {
    let attempts = 0;
    const counter = lazy(() => {
      attempts++;
      if (attempts === 1) throw new Error('SSM throttled');
      return new Counter(0);
    });

    expect(() => counter.next()).toThrow('SSM throttled');
    expect(counter.next()).toBe(1);
    expect(attempts).toBe(2);
  });

  it('is not taken for a promise, so resolving with it makes nothing', async () => {
    const create = vi.fn(() => new Counter(0));

    const resolved = await Promise.resolve(lazy(create));

    expect(create).not.toHaveBeenCalled();
    expect(resolved.next()).toBe(1);
  });
});
