/**
 * What the capacity plan accepts. Absurd input is refused with a message
 * naming the room and the field — a plan built on a typo would provision
 * (and bill) the wrong capacity, so nothing is clamped.
 */
import * as z from 'zod';
import { UnprocessableError } from '../errors.js';
import { RoomId } from '../rooms/room.js';
import { MAX_SHARDS } from '../feed/shards.js';
import { DEFAULT_LIVE_COMMENT_LIMIT, MAX_LIVE_COMMENT_LIMIT } from '../feed/ticks.js';
import { AssumptionOverrides, DEFAULT_ASSUMPTIONS, type AssumptionValues } from './assumptions.js';
import type { PlannedRoom } from './target.js';

export const INVALID_CAPACITY_INPUT = 'invalid_capacity_input';

/** The most viewers a room may expect: the bound of `Room.expectedViewers` (room.ts). */
export const MAX_PLANNED_VIEWERS = 10_000_000;

/** Lead and tail beyond a week are a unit mistake (seconds for milliseconds), not a plan. */
export const MAX_LEAD_OR_TAIL_MS = 7 * 24 * 3600 * 1000;

/**
 * An assumption: an event longer than a month is a mistake in its schedule.
 * Rooms that run for longer are planned as a series of events.
 */
export const MAX_EVENT_MS = 31 * 24 * 3600 * 1000;

export interface PlanOptions {
  /** Capacity is in force from `startsAtMs − leadTimeMs` … */
  readonly leadTimeMs: number;
  /** … until `endsAtMs + tailMs`. */
  readonly tailMs: number;
  /** Overrides of DEFAULT_ASSUMPTIONS; each must lie in its entry's range (assumptions.ts). */
  readonly assumptions?: Partial<AssumptionValues>;
  /** The read functions' `LIVE_COMMENT_LIMIT` (default DEFAULT_LIVE_COMMENT_LIMIT): most items in one `live` document. */
  readonly liveCommentLimit?: number;
}

/** A whole number in a range; one message for every way of missing it (type, fraction, range). */
const between = (min: number, max: number, unit: string) => {
  const message = `must be a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')} ${unit}`;
  return z.number({ error: message }).int(message).min(min, message).max(max, message);
};

const time = z
  .number({ error: 'must be a time in milliseconds since the Unix epoch' })
  .int('must be a time in whole milliseconds since the Unix epoch')
  .min(0, 'must be a time in milliseconds since the Unix epoch')
  .max(Number.MAX_SAFE_INTEGER, 'must be a time in milliseconds since the Unix epoch');

const PlannedRoomInput = z
  .object({
    roomId: RoomId,
    expectedViewers: between(0, MAX_PLANNED_VIEWERS, 'viewers'),
    startsAtMs: time,
    endsAtMs: time,
    // The bounds of RoomSettings (room.ts).
    pollIntervalSeconds: between(1, 60, 'seconds'),
    segmentSeconds: between(1, 300, 'seconds'),
    writeShards: between(1, MAX_SHARDS, 'shards'),
  })
  .refine((room) => room.endsAtMs > room.startsAtMs, {
    path: ['endsAtMs'],
    message: 'must be after startsAtMs',
  })
  .refine((room) => room.endsAtMs - room.startsAtMs <= MAX_EVENT_MS, {
    path: ['endsAtMs'],
    message: 'must be at most 31 days after startsAtMs',
  });

const PlanOptionsInput = z.strictObject({
  leadTimeMs: between(0, MAX_LEAD_OR_TAIL_MS, 'ms (7 days)'),
  tailMs: between(0, MAX_LEAD_OR_TAIL_MS, 'ms (7 days)'),
  assumptions: AssumptionOverrides.optional(),
  liveCommentLimit: between(1, MAX_LIVE_COMMENT_LIMIT, 'comments').optional(),
});

export interface ValidPlanInput {
  readonly rooms: readonly PlannedRoom[];
  readonly options: {
    readonly leadTimeMs: number;
    readonly tailMs: number;
    readonly liveCommentLimit: number;
  };
  readonly assumptions: AssumptionValues;
}

/** Checks the rooms and options and merges the assumption overrides into the defaults. */
export function validatePlanInput(rooms: readonly PlannedRoom[], options: PlanOptions): ValidPlanInput {
  const problems: string[] = [];
  const parsedRooms = z.array(PlannedRoomInput).safeParse(rooms);
  if (!parsedRooms.success) {
    for (const issue of parsedRooms.error.issues) {
      const [index, ...field] = issue.path;
      problems.push(
        `${roomLabel(rooms, index)}${field.length ? `.${field.join('.')}` : ''}: ${issue.message}`,
      );
    }
  } else {
    const seen = new Set<string>();
    for (const room of parsedRooms.data) {
      if (seen.has(room.roomId)) problems.push(`room "${room.roomId}" appears more than once`);
      seen.add(room.roomId);
    }
  }
  const parsedOptions = PlanOptionsInput.safeParse(options);
  if (!parsedOptions.success) {
    for (const issue of parsedOptions.error.issues) {
      const field = issue.path.join('.');
      problems.push(`options${field ? `.${field}` : ''}: ${issue.message}`);
    }
  }
  if (!parsedRooms.success || !parsedOptions.success || problems.length > 0) {
    throw new UnprocessableError(INVALID_CAPACITY_INPUT, `Invalid capacity input: ${problems.join('; ')}.`);
  }
  const { leadTimeMs, tailMs, assumptions, liveCommentLimit } = parsedOptions.data;
  return {
    rooms: parsedRooms.data,
    options: { leadTimeMs, tailMs, liveCommentLimit: liveCommentLimit ?? DEFAULT_LIVE_COMMENT_LIMIT },
    assumptions: { ...DEFAULT_ASSUMPTIONS, ...definedOnly(assumptions ?? {}) },
  };
}

function roomLabel(rooms: readonly PlannedRoom[], index: PropertyKey | undefined): string {
  if (typeof index !== 'number') return 'rooms';
  const roomId: unknown = (rooms[index] as Partial<PlannedRoom> | undefined)?.roomId;
  return typeof roomId === 'string' ? `rooms[${index}] (room "${roomId}")` : `rooms[${index}]`;
}

/** `{ burstFactor: undefined }` keeps the default rather than erasing it. */
function definedOnly(values: Partial<Record<string, number | undefined>>): Partial<AssumptionValues> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}
