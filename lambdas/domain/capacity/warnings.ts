/** What the plan tells an operator before an event: quotas it would reach, and costs it commits to. */
import type { CapacityTable } from './target.js';

export type QuotaWarningCode =
  | 'cloudfront_requests'
  | 'appsync_connect_rate'
  | 'appsync_outbound'
  | 'lambda_concurrency'
  | 'apigateway_account_rate'
  | 'dynamodb_partition'
  | 'dynamodb_table_throughput'
  | 'dynamodb_warm_throughput'
  | 'live_document_truncated';

export interface QuotaWarning {
  /** `warning`: the plan exceeds the quota. `info`: it comes close, or commits to a cost worth knowing. */
  readonly level: 'info' | 'warning';
  readonly code: QuotaWarningCode;
  readonly message: string;
  /** The quota, in the unit of `planned`. */
  readonly limit: number;
  readonly planned: number;
  /** Set when one room causes it. */
  readonly roomId?: string;
  readonly table?: CapacityTable;
  /** For DynamoDB warnings: which units. */
  readonly units?: 'read' | 'write';
  /** The stretch of time where it is worst (a step, or a room's start window). */
  readonly fromMs?: number;
  readonly toMs?: number;
}

/**
 * `warning` above the quota, `info` above the safe share of it, nothing below.
 * Quotas are adjustable or shared with other workloads, so coming close is worth saying.
 */
export function quotaLevel(
  planned: number,
  limit: number,
  safetyFactor: number,
): QuotaWarning['level'] | undefined {
  if (planned > limit) return 'warning';
  if (planned > limit * safetyFactor) return 'info';
  return undefined;
}

/**
 * The same quota reached in many steps is one warning: the worst moment
 * (highest planned value; the earliest among equals). Warnings about one room
 * or one table stay apart from the deployment-wide ones.
 */
export function worstOfEach(warnings: readonly QuotaWarning[]): QuotaWarning[] {
  const worst = new Map<string, QuotaWarning>();
  for (const warning of warnings) {
    const key = `${warning.code}|${warning.roomId ?? ''}|${warning.table ?? ''}|${warning.units ?? ''}`;
    const kept = worst.get(key);
    if (!kept || warning.planned > kept.planned) worst.set(key, warning);
  }
  return [...worst.values()].sort(
    (a, b) =>
      (a.fromMs ?? 0) - (b.fromMs ?? 0) ||
      a.code.localeCompare(b.code) ||
      (a.roomId ?? '').localeCompare(b.roomId ?? '') ||
      (a.table ?? '').localeCompare(b.table ?? '') ||
      (a.units ?? '').localeCompare(b.units ?? ''),
  );
}

/** `12345.6` → `12,345.6`, for messages. */
export const formatNumber = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 1 });
