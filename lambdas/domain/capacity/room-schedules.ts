import type { Principal } from '../access/roles.js';
import type { Clock } from '../clock.js';
import {
  closeAdminRoom,
  createAdminRoom,
  updateAdminRoom,
  type CreateRoomRequest,
  type RoomAdminDeps,
  type RoomChange,
  type UpdateRoomRequest,
} from '../rooms/room-admin.js';
import type { Room } from '../rooms/room.js';
import { scalingWindow, syncRoomSchedules, type ScheduleDeps, type ScheduleSync } from './schedules.js';

/**
 * A room's create, update and close in the admin API, each followed by moving
 * the room's scale-up and scale-down schedules when the change can move its
 * capacity (ADR 0015). The room is written first: if the scheduler cannot be
 * reached, the answer still succeeds and says so, and saving the room's size
 * or schedule again retries.
 */
export interface RoomScheduleDeps extends ScheduleDeps {
  readonly clock: Clock;
  /** Told when the schedules could not be moved (the answer says so too). */
  readonly onScheduleSyncFailed?: (roomId: string, error: unknown) => void;
}

export type SchedulesOutcome = ScheduleSync | { readonly synced: false; readonly message: string };

/** What a change leaves behind, and whether the schedules were moved (absent: nothing to move). */
export interface ScheduledChange<T> {
  readonly value: T;
  readonly schedules?: SchedulesOutcome;
}

/** Whether an update names what sizes or times the room's capacity: viewers, schedule, poll interval. */
export function changesCapacity(
  request: Pick<UpdateRoomRequest, 'expectedViewers' | 'schedule' | 'settings'>,
): boolean {
  return (
    request.expectedViewers !== undefined ||
    request.schedule !== undefined ||
    request.settings?.pollIntervalSeconds !== undefined
  );
}

export async function createRoomWithSchedules(
  deps: RoomAdminDeps & RoomScheduleDeps,
  principal: Principal,
  request: CreateRoomRequest,
): Promise<ScheduledChange<Room>> {
  const room = await createAdminRoom(deps, principal, request);
  return withSchedules(room, await syncAfterChange(deps, room));
}

export async function updateRoomWithSchedules(
  deps: RoomAdminDeps & RoomScheduleDeps,
  principal: Principal,
  roomId: string,
  request: UpdateRoomRequest,
): Promise<ScheduledChange<RoomChange>> {
  const change = await updateAdminRoom(deps, principal, roomId, request);
  if (!changesCapacity(request)) return { value: change };
  return withSchedules(change, await syncAfterChange(deps, change.value, change.previous));
}

/** A repeated close changed nothing, so it moves nothing. */
export async function closeRoomWithSchedules(
  deps: RoomAdminDeps & RoomScheduleDeps,
  principal: Principal,
  roomId: string,
  version: number,
): Promise<ScheduledChange<RoomChange>> {
  const change = await closeAdminRoom(deps, principal, roomId, version);
  if (!change.changed) return { value: change };
  return withSchedules(change, await syncAfterChange(deps, change.value, change.previous));
}

const withSchedules = <T>(value: T, schedules: SchedulesOutcome | undefined): ScheduledChange<T> => ({
  value,
  ...(schedules ? { schedules } : {}),
});

/** A room that wanted no capacity before and wants none now has no schedules to touch. */
async function syncAfterChange(
  deps: RoomScheduleDeps,
  room: Room,
  before?: Room,
): Promise<SchedulesOutcome | undefined> {
  if (!scalingWindow(room, deps) && !(before && scalingWindow(before, deps))) return undefined;
  try {
    return await syncRoomSchedules(deps, room, deps.clock());
  } catch (error) {
    deps.onScheduleSyncFailed?.(room.roomId, error);
    return {
      synced: false,
      message: `The room was saved, but its capacity schedules could not be updated (${(error as Error).message}); save its size or schedule again to retry.`,
    };
  }
}
