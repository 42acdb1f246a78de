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

describe('TtlCache, refreshing ahead', () => {
  it('reads nothing again in the first four fifths of a value’s lifetime', async () => {
    const { clock, cache, load, reads } = setup();
    await cache.get('k', load);

    clock.advance(TTL_MS * 0.8 - 1);
    await cache.get('k', load);

    expect(reads()).toBe(1);
  });

  it('serves the current value in its last fifth and reads its successor once, in the background', async () => {
    const { clock, cache, load, reads, answer } = setup();
    await cache.get('k', load);
    const pending = deferred<string>();
    answer(() => pending.promise);
    clock.advance(TTL_MS * 0.8);

    const first = await cache.get('k', load);
    const second = await cache.get('k', load); // the refresh is still running: no second read
    pending.resolve('v2');
    await settle();
    const third = await cache.get('k', load);

    expect([first, second, third]).toEqual(['v1', 'v1', 'v2']);
    expect(reads()).toBe(2);
  });

  it('never serves a value past its lifetime: once expired, a request waits for a new read', async () => {
    const { clock, cache, load, reads, answer } = setup();
    await cache.get('k', load);
    answer(async () => 'v2');
    clock.advance(TTL_MS);

    expect(await cache.get('k', load)).toBe('v2');
    expect(reads()).toBe(2);
  });

  it('counts a refreshed value’s lifetime from when its read started', async () => {
    const { clock, cache, load, answer } = setup();
    await cache.get('k', load);
    const pending = deferred<string>();
    answer(() => pending.promise);
    clock.advance(TTL_MS * 0.9); // the refresh starts here
    await cache.get('k', load);
    clock.advance(TTL_MS * 0.5);
    pending.resolve('v2');
    await settle();
    answer(async () => 'v3');

    clock.advance(TTL_MS * 0.5); // a full lifetime after the refresh started
    expect(await cache.get('k', load)).toBe('v3');
  });

  it('keeps the current value when a refresh fails, and lets it expire as it would have', async () => {
    const { clock, cache, load, answer } = setup();
    await cache.get('k', load);
    answer(async () => {
      throw new Error('throttled');
    });
    clock.advance(TTL_MS * 0.9);

    expect(await cache.get('k', load)).toBe('v1');
    await settle();
    expect(await cache.get('k', load)).toBe('v1');
    clock.advance(TTL_MS * 0.1);
    await expect(cache.get('k', load)).rejects.toThrow('throttled');
  });

  it('reads every time when the ttl is zero', async () => {
    const clock = manualClock(0);
    const cache = new TtlCache<number>(0, clock);
    let n = 0;
    const load = async () => ++n;

    await cache.get('k', load);
    await settle();

    expect(await cache.get('k', load)).toBe(2);
  });
});
