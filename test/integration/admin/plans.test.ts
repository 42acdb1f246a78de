import { describe, expect, it } from 'vitest';
import { DynamoPlanStore } from '../../../lambdas/adapters/dynamodb/plan-store.js';
import { computeChannelCutoffs } from '../../../lambdas/domain/limits/compute-cutoffs.js';
import { callAdmin, operator } from '../../helpers/admin.js';
import { testJobs } from '../../helpers/functions.js';
import { auditOf, CALLER_KINDS, callerFor, stores, uid } from '../../helpers/moderation.js';
import { seedComment } from '../../helpers/store.js';

/**
 * A channel's view-limit plan through the admin API (ADR 0038): the admin function in-process
 * against DynamoDB Local; the jobs it queues are observed through the queue port
 * (helpers/functions.ts `testJobs`), and the worker's computation is the real one.
 */
const planPath = (channelId: string) => `/admin/v1/channels/${channelId}/plan`;
const runsPath = (channelId: string) => `${planPath(channelId)}/runs`;
const plans = new DynamoPlanStore(stores.db, stores.tables.control);

const getPlan = (channelId: string, caller = operator) =>
  callAdmin({ method: 'GET', path: planPath(channelId), caller });
const putPlan = (channelId: string, body: unknown, caller = operator) =>
  callAdmin({ method: 'PUT', path: planPath(channelId), caller, body });

/** What the worker does with a job: the real computation over the suite's tables. */
const work = (job: Parameters<typeof computeChannelCutoffs>[1]) =>
  computeChannelCutoffs({ plans, rooms: stores.rooms, comments: stores.comments, clock: Date.now }, job);

const MAY_READ = new Set(['operator', 'moderator of the channel', 'artist of the channel']);
const MAY_CHANGE = new Set(['operator']);

describe('GET a channel plan', () => {
  it('answers 200 with plan null, no version and no last run when the channel has none', async () => {
    // Prepare
    const channelId = uid('ch');

    // Act
    const res = await getPlan(channelId);

    // Assess
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      channelId,
      plan: null,
      version: null,
      updatedAt: null,
      updatedBy: null,
      lastRun: null,
    });
  });

  it.each(CALLER_KINDS)('answers %s as its role allows', async (kind) => {
    const channelId = uid('ch');
    const res = await getPlan(channelId, callerFor(kind, channelId));
    expect(res.status).toBe(MAY_READ.has(kind) ? 200 : 403);
  });
});

describe('PUT a channel plan', () => {
  it('stores the plan at version 1, GET reads it back, and one plan-changed job is queued', async () => {
    // Prepare
    const channelId = uid('ch');

    // Act
    const put = await putPlan(channelId, { maxComments: 5000, days: 40 });
    const got = await getPlan(channelId);

    // Assess
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      channelId,
      plan: { maxComments: 5000, days: 40 },
      version: 1,
      updatedBy: 'Olga Operator',
      lastRun: null,
      job: { channelId, reason: 'plan-changed' },
    });
    expect(got.body).toEqual({ ...put.body, job: undefined });
    expect(testJobs.of(channelId)).toEqual([put.body.job]);
  });

  it('replaces the plan at the version read and bumps the version', async () => {
    const channelId = uid('ch');
    await putPlan(channelId, { maxComments: 10, days: 1 });

    const res = await putPlan(channelId, { maxComments: 20, days: 2, expectedVersion: 1 });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ plan: { maxComments: 20, days: 2 }, version: 2 });
    expect((await getPlan(channelId)).body).toMatchObject({ plan: { maxComments: 20, days: 2 }, version: 2 });
    expect(testJobs.of(channelId).map((job) => job.reason)).toEqual(['plan-changed', 'plan-changed']);
  });

  it('answers 409 naming the current version and values on a stale version, and changes nothing', async () => {
    // Prepare: version 2 is current
    const channelId = uid('ch');
    await putPlan(channelId, { maxComments: 10, days: 1 });
    await putPlan(channelId, { maxComments: 30, days: 3, expectedVersion: 1 });
    const before = await getPlan(channelId);
    const jobs = testJobs.of(channelId).length;
    const audited = (await auditOf({ channelId })).length;

    // Act
    const res = await putPlan(channelId, { maxComments: 99, days: 9, expectedVersion: 1 });

    // Assess
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'stale_version', retryable: false });
    expect(res.body.message).toContain('version 2 (30 comments within 3 days)');
    expect(await getPlan(channelId)).toMatchObject({ body: before.body });
    expect(testJobs.of(channelId)).toHaveLength(jobs);
    expect(await auditOf({ channelId })).toHaveLength(audited);
  });

  it('answers 409 when creating over an existing plan', async () => {
    const channelId = uid('ch');
    await putPlan(channelId, { maxComments: 10, days: 1 });

    const res = await putPlan(channelId, { maxComments: 11, days: 1 });

    expect(res.status).toBe(409);
    expect(res.body.message).toContain('has a plan already, at version 1');
    expect((await getPlan(channelId)).body.plan).toEqual({ maxComments: 10, days: 1 });
  });

  it('keeps the change and answers job null when the queue refuses the job', async () => {
    const channelId = uid('ch');
    testJobs.failNext = 1;

    const res = await putPlan(channelId, { maxComments: 10, days: 1 });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: 1, job: null });
    expect(testJobs.of(channelId)).toEqual([]);
    expect((await auditOf({ channelId }))[0]).toMatchObject({
      action: 'plans.change',
      details: { queued: false },
    });
  });

  it.each(CALLER_KINDS)('answers %s as its role allows, and refusals write nothing', async (kind) => {
    const channelId = uid('ch');
    const res = await putPlan(channelId, { maxComments: 10, days: 1 }, callerFor(kind, channelId));
    expect(res.status).toBe(MAY_CHANGE.has(kind) ? 200 : 403);
    expect(await plans.get(channelId)).toEqual(MAY_CHANGE.has(kind) ? expect.anything() : undefined);
    expect(testJobs.of(channelId)).toHaveLength(MAY_CHANGE.has(kind) ? 1 : 0);
  });
});

describe('DELETE a channel plan', () => {
  it('removes the plan and queues the job that clears the cutoffs', async () => {
    const channelId = uid('ch');
    await putPlan(channelId, { maxComments: 10, days: 1 });

    const res = await callAdmin({ method: 'DELETE', path: planPath(channelId), caller: operator });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ channelId, removed: true, job: { channelId, reason: 'plan-changed' } });
    expect((await getPlan(channelId)).body.plan).toBeNull();
    expect(testJobs.of(channelId)).toHaveLength(2);
  });

  it('queues a clearing job even without a plan, and says nothing was removed', async () => {
    const channelId = uid('ch');

    const res = await callAdmin({ method: 'DELETE', path: planPath(channelId), caller: operator });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ removed: false, job: { reason: 'plan-changed' } });
    expect(testJobs.of(channelId)).toHaveLength(1);
  });

  it('refuses a moderator of the channel and keeps the plan', async () => {
    const channelId = uid('ch');
    await putPlan(channelId, { maxComments: 10, days: 1 });

    const res = await callAdmin({
      method: 'DELETE',
      path: planPath(channelId),
      caller: callerFor('moderator of the channel', channelId),
    });

    expect(res.status).toBe(403);
    expect(await plans.get(channelId)).toBeDefined();
    expect(testJobs.of(channelId)).toHaveLength(1);
  });
});

describe('POST a run now', () => {
  it('queues exactly one run-now job and answers 202', async () => {
    // Prepare
    const channelId = uid('ch');
    await putPlan(channelId, { maxComments: 10, days: 1 });
    const queued = testJobs.sent.length;

    // Act
    const res = await callAdmin({ method: 'POST', path: runsPath(channelId), caller: operator });

    // Assess
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      job: expect.objectContaining({ channelId, reason: 'run-now' }),
      previousFinishedAt: null,
    });
    expect(testJobs.sent.slice(queued)).toEqual([res.body.job]);
  });

  it('answers 404 plan_not_found without a plan, and queues nothing', async () => {
    const channelId = uid('ch');

    const res = await callAdmin({ method: 'POST', path: runsPath(channelId), caller: operator });

    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'plan_not_found' });
    expect(testJobs.of(channelId)).toEqual([]);
    expect(await auditOf({ channelId })).toEqual([]);
  });

  it('answers 503, retryable, when the queue refuses, and audits nothing', async () => {
    const channelId = uid('ch');
    await putPlan(channelId, { maxComments: 10, days: 1 });
    const audited = (await auditOf({ channelId })).length;
    testJobs.failNext = 1;

    const res = await callAdmin({ method: 'POST', path: runsPath(channelId), caller: operator });

    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'unavailable', retryable: true });
    expect(await auditOf({ channelId })).toHaveLength(audited);
  });

  it.each(CALLER_KINDS)('answers %s as its role allows', async (kind) => {
    const channelId = uid('ch');
    await putPlan(channelId, { maxComments: 10, days: 1 });
    const res = await callAdmin({
      method: 'POST',
      path: runsPath(channelId),
      caller: callerFor(kind, channelId),
    });
    expect(res.status).toBe(MAY_CHANGE.has(kind) ? 202 : 403);
    expect(testJobs.of(channelId).filter((job) => job.reason === 'run-now')).toHaveLength(
      MAY_CHANGE.has(kind) ? 1 : 0,
    );
  });

  it("GET shows the worker's run of the queued job: when, how long, comments read and each room's cutoff", async () => {
    // Prepare: two rooms with three comments between them, a plan keeping the newest two
    const channelId = uid('ch');
    const [roomA, roomB] = [await stores.room({ channelId }), await stores.room({ channelId })];
    const now = Date.now();
    await seedComment(stores, roomA!, now - 30_000);
    const newerA = await seedComment(stores, roomA!, now - 10_000);
    const newestB = await seedComment(stores, roomB!, now - 5_000);
    await putPlan(channelId, { maxComments: 2, days: 1 });

    // Act: run now, and the worker takes the job
    const run = await callAdmin({ method: 'POST', path: runsPath(channelId), caller: operator });
    await work(run.body.job);
    const res = await getPlan(channelId);

    // Assess
    const lastRun = res.body.lastRun;
    expect(lastRun).toMatchObject({
      channelId,
      reason: 'run-now',
      outcome: 'computed',
      planVersion: 1,
      maxComments: 2,
      days: 1,
      taken: 2,
    });
    expect(lastRun.commentsRead).toBeGreaterThanOrEqual(2);
    expect(lastRun.durationMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(lastRun.finishedAt)).toBeGreaterThanOrEqual(Date.parse(lastRun.startedAt));
    const byRoom = Object.fromEntries(lastRun.cutoffs.map((c: { roomId: string }) => [c.roomId, c]));
    expect(byRoom[roomA!.roomId]).toMatchObject({ cutoff: newerA.id, taken: 1 });
    expect(byRoom[roomB!.roomId]).toMatchObject({ cutoff: newestB.id, taken: 1 });
    // The next run-now names this run's end, so a caller can wait for a newer one.
    const again = await callAdmin({ method: 'POST', path: runsPath(channelId), caller: operator });
    expect(again.body.previousFinishedAt).toBe(lastRun.finishedAt);
  });
});

describe('the audit log', () => {
  it('records every change and run-now in the channel log, with who and what', async () => {
    // Prepare
    const channelId = uid('ch');

    // Act
    await putPlan(channelId, { maxComments: 10, days: 1 });
    await putPlan(channelId, { maxComments: 20, days: 2, expectedVersion: 1 });
    await callAdmin({ method: 'POST', path: runsPath(channelId), caller: operator });
    await callAdmin({ method: 'DELETE', path: planPath(channelId), caller: operator });
    await getPlan(channelId);

    // Assess: newest first; reads are not audited
    const entries = await auditOf({ channelId });
    expect(entries.map((e) => [e.action, e.details])).toEqual([
      ['plans.change', { removed: true, queued: true }],
      ['plans.run', { requestedAt: expect.any(String) }],
      ['plans.change', { maxComments: 20, days: 2, version: 2, queued: true }],
      ['plans.change', { maxComments: 10, days: 1, version: 1, queued: true }],
    ]);
    expect(entries[0]).toMatchObject({ channelId, actor: { userId: operator.userId, roles: ['operator'] } });
  });
});
