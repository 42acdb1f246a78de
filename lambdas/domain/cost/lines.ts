/**
 * Cost lines: a quantity times a price from the table, with the price's
 * source and whether it is verified, so every figure the model shows can be
 * traced to a row of prices.ts.
 */
import type { Price, TieredPrice } from './prices.js';

/** Which part of a design a line belongs to (the hybrid's comment-rate test groups by it). */
export type CostPath = 'post' | 'receive' | 'push' | 'capacity';

export interface CostLine {
  readonly item: string;
  readonly path: CostPath;
  readonly quantity: number;
  readonly unit: string;
  /** The rate applied, per `per` units; for a tiered price, the mean rate over the bands used. */
  readonly unitPriceUsd: number;
  readonly per: number;
  /** The price as a person reads it, e.g. "$0.012 / 10,000" or "$0.114–$0.089 / GB (tiered)". */
  readonly priceLabel: string;
  readonly costUsd: number;
  /** This line's part of its design's total (0 when the total is 0). */
  readonly share: number;
  readonly source: string;
  /** False when any price behind the line is unverified. */
  readonly verified: boolean;
  /** How the quantity was reached. */
  readonly note?: string;
  /** Why a price behind the line is unverified (from prices.ts). */
  readonly priceNote?: string;
}

/** A line before its share is known. */
export type DraftLine = Omit<CostLine, 'share'>;

/** Options a line can carry: the explanation of its quantity. */
export interface LineOptions {
  readonly note?: string;
}

function usd(value: number): string {
  return `$${value.toLocaleString('en-US', { maximumSignificantDigits: 6 })}`;
}

function perLabel(per: number, unit: string): string {
  return per === 1 ? unit : `${per.toLocaleString('en-US')}`;
}

function joinNotes(...notes: (string | undefined)[]): string | undefined {
  const present = [...new Set(notes.filter((n): n is string => n !== undefined && n.length > 0))];
  return present.length > 0 ? present.join('; ') : undefined;
}

/** `quantity` units at a flat price. */
export function flatLine(
  item: string,
  path: CostPath,
  quantity: number,
  unit: string,
  price: Price,
  options: LineOptions = {},
): DraftLine {
  const priceNote = price.verified ? undefined : price.note;
  return {
    item,
    path,
    quantity,
    unit,
    unitPriceUsd: price.usd,
    per: price.per,
    priceLabel: `${usd(price.usd)} / ${perLabel(price.per, price.unit)}`,
    costUsd: (quantity / price.per) * price.usd,
    source: price.source,
    verified: price.verified,
    ...(options.note ? { note: options.note } : {}),
    ...(priceNote ? { priceNote } : {}),
  };
}

export interface TieredCost {
  readonly costUsd: number;
  /** The bands the quantity fell in, in order. */
  readonly bandsUsed: readonly { readonly usd: number; readonly verified: boolean; readonly note?: string }[];
}

/**
 * What `quantity` more units cost on a tiered price when `alreadyBilled`
 * units of the same month were billed before them (so two lines sharing one
 * price, like posts and origin polls on API Gateway, fall in the right bands).
 */
export function tieredCost(quantity: number, price: TieredPrice, alreadyBilled = 0): TieredCost {
  let from = alreadyBilled;
  const to = alreadyBilled + quantity;
  let costUsd = 0;
  const bandsUsed: TieredCost['bandsUsed'][number][] = [];
  let bandStart = 0;
  for (const tier of price.tiers) {
    const bandEnd = tier.upTo ?? Number.POSITIVE_INFINITY;
    if (from < bandEnd && to > bandStart && from < to) {
      const inBand = Math.min(to, bandEnd) - from;
      costUsd += (inBand / price.per) * tier.usd;
      bandsUsed.push(tier);
      from += inBand;
    }
    bandStart = bandEnd;
  }
  // A zero quantity still "uses" the band it would start in, for the price label.
  if (bandsUsed.length === 0) {
    const first = price.tiers.find((t) => (t.upTo ?? Number.POSITIVE_INFINITY) > alreadyBilled);
    if (first) bandsUsed.push(first);
  }
  return { costUsd, bandsUsed };
}

/** `quantity` units at a tiered price, after `alreadyBilled` units of the same price. */
export function tieredLine(
  item: string,
  path: CostPath,
  quantity: number,
  unit: string,
  price: TieredPrice,
  options: LineOptions & { readonly alreadyBilled?: number } = {},
): DraftLine {
  const { costUsd, bandsUsed } = tieredCost(quantity, price, options.alreadyBilled ?? 0);
  const rates = bandsUsed.map((b) => b.usd);
  const first = rates[0] ?? 0;
  const last = rates[rates.length - 1] ?? first;
  const per = perLabel(price.per, price.unit);
  const priceLabel =
    bandsUsed.length > 1 ? `${usd(first)}–${usd(last)} / ${per} (tiered)` : `${usd(first)} / ${per}`;
  const verified = bandsUsed.every((b) => b.verified);
  const priceNote = joinNotes(...bandsUsed.filter((b) => !b.verified).map((b) => b.note));
  return {
    item,
    path,
    quantity,
    unit,
    unitPriceUsd: quantity > 0 ? (costUsd / quantity) * price.per : first,
    per: price.per,
    priceLabel,
    costUsd,
    source: price.source,
    verified,
    ...(options.note ? { note: options.note } : {}),
    ...(priceNote ? { priceNote } : {}),
  };
}

export interface LineTotals {
  readonly lines: readonly CostLine[];
  readonly totalUsd: number;
  /** False when any line rests on an unverified price. */
  readonly verified: boolean;
}

/** Totals the lines and gives each its share. */
export function totalLines(drafts: readonly DraftLine[]): LineTotals {
  const totalUsd = drafts.reduce((sum, line) => sum + line.costUsd, 0);
  return {
    lines: drafts.map((line) => ({ ...line, share: totalUsd > 0 ? line.costUsd / totalUsd : 0 })),
    totalUsd,
    verified: drafts.every((line) => line.verified),
  };
}
