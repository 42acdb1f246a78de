import type { LimitJob, LimitJobQueue } from '../../lambdas/domain/limits/job.js';
import type { LocalQueue } from '../queue.js';

/** The view-limit job queue in `npm start` (ADR 0039): one message per job, as SQS gets them. */
export class LocalJobQueue implements LimitJobQueue {
  constructor(private readonly queue: LocalQueue) {}

  async send(jobs: readonly LimitJob[]): Promise<void> {
    for (const job of jobs) this.queue.send(JSON.stringify(job));
  }
}
