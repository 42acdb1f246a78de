import { describe, expect, it } from 'vitest';
import { UnavailableError } from '../../../lambdas/domain/errors.js';
import { OriginGuard, OriginOnlyError } from '../../../lambdas/handlers/origin-guard.js';
import { deferred } from '../fakes.js';

/** Secrets whose values the test changes, counting reads; a read fails while `failing` is set. */
function secrets(...initial: string[]) {
  const state = { values: initial, reads: 0, failing: false };
  return {
    state,
    read: async () => {
      state.reads++;
      if (state.failing) throw new Error('Secrets Manager is down');
      return state.values;
    },
  };
}

function clock(start = 1_000_000) {
  const time = { now: start };
  return { time, now: () => time.now };
}

describe('OriginGuard', () => {
  it('admits a request that carries the current value', async () => {
    const guard = new OriginGuard(secrets('current-value'));

    await expect(guard.check('current-value')).resolves.toBeUndefined();
  });

  it('refuses a missing, empty or wrong header with origin_only', async () => {
    const guard = new OriginGuard(secrets('current-value'));

    for (const presented of [undefined, '', 'current-valuX', 'current-value ', 'current']) {
      const error = await guard.check(presented).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OriginOnlyError);
      expect(error).toMatchObject({ status: 403, code: 'origin_only', retryable: false, cacheable: false });
    }
  });

  it('admits every value the secrets give (current, pending and previous during a rotation)', async () => {
    const guard = new OriginGuard(secrets('new', 'pending', 'old'));

    await guard.check('new');
    await guard.check('pending');
    await guard.check('old');
  });

  it('reads the secrets once for many requests', async () => {
    const source = secrets('v1');
    const guard = new OriginGuard(source);

    await Promise.all(Array.from({ length: 50 }, () => guard.check('v1')));

    expect(source.state.reads).toBe(1);
  });

  it('picks up a rotated value on its first request once the refresh interval has passed', async () => {
    // Prepare
    const source = secrets('v1');
    const t = clock();
    const guard = new OriginGuard(source, { refreshAfterMs: 10_000, clock: t.now });
    await guard.check('v1');
    source.state.values = ['v2', 'v1'];
    t.time.now += 10_000;

    // Act
    await guard.check('v2');

    // Assess
    expect(source.state.reads).toBe(2);
    await guard.check('v1');
  });

  it('picks up a rotated value at once when no wrong value came just before', async () => {
    const source = secrets('v1');
    const t = clock();
    const guard = new OriginGuard(source, { refreshAfterMs: 10_000, clock: t.now });
    await guard.check('v1');
    source.state.values = ['v2', 'v1'];

    t.time.now += 1;
    await guard.check('v2');

    expect(source.state.reads).toBe(2);
  });

  it('reads once for a flood of wrong values, then not again within the refresh interval', async () => {
    // Prepare
    const source = secrets('v1');
    const t = clock();
    const guard = new OriginGuard(source, { refreshAfterMs: 10_000, clock: t.now });
    await guard.check('v1');

    // Act: a flood of wrong values, and a rotated value a moment later
    for (let i = 0; i < 100; i++) await expect(guard.check(`guess-${i}`)).rejects.toThrow(OriginOnlyError);
    t.time.now += 9_999;
    source.state.values = ['v2', 'v1'];
    await expect(guard.check('v2')).rejects.toThrow(OriginOnlyError);

    // Assess: one read for the whole flood; the next second's request reads and is admitted
    expect(source.state.reads).toBe(2);
    t.time.now += 1;
    await guard.check('v2');
    expect(source.state.reads).toBe(3);
  });

  it('reads at most once per refresh interval however many wrong values arrive', async () => {
    const source = secrets('v1');
    const t = clock();
    const guard = new OriginGuard(source, { refreshAfterMs: 10_000, clock: t.now });
    await guard.check('v1');

    for (let second = 0; second < 60; second++) {
      t.time.now += 1_000;
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => guard.check(`wrong-${second}-${i}`).catch(() => undefined)),
      );
    }

    expect(source.state.reads).toBe(1 + 6);
  });

  it('stops accepting a retired value once the held values are older than their maximum age', async () => {
    const source = secrets('v1');
    const t = clock();
    const guard = new OriginGuard(source, { maxAgeMs: 60_000, clock: t.now });
    await guard.check('v1');
    source.state.values = ['v3', 'v2'];

    t.time.now += 60_000;

    await expect(guard.check('v1')).rejects.toThrow(OriginOnlyError);
    await guard.check('v3');
  });

  it('keeps answering with the held values when a later read fails', async () => {
    const source = secrets('v1');
    const t = clock();
    const guard = new OriginGuard(source, { refreshAfterMs: 10_000, maxAgeMs: 60_000, clock: t.now });
    await guard.check('v1');
    source.state.failing = true;

    t.time.now += 60_000;
    await guard.check('v1');
    await expect(guard.check('other')).rejects.toThrow(OriginOnlyError);
    // The failed periodic read is retried after the refresh interval, not on every request
    // (the wrong value made one read of its own).
    await guard.check('v1');
    await guard.check('v1');
    expect(source.state.reads).toBe(3);
  });

  it('answers 503 unavailable when the values were never read, and reads again on the next request', async () => {
    const source = secrets('v1');
    source.state.failing = true;
    const guard = new OriginGuard(source);

    const error = await guard.check('v1').catch((e: unknown) => e);
    source.state.failing = false;

    expect(error).toBeInstanceOf(UnavailableError);
    expect(error).toMatchObject({ status: 503, retryable: true });
    await guard.check('v1');
  });

  it('starts its first read when prefetched, before any request', async () => {
    const read = deferred<readonly string[]>();
    let reads = 0;
    const guard = new OriginGuard({
      read: () => {
        reads++;
        return read.promise;
      },
    }).prefetch();

    const checked = guard.check('v1');
    read.resolve(['v1']);

    await checked;
    expect(reads).toBe(1);
  });
});
