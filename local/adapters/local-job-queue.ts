import { SqsJobQueue } from '../../lambdas/adapters/sqs-job-queue.js';
import type { LimitJobQueue } from '../../lambdas/domain/limits/job.js';
import type { LocalQueue } from '../queue.js';

/**
 * The view-limit job queue in `npm start` (ADR 0039): the functions' own `SqsJobQueue` (its batches
 * of 10, its serialisation), over a SendMessageBatch that puts each entry on the local queue.
 */
export function localJobQueue(queue: LocalQueue): LimitJobQueue {
  return new SqsJobQueue(async (entries) => {
    for (const entry of entries) queue.send(entry.MessageBody);
    return [];
  });
}
