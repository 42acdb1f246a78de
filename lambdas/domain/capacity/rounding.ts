/**
 * Rates are products of decimal coefficients, so binary floating point leaves
 * noise (10,000 / 3 × 0.05 × 1.5 = 250.00000000000003). Rounding to 12 significant
 * digits first keeps `roundUp` from turning that noise into one more
 * instance, shard or unit.
 */
const clean = (x: number) => Number(x.toPrecision(12));

/** The smallest whole number ≥ x (x ≥ 0). */
export const roundUp = (x: number): number => Math.max(0, Math.ceil(clean(x)));

/** A rate for display: three decimals. */
export const round3 = (x: number): number => Math.round(clean(x) * 1000) / 1000;

/** `a ≤ b`, ignoring floating-point noise. */
export const atMost = (a: number, b: number): boolean => clean(a) <= clean(b);
