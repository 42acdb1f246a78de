import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { lambdaContext } from '../../../local/api-gateway.js';
import { LocalEventSource, LocalQueue } from '../../../local/queue.js';
import { manualClock } from '../fakes.js';

const VISIBILITY_MS = 30_000;

function queues(maxReceiveCount = 3) {
  const clock = manualClock(1_000_000);
  const dlq = new LocalQueue({ name: 'jobs-dlq', visibilityTimeoutMs: VISIBILITY_MS, clock });
  const queue = new LocalQueue({
    name: 'jobs',
    visibilityTimeoutMs: VISIBILITY_MS,
    redrive: { deadLetter: dlq, maxReceiveCount },
    clock,
  });
  return { clock, queue, dlq };
}

const context = () => lambdaContext('worker', 60_000);

describe('LocalQueue', () => {
  it('hides a received message until its visibility timeout passes, then delivers it again with a higher receive count', () => {
    // Prepare
    const { clock, queue } = queues();
    const id = queue.send('hello');

    // Act
    const [first] = queue.receive(10);
    const during = queue.receive(10);
    clock.advance(VISIBILITY_MS - 1);
    const justBefore = queue.receive(10);
    clock.advance(1);
    const [again] = queue.receive(10);

    // Assess
    expect(first).toMatchObject({ messageId: id, body: 'hello', receiveCount: 1 });
    expect(during).toEqual([]);
    expect(justBefore).toEqual([]);
    expect(again).toMatchObject({ messageId: id, receiveCount: 2 });
    expect(again!.receiptHandle).not.toBe(first!.receiptHandle);
  });

  it('receives at most the batch size, oldest first, and counts visible and in-flight messages', () => {
    const { queue } = queues();
    for (const body of ['a', 'b', 'c']) queue.send(body);

    const batch = queue.receive(2);

    expect(batch.map((m) => m.body)).toEqual(['a', 'b']);
    expect(queue.stats()).toEqual({ visible: 1, inFlight: 2 });
  });

  it('deletes by the newest receipt handle only', () => {
    const { clock, queue } = queues();
    queue.send('x');
    const [first] = queue.receive(1);
    clock.advance(VISIBILITY_MS);
    const [second] = queue.receive(1);

    expect(queue.delete(first!.receiptHandle)).toBe(false);
    expect(queue.delete(second!.receiptHandle)).toBe(true);
    expect(queue.stats()).toEqual({ visible: 0, inFlight: 0 });
  });

  it('moves a message to the dead-letter queue on the receive after maxReceiveCount, keeping its id, body and receive count', () => {
    const { clock, queue, dlq } = queues(3);
    const id = queue.send('poison');

    const counts: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      counts.push(...queue.receive(10).map((m) => m.receiveCount));
      clock.advance(VISIBILITY_MS);
    }
    const fourth = queue.receive(10);

    expect(counts).toEqual([1, 2, 3]);
    expect(fourth).toEqual([]);
    expect(queue.stats()).toEqual({ visible: 0, inFlight: 0 });
    expect(dlq.peek()).toEqual([{ messageId: id, body: 'poison', receiveCount: 3 }]);
  });

  it('refuses a maxReceiveCount below 1', () => {
    const dlq = new LocalQueue({ name: 'dlq', visibilityTimeoutMs: 1 });

    expect(
      () =>
        new LocalQueue({
          name: 'q',
          visibilityTimeoutMs: 1,
          redrive: { deadLetter: dlq, maxReceiveCount: 0 },
        }),
    ).toThrow(/maxReceiveCount/);
  });
});

describe('LocalEventSource', () => {
  it('invokes the handler with an SQS event and deletes every record it did not report', async () => {
    // Prepare
    const { queue } = queues();
    const ids = ['a', 'b', 'c'].map((body) => queue.send(body));
    const events: SQSEvent[] = [];
    const source = new LocalEventSource(
      queue,
      async (event) => {
        events.push(event);
        return { batchItemFailures: [{ itemIdentifier: ids[1]! }] };
      },
      { batchSize: 10, context },
    );

    // Act
    const outcome = await source.pollOnce();

    // Assess
    expect(outcome).toEqual({ records: 3, deleted: [ids[0], ids[2]], failed: [ids[1]] });
    expect(
      events[0]!.Records.map((r) => [r.body, r.attributes.ApproximateReceiveCount, r.eventSource]),
    ).toEqual([
      ['a', '1', 'aws:sqs'],
      ['b', '1', 'aws:sqs'],
      ['c', '1', 'aws:sqs'],
    ]);
    expect(queue.stats()).toEqual({ visible: 0, inFlight: 1 });
  });

  it('brings a reported record back after the visibility timeout, and not before', async () => {
    const { clock, queue } = queues();
    const id = queue.send('flaky');
    let calls = 0;
    const source = new LocalEventSource(
      queue,
      async (event) => ({
        batchItemFailures: calls++ === 0 ? [{ itemIdentifier: event.Records[0]!.messageId }] : [],
      }),
      { batchSize: 10, context },
    );

    await source.pollOnce();
    const early = await source.pollOnce();
    clock.advance(VISIBILITY_MS);
    const retried = await source.pollOnce();

    expect(early).toBeUndefined();
    expect(retried).toEqual({ records: 1, deleted: [id], failed: [] });
    expect(queue.stats()).toEqual({ visible: 0, inFlight: 0 });
  });

  it('fails the whole batch when the handler throws', async () => {
    const { queue } = queues();
    queue.send('a');
    queue.send('b');
    const source = new LocalEventSource(queue, async () => Promise.reject(new Error('boom')), {
      batchSize: 10,
      context,
    });

    const outcome = await source.pollOnce();

    expect(outcome).toMatchObject({ records: 2, deleted: [], error: 'boom' });
    expect(outcome!.failed).toHaveLength(2);
    expect(queue.stats()).toEqual({ visible: 0, inFlight: 2 });
  });

  it('fails the whole batch when batchItemFailures names an id not in it, as Lambda does', async () => {
    const { queue } = queues();
    queue.send('a');
    const source = new LocalEventSource(
      queue,
      async () => ({ batchItemFailures: [{ itemIdentifier: 'someone-else' }] }),
      { batchSize: 10, context },
    );

    const outcome = await source.pollOnce();

    expect(outcome).toMatchObject({ deleted: [], failed: [expect.any(String)] });
    expect(outcome!.error).toMatch(/not ids of this batch/);
  });

  it('hands out at most batchSize records per invocation, and drain invokes until nothing is visible', async () => {
    const { queue } = queues();
    for (let i = 0; i < 7; i += 1) queue.send(`m${i}`);
    const sizes: number[] = [];
    const source = new LocalEventSource(
      queue,
      async (event) => {
        sizes.push(event.Records.length);
        return { batchItemFailures: [] };
      },
      { batchSize: 3, context },
    );

    const outcomes = await source.drain();

    expect(sizes).toEqual([3, 3, 1]);
    expect(outcomes.flatMap((o) => o.deleted)).toHaveLength(7);
    expect(queue.stats()).toEqual({ visible: 0, inFlight: 0 });
  });
});
