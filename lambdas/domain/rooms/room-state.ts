import * as z from 'zod';
import { assertBanLength, withBan, withoutBan, type BanLength, type BanNote } from '../moderation/bans.js';
import { ConflictError, NotFoundError, UnprocessableError } from '../errors.js';
import { commentIdTime, newCommentId } from '../feed/ids.js';
import type { Clock } from '../clock.js';
import type { RoomReader, RoomWriter } from './ports.js';
import { pushEvent, type Published, type PushDeps } from '../realtime/push.js';
import {
  CommentStyleList,
  MAX_ROOM_BANS,
  publicSettings,
  RoomSettings,
  type Room,
  type RoomBan,
} from './room.js';

/**
 * Room state that viewers must converge on: bans and settings. Each change is
 * persisted in the room item (which `live` shows, and every function reads
 * through its short cache), then pushed as an event.
 */
export interface RoomStateDeps extends PushDeps {
  readonly rooms: RoomReader & RoomWriter;
  readonly clock: Clock;
}

/** A room's bans share its item (400 KB) with settings and purges: this much of it at most. */
export const MAX_ROOM_BANS_BYTES = 150_000;

/**
 * Bans a user from a room: permanently, for `length` seconds, or for the next
 * step of the timeout ladder (`'timeout'`). Expired bans are pruned on the
 * way (finished timeouts are remembered a while, for the ladder).
 */
export async function banUser(
  deps: RoomStateDeps,
  roomId: string,
  userId: string,
  length?: BanLength,
  note: BanNote = {},
): Promise<Published<{ userId: string } & RoomBan>> {
  const id = newCommentId(deps.clock());
  const nowMs = commentIdTime(id);
  // Checked before the store is touched, so a bad duration writes nothing.
  assertBanLength(length);
  let ban: RoomBan | undefined;
  const bans = await deps.rooms.updateBans(roomId, (current) => {
    const result = withBan(current, userId, length, note, nowMs, {
      maxEntries: MAX_ROOM_BANS,
      maxBytes: MAX_ROOM_BANS_BYTES,
    });
    ban = result.ban;
    return result.bans;
  });
  if (!bans || !ban) throw roomNotFound(roomId);
  const pushed = await pushEvent(deps, id, roomId, 'USER_BANNED', {
    userId,
    scope: 'room',
    ...(ban.until ? { until: ban.until } : {}),
  });
  return { value: { userId, ...ban }, pushed };
}

/** Lifts a user's ban. Lifting a ban that is not in force changes nothing and pushes nothing. */
export async function unbanUser(
  deps: RoomStateDeps,
  roomId: string,
  userId: string,
): Promise<Published<boolean>> {
  let lifted = false;
  const nowMs = deps.clock();
  const bans = await deps.rooms.updateBans(roomId, (current) => {
    const result = withoutBan(current, userId, nowMs);
    lifted = result.lifted;
    return result.bans;
  });
  if (!bans) throw roomNotFound(roomId);
  if (!lifted) return { value: false, pushed: false };
  const pushed = await pushEvent(deps, newCommentId(deps.clock()), roomId, 'USER_UNBANNED', {
    userId,
    scope: 'room',
  });
  return { value: true, pushed };
}

/**
 * The settings a change may touch: all but the segment length, which is fixed
 * at creation. No defaults: a field left out keeps its value (`.partial()` of
 * RoomSettings would fill it with the default instead).
 */
const { shape: settingsShape } = RoomSettings;
/** The field's schema without its default, optional. */
const leftOutKeeps = <T extends { def: { innerType: z.core.SomeType } }>(field: T) =>
  z.optional(field.def.innerType as T['def']['innerType']);
export const SettingsChange = z.strictObject({
  slowModeSeconds: leftOutKeeps(settingsShape.slowModeSeconds),
  maxCommentLength: leftOutKeeps(settingsShape.maxCommentLength),
  pollIntervalSeconds: leftOutKeeps(settingsShape.pollIntervalSeconds),
  ngWords: leftOutKeeps(settingsShape.ngWords),
  enabled: leftOutKeeps(settingsShape.enabled),
  postingAllowed: leftOutKeeps(settingsShape.postingAllowed),
  // Checked strictly here (palette ids, once each), unlike the stored list (room.ts).
  commentStyles: z.optional(CommentStyleList),
});
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
