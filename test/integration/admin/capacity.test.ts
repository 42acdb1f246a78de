import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DynamoAuditStore } from '../../../lambdas/adapters/dynamodb/audit-store.js';
import {
  callAdmin,
  moderatorOf,
  operator,
  scalerInvocations,
  scheduleCalls,
  type Caller,
} from '../../helpers/admin.js';
import { testStores } from '../../helpers/store.js';

/**
 * Capacity through the admin function: a room's expected size and schedule
 * move its scale-up and scale-down schedules (sent to the capture server
 * standing in for EventBridge Scheduler), and operators read the room's plan
 * and cost and the deployment's plan. Lead 30 min, tail 15 min (the defaults).
 */
const stores = testStores();
const audit = new DynamoAuditStore(stores.db, stores.tables.control);
const freshId = () => `cap-${randomUUID().slice(0, 10)}`;
const channel = () => `ch-${randomUUID().slice(0, 8)}`;
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

const create = (body: Record<string, unknown>, caller: Caller = operator) =>
  callAdmin({ method: 'POST', path: '/admin/v1/rooms', caller, body: { channelId: channel(), ...body } });
const patch = (roomId: string, body: unknown) =>
  callAdmin({ method: 'PATCH', path: `/admin/v1/rooms/${roomId}`, caller: operator, body });
const capacityOf = (roomId: string, caller: Caller = operator) =>
  callAdmin({ method: 'GET', path: `/admin/v1/rooms/${roomId}/capacity`, caller });

/** An event far ahead: its scale-up is in the future, so nothing runs now. */
const START = Date.parse('2031-05-01T10:00:00.000Z');
const END = Date.parse('2031-05-01T12:00:00.000Z');

describe('room schedules', () => {
  it('a sized, scheduled room gets a scale-up 30 min before and a scale-down 15 min after', async () => {
    const roomId = freshId();
    const res = await create({
      roomId,
      title: 'Budokan',
      expectedViewers: 100_000,
      schedule: { startsAt: iso(START), endsAt: iso(END) },
    });

    expect(res.status).toBe(201);
    expect(res.body.schedules).toEqual({
      roomId,
      created: [
        { name: `scale-up-${roomId}`, at: iso(START - 30 * MIN) },
        { name: `scale-down-${roomId}`, at: iso(END + 15 * MIN) },
      ],
      updated: [],
      deleted: [],
      ranNow: false,
    });
    expect(await scheduleCalls(roomId)).toEqual([
      {
        method: 'PUT',
        name: `scale-up-${roomId}`,
        at: iso(START - 30 * MIN),
        request: { reason: 'schedule', roomId },
      },
      {
        method: 'PUT',
        name: `scale-down-${roomId}`,
        at: iso(END + 15 * MIN),
        request: { reason: 'schedule', roomId },
      },
    ]);
    expect(await scalerInvocations(roomId)).toEqual([]);
    const [entry] = (await audit.list({ roomId }, 10)).entries;
    expect(entry?.details?.schedules).toEqual(res.body.schedules);
  });

  it('moving the event moves both schedules; a size of 0 deletes them', async () => {
    const roomId = freshId();
    await create({
      roomId,
      title: 'Moves',
      expectedViewers: 5_000,
      schedule: { startsAt: iso(START), endsAt: iso(END) },
    });

    const moved = await patch(roomId, { version: 1, schedule: { startsAt: iso(START + 60 * MIN) } });
    expect(moved.status).toBe(200);
    expect(moved.body.schedules.updated).toEqual([
      { name: `scale-up-${roomId}`, at: iso(START + 30 * MIN) },
      { name: `scale-down-${roomId}`, at: iso(END + 15 * MIN) },
    ]);

    const unsized = await patch(roomId, { version: 2, expectedViewers: 0 });
    expect(unsized.status).toBe(200);
    expect(unsized.body.schedules).toMatchObject({
      deleted: [`scale-up-${roomId}`, `scale-down-${roomId}`],
      created: [],
      updated: [],
    });
    expect((await scheduleCalls(roomId)).map((c) => c.method)).toEqual([
      'PUT',
      'PUT',
      'PUT',
      'PUT',
      'DELETE',
      'DELETE',
    ]);
  });

  it('a change that cannot move capacity (slow mode) touches no schedule', async () => {
    const roomId = freshId();
    await create({
      roomId,
      title: 'Quiet',
      expectedViewers: 5_000,
      schedule: { startsAt: iso(START), endsAt: iso(END) },
    });
    const res = await patch(roomId, { version: 1, settings: { slowModeSeconds: 5 } });
    expect(res.status).toBe(200);
    expect(res.body.schedules).toBeUndefined();
    expect(await scheduleCalls(roomId)).toHaveLength(2);
  });

  it('a room with no size or no schedule has no schedules at all', async () => {
    const unsized = freshId();
    const unscheduled = freshId();
    const a = await create({
      roomId: unsized,
      title: 'A',
      schedule: { startsAt: iso(START), endsAt: iso(END) },
    });
    const b = await create({ roomId: unscheduled, title: 'B', expectedViewers: 1_000 });
    expect(a.body.schedules).toBeUndefined();
    expect(b.body.schedules).toBeUndefined();
    expect(await scheduleCalls(unsized)).toEqual([]);
    expect(await scheduleCalls(unscheduled)).toEqual([]);
  });

  it('an event starting inside the lead time asks the scaler to run now instead of scheduling in the past', async () => {
    const roomId = freshId();
    const startsAt = Date.now() + 10 * MIN;
    const requestId = randomUUID();
    const res = await callAdmin({
      method: 'POST',
      path: '/admin/v1/rooms',
      caller: operator,
      requestId,
      body: {
        channelId: channel(),
        roomId,
        title: 'Soon',
        expectedViewers: 20_000,
        schedule: { startsAt: iso(startsAt), endsAt: iso(startsAt + 60 * MIN) },
      },
    });
    expect(res.body.schedules.ranNow).toBe(true);
    expect(res.body.schedules.created).toEqual([
      { name: `scale-down-${roomId}`, at: iso(startsAt + 75 * MIN) },
    ]);
    // The run carries the admin request's id, so its logs and the request's share one correlation id.
    expect(await scalerInvocations(roomId)).toEqual([
      { request: { reason: 'room-changed', roomId, correlationId: requestId }, invocationType: 'Event' },
    ]);
  });

  it('closing a sized room deletes its schedules', async () => {
    const roomId = freshId();
    await create({
      roomId,
      title: 'Closing',
      expectedViewers: 5_000,
      schedule: { startsAt: iso(START), endsAt: iso(END) },
    });
    const res = await callAdmin({
      method: 'POST',
      path: `/admin/v1/rooms/${roomId}/close`,
      caller: operator,
      body: { version: 1 },
    });
    expect(res.status).toBe(200);
    expect(res.body.schedules.deleted).toEqual([`scale-up-${roomId}`, `scale-down-${roomId}`]);
  });
});

describe('GET /admin/v1/rooms/{roomId}/capacity', () => {
  it("answers the room's plan, its schedules and the event's cost beside the alternatives", async () => {
    const roomId = freshId();
    await create({
      roomId,
      title: 'Sized',
      expectedViewers: 100_000,
      schedule: { startsAt: iso(START), endsAt: iso(END) },
    });

    const res = await capacityOf(roomId);

    expect(res.status).toBe(200);
    const view = res.body.capacity;
    expect(view).toMatchObject({
      roomId,
      planned: true,
      missing: [],
      region: 'us-east-1',
      schedules: {
        scaleUp: { name: `scale-up-${roomId}`, at: iso(START - 30 * MIN) },
        scaleDown: { name: `scale-down-${roomId}`, at: iso(END + 15 * MIN) },
      },
    });
    expect(view.room.expectedViewers).toBe(100_000);
    // 100,000 viewers polling every 3 s.
    expect(view.room.viewerRequestsPerSecond).toBeCloseTo(33_333.333, 2);
    expect(view.peak.provisionedConcurrency.postComment).toBeGreaterThan(0);
    // The plan checks `live` documents against the functions' own LIVE_COMMENT_LIMIT (the suite's 50):
    // 200 comments/s at the peak × 4.5 s = 900.
    expect(view.warnings).toContainEqual(
      expect.objectContaining({ code: 'live_document_truncated', level: 'warning', limit: 50, planned: 900 }),
    );
    // The cost model's input is the room's event: 2 hours, its viewers and poll interval.
    expect(view.cost.input).toMatchObject({
      viewers: 100_000,
      hours: 2,
      pollSeconds: 3,
      region: 'us-east-1',
    });
    expect(view.cost.hybrid.totalUsd).toBeGreaterThan(0);
    expect(view.cost.alternatives.map((a: { design: string }) => a.design)).toEqual([
      'all-appsync',
      'apigw-websocket',
      'ivs-chat',
    ]);
    // Pushing every comment costs more than polling a cached document, by far, at this size.
    for (const alternative of view.cost.alternatives) {
      expect(alternative.totalUsd).toBeGreaterThan(view.cost.hybrid.totalUsd * 10);
    }
  });

  it('says what a room lacks before it can be planned', async () => {
    const roomId = freshId();
    await create({ roomId, title: 'Unsized', schedule: { startsAt: iso(START) } });
    const res = await capacityOf(roomId);
    expect(res.status).toBe(200);
    expect(res.body.capacity).toEqual({
      roomId,
      planned: false,
      missing: ['expectedViewers', 'schedule.endsAt'],
      region: 'us-east-1',
    });
  });

  it('is for operators only, and 404s for a missing room', async () => {
    const channelId = channel();
    const roomId = freshId();
    await create({ roomId, channelId, title: 'Mine' });
    const moderator = await capacityOf(roomId, moderatorOf(channelId));
    expect(moderator.status).toBe(403);
    expect(moderator.body.code).toBe('forbidden');
    expect((await capacityOf('no-such-room')).status).toBe(404);
  });
});

describe('GET /admin/v1/capacity', () => {
  it("answers the deployment's plan over time, with the events not over yet", async () => {
    const roomId = freshId();
    await create({
      roomId,
      title: 'Upcoming',
      expectedViewers: 1_000_000,
      schedule: { startsAt: iso(START + 24 * 60 * MIN), endsAt: iso(END + 24 * 60 * MIN) },
    });
    const past = freshId();
    await create({
      roomId: past,
      title: 'Past',
      expectedViewers: 1_000,
      schedule: { startsAt: '2020-01-01T10:00:00.000Z', endsAt: '2020-01-01T11:00:00.000Z' },
    });

    const res = await callAdmin({ method: 'GET', path: '/admin/v1/capacity', caller: operator });

    expect(res.status).toBe(200);
    const roomIds = res.body.rooms.map((r: { roomId: string }) => r.roomId);
    expect(roomIds).toContain(roomId);
    expect(roomIds).not.toContain(past);
    const step = res.body.steps.find((s: { roomIds: string[] }) => s.roomIds.includes(roomId));
    expect(step.from).toBe(iso(START + 24 * 60 * MIN - 30 * MIN));
    // 1M viewers at 3 s cross CloudFront's 250,000 requests/s: the plan says so.
    expect(res.body.warnings.map((w: { code: string }) => w.code)).toContain('cloudfront_requests');
    expect(res.body.assumptions.length).toBeGreaterThan(5);
    expect(res.body).toMatchObject({ leadMinutes: 30, tailMinutes: 15 });
  });

  it('is for operators only', async () => {
    const res = await callAdmin({ method: 'GET', path: '/admin/v1/capacity', caller: moderatorOf('x') });
    expect(res.status).toBe(403);
  });
});

describe('POST /admin/v1/capacity/runs', () => {
  it('refuses unknown fields and non-operators, and asks for no run', async () => {
    const bad = await callAdmin({
      method: 'POST',
      path: '/admin/v1/capacity/runs',
      caller: operator,
      body: { dryRun: 'yes' },
    });
    expect(bad.status).toBe(400);
    const moderator = await callAdmin({
      method: 'POST',
      path: '/admin/v1/capacity/runs',
      caller: moderatorOf('x'),
      body: {},
    });
    expect(moderator.status).toBe(403);
  });
});
