/** Nearest-rank percentile of `values` (0 < p ≤ 100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface Summary {
  readonly samples: number;
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
}

export function summarize(values: readonly number[]): Summary {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return {
    samples: values.length,
    p50: round(percentile(values, 50)),
    p99: round(percentile(values, 99)),
    mean: round(mean),
  };
}

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * `measured ÷ baseline` to three significant digits: every figure of the
 * benchmark is one of these. A baseline that is not a positive number has no
 * meaningful ratio, so it is an error rather than an Infinity in a report.
 */
export function ratio(measured: number, baseline: number): number {
  if (!Number.isFinite(measured) || measured < 0) {
    throw new RangeError(`A ratio needs a finite, non-negative measurement, got ${measured}.`);
  }
  if (!Number.isFinite(baseline) || baseline <= 0) {
    throw new RangeError(`A ratio needs a positive baseline, got ${baseline}.`);
  }
  return Number((measured / baseline).toPrecision(3));
}

/** p50 and p99 of `measured` over those of `baseline`. */
export function summaryRatio(measured: Summary, baseline: Summary): { p50: number; p99: number } {
  return { p50: ratio(measured.p50, baseline.p50), p99: ratio(measured.p99, baseline.p99) };
}
