import { describe, expect, it } from 'vitest';
import { TtlCache } from '../../../lambdas/adapters/ttl-cache.js';
import { deferred, manualClock } from '../fakes.js';

const TTL_MS = 1_000;
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A loader whose answers the test controls, counting its reads. */
function setup() {
  const clock = manualClock(Date.UTC(2030, 0, 1));
  const cache = new TtlCache<string>(TTL_MS, clock);
  let answer: () => Promise<string> = async () => 'v1';
  let reads = 0;
  const load = () => {
    reads++;
    return answer();
  };
  return { clock, cache, load, reads: () => reads, answer: (next: () => Promise<string>) => (answer = next) };
}

describe('TtlCache, stale while revalidating', () => {
  it('serves an expired value at once and replaces it with one read in the background', async () => {
    const { clock, cache, load, reads, answer } = setup();
    await cache.get('k', load);
    const pending = deferred<string>();
    answer(() => pending.promise);
    clock.advance(TTL_MS);

    const first = await cache.get('k', load);
    const second = await cache.get('k', load); // the refresh is still running: no second read
    pending.resolve('v2');
    await settle();
    const third = await cache.get('k', load);

    expect([first, second, third]).toEqual(['v1', 'v1', 'v2']);
    expect(reads()).toBe(2);
  });

  it('waits for a fresh read once a value is more than twice the ttl old', async () => {
    const { clock, cache, load, reads, answer } = setup();
    await cache.get('k', load);
    answer(async () => 'v2');
    clock.advance(2 * TTL_MS);

    expect(await cache.get('k', load)).toBe('v2');
    expect(reads()).toBe(2);
  });

  it('keeps serving the stale value when a refresh fails, until it ages out', async () => {
    const { clock, cache, load, answer } = setup();
    await cache.get('k', load);
    answer(async () => {
      throw new Error('throttled');
    });
    clock.advance(TTL_MS);

    expect(await cache.get('k', load)).toBe('v1');
    await settle();
    expect(await cache.get('k', load)).toBe('v1');
    clock.advance(TTL_MS);
    await expect(cache.get('k', load)).rejects.toThrow('throttled');
  });

  it('never serves stale values when the ttl is zero', async () => {
    const clock = manualClock(0);
    const cache = new TtlCache<number>(0, clock);
    let n = 0;
    const load = async () => ++n;

    await cache.get('k', load);
    await settle();

    expect(await cache.get('k', load)).toBe(2);
  });
});
