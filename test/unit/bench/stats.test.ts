import { describe, expect, it } from 'vitest';
import { median, percentile, ratio, summarize, summaryRatio } from '../../../bench/stats.js';

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

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe('ratio', () => {
  it('divides the measurement by the baseline, to three significant digits', () => {
    expect(ratio(10.4, 3.54)).toBe(2.94);
    expect(ratio(1, 2000)).toBe(0.0005);
    expect(ratio(0, 5)).toBe(0);
  });

  it('refuses a baseline that is not positive, rather than reporting Infinity', () => {
    expect(() => ratio(1, 0)).toThrow(/positive baseline/);
    expect(() => ratio(1, -1)).toThrow(/positive baseline/);
    expect(() => ratio(1, NaN)).toThrow(/positive baseline/);
    expect(() => ratio(NaN, 1)).toThrow(/measurement/);
  });

  it('pairs p50 with p50 and p99 with p99', () => {
    const measured = { samples: 10, p50: 20, p99: 90, mean: 30 };
    const baseline = { samples: 10, p50: 10, p99: 30, mean: 12 };

    expect(summaryRatio(measured, baseline)).toEqual({ p50: 2, p99: 3 });
  });
});
