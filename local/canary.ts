/**
 * The canary, locally (ADR 0032): the same handler as in AWS, run on a timer instead of an
 * EventBridge rule, its recent runs kept for `GET /local/canary`.
 */
import type { CanaryRun } from '../lambdas/domain/canary/ports.js';
import { lambdaContext } from './api-gateway.js';
import type { RecordedMetric } from './adapters/canary-metrics.js';
import type { LocalCanaryFunction } from './composition.js';

/** How many runs `GET /local/canary` shows. */
export const RECENT_CANARY_RUNS = 20;
/** The canary function's timeout in AWS (lib/constructs/canary.ts). */
export const CANARY_TIMEOUT_MS = 60_000;

export interface LocalCanaryRun extends CanaryRun {
  /** What the run emitted (CloudWatch metrics in AWS). */
  readonly metrics: readonly RecordedMetric[];
}

export class LocalCanary {
  private readonly runs: LocalCanaryRun[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: Promise<LocalCanaryRun> | undefined;
  private stopped = false;

  /** `intervalMs` 0: no timer; runs only when asked (`runNow`, `POST /local/canary/runs`). */
  constructor(
    private readonly canary: LocalCanaryFunction,
    readonly intervalMs: number,
  ) {
    this.schedule();
  }

  get roomId(): string {
    return this.canary.roomId;
  }

  /** Runs now, or joins the run in flight (runs never overlap). */
  runNow(): Promise<LocalCanaryRun> {
    this.inFlight ??= this.run().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** Newest first. */
  recent(): readonly LocalCanaryRun[] {
    return [...this.runs].reverse();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.inFlight?.catch(() => undefined);
  }

  private async run(): Promise<LocalCanaryRun> {
    const run = await this.canary.handler({}, lambdaContext('canary', CANARY_TIMEOUT_MS));
    const recorded = { ...run, metrics: this.canary.metrics.last };
    this.runs.push(recorded);
    if (this.runs.length > RECENT_CANARY_RUNS) this.runs.shift();
    return recorded;
  }

  /** The next run `intervalMs` after this one ended: a slow run delays the next, never doubles it. */
  private schedule(): void {
    if (this.stopped || this.intervalMs <= 0) return;
    this.timer = setTimeout(() => {
      void this.runNow()
        .catch((error: unknown) => console.error('[local] canary run failed to run:', error))
        .finally(() => this.schedule());
    }, this.intervalMs);
    this.timer.unref?.();
  }
}
