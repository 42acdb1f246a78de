import * as z from 'zod/mini';
import '../zod-english.js';
import type { Clock } from '../clock.js';
import { ChannelId } from '../rooms/room.js';

/**
 * One channel's view-limit run, as a queue message (ADR 0039): the worker computes the channel's
 * cutoffs (ADR 0038). Strict, so a body from anything else fails its record instead of running.
 */
export const LimitJob = z.strictObject({
  channelId: ChannelId,
  reason: z.enum(['schedule', 'plan-changed', 'run-now']),
  requestedAt: z.iso.datetime(),
});
export type LimitJob = z.infer<typeof LimitJob>;
export type LimitJobReason = LimitJob['reason'];

/** Where jobs go: SQS in AWS (batches of 10), the local queue in `npm start`. */
export interface LimitJobQueue {
  send(jobs: readonly LimitJob[]): Promise<void>;
}

export interface EnqueueDeps {
  /** The channels with a view limit (`PlanStore.limitedChannels()`, ADR 0038). */
  readonly plans: { limitedChannels(): AsyncIterable<string> };
  readonly queue: LimitJobQueue;
  readonly clock: Clock;
}

/** Jobs are sent as the channels are read, this many at a time: SQS's largest batch. */
const ENQUEUE_CHUNK = 10;

/**
 * Enqueues one job per limited channel, all with the same `requestedAt`; returns how many. Sent in
 * chunks as the plans are read, so a long list never sits in memory; a failed send throws (the
 * scheduler's invocation is then retried, and a job sent twice only computes the same cutoffs twice).
 */
export async function enqueueLimitedChannels(deps: EnqueueDeps, reason: LimitJobReason): Promise<number> {
  const requestedAt = new Date(deps.clock()).toISOString();
  let chunk: LimitJob[] = [];
  let count = 0;
  for await (const channelId of deps.plans.limitedChannels()) {
    chunk.push(LimitJob.parse({ channelId, reason, requestedAt }));
    if (chunk.length === ENQUEUE_CHUNK) {
      await deps.queue.send(chunk);
      count += chunk.length;
      chunk = [];
    }
  }
  if (chunk.length > 0) {
    await deps.queue.send(chunk);
    count += chunk.length;
  }
  return count;
}
