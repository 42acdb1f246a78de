import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';

/**
 * Issue 5 end to end on `npm start`'s stack: an operator sizes and schedules
 * an event through the admin API; the room's schedules fire as local timers;
 * the very scaler handler CDK deploys plans every room and drives the local
 * control plane (which records each AWS request and keeps the resulting
 * capacity) and grows the room's shards in DynamoDB Local; after the event it
 * scales back in. Lead time 30 min, tail 15 min (the defaults).
 */
let stack: LocalStack;
let operator: string;

beforeAll(async () => {
  stack = await startLocalStack({ seed: false });
  operator = (await stack.adminTokens.issue({ roles: ['operator'] })).token;
});
afterAll(async () => {
  await stack?.stop();
});

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

async function admin(method: string, path: string, body?: unknown) {
  const res = await fetch(`${stack.edgeUrl}/admin/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${operator}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- responses are read loosely in tests
  return { status: res.status, body: (await res.json()) as any };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the diagnostics document, read loosely
async function capacity(): Promise<any> {
  return (await fetch(`${stack.edgeUrl}/local/capacity`)).json();
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('capacity from event size, end to end', () => {
  it('scales up ahead of a sized event, converges, and scales back in after it', async () => {
    const roomId = `big-${Date.now().toString(36)}`;
    const startsAt = Date.now() + 10 * MIN;
    const created = await admin('POST', '/rooms', {
      roomId,
      channelId: 'live',
      title: 'A million viewers',
      expectedViewers: 1_000_000,
      schedule: { startsAt: iso(startsAt), endsAt: iso(startsAt + 60 * MIN) },
    });
    expect(created.status).toBe(201);
    // Inside the 30-minute lead already: the scaler runs now; only the scale-down is scheduled.
    expect(created.body.schedules).toMatchObject({
      ranNow: true,
      created: [{ name: `scale-down-${roomId}` }],
    });

    const run = await waitFor('the scale-up run', async () => {
      const report = await capacity();
      return report.invocations.find(
        (i: { request: { roomId?: string }; outcome: string }) =>
          i.request.roomId === roomId && i.outcome === 'ok',
      );
    });
    expect(run.invocationType).toBe('Event');
    expect(run.result.applied).toBe(run.result.calls.length);

    const up = await capacity();
    // What AWS would have been asked, exactly: provisioned concurrency on the `live` aliases,
    // warm throughput on the tables, the stage's throttles.
    const operations = up.calls.map((c: { api: { operation: string } }) => c.api.operation);
    expect(operations).toEqual(
      expect.arrayContaining(['PutProvisionedConcurrencyConfig', 'UpdateTable', 'UpdateStage']),
    );
    const pc = up.calls.find(
      (c: { api: { operation: string; input: { FunctionName: string } } }) =>
        c.api.operation === 'PutProvisionedConcurrencyConfig' &&
        c.api.input.FunctionName === 'local-postComment',
    );
    expect(pc.api.input.Qualifier).toBe('live');
    expect(up.state.provisionedConcurrency.postComment).toBe(pc.api.input.ProvisionedConcurrentExecutions);
    for (const fn of ['postComment', 'getLive', 'getSegment']) {
      expect(up.state.provisionedConcurrency[fn]).toBeGreaterThan(0);
    }
    expect(up.state.warmThroughput.comments.writeUnitsPerSecond).toBeGreaterThan(4_000);
    expect(up.state.stageThrottling.rateLimit).toBeGreaterThan(1_000);
    expect(Object.keys(up.state.routeThrottling)).toContain('POST /v1/rooms/{roomId}/comments');
    const warmAfterUp = up.state.warmThroughput;

    // The room's write shards grew in DynamoDB Local (a million viewers need more than one partition).
    const grown = await admin('GET', `/rooms/${roomId}`);
    expect(grown.body.room.shards.write).toBeGreaterThan(1);
    const shards = grown.body.room.shards;

    // Idempotent: a dry run now finds nothing to change and writes nothing.
    const dry = await admin('POST', '/capacity/runs', { dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body.run).toMatchObject({ dryRun: true, reason: 'manual', calls: [], applied: 0 });
    expect((await capacity()).calls).toHaveLength(up.calls.length);

    // Audited once, by the scaler, in the deployment-wide log.
    const log = await admin('GET', '/audit');
    const applied = log.body.entries.filter((e: { action: string }) => e.action === 'capacity.apply');
    expect(applied).toHaveLength(1);
    expect(applied[0].actor.userId).toBe('scaler');

    // The event moves into the past: its schedules go, and the scaler scales in at once.
    const moved = await admin('PATCH', `/rooms/${roomId}`, {
      version: grown.body.room.version,
      schedule: { startsAt: iso(Date.now() - 180 * MIN), endsAt: iso(Date.now() - 120 * MIN) },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.schedules).toMatchObject({ ranNow: true, deleted: [`scale-down-${roomId}`] });
    const down = await waitFor('the scale-in', async () => {
      const report = await capacity();
      return report.state.provisionedConcurrency.postComment === 0 &&
        Object.keys(report.state.routeThrottling).length === 0
        ? report
        : undefined;
    });
    expect(down.state.provisionedConcurrency).toEqual({ postComment: 0, getLive: 0, getSegment: 0 });
    expect(down.state.stageThrottling).toEqual({ rateLimit: 1_000, burstLimit: 500 });
    // Warm throughput cannot be lowered, and shards only grow: both stay.
    expect(down.state.warmThroughput).toEqual(warmAfterUp);
    expect((await admin('GET', `/rooms/${roomId}`)).body.room.shards).toEqual(shards);
    expect(down.schedules.filter((s: { name: string }) => s.name.endsWith(roomId))).toEqual([]);
  });

  it("fires a room's scale-up schedule as a timer at its time", async () => {
    const roomId = `timer-${Date.now().toString(36)}`;
    // Scale-up at start − 30 min: two seconds from now.
    const startsAt = Date.now() + 30 * MIN + 2_000;
    const created = await admin('POST', '/rooms', {
      roomId,
      channelId: 'live',
      title: 'Soon',
      expectedViewers: 50_000,
      schedule: { startsAt: iso(startsAt), endsAt: iso(startsAt + 30 * MIN) },
    });
    expect(created.body.schedules).toMatchObject({ ranNow: false });
    expect((await capacity()).schedules.map((s: { name: string }) => s.name)).toContain(`scale-up-${roomId}`);

    const fired = await waitFor('the scale-up schedule to fire', async () => {
      const report = await capacity();
      return report.fired.find((f: { name: string }) => f.name === `scale-up-${roomId}`);
    });
    expect(fired.outcome).toBe('ok');
    const report = await capacity();
    // Fired schedules delete themselves; the scale-down one waits for the end.
    expect(report.schedules.map((s: { name: string }) => s.name)).toEqual([`scale-down-${roomId}`]);
    expect(report.state.provisionedConcurrency.postComment).toBeGreaterThan(0);
    const lastRun = report.invocations.at(-1);
    expect(lastRun.request).toEqual({ reason: 'schedule', roomId });
  });
});
