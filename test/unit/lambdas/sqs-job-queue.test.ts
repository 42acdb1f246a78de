import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqsJobQueue, sqsSendBatch, type FailedEntry } from '../../../lambdas/adapters/sqs-job-queue.js';
import type { LimitJob } from '../../../lambdas/domain/limits/job.js';

const jobs = (n: number): LimitJob[] =>
  Array.from({ length: n }, (_, i) => ({
    channelId: `ch-${i}`,
    reason: 'schedule',
    requestedAt: '2026-12-07T18:00:00.000Z',
  }));

interface Entry {
  Id: string;
  MessageBody: string;
}

describe('SqsJobQueue batching', () => {
  it('sends 23 jobs as batches of 10, 10 and 3, each entry the job as JSON', async () => {
    // Prepare
    const calls: Entry[][] = [];
    const queue = new SqsJobQueue(async (entries) => {
      calls.push([...entries]);
      return [];
    });

    // Act
    await queue.send(jobs(23));

    // Assess
    expect(calls.map((c) => c.length)).toEqual([10, 10, 3]);
    expect(calls.flat().map((e) => (JSON.parse(e.MessageBody) as LimitJob).channelId)).toEqual(
      jobs(23).map((j) => j.channelId),
    );
    expect(calls[0]!.map((e) => e.Id)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('sends the entries SQS refused once more, and only those', async () => {
    const calls: string[][] = [];
    const queue = new SqsJobQueue(async (entries) => {
      calls.push(entries.map((e) => e.Id));
      return calls.length === 1 ? [{ Id: '2', Code: 'InternalError', SenderFault: false }] : [];
    });

    await queue.send(jobs(4));

    expect(calls).toEqual([['0', '1', '2', '3'], ['2']]);
  });

  it('throws naming the code when an entry is refused twice', async () => {
    const queue = new SqsJobQueue(async (entries): Promise<FailedEntry[]> =>
      entries
        .filter((e) => e.Id === '1')
        .map((e) => ({ Id: e.Id, Code: 'InternalError', Message: 'try later' })),
    );

    await expect(queue.send(jobs(3))).rejects.toThrow(
      /refused 1 view-limit jobs twice \(InternalError: try later\)/,
    );
  });
});

describe('sqsSendBatch against a server speaking SQS JSON', () => {
  const requests: { headers: IncomingMessage['headers']; body: { QueueUrl: string; Entries: Entry[] } }[] =
    [];
  let failIds: string[] = [];
  let server: Server;
  let endpoint: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          QueueUrl: string;
          Entries: Entry[];
        };
        requests.push({ headers: req.headers, body });
        const failed = body.Entries.filter((e) => failIds.includes(e.Id));
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(
          JSON.stringify({
            Successful: body.Entries.filter((e) => !failIds.includes(e.Id)).map((e) => ({
              Id: e.Id,
              MessageId: `mid-${e.Id}`,
              MD5OfMessageBody: 'x',
            })),
            ...(failed.length
              ? { Failed: failed.map((e) => ({ Id: e.Id, Code: 'InternalError', SenderFault: false })) }
              : {}),
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const send = () =>
    sqsSendBatch({
      queueUrl: 'https://sqs.ap-northeast-1.amazonaws.com/123456789012/limits',
      region: 'ap-northeast-1',
      endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });

  it('posts a signed SendMessageBatch with the queue URL and entries, and returns no failures when all were taken', async () => {
    requests.length = 0;
    failIds = [];

    const failed = await send()([{ Id: '0', MessageBody: '{"a":1}' }]);

    expect(failed).toEqual([]);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request!.headers['x-amz-target']).toBe('AmazonSQS.SendMessageBatch');
    expect(request!.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(request!.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=test\/\d{8}\/ap-northeast-1\/sqs\//,
    );
    expect(request!.body).toEqual({
      QueueUrl: 'https://sqs.ap-northeast-1.amazonaws.com/123456789012/limits',
      Entries: [{ Id: '0', MessageBody: '{"a":1}' }],
    });
  });

  it('returns the entries listed in Failed', async () => {
    failIds = ['1'];

    const failed = await send()([
      { Id: '0', MessageBody: 'a' },
      { Id: '1', MessageBody: 'b' },
    ]);

    expect(failed).toEqual([{ Id: '1', Code: 'InternalError', SenderFault: false }]);
  });
});
