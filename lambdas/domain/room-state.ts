import type { z } from 'zod';
import { ConflictError, NotFoundError, UnprocessableError } from './errors.js';
import { commentIdTime, newCommentId } from './ids.js';
import type { Clock, RoomReader, RoomWriter } from './ports.js';
import { pushEvent, type Published, type PushDeps } from './push.js';
import { MAX_ROOM_BANS, publicSettings, RoomSettings, type Room } from './room.js';

/**
 * Room state that viewers must converge on: bans and settings. Each change is
 * persisted in the room item (which `live` shows, and every function reads
 * through its short cache), then pushed as an event.
 */
export interface RoomStateDeps extends PushDeps {
  readonly rooms: RoomReader & RoomWriter;
  readonly clock: Clock;
}

/** Bans a user from a room, permanently or for `seconds`; expired bans are pruned on the way. */
export async function banUser(
  deps: RoomStateDeps,
  roomId: string,
  userId: string,
  seconds?: number,
): Promise<Published<{ userId: string; until?: string }>> {
  if (seconds !== undefined && !(Number.isInteger(seconds) && seconds > 0 && seconds <= 365 * 86_400)) {
    throw new UnprocessableError(
      'invalid_duration',
      'A ban lasts a whole number of seconds, at most a year.',
    );
  }
  const id = newCommentId(deps.clock());
  const nowMs = commentIdTime(id);
  const until = seconds === undefined ? undefined : new Date(nowMs + seconds * 1000).toISOString();
  const bans = await deps.rooms.updateBans(roomId, (current) => {
    const kept = Object.fromEntries(
      Object.entries(current).filter(([, ban]) => ban.until === undefined || Date.parse(ban.until) > nowMs),
    );
    if (!(userId in kept) && Object.keys(kept).length >= MAX_ROOM_BANS) {
      throw new ConflictError(
        'too_many_bans',
        `A room keeps at most ${MAX_ROOM_BANS} bans; lift some first.`,
      );
    }
    return { ...kept, [userId]: { bannedAt: new Date(nowMs).toISOString(), ...(until ? { until } : {}) } };
  });
  if (!bans) throw roomNotFound(roomId);
  const pushed = await pushEvent(deps, id, roomId, 'USER_BANNED', {
    userId,
    scope: 'room',
    ...(until ? { until } : {}),
  });
  return { value: { userId, ...(until ? { until } : {}) }, pushed };
}

/** Lifts a user's ban. Lifting a ban that is not there changes nothing and pushes nothing. */
export async function unbanUser(
  deps: RoomStateDeps,
  roomId: string,
  userId: string,
): Promise<Published<boolean>> {
  let existed = false;
  const bans = await deps.rooms.updateBans(roomId, (current) => {
    existed = userId in current;
    const { [userId]: _lifted, ...rest } = current;
    return rest;
  });
  if (!bans) throw roomNotFound(roomId);
  if (!existed) return { value: false, pushed: false };
  const pushed = await pushEvent(deps, newCommentId(deps.clock()), roomId, 'USER_UNBANNED', {
    userId,
    scope: 'room',
  });
  return { value: true, pushed };
}

/** The settings a change may touch: all but the segment length, which is fixed at creation. */
export const SettingsChange = RoomSettings.omit({ segmentSeconds: true }).partial().strict();
export type SettingsChange = z.infer<typeof SettingsChange>;

/**
 * Changes settings with optimistic concurrency: the caller names the version
 * it read; if the room moved on, 409 and nothing changes.
 */
export async function changeSettings(
  deps: RoomStateDeps,
  roomId: string,
  change: SettingsChange,
  expectedVersion: number,
): Promise<Published<Room>> {
  const parsed = SettingsChange.safeParse(change);
  if (!parsed.success) {
    throw new UnprocessableError(
      'invalid_settings',
      parsed.error.issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`).join('; '),
    );
  }
  const room = await deps.rooms.get(roomId);
  if (!room) throw roomNotFound(roomId);
  const id = newCommentId(deps.clock());
  const result = await deps.rooms.updateSettings(
    roomId,
    RoomSettings.parse({ ...room.settings, ...parsed.data }),
    expectedVersion,
    new Date(commentIdTime(id)).toISOString(),
  );
  if (result === 'not-found') throw roomNotFound(roomId);
  if (result === 'stale') {
    throw new ConflictError(
      'stale_version',
      `Room ${roomId} changed since version ${expectedVersion}; read it again.`,
    );
  }
  const pushed = await pushEvent(deps, id, roomId, 'SETTINGS_CHANGED', {
    settings: publicSettings(result.settings),
    version: result.version,
  });
  return { value: result, pushed };
}

const roomNotFound = (roomId: string) =>
  new NotFoundError('room_not_found', `Room ${roomId} does not exist.`);
