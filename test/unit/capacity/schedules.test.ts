import { describe, expect, it } from 'vitest';
import type { ScalerRequest, ScheduleStore } from '../../../lambdas/domain/capacity/ports.js';
import {
  MAX_SCHEDULE_NAME_LENGTH,
  scheduleName,
  syncRoomSchedules,
  type ScheduleDeps,
} from '../../../lambdas/domain/capacity/schedules.js';
import { createRoom, type Room } from '../../../lambdas/domain/rooms/room.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const LEAD = 30 * MIN;
const TAIL = 15 * MIN;
const NOW = Date.UTC(2030, 0, 1, 12);

/** EventBridge Scheduler's behaviour: names are unique, a put of an existing name moves it. */
class FakeSchedules implements ScheduleStore {
  readonly schedules = new Map<string, { atMs: number; request: ScalerRequest }>();
  readonly ops: string[] = [];

  async put(name: string, atMs: number, request: ScalerRequest) {
    this.ops.push(`put ${name}`);
    const existed = this.schedules.has(name);
    this.schedules.set(name, { atMs, request });
    return existed ? ('updated' as const) : ('created' as const);
  }

  async delete(name: string) {
    this.ops.push(`delete ${name}`);
    return this.schedules.delete(name);
  }

  /** What Scheduler does when a schedule's time comes: it runs, then deletes itself. */
  fire(name: string) {
    this.schedules.delete(name);
  }
}

function setup() {
  const schedules = new FakeSchedules();
  const runs: ScalerRequest[] = [];
  const deps: ScheduleDeps = {
    schedules,
    scaler: { runSoon: async (request) => void runs.push(request) },
    leadTimeMs: LEAD,
    tailMs: TAIL,
  };
  return { deps, schedules, runs };
}

function room(
  startsAtMs: number | undefined,
  endsAtMs: number | undefined,
  overrides: { roomId?: string; expectedViewers?: number; status?: Room['status'] } = {},
): Room {
  const created = createRoom(
    {
      roomId: overrides.roomId ?? 'gig',
      title: 'Gig',
      expectedViewers: overrides.expectedViewers ?? 10_000,
      schedule: {
        ...(startsAtMs !== undefined ? { startsAt: new Date(startsAtMs).toISOString() } : {}),
        ...(endsAtMs !== undefined ? { endsAt: new Date(endsAtMs).toISOString() } : {}),
      },
    },
    new Date(NOW - HOUR),
  );
  return overrides.status ? { ...created, status: overrides.status } : created;
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('syncRoomSchedules', () => {
  it('schedules a scale-up a lead time before the event and a scale-down a tail after it', async () => {
    const { deps, schedules, runs } = setup();

    const sync = await syncRoomSchedules(deps, room(NOW + 2 * HOUR, NOW + 4 * HOUR), NOW);

    expect(sync).toEqual({
      roomId: 'gig',
      created: [
        { name: 'scale-up-gig', at: iso(NOW + 2 * HOUR - LEAD) },
        { name: 'scale-down-gig', at: iso(NOW + 4 * HOUR + TAIL) },
      ],
      updated: [],
      deleted: [],
      ranNow: false,
    });
    expect(schedules.schedules.get('scale-up-gig')).toEqual({
      atMs: NOW + 2 * HOUR - LEAD,
      request: { reason: 'schedule', roomId: 'gig' },
    });
    expect(schedules.schedules.get('scale-down-gig')!.request).toEqual({ reason: 'schedule', roomId: 'gig' });
    expect(runs).toEqual([]);
  });

  it('moves both schedules when the event moves, keeping their names', async () => {
    const { deps, schedules, runs } = setup();
    await syncRoomSchedules(deps, room(NOW + 2 * HOUR, NOW + 4 * HOUR), NOW);

    const sync = await syncRoomSchedules(deps, room(NOW + 3 * HOUR, NOW + 6 * HOUR), NOW);

    expect(sync.created).toEqual([]);
    expect(sync.updated).toEqual([
      { name: 'scale-up-gig', at: iso(NOW + 3 * HOUR - LEAD) },
      { name: 'scale-down-gig', at: iso(NOW + 6 * HOUR + TAIL) },
    ]);
    expect([...schedules.schedules.keys()].sort()).toEqual(['scale-down-gig', 'scale-up-gig']);
    expect(schedules.schedules.get('scale-down-gig')!.atMs).toBe(NOW + 6 * HOUR + TAIL);
    expect(runs).toEqual([]);
  });

  it.each([
    ['closed', room(NOW + 2 * HOUR, NOW + 4 * HOUR, { status: 'closed' })],
    ['expects no viewers', room(NOW + 2 * HOUR, NOW + 4 * HOUR, { expectedViewers: 0 })],
    ['lost its end', room(NOW + 2 * HOUR, undefined)],
  ])(
    'deletes both schedules when the room is %s, and runs the scaler to release what it holds',
    async (_, changed) => {
      const { deps, schedules, runs } = setup();
      await syncRoomSchedules(deps, room(NOW + 2 * HOUR, NOW + 4 * HOUR), NOW);

      const sync = await syncRoomSchedules(deps, changed, NOW);

      expect(sync.deleted).toEqual(['scale-up-gig', 'scale-down-gig']);
      expect(schedules.schedules.size).toBe(0);
      expect(sync.ranNow).toBe(true);
      expect(runs).toEqual([{ reason: 'room-changed', roomId: 'gig' }]);
    },
  );

  it('finds nothing to delete for a room that never had schedules, and does not run the scaler', async () => {
    const { deps, schedules, runs } = setup();

    const sync = await syncRoomSchedules(deps, room(undefined, undefined), NOW);

    expect(sync).toMatchObject({ created: [], updated: [], deleted: [], ranNow: false });
    expect(schedules.ops).toEqual(['delete scale-up-gig', 'delete scale-down-gig']);
    expect(runs).toEqual([]);
  });

  it('runs the scaler now instead of scheduling in the past when the event starts within the lead time', async () => {
    const { deps, schedules, runs } = setup();

    const sync = await syncRoomSchedules(deps, room(NOW + 10 * MIN, NOW + HOUR), NOW);

    expect(sync.created).toEqual([{ name: 'scale-down-gig', at: iso(NOW + HOUR + TAIL) }]);
    expect(schedules.schedules.has('scale-up-gig')).toBe(false);
    expect(sync.ranNow).toBe(true);
    expect(runs).toEqual([{ reason: 'room-changed', roomId: 'gig' }]);
  });

  it('runs the scaler now and moves the scale-down when the room changes during its event', async () => {
    const { deps, schedules, runs } = setup();
    await syncRoomSchedules(deps, room(NOW + HOUR, NOW + 3 * HOUR), NOW);
    schedules.fire('scale-up-gig');

    const sync = await syncRoomSchedules(deps, room(NOW + HOUR, NOW + 5 * HOUR), NOW + 2 * HOUR);

    expect(sync.updated).toEqual([{ name: 'scale-down-gig', at: iso(NOW + 5 * HOUR + TAIL) }]);
    expect(sync.created).toEqual([]);
    expect(runs).toEqual([{ reason: 'room-changed', roomId: 'gig' }]);
  });

  it('deletes both schedules and runs now when the scale-down time has passed too', async () => {
    const { deps, schedules, runs } = setup();
    await syncRoomSchedules(deps, room(NOW + HOUR, NOW + 2 * HOUR), NOW);

    const sync = await syncRoomSchedules(deps, room(NOW - 3 * HOUR, NOW - HOUR), NOW);

    expect(sync.deleted).toEqual(['scale-up-gig', 'scale-down-gig']);
    expect(sync.created).toEqual([]);
    expect(schedules.schedules.size).toBe(0);
    expect(runs).toEqual([{ reason: 'room-changed', roomId: 'gig' }]);
  });

  it('runs now when the scale-up already fired and the event moved later (capacity is held early)', async () => {
    const { deps, schedules, runs } = setup();
    await syncRoomSchedules(deps, room(NOW + 20 * MIN + LEAD, NOW + 2 * HOUR), NOW);
    schedules.fire('scale-up-gig');

    const sync = await syncRoomSchedules(deps, room(NOW + 5 * HOUR, NOW + 6 * HOUR), NOW + 30 * MIN);

    expect(sync.created).toEqual([{ name: 'scale-up-gig', at: iso(NOW + 5 * HOUR - LEAD) }]);
    expect(sync.updated).toEqual([{ name: 'scale-down-gig', at: iso(NOW + 6 * HOUR + TAIL) }]);
    expect(sync.ranNow).toBe(true);
    expect(runs).toHaveLength(1);
  });

  it('treats a scale-up time exactly now as past', async () => {
    const { deps, schedules } = setup();

    await syncRoomSchedules(deps, room(NOW + LEAD, NOW + HOUR), NOW);

    expect(schedules.schedules.has('scale-up-gig')).toBe(false);
  });
});

describe('scheduleName', () => {
  const valid = /^[0-9a-zA-Z_.-]{1,64}$/;

  it('is the kind and the room id when that fits', () => {
    expect(scheduleName('scale-up', 'gig')).toBe('scale-up-gig');
    expect(scheduleName('scale-down', 'gig')).toBe('scale-down-gig');
  });

  it('fits EventBridge Scheduler for the longest room ids, distinct per kind and per room, and stable', () => {
    const a = 'a'.repeat(50) + 'X'.repeat(14);
    const b = 'a'.repeat(50) + 'Y'.repeat(14);
    const names = [
      scheduleName('scale-up', a),
      scheduleName('scale-down', a),
      scheduleName('scale-up', b),
      scheduleName('scale-down', b),
    ];

    for (const name of names) {
      expect(name).toMatch(valid);
      expect(name.length).toBeLessThanOrEqual(MAX_SCHEDULE_NAME_LENGTH);
    }
    expect(new Set(names).size).toBe(4);
    expect(scheduleName('scale-up', a)).toBe(names[0]);
    expect(names[0]).toMatch(/^scale-up-a+\.[0-9a-f]{16}$/);
  });

  it('keeps the plain form up to exactly 64 characters and shortens from 65', () => {
    const fits = 'r'.repeat(MAX_SCHEDULE_NAME_LENGTH - 'scale-up-'.length);
    expect(scheduleName('scale-up', fits)).toBe(`scale-up-${fits}`);
    expect(scheduleName('scale-up', `${fits}s`)).toContain('.');
    expect(scheduleName('scale-up', `${fits}s`)).toHaveLength(MAX_SCHEDULE_NAME_LENGTH);
  });

  it('never gives a shortened name that a plain room id could give (room ids have no dot)', () => {
    const long = 'z'.repeat(64);
    expect(scheduleName('scale-down', long)).toMatch(/\./);
    expect(scheduleName('scale-down', 'z'.repeat(10))).not.toMatch(/\./);
  });
});
