/**
 * The view-limit batch, locally (ADR 0039): the same scheduler and worker handlers as in AWS, the
 * schedule as a timer, SQS as the in-process queue with its dead-letter queue, and Lambda's event
 * source as a poller. Recent batches are kept for `GET /local/limits`.
 */
import { LIMITS_QUEUE, limitsSchedulerFunction, limitsWorkerFunction } from '../lambdas/routes.js';
import type { LimitsSchedulerHandler, LimitsSchedulerRun } from '../lambdas/handlers/limits-scheduler.js';
import type { LimitsWorkerHandler } from '../lambdas/handlers/limits-worker.js';
import { lambdaContext } from './api-gateway.js';
import { type BatchOutcome, LocalEventSource, LocalQueue, type QueueStats } from './queue.js';

/** How many batches `GET /local/limits` shows. */
export const RECENT_LIMIT_BATCHES = 50;
/** How often the poller looks at the queue (Lambda long-polls; a second is close enough here). */
export const DEFAULT_LIMITS_POLL_MS = 1_000;

export interface LocalLimitsOptions {
  /** The handler `lambdas/functions/limits-scheduler.ts` builds, with the local job queue. */
  readonly scheduler: (queue: LocalQueue) => LimitsSchedulerHandler;
  /** The handler `lambdas/functions/limits-worker.ts` builds. */
  readonly worker: LimitsWorkerHandler;
  /** Between scheduled runs; 0: only when asked (`runNow`). */
  readonly intervalMs: number;
  /** @default DEFAULT_LIMITS_POLL_MS; 0: no poller, batches run only in `runNow` and `pollOnce` */
  readonly pollIntervalMs?: number;
  /** @default LIMITS_QUEUE.visibilityTimeoutMs (12 minutes), as in AWS */
  readonly visibilityTimeoutMs?: number;
  /** @default LIMITS_QUEUE.maxReceiveCount */
  readonly maxReceiveCount?: number;
  readonly clock?: () => number;
}

export interface LocalLimitBatch extends BatchOutcome {
  readonly at: string;
}

export interface LocalLimitsRun extends LimitsSchedulerRun {
  /** The invocations until nothing was visible; failed jobs come back after the visibility timeout. */
  readonly batches: readonly LocalLimitBatch[];
}

export interface LocalLimitsState {
  readonly intervalMs: number;
  readonly queue: QueueStats;
  readonly deadLetters: readonly {
    readonly messageId: string;
    readonly body: string;
    readonly receiveCount: number;
  }[];
  /** Newest first. */
  readonly batches: readonly LocalLimitBatch[];
}

export class LocalLimits {
  readonly queue: LocalQueue;
  readonly deadLetterQueue: LocalQueue;
  readonly eventSource: LocalEventSource;
  private readonly scheduler: LimitsSchedulerHandler;
  private readonly batches: LocalLimitBatch[] = [];
  private readonly clock: () => number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(private readonly options: LocalLimitsOptions) {
    this.clock = options.clock ?? Date.now;
    const visibilityTimeoutMs = options.visibilityTimeoutMs ?? LIMITS_QUEUE.visibilityTimeoutMs;
    this.deadLetterQueue = new LocalQueue({
      name: 'view-limits-dlq',
      visibilityTimeoutMs,
      clock: this.clock,
    });
    this.queue = new LocalQueue({
      name: 'view-limits',
      visibilityTimeoutMs,
      redrive: {
        deadLetter: this.deadLetterQueue,
        maxReceiveCount: options.maxReceiveCount ?? LIMITS_QUEUE.maxReceiveCount,
      },
      clock: this.clock,
    });
    this.scheduler = options.scheduler(this.queue);
    this.eventSource = new LocalEventSource(this.queue, options.worker, {
      batchSize: LIMITS_QUEUE.batchSize,
      context: () => lambdaContext('limits-worker', limitsWorkerFunction.timeoutMs),
    });
    this.eventSource.start(options.pollIntervalMs ?? DEFAULT_LIMITS_POLL_MS, (batch) => this.record(batch));
    this.schedule();
  }

  get intervalMs(): number {
    return this.options.intervalMs;
  }

  /** What the schedule does: the scheduler enqueues, then the worker runs until nothing is visible. */
  async runNow(): Promise<LocalLimitsRun> {
    const run = await this.scheduler(
      {},
      lambdaContext('limits-scheduler', limitsSchedulerFunction.timeoutMs),
    );
    const batches = await this.drain();
    return { ...run, batches };
  }

  /** Runs the worker on what is visible now (retries whose timeout passed, jobs sent meanwhile). */
  async drain(): Promise<LocalLimitBatch[]> {
    return (await this.eventSource.drain()).map((batch) => this.record(batch));
  }

  state(): LocalLimitsState {
    return {
      intervalMs: this.intervalMs,
      queue: this.queue.stats(),
      deadLetters: this.deadLetterQueue.peek(),
      batches: [...this.batches].reverse(),
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.eventSource.stop();
  }

  private record(batch: BatchOutcome): LocalLimitBatch {
    const recorded = { ...batch, at: new Date(this.clock()).toISOString() };
    this.batches.push(recorded);
    if (this.batches.length > RECENT_LIMIT_BATCHES) this.batches.shift();
    return recorded;
  }

  /** The next run `intervalMs` after this one ended (EventBridge Scheduler's daily cron in AWS). */
  private schedule(): void {
    if (this.stopped || this.options.intervalMs <= 0) return;
    this.timer = setTimeout(() => {
      void this.runNow()
        .catch((error: unknown) => console.error('[local] view-limit run failed:', error))
        .finally(() => this.schedule());
    }, this.options.intervalMs);
    this.timer.unref?.();
  }
}
