import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../lambdas/adapters/logger.js';
import type { LimitJob } from '../../../lambdas/domain/limits/job.js';
import { createLimitsWorkerHandler } from '../../../lambdas/handlers/limits-worker.js';

/** An SQS record as the event source mapping delivers it. */
function anSqsRecord(messageId: string, body: string): SQSRecord {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 'test',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:ap-northeast-1:123456789012:limits',
    awsRegion: 'ap-northeast-1',
  };
}

const job = (channelId: string): LimitJob => ({
  channelId,
  reason: 'schedule',
  requestedAt: '2026-12-07T18:00:00.000Z',
});
const eventOf = (...records: SQSRecord[]): SQSEvent => ({ Records: records });
const logger = createLogger({ logLevel: 'SILENT' });

describe('the limits worker handler with Powertools Batch', () => {
  it('computes every job once and reports no failures when all succeed', async () => {
    // Prepare
    const computed: LimitJob[] = [];
    const handler = createLimitsWorkerHandler({ compute: async (j) => computed.push(j), logger });

    // Act
    const response = await handler(
      eventOf(anSqsRecord('m1', JSON.stringify(job('a'))), anSqsRecord('m2', JSON.stringify(job('b')))),
    );

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(computed.map((j) => j.channelId).sort()).toEqual(['a', 'b']);
  });

  it('reports only the record whose compute threw, leaving the others done', async () => {
    const computed: string[] = [];
    const handler = createLimitsWorkerHandler({
      compute: async (j) => {
        if (j.channelId === 'b') throw new Error('table throttled');
        computed.push(j.channelId);
      },
      logger,
    });

    const response = await handler(
      eventOf(
        anSqsRecord('m1', JSON.stringify(job('a'))),
        anSqsRecord('m2', JSON.stringify(job('b'))),
        anSqsRecord('m3', JSON.stringify(job('c'))),
      ),
    );

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
    expect(computed.sort()).toEqual(['a', 'c']);
  });

  it.each([
    ['not JSON', '{'],
    ['an unknown field', JSON.stringify({ ...job('a'), extra: 1 })],
    ['a bad channel id', JSON.stringify(job('no spaces'))],
    ['an unknown reason', JSON.stringify({ ...job('a'), reason: 'whim' })],
    ['a missing time', JSON.stringify({ channelId: 'a', reason: 'schedule' })],
  ])('fails the record of a malformed body (%s) without computing it', async (_what, body) => {
    const computed: string[] = [];
    const handler = createLimitsWorkerHandler({ compute: async (j) => computed.push(j.channelId), logger });

    const response = await handler(
      eventOf(anSqsRecord('bad', body), anSqsRecord('ok', JSON.stringify(job('z')))),
    );

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'bad' }] });
    expect(computed).toEqual(['z']);
  });

  it('throws when every record fails, so the whole batch is retried', async () => {
    const handler = createLimitsWorkerHandler({
      compute: async () => Promise.reject(new Error('down')),
      logger,
    });

    const run = handler(eventOf(anSqsRecord('m1', JSON.stringify(job('a')))));

    await expect(run).rejects.toThrow(/All records failed/i);
  });
});
