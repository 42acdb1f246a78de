import { describe, expect, it } from 'vitest';
import {
  computeChannelCutoffs,
  firstPages,
  type CutoffDeps,
} from '../../../../lambdas/domain/limits/compute-cutoffs.js';
import { lowestIdAt } from '../../../../lambdas/domain/feed/ids.js';
import type { LimitJob } from '../../../../lambdas/domain/limits/job.js';
import type { StreamItem } from '../../../../lambdas/domain/limits/merge.js';
import type { CutoffRun, StoredPlan } from '../../../../lambdas/domain/limits/plans.js';
import type { Room } from '../../../../lambdas/domain/rooms/room.js';
import { aRoom as baseRoom, manualClock } from '../../fakes.js';

/** A room of a channel (the shared factory leaves every room in the default channel). */
const aRoom = ({ channelId, ...rest }: Parameters<typeof baseRoom>[0] & { channelId: string }): Room => ({
  ...baseRoom(rest),
  channelId,
});

const NOW = Date.parse('2026-12-01T12:00:00.000Z');
const DAY = 86_400_000;
const job: LimitJob = { channelId: 'ch', reason: 'schedule', requestedAt: new Date(NOW).toISOString() };

/** An id created `msAgo` before NOW, made unique by `n`. */
const idAgo = (msAgo: number, n = 0) => lowestIdAt(NOW - msAgo).slice(0, 10) + String(n).padStart(16, '0');

/** In-memory stand-ins for the plan store, the rooms and the comment streams. */
function world(rooms: Room[], records: Record<string, StreamItem[]>, plan?: StoredPlan['plan']) {
  let stored: StoredPlan | undefined = plan
    ? { channelId: 'ch', plan, updatedAt: new Date(NOW).toISOString(), version: 1 }
    : undefined;
  const byId = new Map(rooms.map((room) => [room.roomId, room]));
  const invalidated: string[][] = [];
  const recorded: CutoffRun[] = [];
  const writes: string[] = [];
  let onGet: (() => void) | undefined;
  const deps: CutoffDeps = {
    clock: manualClock(NOW),
    plans: {
      // The hook runs after the plan is read: what it changes, the computation sees only later.
      get: async () => {
        const current = stored;
        onGet?.();
        return current;
      },
      recordRun: async (_, run) => {
        if (!stored || stored.version !== run.planVersion) return 'stale';
        recorded.push(run);
        stored = { ...stored, lastRun: run };
        return 'recorded';
      },
    },
    rooms: {
      list: async ({ channelIds }) => ({
        rooms: [...byId.values()].filter((room) => channelIds?.has(room.channelId)),
      }),
      setViewCutoff: async (roomId, cutoff) => {
        writes.push(roomId);
        const room = byId.get(roomId)!;
        const { viewCutoff: _old, ...rest } = room;
        byId.set(roomId, cutoff ? { ...rest, viewCutoff: cutoff } : rest);
        return true;
      },
    },
    comments: {
      async *descending(roomId, shard, fromId, toId, pages) {
        const mine = (records[`${roomId}#${shard}`] ?? []).filter((r) => r.id >= fromId && r.id <= toId);
        for (
          let i = 0, size = pages.first;
          i < mine.length;
          i += size, size = Math.min(pages.max, 2 * size)
        ) {
          yield { items: mine.slice(i, i + size), readUnits: 0.5 };
        }
      },
    },
    edge: {
      invalidate: async (paths) => {
        invalidated.push([...paths]);
      },
    },
    pageSize: 2,
  };
  return {
    deps,
    room: (id: string) => byId.get(id)!,
    invalidated,
    recorded,
    writes,
    setPlan: (next: StoredPlan | undefined) => (stored = next),
    onGet: (hook: () => void) => (onGet = hook),
  };
}

const visible = (id: string): StreamItem => ({ id, kind: 'comment' });

describe('computeChannelCutoffs', () => {
  it('gives each room the oldest of its items among the newest N, and a room with none everything hidden', async () => {
    // Prepare: room a holds the three newest, b the fourth, c nothing within the window.
    const rooms = [aRoom({ roomId: 'a', channelId: 'ch' }), aRoom({ roomId: 'b', channelId: 'ch' })];
    rooms.push(aRoom({ roomId: 'c', channelId: 'ch' }), aRoom({ roomId: 'other', channelId: 'elsewhere' }));
    const w = world(
      rooms,
      {
        'a#0': [visible(idAgo(1_000, 3)), visible(idAgo(2_000, 2)), visible(idAgo(5_000, 1))],
        'b#0': [{ id: idAgo(1_500), kind: 'tombstone' }, visible(idAgo(3_000)), visible(idAgo(9_000))],
        'c#0': [visible(idAgo(40 * DAY))],
        'other#0': [visible(idAgo(100))],
      },
      { maxComments: 4, days: 30 },
    );

    // Act
    const run = await computeChannelCutoffs(w.deps, job);

    // Assess
    expect(run.cutoffs).toEqual([
      { roomId: 'a', cutoff: idAgo(5_000, 1), taken: 3, changed: true },
      { roomId: 'b', cutoff: idAgo(3_000), taken: 1, changed: true },
      { roomId: 'c', cutoff: lowestIdAt(NOW), taken: 0, changed: true },
    ]);
    expect(w.room('a').viewCutoff).toEqual({ id: idAgo(5_000, 1), computedAt: new Date(NOW).toISOString() });
    expect(w.room('other').viewCutoff).toBeUndefined();
    expect(run).toMatchObject({ outcome: 'computed', planVersion: 1, maxComments: 4, days: 30, taken: 4 });
    expect(w.recorded).toEqual([run]);
    expect(w.invalidated).toEqual([
      ['/v1/rooms/a/segments/*', '/v1/rooms/b/segments/*', '/v1/rooms/c/segments/*'],
    ]);
  });

  it('cuts every room at the window’s start when fewer than N items lie within D days', async () => {
    const rooms = [
      aRoom({ roomId: 'a', channelId: 'ch' }),
      aRoom({ roomId: 'b', channelId: 'ch', shards: 2 }),
    ];
    const w = world(
      rooms,
      { 'a#0': [visible(idAgo(1_000))], 'b#1': [visible(idAgo(DAY))], 'b#0': [visible(idAgo(8 * DAY))] },
      { maxComments: 10, days: 7 },
    );

    const run = await computeChannelCutoffs(w.deps, job);

    const windowStart = lowestIdAt(NOW - 7 * DAY);
    expect(run.cutoffs.map((c) => [c.roomId, c.cutoff, c.taken])).toEqual([
      ['a', windowStart, 1],
      ['b', windowStart, 1],
    ]);
    expect(run.commentsRead).toBe(2);
    expect(run.readUnits).toBe(1);
  });

  it('writes and invalidates only the rooms whose cutoff moved', async () => {
    const rooms = [aRoom({ roomId: 'a', channelId: 'ch' }), aRoom({ roomId: 'b', channelId: 'ch' })];
    const w = world(
      rooms,
      { 'a#0': [visible(idAgo(1_000))], 'b#0': [visible(idAgo(2_000))] },
      { maxComments: 1, days: 1 },
    );
    await computeChannelCutoffs(w.deps, job);
    w.writes.length = 0;
    w.invalidated.length = 0;

    const again = await computeChannelCutoffs(w.deps, job);

    expect(again.cutoffs.map((c) => c.changed)).toEqual([false, false]);
    expect(w.writes).toEqual([]);
    expect(w.invalidated).toEqual([]);
  });

  it('removes every cutoff of the channel when it has no plan', async () => {
    const computedAt = new Date(NOW - DAY).toISOString();
    const rooms = [
      { ...aRoom({ roomId: 'a', channelId: 'ch' }), viewCutoff: { id: idAgo(DAY), computedAt } },
      aRoom({ roomId: 'b', channelId: 'ch' }),
    ];
    const w = world(rooms, {});

    const run = await computeChannelCutoffs(w.deps, job);

    expect(run).toMatchObject({ outcome: 'cleared', commentsRead: 0 });
    expect(run.cutoffs).toEqual([
      { roomId: 'a', cutoff: null, taken: 0, changed: true },
      { roomId: 'b', cutoff: null, taken: 0, changed: false },
    ]);
    expect(w.room('a').viewCutoff).toBeUndefined();
    expect(w.writes).toEqual(['a']);
    expect(w.invalidated).toEqual([['/v1/rooms/a/segments/*']]);
  });

  it('computes again with the new plan when the plan changed during the computation', async () => {
    const w = world(
      [aRoom({ roomId: 'a', channelId: 'ch' })],
      { 'a#0': [visible(idAgo(1_000, 2)), visible(idAgo(2_000, 1))] },
      { maxComments: 1, days: 1 },
    );
    let gets = 0;
    w.onGet(() => {
      // The plan moves to version 2 (N = 2) right after the first read.
      if (++gets === 1) {
        w.setPlan({
          channelId: 'ch',
          plan: { maxComments: 2, days: 1 },
          updatedAt: job.requestedAt,
          version: 2,
        });
      }
    });

    const run = await computeChannelCutoffs(w.deps, job);

    expect(run).toMatchObject({ planVersion: 2, maxComments: 2 });
    expect(w.room('a').viewCutoff?.id).toBe(idAgo(2_000, 1));
    expect(w.recorded).toEqual([run]);
  });

  it('reports a failed invalidation and still records the run', async () => {
    const w = world(
      [aRoom({ roomId: 'a', channelId: 'ch' })],
      { 'a#0': [visible(idAgo(1_000))] },
      { maxComments: 1, days: 1 },
    );
    const failures: (readonly string[])[] = [];
    const deps: CutoffDeps = {
      ...w.deps,
      edge: { invalidate: () => Promise.reject(new Error('TooManyInvalidationsInProgress')) },
      onInvalidateFailed: (paths) => failures.push(paths),
    };

    const run = await computeChannelCutoffs(deps, job);

    expect(failures).toEqual([['/v1/rooms/a/segments/*']]);
    expect(w.recorded).toEqual([run]);
  });

  it('throws when the plan keeps changing, so the queue retries the job', async () => {
    const w = world([aRoom({ roomId: 'a', channelId: 'ch' })], {}, { maxComments: 1, days: 1 });
    let version = 1;
    w.onGet(() => {
      w.setPlan({
        channelId: 'ch',
        plan: { maxComments: 1, days: 1 },
        updatedAt: job.requestedAt,
        version: version++,
      });
    });
    const deps: CutoffDeps = { ...w.deps, plans: { ...w.deps.plans, recordRun: async () => 'stale' } };

    await expect(computeChannelCutoffs(deps, job)).rejects.toThrow(/changed during each of 3 computations/);
  });
});

describe('firstPages', () => {
  it('starts each stream at its even share of N and one more, never above the largest page', () => {
    expect(firstPages(5_000, 30, 500)).toEqual({ first: 168, max: 500 });
    expect(firstPages(1, 30, 500)).toEqual({ first: 2, max: 500 });
    expect(firstPages(100_000, 1, 500)).toEqual({ first: 500, max: 500 });
    expect(firstPages(10, 0, 500)).toEqual({ first: 11, max: 500 });
  });
});
