import type { Room } from '../rooms/room.js';

/**
 * Offsets from an event's start (ADR 0040), in niconico's unit `vpos`: hundredths of a second,
 * an integer. Computed when the feed is presented, never stored, so correcting a room's start
 * re-times every replay of it.
 */

/** Where an event's offsets count from: its scheduled start, or when the room was created. */
export function eventStartMs(room: Pick<Room, 'schedule' | 'createdAt'>): number {
  return Date.parse(room.schedule.startsAt ?? room.createdAt);
}

/**
 * An item's offset from the start, in hundredths of a second, rounded down (an item shows at the
 * hundredth it was posted in). Negative for chat before the start.
 */
export function vposOf(createdAt: string, startMs: number): number {
  return Math.floor((Date.parse(createdAt) - startMs) / 10);
}
