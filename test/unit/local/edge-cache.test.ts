import { describe, expect, it } from 'vitest';
import { cacheLifetime, EdgeCache, type EdgeResponse } from '../../../local/edge-cache.js';
import { deferred, manualClock } from '../fakes.js';

const T0 = Date.UTC(2030, 0, 1);

const response = (cacheControl: string | undefined, body = 'body'): EdgeResponse => ({
  status: 200,
  headers: {
    'Content-Type': 'application/json',
    ...(cacheControl === undefined ? {} : { 'Cache-Control': cacheControl }),
  },
  body,
});

/** An origin that answers with `make()` and counts its calls. */
function countingOrigin(make: () => EdgeResponse = () => response('public, max-age=3')) {
  let calls = 0;
  const origin = async () => {
    calls++;
    return make();
  };
  return Object.assign(origin, { calls: () => calls });
}

function setup(maxEntries?: number) {
  const clock = manualClock(T0);
  const cache = new EdgeCache(clock, maxEntries);
  return { clock, cache };
}

describe('cacheLifetime', () => {
  it.each([
    ['max-age alone', { 'Cache-Control': 'public, max-age=3' }, 3],
    ['s-maxage over max-age', { 'Cache-Control': 'public, max-age=300, s-maxage=86400' }, 86_400],
    ['s-maxage before max-age', { 'Cache-Control': 's-maxage=5, max-age=60' }, 5],
    ['s-maxage=0 over max-age', { 'Cache-Control': 'max-age=60, s-maxage=0' }, 0],
    ['no-store', { 'Cache-Control': 'no-store' }, 0],
    ['no-store with a max-age', { 'Cache-Control': 'no-store, max-age=60' }, 0],
    ['no-cache', { 'Cache-Control': 'no-cache, max-age=60' }, 0],
    ['private', { 'Cache-Control': 'private, max-age=60' }, 0],
    ['a missing header', {}, 0],
    ['an empty header', { 'Cache-Control': '' }, 0],
    ['public without a lifetime', { 'Cache-Control': 'public' }, 0],
    ['a non-numeric max-age', { 'Cache-Control': 'max-age=soon' }, 0],
    ['a negative max-age', { 'Cache-Control': 'max-age=-5' }, 0],
    ['a lower-case header name', { 'cache-control': 'max-age=7' }, 7],
    ['an upper-case header name', { 'CACHE-CONTROL': 'max-age=7' }, 7],
    ['upper-case directives', { 'Cache-Control': 'Public, Max-Age=9' }, 9],
    ['spaces around the directives', { 'Cache-Control': '  public ,  max-age=4 ' }, 4],
  ])('reads %s', (_name, headers, seconds) => {
    expect(cacheLifetime(headers)).toBe(seconds);
  });

  it('ignores other headers', () => {
    expect(cacheLifetime({ 'X-Cache-Control': 'max-age=60', 'Content-Type': 'text/plain' })).toBe(0);
  });
});

describe('EdgeCache', () => {
  it('misses, then hits within the lifetime with the age from the clock', async () => {
    // Prepare
    const { clock, cache } = setup();
    const origin = countingOrigin();

    // Act
    const first = await cache.fetch('/v1/rooms/a/live', origin);
    clock.advance(2_500);
    const second = await cache.fetch('/v1/rooms/a/live', origin);

    // Assess
    expect(first).toMatchObject({ outcome: 'Miss', ageSeconds: 0 });
    expect(second).toEqual({ response: first.response, outcome: 'Hit', ageSeconds: 2 });
    expect(origin.calls()).toBe(1);
  });

  it('misses again once the lifetime has passed', async () => {
    const { clock, cache } = setup();
    const origin = countingOrigin();
    await cache.fetch('/k', origin);
    clock.advance(2_999);
    const stillFresh = await cache.fetch('/k', origin);
    clock.advance(1);

    const expired = await cache.fetch('/k', origin);

    expect(stillFresh.outcome).toBe('Hit');
    expect(expired.outcome).toBe('Miss');
    expect(origin.calls()).toBe(2);
  });

  it('counts the lifetime from when the origin answered', async () => {
    // Prepare: the origin takes 2 s to answer a 3 s lifetime.
    const { clock, cache } = setup();
    const slow = deferred<EdgeResponse>();
    const pending = cache.fetch('/k', () => slow.promise);
    clock.advance(2_000);
    slow.resolve(response('max-age=3'));
    await pending;
    clock.advance(2_999);

    // Act
    const result = await cache.fetch('/k', countingOrigin());

    // Assess
    expect(result).toMatchObject({ outcome: 'Hit', ageSeconds: 2 });
  });

  it('collapses 100 concurrent fetches of one key into one origin call', async () => {
    // Prepare
    const { cache } = setup();
    const answer = deferred<EdgeResponse>();
    let calls = 0;
    const origin = () => {
      calls++;
      return answer.promise;
    };

    // Act
    const fetches = Array.from({ length: 100 }, () => cache.fetch('/v1/rooms/a/live', origin));
    answer.resolve(response('public, max-age=3', 'the one answer'));
    const results = await Promise.all(fetches);

    // Assess
    expect(calls).toBe(1);
    expect(results.filter((r) => r.outcome === 'Miss')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'Collapsed')).toHaveLength(99);
    expect(results.every((r) => r.response.body === 'the one answer')).toBe(true);
    expect(cache.stats()).toMatchObject({ requests: 100, originCalls: 1, misses: 1, collapsed: 99, hits: 0 });
  });

  it('collapses concurrent fetches even when the response is not cacheable', async () => {
    const { cache } = setup();
    const origin = countingOrigin(() => response('no-store'));

    const results = await Promise.all([cache.fetch('/k', origin), cache.fetch('/k', origin)]);

    expect(results.map((r) => r.outcome)).toEqual(['Miss', 'Collapsed']);
    expect(origin.calls()).toBe(1);
  });

  it('keeps different keys apart', async () => {
    const { cache } = setup();
    const a = countingOrigin(() => response('max-age=3', 'a'));
    const b = countingOrigin(() => response('max-age=3', 'b'));

    const [ra, rb] = await Promise.all([cache.fetch('/a', a), cache.fetch('/b', b)]);
    const again = await cache.fetch('/a', b);

    expect([ra.response.body, rb.response.body]).toEqual(['a', 'b']);
    expect([ra.outcome, rb.outcome]).toEqual(['Miss', 'Miss']);
    expect(again).toMatchObject({ outcome: 'Hit', response: { body: 'a' } });
    expect([a.calls(), b.calls()]).toEqual([1, 1]);
  });

  it.each(['no-store', 'no-cache', 'private, max-age=60', undefined])(
    'does not store a response with Cache-Control %s',
    async (cacheControl) => {
      const { cache } = setup();
      const origin = countingOrigin(() => response(cacheControl));

      await cache.fetch('/k', origin);
      const second = await cache.fetch('/k', origin);

      expect(second.outcome).toBe('Miss');
      expect(origin.calls()).toBe(2);
      expect(cache.stats().entries).toBe(0);
    },
  );

  it('does not store a failed origin call, and the next fetch calls the origin again', async () => {
    // Prepare
    const { cache } = setup();
    let calls = 0;
    const origin = async () => {
      calls++;
      if (calls === 1) throw new Error('origin down');
      return response('max-age=3', 'recovered');
    };
    await expect(cache.fetch('/k', origin)).rejects.toThrow('origin down');

    // Act
    const result = await cache.fetch('/k', origin);

    // Assess
    expect(result).toMatchObject({ outcome: 'Miss', response: { body: 'recovered' } });
    expect(calls).toBe(2);
  });

  it('invalidates an exact path only', async () => {
    // Prepare
    const { cache } = setup();
    const origin = countingOrigin();
    for (const key of ['/v1/rooms/a/live', '/v1/rooms/a/live2', '/v1/rooms/b/live'])
      await cache.fetch(key, origin);

    // Act
    const dropped = cache.invalidate(['/v1/rooms/a/live']);

    // Assess
    expect(dropped).toBe(1);
    expect((await cache.fetch('/v1/rooms/a/live', origin)).outcome).toBe('Miss');
    expect((await cache.fetch('/v1/rooms/a/live2', origin)).outcome).toBe('Hit');
    expect((await cache.fetch('/v1/rooms/b/live', origin)).outcome).toBe('Hit');
  });

  it('invalidates every path under a prefix ending in *', async () => {
    const { cache } = setup();
    const origin = countingOrigin();
    const keys = ['/v1/rooms/a/live', '/v1/rooms/a/segments/1', '/v1/rooms/ab/live', '/v1/rooms/b/live'];
    for (const key of keys) await cache.fetch(key, origin);

    const dropped = cache.invalidate(['/v1/rooms/a/*']);

    expect(dropped).toBe(2);
    const outcomes = [];
    for (const key of keys) outcomes.push((await cache.fetch(key, origin)).outcome);
    expect(outcomes).toEqual(['Miss', 'Miss', 'Hit', 'Hit']);
  });

  it('invalidates several paths at once and counts one invalidation', async () => {
    const { cache } = setup();
    const origin = countingOrigin();
    for (const key of ['/a', '/b', '/c']) await cache.fetch(key, origin);

    const dropped = cache.invalidate(['/a', '/c', '/nothing-here']);

    expect(dropped).toBe(2);
    expect(cache.stats()).toMatchObject({ invalidations: 1, entries: 1 });
  });

  it('drops everything for the path *', async () => {
    const { cache } = setup();
    const origin = countingOrigin();
    for (const key of ['/a', '/b']) await cache.fetch(key, origin);

    expect(cache.invalidate(['*'])).toBe(2);
    expect(cache.stats().entries).toBe(0);
  });

  it('counts requests, hits, misses, origin calls and entries', async () => {
    // Prepare
    const { clock, cache } = setup();
    const origin = countingOrigin();

    // Act
    await cache.fetch('/a', origin); // miss
    await cache.fetch('/a', origin); // hit
    await cache.fetch('/b', origin); // miss
    clock.advance(3_000);
    await cache.fetch('/a', origin); // miss (expired)
    cache.invalidate(['/b']);

    // Assess
    expect(cache.stats()).toEqual({
      requests: 4,
      hits: 1,
      misses: 3,
      collapsed: 0,
      originCalls: 3,
      invalidations: 1,
      entries: 1,
    });
  });

  it('evicts the oldest entry at maxEntries', async () => {
    // Prepare
    const { cache } = setup(2);
    const origin = countingOrigin();
    await cache.fetch('/a', origin);
    await cache.fetch('/b', origin);

    // Act
    await cache.fetch('/c', origin);

    // Assess
    expect(cache.stats().entries).toBe(2);
    expect((await cache.fetch('/b', origin)).outcome).toBe('Hit');
    expect((await cache.fetch('/c', origin)).outcome).toBe('Hit');
    expect((await cache.fetch('/a', origin)).outcome).toBe('Miss');
  });

  it('does not evict another entry when refreshing an expired one', async () => {
    const { clock, cache } = setup(2);
    const origin = countingOrigin();
    await cache.fetch('/a', origin);
    clock.advance(1_000);
    await cache.fetch('/b', origin);
    clock.advance(2_000);

    await cache.fetch('/a', origin);

    expect((await cache.fetch('/b', origin)).outcome).toBe('Hit');
  });

  it('counts a refreshed entry as the newest when evicting', async () => {
    // Prepare: /a is stored before /b, expires first and is fetched again.
    const { clock, cache } = setup(3);
    const origin = countingOrigin();
    await cache.fetch('/a', origin);
    clock.advance(1_000);
    await cache.fetch('/b', origin);
    clock.advance(2_000);
    await cache.fetch('/a', origin);

    // Act: two more paths push one entry out.
    await cache.fetch('/c', origin);
    await cache.fetch('/d', origin);

    // Assess: /b, now the oldest entry, went; /a stayed.
    expect((await cache.fetch('/a', origin)).outcome).toBe('Hit');
    expect((await cache.fetch('/b', origin)).outcome).toBe('Miss');
  });

  it('returns a stats snapshot, not a live view', async () => {
    const { cache } = setup();
    const before = cache.stats();

    await cache.fetch('/a', countingOrigin());

    expect(before.requests).toBe(0);
    expect(cache.stats().requests).toBe(1);
  });

  it('does not store a response whose origin call an invalidation overtook', async () => {
    // Prepare: an origin call is in flight when the path is invalidated.
    const { cache } = setup();
    const slow = deferred<EdgeResponse>();
    const pending = cache.fetch('/v1/rooms/a/segments/7', () => slow.promise);
    cache.invalidate(['/v1/rooms/a/*']);
    slow.resolve(response('public, max-age=60', 'from before the invalidation'));
    expect((await pending).response.body).toBe('from before the invalidation');
    const origin = countingOrigin();

    // Act
    const next = await cache.fetch('/v1/rooms/a/segments/7', origin);

    // Assess
    expect(next.outcome).toBe('Miss');
    expect(origin.calls()).toBe(1);
  });
});
