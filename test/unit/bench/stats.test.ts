import { describe, expect, it } from 'vitest';
import { percentile, summarize } from '../../../bench/stats.js';

describe('percentile', () => {
  it('takes the nearest rank of the sorted values', () => {
    const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];

    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 90)).toBe(9);
    expect(percentile(values, 99)).toBe(10);
    expect(percentile(values, 1)).toBe(1);
  });

  it('is NaN for no values', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('summarize', () => {
  it('reports p50, p99, mean and the sample count', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);

    expect(summarize(values)).toEqual({ samples: 100, p50: 50, p99: 99, mean: 50.5 });
  });
});
