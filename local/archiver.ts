/**
 * The archiver, locally (ADR 0037): the same handler as in AWS, run on a timer instead of an
 * EventBridge rule; `runNow()` for tests and `POST`-free use.
 */
import type { ArchiveRun } from '../lambdas/domain/feed/archiver.js';
import type { ArchiverHandler } from '../lambdas/handlers/archiver.js';
import { archiverFunction } from '../lambdas/routes.js';
import { lambdaContext } from './api-gateway.js';

export class LocalArchiver {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: Promise<ArchiveRun> | undefined;
  private stopped = false;
  /** The last run's result, for tests and diagnostics. */
  last: ArchiveRun | undefined;

  /** `intervalMs` 0: no timer; runs only when asked (`runNow`). */
  constructor(
    private readonly handler: ArchiverHandler,
    readonly intervalMs: number,
  ) {
    this.schedule();
  }

  /** Runs now, or joins the run in flight (runs never overlap). */
  runNow(): Promise<ArchiveRun> {
    this.inFlight ??= this.handler({}, lambdaContext('archiver', archiverFunction.timeoutMs))
      .then((run) => (this.last = run))
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.inFlight?.catch(() => undefined);
  }

  /** The next run `intervalMs` after this one ended. */
  private schedule(): void {
    if (this.stopped || this.intervalMs <= 0) return;
    this.timer = setTimeout(() => {
      void this.runNow()
        .catch((error: unknown) => console.error('[local] archiver run failed:', error))
        .finally(() => this.schedule());
    }, this.intervalMs);
    this.timer.unref?.();
  }
}
