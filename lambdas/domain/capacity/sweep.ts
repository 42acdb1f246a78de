/** Cuts overlapping half-open intervals into the stretches where the set of active items is constant. */

export interface Interval<T> {
  readonly fromMs: number;
  /** Exclusive. */
  readonly toMs: number;
  readonly item: T;
}

export interface Stretch<T> {
  readonly fromMs: number;
  /** Exclusive. */
  readonly toMs: number;
  /** The items whose interval covers the whole stretch, in input order. Never empty. */
  readonly items: readonly T[];
}

/** Stretches in time order; gaps where no interval is active are left out. */
export function sweep<T>(intervals: readonly Interval<T>[]): Stretch<T>[] {
  const bounds = [...new Set(intervals.flatMap((i) => [i.fromMs, i.toMs]))].sort((a, b) => a - b);
  const stretches: Stretch<T>[] = [];
  for (let k = 0; k + 1 < bounds.length; k++) {
    const fromMs = bounds[k] as number;
    const toMs = bounds[k + 1] as number;
    const items = intervals.filter((i) => i.fromMs <= fromMs && i.toMs >= toMs).map((i) => i.item);
    if (items.length > 0) stretches.push({ fromMs, toMs, items });
  }
  return stretches;
}
