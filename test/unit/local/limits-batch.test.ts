import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../lambdas/adapters/logger.js';
import type { LimitJob } from '../../../lambdas/domain/limits/job.js';
import { createLimitsSchedulerHandler } from '../../../lambdas/handlers/limits-scheduler.js';
import { createLimitsWorkerHandler } from '../../../lambdas/handlers/limits-worker.js';
import { LIMITS_QUEUE } from '../../../lambdas/routes.js';
import { localJobQueue } from '../../../local/adapters/local-job-queue.js';
import { LocalLimits } from '../../../local/limits.js';
import { manualClock } from '../fakes.js';

const VISIBILITY_MS = 10_000;
const logger = createLogger({ logLevel: 'SILENT' });

/**
 * The batch as `npm start` runs it: the real scheduler and worker handlers, the local job queue,
 * the local SQS with its DLQ, and a compute the test controls (limits' computeChannelCutoffs in the
 * product). The clock is the test's: a retry comes when the test moves it past the timeout.
 */
function limitsWith(
  channels: readonly string[],
  compute: (job: LimitJob) => Promise<unknown>,
  timers: { intervalMs: number; pollIntervalMs: number } = { intervalMs: 0, pollIntervalMs: 0 },
) {
  const clock = manualClock(Date.UTC(2026, 11, 7, 18, 0));
  const limits = new LocalLimits({
    scheduler: (queue) =>
      createLimitsSchedulerHandler({
        enqueue: {
          plans: {
            async *limitedChannels() {
              yield* channels;
            },
          },
          queue: localJobQueue(queue),
          clock,
        },
        logger,
      }),
    worker: createLimitsWorkerHandler({ compute, logger }),
    ...timers,
    visibilityTimeoutMs: VISIBILITY_MS,
    clock,
  });
  return { limits, clock };
}

describe('the view-limit batch on the local queue', () => {
  it('finishes the other channels once and retries the failing one until it recovers', async () => {
    // Prepare: channel b fails its first two runs.
    const done: string[] = [];
    const failures = new Map([['b', 2]]);
    const { limits, clock } = limitsWith(['a', 'b', 'c'], async (job) => {
      const left = failures.get(job.channelId) ?? 0;
      if (left > 0) {
        failures.set(job.channelId, left - 1);
        throw new Error(`channel ${job.channelId} failed`);
      }
      done.push(job.channelId);
    });

    // Act
    const run = await limits.runNow();
    const doneAfterFirst = [...done];
    const tooEarly = await limits.drain();
    clock.advance(VISIBILITY_MS);
    const secondTry = await limits.drain();
    clock.advance(VISIBILITY_MS);
    const thirdTry = await limits.drain();

    // Assess
    expect(run.enqueued).toBe(3);
    expect(run.batches).toHaveLength(1);
    expect(run.batches[0]!.failed).toHaveLength(1);
    expect(doneAfterFirst.sort()).toEqual(['a', 'c']);
    expect(tooEarly).toEqual([]);
    expect(secondTry.map((b) => [b.records, b.failed.length])).toEqual([[1, 1]]);
    expect(thirdTry.map((b) => [b.records, b.deleted.length])).toEqual([[1, 1]]);
    expect(done.sort()).toEqual(['a', 'b', 'c']);
    expect(limits.state()).toMatchObject({ queue: { visible: 0, inFlight: 0 }, deadLetters: [] });
    await limits.stop();
  });

  it('moves a channel that always fails to the dead-letter queue after maxReceiveCount runs', async () => {
    const attempts = new Map<string, number>();
    const { limits, clock } = limitsWith(['ok', 'broken'], async (job) => {
      attempts.set(job.channelId, (attempts.get(job.channelId) ?? 0) + 1);
      if (job.channelId === 'broken') throw new Error('always');
    });

    await limits.runNow();
    for (let i = 0; i < LIMITS_QUEUE.maxReceiveCount; i += 1) {
      clock.advance(VISIBILITY_MS);
      await limits.drain();
    }

    expect(Object.fromEntries(attempts)).toEqual({ ok: 1, broken: LIMITS_QUEUE.maxReceiveCount });
    const state = limits.state();
    expect(state.queue).toEqual({ visible: 0, inFlight: 0 });
    expect(state.deadLetters).toHaveLength(1);
    expect(JSON.parse(state.deadLetters[0]!.body)).toMatchObject({ channelId: 'broken', reason: 'schedule' });
    expect(state.deadLetters[0]!.receiveCount).toBe(LIMITS_QUEUE.maxReceiveCount);
    await limits.stop();
  });

  it('retries a whole batch whose every record failed, as Lambda does when the handler throws', async () => {
    let down = true;
    const done: string[] = [];
    const { limits, clock } = limitsWith(['a', 'b'], async (job) => {
      if (down) throw new Error('table unavailable');
      done.push(job.channelId);
    });

    const run = await limits.runNow();
    down = false;
    clock.advance(VISIBILITY_MS);
    await limits.drain();

    expect(run.batches[0]).toMatchObject({
      records: 2,
      deleted: [],
      error: expect.stringMatching(/All records failed/i),
    });
    expect(done.sort()).toEqual(['a', 'b']);
    await limits.stop();
  });

  it('runs on its timer when given an interval, with no one asking', async () => {
    const done: string[] = [];
    const { limits } = limitsWith(['a', 'b'], async (job) => done.push(job.channelId), {
      intervalMs: 20,
      pollIntervalMs: 0,
    });

    await vi.waitFor(() => expect(new Set(done)).toEqual(new Set(['a', 'b'])), { timeout: 4_000 });

    await limits.stop();
    expect(limits.state().batches.length).toBeGreaterThan(0);
  });

  it('polls on its own: a job sent outside a run is worked by the poller', async () => {
    const done: string[] = [];
    const { limits } = limitsWith([], async (job) => done.push(job.channelId), {
      intervalMs: 0,
      pollIntervalMs: 10,
    });

    await localJobQueue(limits.queue).send([
      { channelId: 'late', reason: 'plan-changed', requestedAt: '2026-12-07T18:00:00.000Z' },
    ]);

    await vi.waitFor(() => expect(done).toEqual(['late']), { timeout: 4_000 });
    await limits.stop();
  });
});
