import { logger } from '../../adapters/logger.js';
import { scalingWindow, syncRoomSchedules, type ScheduleSync } from '../../domain/capacity/schedules.js';
import type { Room } from '../../domain/rooms/room.js';
import { scheduleDeps, leadTimeMs, tailMs } from '../capacity-deps.js';
import { clock } from '../deps.js';

/**
 * After a room is created or changed, moves its scale-up and scale-down
 * schedules (ADR 0015). The room is already written: if the scheduler cannot
 * be reached, the answer still succeeds and says so, and saving the room's
 * size or schedule again retries.
 */
export type SchedulesOutcome = ScheduleSync | { readonly synced: false; readonly message: string };

/** Whether a change can move the room's capacity window or its size. */
export interface CapacityRelevance {
  readonly before?: Pick<Room, 'status' | 'expectedViewers' | 'schedule'>;
  /** The request named expected viewers, the schedule, the poll interval, or closed the room. */
  readonly touched: boolean;
}

export async function syncSchedules(
  room: Room,
  relevance: CapacityRelevance,
): Promise<SchedulesOutcome | undefined> {
  if (!relevance.touched) return undefined;
  const windows = { leadTimeMs, tailMs };
  // A room that wanted no capacity before and wants none now has no schedules to touch.
  if (!scalingWindow(room, windows) && !(relevance.before && scalingWindow(relevance.before, windows))) {
    return undefined;
  }
  try {
    return await syncRoomSchedules(scheduleDeps(), room, clock());
  } catch (error) {
    logger.error('room schedules could not be synchronised', { roomId: room.roomId, error: error as Error });
    return {
      synced: false,
      message: `The room was saved, but its capacity schedules could not be updated (${(error as Error).message}); save its size or schedule again to retry.`,
    };
  }
}
