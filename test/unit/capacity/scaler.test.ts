import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../lambdas/domain/access/audit.js';
import { capacityPlanner } from '../../../lambdas/domain/capacity/planner.js';
import type {
  ApiCall,
  CapacityChange,
  CapacityControls,
  CapacityState,
  PlanCapacity,
} from '../../../lambdas/domain/capacity/ports.js';
import {
  diffCapacity,
  parseScalerRequest,
  plannedRooms,
  ROOM_PAGE_SIZE,
  runScaler,
  SCALER_ACTOR,
  type ScalerDeps,
} from '../../../lambdas/domain/capacity/scaler.js';
import {
  BASELINE_TARGET,
  type CapacityTarget,
  type PlannedRoom,
} from '../../../lambdas/domain/capacity/target.js';
import { BadRequestError } from '../../../lambdas/domain/errors.js';
import type { RoomLister } from '../../../lambdas/domain/rooms/ports.js';
import { createRoom, type Room } from '../../../lambdas/domain/rooms/room.js';
import { MAX_SHARDS } from '../../../lambdas/domain/feed/shards.js';
import { manualClock } from '../fakes.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const LEAD = 30 * MIN;
const TAIL = 15 * MIN;
const T0 = Date.UTC(2030, 0, 1, 12);
const COMMENTS_ROUTE = 'POST /v1/rooms/{roomId}/comments';
const LIVE_ROUTE = 'GET /v1/rooms/{roomId}/live';

/** A sized, scheduled room (an event from `startsAtMs` to `endsAtMs`). */
function eventRoom(
  roomId: string,
  startsAtMs: number,
  endsAtMs: number,
  overrides: { expectedViewers?: number; shards?: number; status?: Room['status'] } = {},
): Room {
  const room = createRoom(
    {
      roomId,
      title: roomId,
      expectedViewers: overrides.expectedViewers ?? 50_000,
      schedule: { startsAt: new Date(startsAtMs).toISOString(), endsAt: new Date(endsAtMs).toISOString() },
      ...(overrides.shards ? { shards: overrides.shards } : {}),
    },
    new Date(T0 - 24 * HOUR),
  );
  return overrides.status ? { ...room, status: overrides.status } : room;
}

/** What the fake plan wants while any room is in its window (each such room: 4 write shards). */
const EVENT_TARGET: Omit<CapacityTarget, 'roomShards'> = {
  provisionedConcurrency: { postComment: 20, getLive: 4, getSegment: 2 },
  warmThroughput: {
    comments: { readUnitsPerSecond: 20_000, writeUnitsPerSecond: 8_000 },
    control: { readUnitsPerSecond: 15_000, writeUnitsPerSecond: 4_000 },
  },
  stageThrottling: { rateLimit: 5_000, burstLimit: 2_500 },
  routeThrottling: { [COMMENTS_ROUTE]: { rateLimit: 2_000, burstLimit: 1_000 } },
};

/** A plan that is the event target while some room is within [start − lead, end + tail), else the baseline. */
const windowPlan: PlanCapacity = (rooms, nowMs) => {
  const active = rooms.filter((r) => r.startsAtMs - LEAD <= nowMs && nowMs < r.endsAtMs + TAIL);
  if (active.length === 0) return { target: BASELINE_TARGET, warnings: [] };
  return {
    target: { ...EVENT_TARGET, roomShards: Object.fromEntries(active.map((r) => [r.roomId, 4])) },
    warnings: [{ code: 'example' }],
  };
};

/** The real planner, as the scaler's entry wires it. */
const realPlan: PlanCapacity = capacityPlanner({ leadTimeMs: LEAD, tailMs: TAIL });

/** A fresh deployment: nothing provisioned, tables at their on-demand starting level, baseline throttle. */
function baselineState(): CapacityState {
  return {
    provisionedConcurrency: { postComment: 0, getLive: 0, getSegment: 0 },
    warmThroughput: {
      comments: { readUnitsPerSecond: 12_000, writeUnitsPerSecond: 4_000 },
      control: { readUnitsPerSecond: 12_000, writeUnitsPerSecond: 4_000 },
    },
    stageThrottling: { rateLimit: 1_000, burstLimit: 500 },
    routeThrottling: {},
  };
}

/** Rooms listed page by page (cursor = offset), in insertion order; shards change as the controls grow them. */
class FakeRooms implements RoomLister {
  readonly queries: Parameters<RoomLister['list']>[0][] = [];
  readonly byId = new Map<string, Room>();

  constructor(rooms: Room[]) {
    for (const room of rooms) this.byId.set(room.roomId, room);
  }

  async list(query: Parameters<RoomLister['list']>[0]) {
    this.queries.push(query);
    const all = [...this.byId.values()];
    const from = query.cursor ? Number(query.cursor) : 0;
    const rooms = all.slice(from, from + query.limit);
    const next = from + query.limit < all.length ? String(from + query.limit) : undefined;
    return { rooms, ...(next ? { nextCursor: next } : {}) };
  }
}

/** The controls as AWS behaves: each change lands in the state; room shards grow only from what was read. */
class FakeControls implements CapacityControls {
  readonly applied: CapacityChange[] = [];
  reads = 0;
  failOn: ((change: CapacityChange) => boolean) | undefined;

  constructor(
    public state: CapacityState,
    private readonly rooms: FakeRooms,
  ) {}

  async read() {
    this.reads++;
    return structuredClone(this.state);
  }

  describe(change: CapacityChange): ApiCall {
    return { service: 'lambda', operation: `Do:${change.kind}`, input: { change } };
  }

  async apply(change: CapacityChange) {
    if (this.failOn?.(change)) throw new Error(`refused ${change.kind}`);
    this.applied.push(change);
    const s = structuredClone(this.state) as {
      -readonly [K in keyof CapacityState]: CapacityState[K] extends object
        ? { -readonly [P in keyof CapacityState[K]]: CapacityState[K][P] }
        : CapacityState[K];
    };
    switch (change.kind) {
      case 'provisioned-concurrency.set':
        s.provisionedConcurrency[change.function] = change.to;
        break;
      case 'provisioned-concurrency.remove':
        s.provisionedConcurrency[change.function] = 0;
        break;
      case 'warm-throughput.raise':
        s.warmThroughput[change.table] = change.to;
        break;
      case 'stage-throttle.set':
        s.stageThrottling = change.to;
        break;
      case 'route-throttle.set':
        s.routeThrottling[change.route] = change.to;
        break;
      case 'route-throttle.remove':
        delete s.routeThrottling[change.route];
        break;
      case 'room-shards.grow': {
        const room = this.rooms.byId.get(change.roomId)!;
        if (room.shards.write !== change.from.write || room.shards.read !== change.from.read) {
          throw new Error('stale shards');
        }
        this.rooms.byId.set(change.roomId, { ...room, shards: change.to });
        break;
      }
    }
    this.state = s;
  }
}

function world(rooms: Room[], options: { state?: CapacityState; plan?: PlanCapacity; nowMs?: number } = {}) {
  const lister = new FakeRooms(rooms);
  const controls = new FakeControls(options.state ?? baselineState(), lister);
  const audit: AuditEntry[] = [];
  const planned: PlannedRoom[][] = [];
  const plan = options.plan ?? windowPlan;
  const clock = manualClock(options.nowMs ?? T0 - 10 * MIN);
  const deps: ScalerDeps = {
    rooms: lister,
    controls,
    auditLog: { record: async (entry) => void audit.push(entry) },
    plan: (r, now) => {
      planned.push([...r]);
      return plan(r, now);
    },
    clock,
  };
  return { deps, lister, controls, audit, planned, clock };
}

const kinds = (run: { calls: readonly { change: CapacityChange }[] }) => run.calls.map((c) => c.change.kind);

describe('runScaler: ahead of an event', () => {
  it('raises capacity first, then opens the throttles, and audits the run once', async () => {
    const { deps, controls, audit, lister } = world([eventRoom('gig', T0, T0 + 2 * HOUR)]);

    const run = await runScaler(deps, { reason: 'schedule', roomId: 'gig' });

    expect(kinds(run)).toEqual([
      'warm-throughput.raise',
      'warm-throughput.raise',
      'provisioned-concurrency.set',
      'provisioned-concurrency.set',
      'provisioned-concurrency.set',
      'room-shards.grow',
      'stage-throttle.set',
      'route-throttle.set',
    ]);
    expect(run.calls[0]!.change).toEqual({
      kind: 'warm-throughput.raise',
      table: 'comments',
      from: { readUnitsPerSecond: 12_000, writeUnitsPerSecond: 4_000 },
      to: { readUnitsPerSecond: 20_000, writeUnitsPerSecond: 8_000 },
    });
    // The control table's write level is already enough: only its reads rise.
    expect(run.calls[1]!.change).toMatchObject({
      table: 'control',
      to: { readUnitsPerSecond: 15_000, writeUnitsPerSecond: 4_000 },
    });
    expect(run.calls[5]!.change).toEqual({
      kind: 'room-shards.grow',
      roomId: 'gig',
      from: { write: 1, read: 1 },
      to: { write: 4, read: 4 },
    });
    expect(run.calls.map((c) => c.api.operation)).toEqual(run.calls.map((c) => `Do:${c.change.kind}`));
    expect(run).toMatchObject({ dryRun: false, reason: 'schedule', roomId: 'gig', applied: 8 });
    expect(run.failed).toBeUndefined();
    expect(run.at).toBe(new Date(T0 - 10 * MIN).toISOString());
    expect(run.warnings).toEqual([{ code: 'example' }]);

    expect(controls.state.provisionedConcurrency).toEqual(EVENT_TARGET.provisionedConcurrency);
    expect(controls.state.stageThrottling).toEqual(EVENT_TARGET.stageThrottling);
    expect(controls.state.routeThrottling).toEqual(EVENT_TARGET.routeThrottling);
    expect(lister.byId.get('gig')!.shards).toEqual({ write: 4, read: 4 });

    expect(audit).toHaveLength(1);
    const entry = audit[0]!;
    expect(entry).toMatchObject({ action: 'capacity.apply', actor: SCALER_ACTOR });
    expect(entry.roomId).toBeUndefined();
    expect(entry.channelId).toBeUndefined();
    expect(entry.details).toEqual({
      reason: 'schedule',
      roomId: 'gig',
      changes: run.calls.map((c) => c.change),
      warnings: 1,
    });
  });

  it('makes no call and writes no audit entry when run again at once', async () => {
    const { deps, controls, audit } = world([eventRoom('gig', T0, T0 + 2 * HOUR)]);
    await runScaler(deps, { reason: 'schedule', roomId: 'gig' });
    const appliedBefore = controls.applied.length;

    const again = await runScaler(deps, { reason: 'manual' });

    expect(again.calls).toEqual([]);
    expect(again.applied).toBe(0);
    expect(controls.applied).toHaveLength(appliedBefore);
    expect(audit).toHaveLength(1);
  });

  it('names the operator who asked in the audit entry', async () => {
    const { deps, audit } = world([eventRoom('gig', T0, T0 + 2 * HOUR)]);
    const actor = { userId: 'op-1', displayName: 'Olga', roles: ['operator'] };

    await runScaler(deps, { reason: 'manual', actor });

    expect(audit[0]!.actor).toEqual(actor);
    expect(audit[0]!.details).toMatchObject({ reason: 'manual' });
    expect(audit[0]!.details).not.toHaveProperty('roomId');
  });
});

describe('runScaler: after an event', () => {
  it('closes the throttles before taking provisioned concurrency away, and never lowers warm throughput or shards', async () => {
    const { deps, controls, clock, lister } = world([eventRoom('gig', T0, T0 + 2 * HOUR)]);
    await runScaler(deps, { reason: 'schedule', roomId: 'gig' });
    clock.set(T0 + 2 * HOUR + TAIL);

    const run = await runScaler(deps, { reason: 'schedule', roomId: 'gig' });

    expect(kinds(run)).toEqual([
      'stage-throttle.set',
      'route-throttle.remove',
      'provisioned-concurrency.remove',
      'provisioned-concurrency.remove',
      'provisioned-concurrency.remove',
    ]);
    expect(run.calls[0]!.change).toEqual({
      kind: 'stage-throttle.set',
      from: EVENT_TARGET.stageThrottling,
      to: BASELINE_TARGET.stageThrottling,
    });
    expect(run.calls[1]!.change).toEqual({
      kind: 'route-throttle.remove',
      route: COMMENTS_ROUTE,
      from: EVENT_TARGET.routeThrottling[COMMENTS_ROUTE],
    });
    expect(controls.state.provisionedConcurrency).toEqual({ postComment: 0, getLive: 0, getSegment: 0 });
    expect(controls.state.routeThrottling).toEqual({});
    expect(controls.state.warmThroughput.comments).toEqual(EVENT_TARGET.warmThroughput.comments);
    expect(lister.byId.get('gig')!.shards).toEqual({ write: 4, read: 4 });
    expect(run.skipped).toEqual([
      'comments table: warm throughput stays at 20000 read / 8000 write units/s (target 0 read / 0 write units/s); DynamoDB cannot lower it.',
      'control table: warm throughput stays at 15000 read / 4000 write units/s (target 0 read / 0 write units/s); DynamoDB cannot lower it.',
    ]);
  });

  it('lowers provisioned concurrency after the throttles when a smaller event continues (real planner)', async () => {
    const a = eventRoom('big', T0, T0 + 2 * HOUR, { expectedViewers: 100_000 });
    const b = eventRoom('small', T0 + HOUR, T0 + 4 * HOUR, { expectedViewers: 20_000 });
    const { deps, controls, clock, lister } = world([a, b], { plan: realPlan, nowMs: T0 + 90 * MIN });

    const during = await runScaler(deps, { reason: 'schedule' });
    const overlap = structuredClone(controls.state.provisionedConcurrency);
    expect(during.failed).toBeUndefined();
    expect(overlap.postComment).toBeGreaterThan(0);
    expect(lister.byId.get('big')!.shards.write).toBeGreaterThanOrEqual(1);

    clock.set(T0 + 3 * HOUR); // big has ended (with its tail), small runs on
    const after = await runScaler(deps, { reason: 'schedule', roomId: 'big' });

    const pc = after.calls.filter((c) => c.change.kind.startsWith('provisioned-concurrency'));
    expect(pc.length).toBeGreaterThan(0);
    // Lowered, not removed: the small event still needs some.
    expect(pc.map((c) => c.change.kind)).toContain('provisioned-concurrency.set');
    expect(controls.state.provisionedConcurrency.postComment).toBeGreaterThan(0);
    expect(controls.state.provisionedConcurrency.postComment).toBeLessThan(overlap.postComment);
    const firstLowering = after.calls.findIndex((c) => c.change.kind.startsWith('provisioned-concurrency'));
    const lastThrottle = after.calls.findLastIndex((c) => c.change.kind.includes('throttle'));
    expect(lastThrottle).toBeLessThan(firstLowering);
    // The small room's throttles stay.
    expect(kinds(after)).not.toContain('route-throttle.remove');

    clock.set(T0 + 5 * HOUR); // both over
    await runScaler(deps, { reason: 'schedule', roomId: 'small' });
    expect(controls.state.provisionedConcurrency).toEqual({ postComment: 0, getLive: 0, getSegment: 0 });
    expect(controls.state.routeThrottling).toEqual({});
    expect(controls.state.stageThrottling).toEqual(BASELINE_TARGET.stageThrottling);
  });
});

describe('runScaler: dry runs', () => {
  it('returns exactly the calls a real run makes, and changes and writes nothing', async () => {
    const rooms = () => [eventRoom('gig', T0, T0 + 2 * HOUR)];
    const dry = world(rooms());
    const real = world(rooms());

    const dryRun = await runScaler(dry.deps, { reason: 'manual', dryRun: true });
    const realRun = await runScaler(real.deps, { reason: 'manual' });

    expect(dryRun.calls).toEqual(realRun.calls);
    expect(dryRun.calls.length).toBeGreaterThan(0);
    expect(dryRun).toMatchObject({ dryRun: true, applied: 0 });
    expect(dry.controls.applied).toEqual([]);
    expect(dry.controls.state).toEqual(baselineState());
    expect(dry.lister.byId.get('gig')!.shards).toEqual({ write: 1, read: 1 });
    expect(dry.audit).toEqual([]);
  });
});

describe('runScaler: failures', () => {
  it('stops at the first failed call, reports it, audits what was applied, and the next run finishes', async () => {
    const { deps, controls, audit } = world([eventRoom('gig', T0, T0 + 2 * HOUR)]);
    controls.failOn = (c) => c.kind === 'provisioned-concurrency.set' && c.function === 'getLive';

    const run = await runScaler(deps, { reason: 'schedule', roomId: 'gig' });

    expect(run.applied).toBe(3);
    expect(run.failed).toMatchObject({
      change: { kind: 'provisioned-concurrency.set', function: 'getLive' },
      api: { operation: 'Do:provisioned-concurrency.set' },
      error: 'refused provisioned-concurrency.set',
    });
    expect(controls.applied.map((c) => c.kind)).toEqual([
      'warm-throughput.raise',
      'warm-throughput.raise',
      'provisioned-concurrency.set',
    ]);
    // Nothing after the failure: the throttles did not open on capacity that is not there.
    expect(controls.state.stageThrottling).toEqual(BASELINE_TARGET.stageThrottling);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({
      changes: run.calls.slice(0, 3).map((c) => c.change),
      failed: { change: run.failed!.change, error: 'refused provisioned-concurrency.set' },
    });

    controls.failOn = undefined;
    const next = await runScaler(deps, { reason: 'schedule', roomId: 'gig' });

    expect(next.failed).toBeUndefined();
    expect(kinds(next)).toEqual([
      'provisioned-concurrency.set',
      'provisioned-concurrency.set',
      'room-shards.grow',
      'stage-throttle.set',
      'route-throttle.set',
    ]);
    expect(controls.state.provisionedConcurrency).toEqual(EVENT_TARGET.provisionedConcurrency);
  });

  it('writes no audit entry when the first call fails', async () => {
    const { deps, controls, audit } = world([eventRoom('gig', T0, T0 + 2 * HOUR)]);
    controls.failOn = () => true;

    const run = await runScaler(deps, { reason: 'schedule' });

    expect(run.applied).toBe(0);
    expect(run.failed?.change.kind).toBe('warm-throughput.raise');
    expect(audit).toEqual([]);
  });

  it('leaves out a room the planner refuses, and plans the others', async () => {
    const refusing: PlanCapacity = (rooms, nowMs) => {
      if (rooms.some((r) => r.roomId === 'typo')) throw new Error('endsAtMs is a year after startsAtMs');
      return windowPlan(rooms, nowMs);
    };
    const { deps, planned } = world(
      [eventRoom('gig', T0, T0 + 2 * HOUR), eventRoom('typo', T0, T0 + 365 * 24 * HOUR)],
      { plan: refusing },
    );

    const run = await runScaler(deps, { reason: 'schedule' });

    expect(run.skipped).toContain('room typo: left out of the plan (endsAtMs is a year after startsAtMs)');
    expect(run.target.roomShards).toEqual({ gig: 4 });
    expect(planned.at(-1)!.map((r) => r.roomId)).toEqual(['gig']);
  });

  it('lets a planner failure that is no single room’s fault show', async () => {
    const broken: PlanCapacity = () => {
      throw new Error('planner bug');
    };
    const { deps } = world([eventRoom('gig', T0, T0 + 2 * HOUR)], { plan: broken });

    await expect(runScaler(deps, { reason: 'schedule' })).rejects.toThrow('planner bug');
  });
});

describe('runScaler: which rooms are planned', () => {
  it('plans only open rooms that expect viewers and have both schedule ends', async () => {
    const unscheduled = createRoom(
      {
        roomId: 'no-end',
        title: 't',
        expectedViewers: 10,
        schedule: { startsAt: new Date(T0).toISOString() },
      },
      new Date(T0 - HOUR),
    );
    const { deps, planned } = world([
      eventRoom('gig', T0, T0 + HOUR, { shards: 2 }),
      eventRoom('closed', T0, T0 + HOUR, { status: 'closed' }),
      eventRoom('empty', T0, T0 + HOUR, { expectedViewers: 0 }),
      unscheduled,
    ]);

    await runScaler(deps, { reason: 'schedule' });

    expect(planned[0]).toEqual([
      {
        roomId: 'gig',
        expectedViewers: 50_000,
        startsAtMs: T0,
        endsAtMs: T0 + HOUR,
        pollIntervalSeconds: 3,
        segmentSeconds: 10,
        writeShards: 2,
      },
    ]);
  });

  it('lists every page of rooms', async () => {
    const rooms = Array.from({ length: 2 * ROOM_PAGE_SIZE + 5 }, (_, i) =>
      eventRoom(`room-${i}`, T0 + 10 * HOUR, T0 + 11 * HOUR),
    );
    const { deps, lister, planned } = world(rooms);

    await runScaler(deps, { reason: 'schedule' });

    expect(lister.queries).toEqual([
      { limit: ROOM_PAGE_SIZE },
      { limit: ROOM_PAGE_SIZE, cursor: String(ROOM_PAGE_SIZE) },
      { limit: ROOM_PAGE_SIZE, cursor: String(2 * ROOM_PAGE_SIZE) },
    ]);
    expect(planned[0]).toHaveLength(rooms.length);
  });

  it('converts the room schedule to epoch milliseconds', () => {
    const [planned] = plannedRooms([eventRoom('gig', T0, T0 + HOUR)]);
    expect(planned).toMatchObject({ startsAtMs: T0, endsAtMs: T0 + HOUR });
  });
});

describe('diffCapacity', () => {
  const target = (over: Partial<CapacityTarget>): CapacityTarget => ({ ...BASELINE_TARGET, ...over });
  const shards = (write: number, read = write) => ({ write, read });

  it('raises warm throughput to the larger of target and current in each dimension, and notes the rest', () => {
    const state = baselineState();
    const { changes, skipped } = diffCapacity(
      target({
        warmThroughput: {
          comments: { readUnitsPerSecond: 8_000, writeUnitsPerSecond: 6_000 },
          control: { readUnitsPerSecond: 12_000, writeUnitsPerSecond: 4_000 },
        },
      }),
      state,
      [],
    );

    expect(changes).toEqual([
      {
        kind: 'warm-throughput.raise',
        table: 'comments',
        from: state.warmThroughput.comments,
        to: { readUnitsPerSecond: 12_000, writeUnitsPerSecond: 6_000 },
      },
    ]);
    expect(skipped).toEqual([
      'comments table: warm throughput stays at 12000 read / 4000 write units/s (target 8000 read / 6000 write units/s); DynamoDB cannot lower it.',
    ]);
  });

  it('grows write shards and keeps every shard read; never shrinks them', () => {
    const { changes, skipped } = diffCapacity(
      target({ roomShards: { a: 4, b: 4, c: 2 } }),
      { ...baselineState(), stageThrottling: BASELINE_TARGET.stageThrottling },
      [
        { roomId: 'a', shards: shards(2, 8) },
        { roomId: 'b', shards: shards(4) },
        { roomId: 'c', shards: shards(6) },
      ],
    );

    expect(changes).toEqual([
      { kind: 'room-shards.grow', roomId: 'a', from: shards(2, 8), to: shards(4, 8) },
    ]);
    expect(skipped).toContain('room c: keeps 6 write shards (plan: 2); shards never shrink.');
  });

  it('grows to the most shards a room may have, and says the plan wanted more', () => {
    const { changes, skipped } = diffCapacity(
      target({ roomShards: { a: MAX_SHARDS + 10 } }),
      baselineState(),
      [{ roomId: 'a', shards: shards(8) }],
    );

    expect(changes).toEqual([
      { kind: 'room-shards.grow', roomId: 'a', from: shards(8), to: shards(MAX_SHARDS) },
    ]);
    expect(skipped).toContain(
      `room a: the plan wants ${MAX_SHARDS + 10} write shards; a room has at most ${MAX_SHARDS}.`,
    );
  });

  it('notes a planned room that no longer exists', () => {
    const { changes, skipped } = diffCapacity(target({ roomShards: { gone: 4 } }), baselineState(), []);

    expect(changes).toEqual([]);
    expect(skipped).toContain('room gone: the plan wants 4 write shards, but the room no longer exists.');
  });

  it('sets a stage throttle the stage does not have, and a changed route throttle', () => {
    const { changes } = diffCapacity(
      target({ routeThrottling: { [LIVE_ROUTE]: { rateLimit: 10, burstLimit: 5 } } }),
      {
        ...baselineState(),
        stageThrottling: null,
        routeThrottling: { [LIVE_ROUTE]: { rateLimit: 10, burstLimit: 4 } },
      },
      [],
    );

    expect(changes).toEqual([
      { kind: 'stage-throttle.set', from: null, to: BASELINE_TARGET.stageThrottling },
      {
        kind: 'route-throttle.set',
        route: LIVE_ROUTE,
        from: { rateLimit: 10, burstLimit: 4 },
        to: { rateLimit: 10, burstLimit: 5 },
      },
    ]);
  });

  it('sets provisioned concurrency up before the throttles and down after them', () => {
    const { changes } = diffCapacity(
      target({
        provisionedConcurrency: { postComment: 10, getLive: 2, getSegment: 0 },
        stageThrottling: { rateLimit: 2_000, burstLimit: 1_000 },
      }),
      { ...baselineState(), provisionedConcurrency: { postComment: 5, getLive: 3, getSegment: 1 } },
      [],
    );

    expect(changes).toEqual([
      { kind: 'provisioned-concurrency.set', function: 'postComment', from: 5, to: 10 },
      {
        kind: 'stage-throttle.set',
        from: BASELINE_TARGET.stageThrottling,
        to: { rateLimit: 2_000, burstLimit: 1_000 },
      },
      { kind: 'provisioned-concurrency.set', function: 'getLive', from: 3, to: 2 },
      { kind: 'provisioned-concurrency.remove', function: 'getSegment', from: 1 },
    ]);
  });
});

describe('parseScalerRequest', () => {
  it('accepts what schedules and the admin function send', () => {
    expect(parseScalerRequest({ reason: 'schedule', roomId: 'gig' })).toEqual({
      reason: 'schedule',
      roomId: 'gig',
    });
    const actor = { userId: 'u', displayName: 'U', roles: ['operator'] };
    expect(parseScalerRequest({ reason: 'manual', dryRun: true, actor })).toEqual({
      reason: 'manual',
      dryRun: true,
      actor,
    });
  });

  it.each([
    [{ reason: 'cron' }, 'reason'],
    [{}, 'reason'],
    [{ reason: 'manual', roomId: 'has space' }, 'roomId'],
    [{ reason: 'manual', dryRun: 'yes' }, 'dryRun'],
    [{ reason: 'manual', extra: 1 }, 'extra'],
    ['{"reason":"manual"}', '(request)'],
  ])('refuses %j, naming %s', (input, field) => {
    let error: unknown;
    try {
      parseScalerRequest(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as Error).message).toMatch(/^Invalid scaler request/);
    expect((error as Error).message).toContain(field);
  });
});
