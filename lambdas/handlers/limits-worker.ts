import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import { LimitJob } from '../domain/limits/job.js';
import { invocation } from './invocation.js';

export interface LimitsWorkerDeps {
  /** One channel's run (`computeChannelCutoffs` bound to its stores); throws when the run failed. */
  readonly compute: (job: LimitJob) => Promise<unknown>;
  readonly logger: Logger;
}

export type LimitsWorkerHandler = (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse>;

/** A body that is not a LimitJob: its record fails (and, after its receives, lands in the DLQ). */
export class MalformedLimitJobError extends Error {
  override readonly name = 'MalformedLimitJobError';
}

/**
 * The view-limit worker (ADR 0039), invoked by the SQS event source with a batch of jobs. Each
 * record is one channel: Powertools Batch runs them, and the records that threw come back in
 * `batchItemFailures`, so SQS deletes the others and retries only those after the visibility
 * timeout. Every record failing throws (Powertools' FullBatchFailureError): the whole batch is
 * retried, and the event source backs off as it does for errors.
 */
export function createLimitsWorkerHandler(deps: LimitsWorkerDeps): LimitsWorkerHandler {
  const { logger, compute } = deps;
  const processor = new BatchProcessor(EventType.SQS);
  const record = async (message: SQSRecord): Promise<void> => {
    const job = parseJob(message.body);
    const receives = message.attributes.ApproximateReceiveCount;
    try {
      const result = await compute(job);
      logger.info('view limits computed', { channelId: job.channelId, reason: job.reason, receives, result });
    } catch (error) {
      logger.error('view limits failed', { channelId: job.channelId, reason: job.reason, receives, error });
      throw error;
    }
  };
  return (event, context) =>
    invocation(logger, context, context?.awsRequestId, () =>
      processPartialResponse(event, record, processor, context ? { context } : {}),
    );
}

function parseJob(body: string): LimitJob {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new MalformedLimitJobError('The message body is not JSON.');
  }
  const parsed = z.safeParse(LimitJob, json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
    throw new MalformedLimitJobError(`The message body is not a LimitJob (${problems}).`);
  }
  return parsed.data;
}
