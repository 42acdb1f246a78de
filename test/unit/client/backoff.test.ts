import { describe, expect, it } from 'vitest';
import { createBackoff } from '../../../client/backoff.js';

/** A `random` that returns these values in turn, forever. */
const sequence =
  (...values: number[]) =>
  () => {
    const value = values.shift()!;
    values.push(value);
    return value;
  };
/** Just below 1: Math.random's largest values. */
const TOP = 1 - Number.EPSILON;

describe('createBackoff', () => {
  it('waits a random time below min(maxMs, baseMs · 2^attempt) — full jitter', () => {
    const randoms = [0, 0.25, 0.5, TOP];
    const backoff = createBackoff({ baseMs: 100, maxMs: 10_000, random: sequence(...randoms) });

    for (let attempt = 0; attempt < 12; attempt++) {
      const ceiling = Math.min(10_000, 100 * 2 ** attempt);
      const delays = randoms.map(() => backoff.delayMs(attempt));

      expect(delays).toEqual(randoms.map((r) => r * ceiling));
      for (const delay of delays) {
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(ceiling);
      }
    }
  });

  it('doubles the ceiling per attempt until the cap, then stays there', () => {
    const backoff = createBackoff({ baseMs: 250, maxMs: 3_000, random: () => TOP });

    const ceilings = [0, 1, 2, 3, 4, 5, 6].map((attempt) => Math.round(backoff.delayMs(attempt)));

    expect(ceilings).toEqual([250, 500, 1_000, 2_000, 3_000, 3_000, 3_000]);
  });

  it('stays finite and capped however many attempts were made', () => {
    const backoff = createBackoff({ baseMs: 1_000, maxMs: 60_000, random: () => TOP });

    for (const attempt of [64, 1_024, 1e9, Number.MAX_SAFE_INTEGER, Infinity]) {
      const delay = backoff.delayMs(attempt);
      expect(Number.isFinite(delay)).toBe(true);
      expect(delay).toBeLessThan(60_000);
    }
  });

  it('treats a negative or NaN attempt as the first', () => {
    const backoff = createBackoff({ baseMs: 400, maxMs: 60_000, random: () => 0.5 });

    expect([backoff.delayMs(-3), backoff.delayMs(Number.NaN)]).toEqual([200, 200]);
  });

  it('never retries sooner than Retry-After, and spreads retries above it by the attempt’s jitter', () => {
    const randoms = [0, 0.5, TOP];
    const backoff = createBackoff({ baseMs: 1_000, maxMs: 8_000, random: sequence(...randoms) });

    const first = randoms.map(() => backoff.delayMs(0, 5_000));
    const later = randoms.map(() => backoff.delayMs(9, 5_000));

    expect(first).toEqual([5_000, 5_500, 5_000 + TOP * 1_000]);
    expect(later).toEqual([5_000, 9_000, 5_000 + TOP * 8_000]);
  });

  it('honours a Retry-After longer than the cap', () => {
    const backoff = createBackoff({ baseMs: 100, maxMs: 1_000, random: () => 0 });

    expect(backoff.delayMs(3, 120_000)).toBe(120_000);
  });

  it('ignores a missing, zero, negative or NaN Retry-After', () => {
    const backoff = createBackoff({ baseMs: 100, maxMs: 1_000, random: () => 0.5 });

    const delays = [undefined, 0, -5_000, Number.NaN].map((retryAfter) => backoff.delayMs(1, retryAfter));

    expect(delays).toEqual([100, 100, 100, 100]);
  });

  it('uses Math.random when no random is given', () => {
    const backoff = createBackoff({ baseMs: 1_000, maxMs: 1_000 });

    const delays = Array.from({ length: 200 }, () => backoff.delayMs(0));

    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThan(1_000);
    expect(new Set(delays).size).toBeGreaterThan(1);
  });

  it.each([
    [{ baseMs: 0, maxMs: 1_000 }],
    [{ baseMs: -1, maxMs: 1_000 }],
    [{ baseMs: 2_000, maxMs: 1_000 }],
    [{ baseMs: Number.NaN, maxMs: 1_000 }],
  ])('refuses %o with a RangeError naming the values', (options) => {
    expect(() => createBackoff(options)).toThrow(RangeError);
    expect(() => createBackoff(options)).toThrow(`baseMs ${options.baseMs}, maxMs ${options.maxMs}`);
  });
});
