import { describe, expect, it } from 'vitest';
import { enqueueLimitedChannels, type LimitJob } from '../../../../lambdas/domain/limits/job.js';
import { manualClock } from '../../fakes.js';

const plansOf = (channels: readonly string[]) => ({
  async *limitedChannels() {
    yield* channels;
  },
});

function recordingQueue() {
  const sends: LimitJob[][] = [];
  return { sends, send: async (jobs: readonly LimitJob[]) => void sends.push([...jobs]) };
}

describe('enqueueLimitedChannels', () => {
  it('sends one job per limited channel, in chunks of 10, all stamped with the same time and reason', async () => {
    // Prepare
    const channels = Array.from({ length: 23 }, (_, i) => `ch-${i}`);
    const queue = recordingQueue();
    const clock = manualClock(Date.UTC(2026, 11, 7, 18, 0));

    // Act
    const count = await enqueueLimitedChannels({ plans: plansOf(channels), queue, clock }, 'schedule');

    // Assess
    expect(count).toBe(23);
    expect(queue.sends.map((s) => s.length)).toEqual([10, 10, 3]);
    expect(queue.sends.flat().map((j) => j.channelId)).toEqual(channels);
    expect(new Set(queue.sends.flat().map((j) => `${j.reason} ${j.requestedAt}`))).toEqual(
      new Set(['schedule 2026-12-07T18:00:00.000Z']),
    );
  });

  it('sends nothing and returns 0 when no channel has a limit', async () => {
    const queue = recordingQueue();

    const count = await enqueueLimitedChannels({ plans: plansOf([]), queue, clock: () => 0 }, 'run-now');

    expect(count).toBe(0);
    expect(queue.sends).toEqual([]);
  });

  it('refuses a channel id that is not one, sending nothing of its chunk', async () => {
    const queue = recordingQueue();

    const run = enqueueLimitedChannels(
      { plans: plansOf(['ok', 'bad id']), queue, clock: () => 0 },
      'schedule',
    );

    await expect(run).rejects.toThrow(/channel id/);
    expect(queue.sends).toEqual([]);
  });

  it('fails when the queue fails, so the scheduler invocation is retried', async () => {
    const queue = { send: async () => Promise.reject(new Error('SQS is down')) };

    const run = enqueueLimitedChannels({ plans: plansOf(['a']), queue, clock: () => 0 }, 'schedule');

    await expect(run).rejects.toThrow('SQS is down');
  });
});
