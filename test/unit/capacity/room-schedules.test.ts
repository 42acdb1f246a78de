import { describe, expect, it, vi } from 'vitest';
import type { Principal } from '../../../lambdas/domain/access/roles.js';
import type { ScalerRequest, ScheduleStore } from '../../../lambdas/domain/capacity/ports.js';
import {
  changesCapacity,
  closeRoomWithSchedules,
  createRoomWithSchedules,
  updateRoomWithSchedules,
  type RoomScheduleDeps,
} from '../../../lambdas/domain/capacity/room-schedules.js';
import type { RoomLister, RoomPatch, RoomUpdater } from '../../../lambdas/domain/rooms/ports.js';
import type { RoomAdminDeps, UpdateRoomRequest } from '../../../lambdas/domain/rooms/room-admin.js';
import { createRoom } from '../../../lambdas/domain/rooms/room.js';
import { InMemoryRooms } from '../fakes.js';

const operator: Principal = {
  userId: 'op-1',
  displayName: 'Olga',
  roles: new Set(['operator']),
  channels: new Set(),
};
const NOW = Date.UTC(2030, 0, 1, 12);
const MIN = 60_000;
const START = '2030-01-03T10:00:00.000Z';
const END = '2030-01-03T12:00:00.000Z';

class AdminRooms extends InMemoryRooms implements RoomUpdater, RoomLister {
  async update(roomId: string, patch: RoomPatch, expectedVersion: number, updatedAt: string) {
    const room = await this.get(roomId);
    if (!room) return 'not-found' as const;
    if (room.version !== expectedVersion) return 'stale' as const;
    const updated = { ...room, ...patch, version: room.version + 1, updatedAt };
    this.put(updated);
    return updated;
  }
  async list() {
    return { rooms: [] };
  }
}

function setup(schedules: ScheduleStore = recordingSchedules()) {
  const rooms = new AdminRooms();
  const failed = vi.fn();
  const runSoon = vi.fn(async (_: ScalerRequest) => undefined);
  const deps: RoomAdminDeps & RoomScheduleDeps = {
    rooms,
    clock: () => NOW,
    publisher: { publish: async () => undefined },
    schedules,
    scaler: { runSoon },
    leadTimeMs: 30 * MIN,
    tailMs: 15 * MIN,
    onScheduleSyncFailed: failed,
  };
  return { deps, rooms, failed, schedules };
}

function recordingSchedules() {
  const names = new Set<string>();
  const ops: string[] = [];
  return {
    ops,
    async put(name: string) {
      ops.push(`put ${name}`);
      const existed = names.has(name);
      names.add(name);
      return existed ? ('updated' as const) : ('created' as const);
    },
    async delete(name: string) {
      ops.push(`delete ${name}`);
      return names.delete(name);
    },
  };
}

describe('what makes a room change capacity-relevant', () => {
  it.each([
    ['expected viewers', { version: 1, expectedViewers: 10 }, true],
    ['the schedule', { version: 1, schedule: { startsAt: START } }, true],
    ['the poll interval', { version: 1, settings: { pollIntervalSeconds: 5 } }, true],
    ['the title', { version: 1, title: 'New' }, false],
    ['slow mode', { version: 1, settings: { slowModeSeconds: 5 } }, false],
  ])('%s: %s', (_, request, relevant) => {
    expect(changesCapacity(request as UpdateRoomRequest)).toBe(relevant);
  });
});

describe('room changes and their schedules', () => {
  it('schedules a sized, scheduled room on creation', async () => {
    const { deps, schedules } = setup();

    const { value: room, schedules: outcome } = await createRoomWithSchedules(deps, operator, {
      roomId: 'gig',
      channelId: 'ch-1',
      title: 'Gig',
      expectedViewers: 20_000,
      schedule: { startsAt: START, endsAt: END },
    });

    expect(room.roomId).toBe('gig');
    expect(outcome).toMatchObject({ roomId: 'gig', ranNow: false });
    expect((schedules as ReturnType<typeof recordingSchedules>).ops).toEqual([
      'put scale-up-gig',
      'put scale-down-gig',
    ]);
  });

  it('touches no schedule for a room that wants no capacity before or after', async () => {
    const { deps, schedules } = setup();

    const created = await createRoomWithSchedules(deps, operator, {
      roomId: 'chat',
      channelId: 'ch-1',
      title: 'Chat',
    });
    const updated = await updateRoomWithSchedules(deps, operator, 'chat', { version: 1, expectedViewers: 0 });

    expect(created).not.toHaveProperty('schedules');
    expect(updated).not.toHaveProperty('schedules');
    expect((schedules as ReturnType<typeof recordingSchedules>).ops).toEqual([]);
  });

  it('leaves the schedules alone when the change cannot move them', async () => {
    const { deps, rooms, schedules } = setup();
    rooms.put({
      ...createRoom(
        { roomId: 'gig', title: 'Gig', channelId: 'ch-1', expectedViewers: 20_000 },
        new Date(NOW),
      ),
      schedule: { startsAt: START, endsAt: END },
    });

    const { value: change, schedules: outcome } = await updateRoomWithSchedules(deps, operator, 'gig', {
      version: 1,
      title: 'Renamed',
    });

    expect(change.value.title).toBe('Renamed');
    expect(outcome).toBeUndefined();
    expect((schedules as ReturnType<typeof recordingSchedules>).ops).toEqual([]);
  });

  it('moves nothing for a repeated close', async () => {
    const { deps, rooms, schedules } = setup();
    rooms.put({
      ...createRoom(
        { roomId: 'gig', title: 'Gig', channelId: 'ch-1', expectedViewers: 20_000 },
        new Date(NOW),
      ),
      schedule: { startsAt: START, endsAt: END },
      status: 'closed',
    });

    const { value: change, schedules: outcome } = await closeRoomWithSchedules(deps, operator, 'gig', 1);

    expect(change.changed).toBe(false);
    expect(outcome).toBeUndefined();
    expect((schedules as ReturnType<typeof recordingSchedules>).ops).toEqual([]);
  });

  it('keeps the saved room and says so when the scheduler cannot be reached', async () => {
    const unreachable: ScheduleStore = {
      put: async () => {
        throw new Error('Scheduler throttled');
      },
      delete: async () => false,
    };
    const { deps, rooms, failed } = setup(unreachable);

    const { value: room, schedules: outcome } = await createRoomWithSchedules(deps, operator, {
      roomId: 'gig',
      channelId: 'ch-1',
      title: 'Gig',
      expectedViewers: 20_000,
      schedule: { startsAt: START, endsAt: END },
    });

    expect(await rooms.get('gig')).toEqual(room);
    expect(outcome).toEqual({ synced: false, message: expect.stringContaining('Scheduler throttled') });
    expect(failed).toHaveBeenCalledWith('gig', expect.any(Error));
  });
});
