/** What the model says about one design: its lines, total, and the default quotas it would cross. */
import { totalLines, type CostLine, type DraftLine } from './lines.js';

export const DESIGNS = ['hybrid', 'all-appsync', 'apigw-websocket', 'ivs-chat'] as const;
export type DesignId = (typeof DESIGNS)[number];

/** One default quota compared with what the design would need at the event's mean rates. */
export interface QuotaCheck {
  readonly quota: string;
  readonly limit: number;
  readonly planned: number;
  readonly unit: string;
  readonly crossed: boolean;
  readonly source: string;
}

export interface DesignEstimate {
  readonly design: DesignId;
  readonly name: string;
  /** One sentence: how comments reach viewers in this design. */
  readonly summary: string;
  readonly lines: readonly CostLine[];
  readonly totalUsd: number;
  /** False when any line rests on an unverified price. */
  readonly verified: boolean;
  readonly quotas: readonly QuotaCheck[];
  /** True when any default quota is crossed: the design does not run without quota increases. */
  readonly blocked: boolean;
}

export function quotaCheck(
  quota: string,
  planned: number,
  limit: { readonly value: number; readonly unit: string; readonly source: string },
): QuotaCheck {
  return {
    quota,
    limit: limit.value,
    planned,
    unit: limit.unit,
    crossed: planned > limit.value,
    source: limit.source,
  };
}

export function designEstimate(
  design: DesignId,
  name: string,
  summary: string,
  drafts: readonly DraftLine[],
  quotas: readonly QuotaCheck[],
): DesignEstimate {
  const { lines, totalUsd, verified } = totalLines(drafts);
  return { design, name, summary, lines, totalUsd, verified, quotas, blocked: quotas.some((q) => q.crossed) };
}
