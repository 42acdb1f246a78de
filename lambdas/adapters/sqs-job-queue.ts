import { lazyAwsLite, type AwsLiteConfig } from './aws-lite.js';
import type { LimitJob, LimitJobQueue } from '../domain/limits/job.js';

/** SQS's most entries per SendMessageBatch. */
const SQS_BATCH_SIZE = 10;

export interface SqsJobQueueOptions {
  readonly queueUrl: string;
  readonly region: string;
  /** Another SQS endpoint (a test server); in AWS the regional one. */
  readonly endpoint?: string;
  /** In AWS, omitted: the function role's credentials come from the environment. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** One entry SQS refused (`SendMessageBatch` → `Failed`). */
export interface FailedEntry {
  readonly Id: string;
  readonly Code?: string;
  readonly Message?: string;
  readonly SenderFault?: boolean;
}

/** One SendMessageBatch call: the entries SQS refused (an empty list when all were taken). */
export type SendBatch = (entries: readonly { Id: string; MessageBody: string }[]) => Promise<FailedEntry[]>;

/** Some jobs were refused twice: the caller (the scheduler) fails, and its invocation is retried. */
export class JobsNotSentError extends Error {
  override readonly name = 'JobsNotSentError';
}

/**
 * The job queue in AWS (ADR 0039): SendMessageBatch in batches of 10. A batch call succeeds even
 * when some entries fail, so `Failed` is read: those entries are sent once more, and any still
 * refused throw. A job sent twice is harmless (the worker computes the same cutoffs again).
 */
export class SqsJobQueue implements LimitJobQueue {
  constructor(private readonly sendBatch: SendBatch) {}

  async send(jobs: readonly LimitJob[]): Promise<void> {
    for (let start = 0; start < jobs.length; start += SQS_BATCH_SIZE) {
      const entries = jobs
        .slice(start, start + SQS_BATCH_SIZE)
        .map((job, index) => ({ Id: String(index), MessageBody: JSON.stringify(job) }));
      const failed = await this.sendBatch(entries);
      if (failed.length === 0) continue;
      const again = entries.filter((entry) => failed.some((f) => f.Id === entry.Id));
      const still = await this.sendBatch(again);
      if (still.length > 0) {
        const reasons = still.map((f) => `${f.Code ?? 'unknown'}: ${f.Message ?? ''}`.trim()).join('; ');
        throw new JobsNotSentError(`SQS refused ${still.length} view-limit jobs twice (${reasons}).`);
      }
    }
  }
}

/**
 * SendMessageBatch over SQS's JSON protocol, signed by aws-lite. Called through aws-lite's client
 * rather than the `@aws-lite/sqs` plugin, whose 0.2.x marks SendMessageBatch as not implemented.
 */
export function sqsSendBatch(options: SqsJobQueueOptions): SendBatch {
  const endpoint = options.endpoint ? new URL(options.endpoint) : undefined;
  const connect = lazyAwsLite({
    region: options.region,
    ...(options.credentials ?? {}),
    ...(endpoint ? { endpoint: endpoint.origin } : {}),
    plugins: [],
    retries: 2,
  } as AwsLiteConfig);
  return async (entries) => {
    const aws = await connect();
    const response = await aws({
      service: 'sqs',
      path: '/',
      method: 'POST',
      awsjson: false,
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'AmazonSQS.SendMessageBatch',
      },
      payload: { QueueUrl: options.queueUrl, Entries: entries },
    });
    const payload = (response.payload ?? {}) as { Failed?: FailedEntry[] };
    return payload.Failed ?? [];
  };
}
