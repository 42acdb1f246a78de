/** The estimate as aligned text tables for `npm run cost`. */
import type { DesignEstimate, QuotaCheck } from '../../lambdas/domain/cost/design.js';
import type { CostEstimate } from '../../lambdas/domain/cost/estimate.js';
import type { CostLine } from '../../lambdas/domain/cost/lines.js';

/** Marks a figure that rests on a price not verified for the region. */
export const UNVERIFIED_MARK = '*';

export function formatUsd(value: number): string {
  if (value > 0 && value < 0.005) return '<$0.01';
  return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function formatNumber(value: number): string {
  const digits = Number.isInteger(value) || Math.abs(value) >= 1_000 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits });
}

function times(ratio: number): string {
  return `${ratio.toLocaleString('en-US', { maximumFractionDigits: ratio >= 10 ? 0 : 1 })}×`;
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

function mark(verified: boolean): string {
  return verified ? '' : UNVERIFIED_MARK;
}

/** Pads columns to their widest cell; columns named in `right` are right-aligned. */
function table(rows: readonly (readonly string[])[], right: ReadonlySet<number>, indent = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map(
    (row) =>
      indent +
      row
        .map((cell, i) => (right.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
  );
}

function lineRow(line: CostLine): string[] {
  return [
    line.item,
    formatNumber(line.quantity),
    line.unit,
    `${line.priceLabel}${mark(line.verified)}`,
    formatUsd(line.costUsd),
    percent(line.share),
  ];
}

function crossedQuotas(quotas: readonly QuotaCheck[]): string {
  const crossed = quotas.filter((q) => q.crossed);
  if (crossed.length === 0) return 'none';
  return crossed
    .map((q) => `${q.quota}: ${formatNumber(Math.round(q.planned))} > ${formatNumber(q.limit)} ${q.unit}`)
    .join('; ');
}

function designLines(design: DesignEstimate): string[] {
  return table(
    [
      ['item', 'quantity', 'unit', 'unit price', 'cost', 'share'],
      ...design.lines.map(lineRow),
      ['total', '', '', '', `${formatUsd(design.totalUsd)}${mark(design.verified)}`, '100.0%'],
    ],
    new Set([1, 4, 5]),
  );
}

/** The legend: each distinct reason a price behind the estimate is unverified, and the items it affects. */
function legend(estimate: CostEstimate): string[] {
  const items = new Map<string, Set<string>>();
  for (const line of [estimate.hybrid, ...estimate.alternatives].flatMap((d) => d.lines)) {
    if (line.verified) continue;
    const reason = line.priceNote ?? 'not verified for this region';
    items.set(reason, (items.get(reason) ?? new Set()).add(line.item.replace(/ \(.*\)$/, '')));
  }
  if (items.size === 0 && estimate.breakEven.verified) return [];
  return [
    `${UNVERIFIED_MARK} rests on a price not verified against AWS for ${estimate.input.region} ` +
      '(see lambdas/domain/cost/prices.ts):',
    ...[...items].map(([reason, affected]) => `  - ${[...affected].join(', ')}: ${reason}`),
  ];
}

/** `afterDesign`: lines printed under this design's table (e.g. where its capacity came from). */
export function formatEstimate(estimate: CostEstimate, afterDesign: readonly string[] = []): string {
  const { input, hybrid, alternatives, breakEven } = estimate;
  const header =
    `${formatNumber(input.viewers)} viewers for ${formatNumber(input.hours)} h in ${input.region}: ` +
    `${formatNumber(input.commentsPerSecond)} comments/s, ${input.pollSeconds} s polls, ` +
    `${formatNumber(Number(input.responseKb.toPrecision(3)))} KB responses (${input.responseSize === 'measured' ? 'measured size at this rate' : 'as given'}), artist messages ${formatNumber(input.artistMessagesPerMinute)}/min. ` +
    `USD list prices gathered ${estimate.pricesDate}, before free tier.`;
  const alternativeRows = table(
    [
      ['design', 'total', '× hybrid', 'default quotas crossed'],
      ...[hybrid, ...alternatives].map((d) => [
        d.name,
        `${formatUsd(d.totalUsd)}${mark(d.verified)}`,
        hybrid.totalUsd > 0 ? times(d.totalUsd / hybrid.totalUsd) : '–',
        crossedQuotas(d.quotas),
      ]),
    ],
    new Set([1, 2]),
  );
  const breakEvenText =
    `Push beats ${input.pollSeconds}-second polling below ${breakEven.messagesPerSecond.toFixed(2)} messages/s ` +
    `per room${mark(breakEven.verified)}: polling costs ${perMillion(breakEven.pollCostPerViewerSecondUsd)} ` +
    `viewer-seconds, pushing ${perMillion(breakEven.pushCostPerDeliveryUsd)} deliveries.`;
  return [
    header,
    '',
    `This design — ${hybrid.name}: ${hybrid.summary}`,
    ...designLines(hybrid),
    ...(afterDesign.length > 0 ? ['', ...afterDesign] : []),
    '',
    'Alternatives (line by line: --json)',
    ...alternativeRows,
    '',
    breakEvenText,
    ...(legend(estimate).length > 0 ? ['', ...legend(estimate)] : []),
  ].join('\n');
}

function perMillion(value: number): string {
  return `$${(value * 1e6).toLocaleString('en-US', { maximumSignificantDigits: 4 })} per million`;
}
