import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DynamoPlanStore } from '../../lambdas/adapters/dynamodb/plan-store.js';
import type { CutoffRun } from '../../lambdas/domain/limits/plans.js';
import { testStores } from '../helpers/store.js';

/** DynamoPlanStore against DynamoDB Local: the channel plans of ADR 0038. */
const stores = testStores();
const plans = new DynamoPlanStore(stores.db, stores.tables.control);
const at = '2026-12-01T12:00:00.000Z';
const channel = () => `plan-${randomUUID().slice(0, 12)}`;

const aRun = (channelId: string, planVersion: number): CutoffRun => ({
  channelId,
  reason: 'run-now',
  outcome: 'computed',
  planVersion,
  maxComments: 10,
  days: 1,
  startedAt: at,
  finishedAt: at,
  durationMs: 0,
  commentsRead: 3,
  readUnits: 0.5,
  taken: 3,
  cutoffs: [{ roomId: 'r1', cutoff: '01KBA0000000000000000000000', taken: 3, changed: true }],
});

describe('DynamoPlanStore', () => {
  it('creates a plan at version 1 and refuses to create it twice', async () => {
    const id = channel();

    const created = await plans.put(
      id,
      { maxComments: 5_000, days: 40 },
      { updatedAt: at, updatedBy: 'op-1' },
    );
    const again = await plans.put(id, { maxComments: 1, days: 1 }, { updatedAt: at });

    expect(created).toEqual({
      channelId: id,
      plan: { maxComments: 5_000, days: 40 },
      updatedAt: at,
      updatedBy: 'op-1',
      version: 1,
    });
    expect(again).toBe('stale');
    expect(await plans.get(id)).toEqual(created);
  });

  it('replaces a plan at the version read, keeps its last run, and refuses a stale version', async () => {
    const id = channel();
    await plans.put(id, { maxComments: 100, days: 7 }, { updatedAt: at, updatedBy: 'op-1' });
    await expect(plans.recordRun(id, aRun(id, 1))).resolves.toBe('recorded');

    const replaced = await plans.put(
      id,
      { maxComments: 200, days: 3 },
      { expectedVersion: 1, updatedAt: at },
    );
    const stale = await plans.put(id, { maxComments: 300, days: 3 }, { expectedVersion: 1, updatedAt: at });

    expect(replaced).toEqual({
      channelId: id,
      plan: { maxComments: 200, days: 3 },
      updatedAt: at,
      version: 2,
      lastRun: aRun(id, 1),
    });
    expect(stale).toBe('stale');
  });

  it('records a run only against the plan version it computed', async () => {
    const id = channel();
    await plans.put(id, { maxComments: 100, days: 7 }, { updatedAt: at });
    await plans.put(id, { maxComments: 100, days: 8 }, { expectedVersion: 1, updatedAt: at });

    await expect(plans.recordRun(id, aRun(id, 1))).resolves.toBe('stale');
    await expect(plans.recordRun(channel(), aRun(id, 1))).resolves.toBe('stale');
    expect((await plans.get(id))!.lastRun).toBeUndefined();
  });

  it('lists every limited channel, and no removed one', async () => {
    const ids = [channel(), channel(), channel()];
    for (const id of ids) await plans.put(id, { maxComments: 10, days: 1 }, { updatedAt: at });

    await expect(plans.remove(ids[1]!)).resolves.toBe(true);
    await expect(plans.remove(ids[1]!)).resolves.toBe(false);
    const listed: string[] = [];
    for await (const id of plans.limitedChannels()) listed.push(id);

    expect(listed).toEqual(expect.arrayContaining([ids[0], ids[2]]));
    expect(listed).not.toContain(ids[1]);
    expect(new Set(listed).size).toBe(listed.length);
    expect(await plans.get(ids[1]!)).toBeUndefined();
  });
});
