/**
 * A queue with SQS's semantics, in this process (ADR 0039): what the view-limit batch runs on in
 * `npm start` and the tests. Hand-rolled: no kept npm package speaks today's SQS JSON protocol
 * (the `elasticmq` package is ElasticMQ 0.7.1 from 2013; `sqslite` speaks only the XML query
 * protocol), and in-process the protocol is not what needs testing — these semantics are:
 *
 * - a received message is invisible for the visibility timeout, then visible again unless deleted;
 * - each receive counts, and gets a new receipt handle; delete takes the newest one;
 * - with a dead-letter queue, a message received `maxReceiveCount` times moves there on its next
 *   receive instead of being delivered (SQS's redrive policy);
 * - `LocalEventSource` polls it as Lambda's SQS event source mapping does: a batch in, the worker's
 *   `batchItemFailures` out, the others deleted; a thrown handler fails the whole batch.
 *
 * Standard-queue order (roughly oldest first) and no delivery delay: nothing here needs FIFO.
 */
import { randomUUID } from 'node:crypto';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

export interface LocalQueueOptions {
  readonly name: string;
  /** How long a received message stays invisible (SQS `VisibilityTimeout`). */
  readonly visibilityTimeoutMs: number;
  /** SQS's redrive policy: where a message goes after `maxReceiveCount` receives. */
  readonly redrive?: { readonly deadLetter: LocalQueue; readonly maxReceiveCount: number };
  readonly clock?: () => number;
}

/** A message as a receive returns it. */
export interface ReceivedMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  /** `ApproximateReceiveCount`: this receive included. */
  readonly receiveCount: number;
  readonly sentAt: number;
  readonly firstReceivedAt: number;
}

export interface QueueStats {
  /** `ApproximateNumberOfMessages`: receivable now. */
  readonly visible: number;
  /** `ApproximateNumberOfMessagesNotVisible`: received, not deleted, timeout not yet over. */
  readonly inFlight: number;
}

interface Stored {
  readonly messageId: string;
  readonly body: string;
  readonly sentAt: number;
  receiveCount: number;
  firstReceivedAt: number;
  invisibleUntil: number;
  receiptHandle: string | undefined;
}

export class LocalQueue {
  readonly name: string;
  /** In arrival order, which is the order receives look at them. */
  private readonly messages = new Map<string, Stored>();
  private readonly clock: () => number;

  constructor(private readonly options: LocalQueueOptions) {
    this.name = options.name;
    this.clock = options.clock ?? Date.now;
    const redrive = options.redrive;
    if (redrive && (!Number.isInteger(redrive.maxReceiveCount) || redrive.maxReceiveCount < 1)) {
      throw new Error(
        `${this.name}: maxReceiveCount must be a whole number ≥ 1, got ${redrive.maxReceiveCount}.`,
      );
    }
  }

  get visibilityTimeoutMs(): number {
    return this.options.visibilityTimeoutMs;
  }

  /** Returns the message id. */
  send(body: string, messageId: string = randomUUID()): string {
    this.messages.set(messageId, {
      messageId,
      body,
      sentAt: this.clock(),
      receiveCount: 0,
      firstReceivedAt: 0,
      invisibleUntil: 0,
      receiptHandle: undefined,
    });
    return messageId;
  }

  /** Up to `max` visible messages, each now invisible for the visibility timeout. */
  receive(max: number): ReceivedMessage[] {
    const now = this.clock();
    const received: ReceivedMessage[] = [];
    for (const message of this.messages.values()) {
      if (received.length >= max) break;
      if (message.invisibleUntil > now) continue;
      const redrive = this.options.redrive;
      if (redrive && message.receiveCount >= redrive.maxReceiveCount) {
        // SQS moves it on the receive after its last allowed one, keeping its id, body and count.
        this.messages.delete(message.messageId);
        redrive.deadLetter.messages.set(message.messageId, {
          ...message,
          invisibleUntil: 0,
          receiptHandle: undefined,
        });
        continue;
      }
      message.receiveCount += 1;
      if (message.receiveCount === 1) message.firstReceivedAt = now;
      message.invisibleUntil = now + this.options.visibilityTimeoutMs;
      message.receiptHandle = randomUUID();
      received.push({
        messageId: message.messageId,
        receiptHandle: message.receiptHandle,
        body: message.body,
        receiveCount: message.receiveCount,
        sentAt: message.sentAt,
        firstReceivedAt: message.firstReceivedAt,
      });
    }
    return received;
  }

  /** Deletes the message last received with this handle; false for an unknown or superseded one. */
  delete(receiptHandle: string): boolean {
    for (const message of this.messages.values()) {
      if (message.receiptHandle === receiptHandle) return this.messages.delete(message.messageId);
    }
    return false;
  }

  stats(): QueueStats {
    const now = this.clock();
    let visible = 0;
    for (const message of this.messages.values()) if (message.invisibleUntil <= now) visible += 1;
    return { visible, inFlight: this.messages.size - visible };
  }

  /** Every message held, visible or not, oldest first (a DLQ's contents). */
  peek(): readonly { readonly messageId: string; readonly body: string; readonly receiveCount: number }[] {
    return [...this.messages.values()].map(({ messageId, body, receiveCount }) => ({
      messageId,
      body,
      receiveCount,
    }));
  }

  /** Empties the queue (SQS `PurgeQueue`). */
  purge(): void {
    this.messages.clear();
  }
}

/** The worker as the event source invokes it: the same handler Lambda runs. */
export type SqsBatchHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export interface LocalEventSourceOptions {
  /** SQS `BatchSize`: most records per invocation. */
  readonly batchSize: number;
  /** The Lambda context of each invocation (the worker's name and timeout). */
  readonly context: () => Context;
  readonly region?: string;
}

/** What one invocation did. */
export interface BatchOutcome {
  readonly records: number;
  readonly deleted: readonly string[];
  /** Message ids left to reappear after the visibility timeout. */
  readonly failed: readonly string[];
  /** Set when the handler threw (or answered nonsense): the whole batch failed. */
  readonly error?: string;
}

/**
 * Lambda's SQS event source mapping with `ReportBatchItemFailures`, in miniature: one poller, one
 * batch at a time (maximum concurrency 1), so the worker never runs twice at once locally.
 */
export class LocalEventSource {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: Promise<BatchOutcome | undefined> | undefined;
  private stopped = false;

  constructor(
    readonly queue: LocalQueue,
    private readonly handler: SqsBatchHandler,
    private readonly options: LocalEventSourceOptions,
  ) {}

  /** One receive and, if it got anything, one invocation; undefined when nothing was visible. */
  pollOnce(): Promise<BatchOutcome | undefined> {
    this.inFlight ??= this.invokeOnce().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** Invokes until a receive finds nothing visible (failed messages wait out their timeout). */
  async drain(): Promise<BatchOutcome[]> {
    const outcomes: BatchOutcome[] = [];
    for (let outcome = await this.pollOnce(); outcome; outcome = await this.pollOnce()) {
      outcomes.push(outcome);
    }
    return outcomes;
  }

  /** Polls every `intervalMs` (a long poll's stand-in); `onBatch` hears each invocation. */
  start(intervalMs: number, onBatch: (outcome: BatchOutcome) => void = () => undefined): void {
    if (this.stopped || intervalMs <= 0) return;
    this.timer = setTimeout(() => {
      void this.drain()
        .then((outcomes) => outcomes.forEach(onBatch))
        .catch((error: unknown) => console.error(`[local] ${this.queue.name} poller failed:`, error))
        .finally(() => this.start(intervalMs, onBatch));
    }, intervalMs);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.inFlight?.catch(() => undefined);
  }

  private async invokeOnce(): Promise<BatchOutcome | undefined> {
    const messages = this.queue.receive(this.options.batchSize);
    if (messages.length === 0) return undefined;
    const ids = messages.map((m) => m.messageId);
    let failed: Set<string>;
    let error: string | undefined;
    try {
      const response = await this.handler(
        { Records: messages.map((m) => this.record(m)) },
        this.options.context(),
      );
      const listed = response?.batchItemFailures?.map((f) => f.itemIdentifier) ?? [];
      // Lambda fails the whole batch when an identifier is empty or not one of the batch's.
      if (listed.some((id) => !ids.includes(id))) {
        error = `batchItemFailures names ${JSON.stringify(listed)}, not ids of this batch`;
        failed = new Set(ids);
      } else failed = new Set(listed);
    } catch (thrown) {
      error = thrown instanceof Error ? thrown.message : String(thrown);
      failed = new Set(ids);
    }
    const deleted = messages.filter((m) => !failed.has(m.messageId));
    for (const message of deleted) this.queue.delete(message.receiptHandle);
    return {
      records: messages.length,
      deleted: deleted.map((m) => m.messageId),
      failed: ids.filter((id) => failed.has(id)),
      ...(error !== undefined ? { error } : {}),
    };
  }

  private record(message: ReceivedMessage): SQSRecord {
    const region = this.options.region ?? 'local';
    return {
      messageId: message.messageId,
      receiptHandle: message.receiptHandle,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentAt),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:${region}:000000000000:${this.queue.name}`,
      awsRegion: region,
    };
  }
}
