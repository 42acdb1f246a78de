import type { CanaryMetricsSink } from '../../lambdas/handlers/canary.js';

export interface RecordedMetric {
  readonly name: string;
  readonly unit: 'Count' | 'Milliseconds';
  readonly value: number;
}

/** Stands in for Powertools Metrics locally: keeps what the last run published, for `GET /local/canary`. */
export class RecordingCanaryMetrics implements CanaryMetricsSink {
  private pending: RecordedMetric[] = [];
  /** The metrics of the last `publishStoredMetrics()`. */
  last: readonly RecordedMetric[] = [];

  addMetric(name: string, unit: RecordedMetric['unit'], value: number): void {
    this.pending.push({ name, unit, value });
  }

  publishStoredMetrics(): void {
    this.last = this.pending;
    this.pending = [];
  }
}
