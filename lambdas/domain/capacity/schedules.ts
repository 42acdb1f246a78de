import { createHash } from 'node:crypto';
import type { Room } from '../rooms/room.js';
import type { ScalerInvoker, ScalerRequest, ScheduleStore } from './ports.js';

/**
 * Each sized, scheduled room has two one-time schedules that fire the scaler:
 * one `leadTimeMs` before the event starts, one `tailMs` after it ends
 * (ADR 0015). The scaler plans every room each time it runs, so a schedule
 * only says *when* to run; overlapping events need nothing special here.
 */

export type ScheduleKind = 'scale-up' | 'scale-down';

export interface ScheduleDeps {
  readonly schedules: ScheduleStore;
  readonly scaler: Pick<ScalerInvoker, 'runSoon'>;
  /** How long before an event the capacity must be in place (plan.ts uses the same). */
  readonly leadTimeMs: number;
  /** How long after an event the capacity is kept. */
  readonly tailMs: number;
}

export interface ScheduleSync {
  readonly roomId: string;
  readonly created: readonly { readonly name: string; readonly at: string }[];
  readonly updated: readonly { readonly name: string; readonly at: string }[];
  /** Schedules that existed and were deleted (a missing one is not listed). */
  readonly deleted: readonly string[];
  /** Whether the scaler was asked to run now instead of at a schedule. */
  readonly ranNow: boolean;
}

/** EventBridge Scheduler: a name is 1–64 of [0-9a-zA-Z-_.]. */
export const MAX_SCHEDULE_NAME_LENGTH = 64;
/** Hex digits of the room id's SHA-256 kept in a shortened name: 64 bits, no collision in practice. */
const NAME_HASH_HEX_DIGITS = 16;

/**
 * The schedule's name: `<kind>-<roomId>`, or, when that is too long,
 * `<kind>-<start of roomId>.<hash of roomId>`. Room ids have no `.`, so a
 * shortened name can never equal another room's plain one.
 */
export function scheduleName(kind: ScheduleKind, roomId: string): string {
  const plain = `${kind}-${roomId}`;
  if (plain.length <= MAX_SCHEDULE_NAME_LENGTH) return plain;
  const hash = createHash('sha256').update(roomId).digest('hex').slice(0, NAME_HASH_HEX_DIGITS);
  const keep = MAX_SCHEDULE_NAME_LENGTH - kind.length - 2 - NAME_HASH_HEX_DIGITS;
  return `${kind}-${roomId.slice(0, keep)}.${hash}`;
}

/**
 * What a room lacks before the scaler plans for it: open, sized, with both
 * ends of its schedule set. Empty when it wants capacity. The one rule the
 * schedules, the scaler and the console's capacity view share.
 */
export function capacityGaps(room: Pick<Room, 'status' | 'expectedViewers' | 'schedule'>): string[] {
  return [
    ...(room.status !== 'open' ? ['an open room'] : []),
    ...(room.expectedViewers <= 0 ? ['expectedViewers'] : []),
    ...(room.schedule.startsAt ? [] : ['schedule.startsAt']),
    ...(room.schedule.endsAt ? [] : ['schedule.endsAt']),
  ];
}

/** The room's event window for the scaler, or undefined when the room wants no capacity. */
export function scalingWindow(
  room: Pick<Room, 'status' | 'expectedViewers' | 'schedule'>,
  options: { readonly leadTimeMs: number; readonly tailMs: number },
): { readonly upAtMs: number; readonly downAtMs: number } | undefined {
  const { startsAt, endsAt } = room.schedule;
  if (capacityGaps(room).length > 0 || !startsAt || !endsAt) return undefined;
  return { upAtMs: Date.parse(startsAt) - options.leadTimeMs, downAtMs: Date.parse(endsAt) + options.tailMs };
}

/**
 * Makes the room's schedules match the room (after it was created, changed or
 * closed). Schedules are never put in the past: when the scale-up time has
 * passed the scaler runs now instead, and when the scale-down time has passed
 * too, both schedules go and the scaler runs now. It also runs now when a room
 * that may hold capacity stops wanting it (its scale-down schedule existed),
 * or when its scale-up already fired and the event moved later: the scaler
 * diffs, so a run with nothing to do makes no call.
 */
export async function syncRoomSchedules(
  deps: ScheduleDeps,
  room: Room,
  nowMs: number,
): Promise<ScheduleSync> {
  const up = scheduleName('scale-up', room.roomId);
  const down = scheduleName('scale-down', room.roomId);
  const request: ScalerRequest = { reason: 'schedule', roomId: room.roomId };
  const created: { name: string; at: string }[] = [];
  const updated: { name: string; at: string }[] = [];
  const deleted: string[] = [];

  const put = async (name: string, atMs: number) => {
    const outcome = await deps.schedules.put(name, atMs, request);
    (outcome === 'created' ? created : updated).push({ name, at: new Date(atMs).toISOString() });
    return outcome;
  };
  const remove = async (name: string) => {
    const existed = await deps.schedules.delete(name);
    if (existed) deleted.push(name);
    return existed;
  };

  const window = scalingWindow(room, deps);
  let runNow: boolean;
  if (!window) {
    await remove(up);
    runNow = await remove(down);
  } else if (window.downAtMs <= nowMs) {
    await remove(up);
    await remove(down);
    runNow = true;
  } else if (window.upAtMs <= nowMs) {
    await remove(up);
    await put(down, window.downAtMs);
    runNow = true;
  } else {
    const upOutcome = await put(up, window.upAtMs);
    const downOutcome = await put(down, window.downAtMs);
    // The scale-up had fired (it deletes itself) and the event moved later: release the capacity now.
    runNow = upOutcome === 'created' && downOutcome === 'updated';
  }

  if (runNow) await deps.scaler.runSoon({ reason: 'room-changed', roomId: room.roomId });
  return { roomId: room.roomId, created, updated, deleted, ranNow: runNow };
}
