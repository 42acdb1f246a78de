import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { enqueueLimitedChannels, type EnqueueDeps } from '../domain/limits/job.js';
import { invocation } from './invocation.js';

export interface LimitsSchedulerDeps {
  readonly enqueue: EnqueueDeps;
  readonly logger: Logger;
}

export interface LimitsSchedulerRun {
  /** Jobs enqueued: one per limited channel. */
  readonly enqueued: number;
}

export type LimitsSchedulerHandler = (event: unknown, context?: Context) => Promise<LimitsSchedulerRun>;

/**
 * The view-limit scheduler (ADR 0039), invoked daily by EventBridge Scheduler: one job per limited
 * channel into the queue, nothing computed here. A failed send throws, so Scheduler's invocation
 * is retried; re-sent jobs only compute the same cutoffs again.
 */
export function createLimitsSchedulerHandler(deps: LimitsSchedulerDeps): LimitsSchedulerHandler {
  const { logger } = deps;
  return (_event, context) =>
    invocation(logger, context, context?.awsRequestId, async () => {
      const enqueued = await enqueueLimitedChannels(deps.enqueue, 'schedule');
      logger.info('view-limit jobs enqueued', { enqueued });
      return { enqueued };
    });
}
