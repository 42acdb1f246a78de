import * as z from 'zod';
import * as zm from 'zod/mini';
import { BadRequestError, ConflictError, NotFoundError, UnprocessableError } from '../errors.js';
import { commentIdTime, newCommentId } from '../feed/ids.js';
import { foldForMatching } from '../moderation/ng-words.js';
import type { Clock } from '../clock.js';
import type { RoomLister, RoomPage, RoomPatch, RoomReader, RoomUpdater, RoomWriter } from './ports.js';
import { pushEvent, type Published, type PushDeps } from '../realtime/push.js';
import { authorize, visibleChannels, type Action, type Principal } from '../access/roles.js';
import {
  ChannelId,
  CommentStyleList,
  createRoom,
  publicSettings,
  Room,
  RoomId,
  RoomSchedule,
  RoomSettings,
  type NewRoom,
} from './room.js';
import { SettingsChange } from './room-state.js';
import { MAX_SHARDS } from '../feed/shards.js';

/**
 * Rooms in the admin API: create, list, read, update, close. Each use case
 * checks the caller's role first (403 whatever the room), then finds the
 * room (404), then checks the caller's channel (403), then acts.
 */
export interface RoomAdminDeps extends PushDeps {
  readonly rooms: RoomReader & RoomWriter & RoomUpdater & RoomLister;
  readonly clock: Clock;
  /** Makes ids for rooms created without one; tests pass their own. */
  readonly newRoomId?: () => string;
}

// Control characters, bidi controls and unpaired surrogates: never typed on purpose,
// and bidi controls can make a title render as something else.
// eslint-disable-next-line no-control-regex -- matching them is the point
const UNWANTED = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const cleanText = (value: string) => !UNWANTED.test(value) && !LONE_SURROGATE.test(value);

/** A room title: one line of visible text, NFC, trimmed, 1–200 characters. */
export const RoomTitle = z
  .string()
  .trim()
  .normalize()
  .min(1, 'a title must not be empty')
  .max(200, 'a title is at most 200 characters')
  .refine(cleanText, 'a title has no control characters or bidi controls');

/** NG words as an operator types them; each must still match something once folded. */
export const NgWordList = z
  .array(
    z
      .string()
      .trim()
      .normalize()
      .min(1)
      .max(50)
      .refine(cleanText, 'an NG word has no control characters or bidi controls')
      .refine((word) => foldForMatching(word).length > 0, 'an NG word needs a visible character'),
  )
  .max(500);

const ExpectedViewers = z.number().int().min(0).max(10_000_000);

/** POST /admin/v1/rooms. Every setting may be chosen at creation, the segment length included. */
export const CreateRoomRequest = z.strictObject({
  roomId: z.optional(RoomId),
  channelId: ChannelId,
  title: RoomTitle,
  settings: z.optional(
    zm.extend(zm.partial(RoomSettings), {
      ngWords: z.optional(NgWordList),
      commentStyles: z.optional(CommentStyleList),
    }),
  ),
  schedule: z.optional(RoomSchedule),
  expectedViewers: ExpectedViewers.optional(),
  shards: z.number().int().min(1).max(MAX_SHARDS).optional(),
});
export type CreateRoomRequest = z.infer<typeof CreateRoomRequest>;

/** An end of the schedule: a time, or null to clear it. */
const ScheduleEnd = z.iso.datetime().nullable().optional();

/** PATCH /admin/v1/rooms/{roomId}: the version the caller read, and what to change. */
export const UpdateRoomRequest = z.strictObject({
  version: z.number().int().min(1),
  title: RoomTitle.optional(),
  /** Merged into the schedule: a given end replaces that end, null clears it. */
  schedule: z.strictObject({ startsAt: ScheduleEnd, endsAt: ScheduleEnd }).optional(),
  expectedViewers: ExpectedViewers.optional(),
  settings: SettingsChange.extend({
    ngWords: NgWordList.optional(),
    // Accepted by the schema only to be refused with a clear 422 below.
    segmentSeconds: z.unknown().optional(),
  })
    .strict()
    .optional(),
});
export type UpdateRoomRequest = z.infer<typeof UpdateRoomRequest>;

/** A room in a listing: all but its bans and purges (large), which are counted instead. */
export function roomSummary(room: Room) {
  const { bans, purges, ...rest } = room;
  return { ...rest, banCount: Object.keys(bans).length, purgeCount: Object.keys(purges).length };
}

/** The outcome of a change, and the audit note the dispatcher records when `changed`. */
export interface RoomChange extends Published<Room> {
  /** The room as read before the change (its capacity window may have moved). */
  readonly previous: Room;
  readonly changed: boolean;
  readonly action: Action;
  readonly details: Record<string, unknown>;
}

/** Operators create rooms, in any channel. An id left out is generated (short, URL-safe). */
export async function createAdminRoom(
  deps: RoomAdminDeps,
  principal: Principal,
  request: CreateRoomRequest,
): Promise<Room> {
  authorize(principal, 'room.create', request.channelId);
  const input: Omit<NewRoom, 'roomId'> = {
    channelId: request.channelId,
    title: request.title,
    ...(request.settings ? { settings: request.settings } : {}),
    ...(request.schedule ? { schedule: request.schedule } : {}),
    ...(request.expectedViewers !== undefined ? { expectedViewers: request.expectedViewers } : {}),
    ...(request.shards !== undefined ? { shards: request.shards } : {}),
  };
  const now = new Date(deps.clock());
  if (request.roomId !== undefined) {
    const room = createRoom({ ...input, roomId: request.roomId }, now);
    if (await deps.rooms.create(room)) return room;
    throw new ConflictError('room_exists', `Room ${request.roomId} exists already; choose another id.`);
  }
  // A generated id has 60 random bits: a collision is all but impossible, and is retried.
  const newId = deps.newRoomId ?? randomRoomId;
  for (let attempt = 0; attempt < 3; attempt++) {
    const room = createRoom({ ...input, roomId: newId() }, now);
    if (await deps.rooms.create(room)) return room;
  }
  throw new ConflictError('room_exists', 'Could not find a free room id; try again.', true);
}

/** Newest first. Operators see every channel; moderators and artists only their own. */
export async function listAdminRooms(
  deps: Pick<RoomAdminDeps, 'rooms'>,
  principal: Principal,
  query: { channelId?: string; limit: number; cursor?: string },
): Promise<RoomPage> {
  authorize(principal, 'room.list');
  let channelIds: ReadonlySet<string> | undefined;
  if (query.channelId !== undefined) {
    authorize(principal, 'room.list', query.channelId);
    channelIds = new Set([query.channelId]);
  } else {
    channelIds = visibleChannels(principal);
  }
  return deps.rooms.list({
    ...(channelIds ? { channelIds } : {}),
    limit: query.limit,
    ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
  });
}

/**
 * A room the principal may take `action` on: 403 without any role for it
 * (even for a missing room), 404 when missing, 403 for another channel's room.
 */
export async function roomFor(
  deps: { readonly rooms: RoomReader },
  principal: Principal,
  actions: readonly Action[],
  roomId: string,
): Promise<Room> {
  for (const action of actions) authorize(principal, action);
  const room = await deps.rooms.get(roomId);
  if (!room) throw new NotFoundError('room_not_found', `Room ${roomId} does not exist.`);
  for (const action of actions) authorize(principal, action, room.channelId);
  return room;
}

export const readAdminRoom = (deps: { readonly rooms: RoomReader }, principal: Principal, roomId: string) =>
  roomFor(deps, principal, ['room.read'], roomId);

/**
 * Changes a room at the version the caller read: title, schedule and
 * expected viewers need `room.update` (operators), settings `room.settings`
 * (operators, the channel's moderators). One conditional write bumps the
 * version once; a settings change is then pushed as SETTINGS_CHANGED.
 */
export async function updateAdminRoom(
  deps: RoomAdminDeps,
  principal: Principal,
  roomId: string,
  request: UpdateRoomRequest,
): Promise<RoomChange> {
  const { version, settings: settingsRequest, ...roomFields } = request;
  if (settingsRequest?.segmentSeconds !== undefined) {
    throw new UnprocessableError(
      'segment_length_fixed',
      'settings.segmentSeconds is fixed when a room is created; create another room for another segment length.',
    );
  }
  const settingsChange = settingsRequest ? withoutUndefined(settingsRequest) : {};
  const fields = withoutUndefined(roomFields);
  const changesRoom = Object.keys(fields).length > 0;
  const changesSettings = Object.keys(settingsChange).length > 0;
  if (!changesRoom && !changesSettings) {
    throw new BadRequestError(
      'nothing_to_change',
      'Name at least one of title, schedule, expectedViewers or settings to change.',
    );
  }
  const actions: Action[] = [
    ...(changesRoom ? (['room.update'] as const) : []),
    ...(changesSettings ? (['room.settings'] as const) : []),
  ];
  const room = await roomFor(deps, principal, actions, roomId);

  const patch: RoomPatch = {
    ...(fields.title !== undefined ? { title: fields.title } : {}),
    ...(fields.expectedViewers !== undefined ? { expectedViewers: fields.expectedViewers } : {}),
    ...(fields.schedule ? { schedule: mergeSchedule(room.schedule, fields.schedule) } : {}),
    ...(changesSettings ? { settings: RoomSettings.parse({ ...room.settings, ...settingsChange }) } : {}),
  };
  const id = newCommentId(deps.clock());
  const updated = await writeUpdate(deps, room, patch, version, new Date(commentIdTime(id)).toISOString());
  const pushed = changesSettings ? await pushSettings(deps, id, updated) : false;
  return {
    value: updated,
    previous: room,
    pushed,
    changed: true,
    action: changesRoom ? 'room.update' : 'room.settings',
    details: {
      fromVersion: version,
      toVersion: updated.version,
      changes: { ...fields, ...(changesSettings ? { settings: settingsChange } : {}) },
    },
  };
}

/**
 * Closes a room: posts are refused (403 room_closed) from then on, the feed
 * stays readable. Closing a closed room changes nothing and answers the room
 * as it is, whatever version was named: a retried close is not an error.
 */
export async function closeAdminRoom(
  deps: RoomAdminDeps,
  principal: Principal,
  roomId: string,
  version: number,
): Promise<RoomChange> {
  const room = await roomFor(deps, principal, ['room.close'], roomId);
  if (room.status === 'closed') {
    return { value: room, previous: room, pushed: false, changed: false, action: 'room.close', details: {} };
  }
  const id = newCommentId(deps.clock());
  const updated = await writeUpdate(
    deps,
    room,
    { status: 'closed' },
    version,
    new Date(commentIdTime(id)).toISOString(),
  );
  const pushed = await pushSettings(deps, id, updated);
  return {
    value: updated,
    previous: room,
    pushed,
    changed: true,
    action: 'room.close',
    details: { fromVersion: version, toVersion: updated.version },
  };
}

/** Checks the patched room is valid (422 otherwise), then writes it on the version condition. */
async function writeUpdate(
  deps: RoomAdminDeps,
  room: Room,
  patch: RoomPatch,
  expectedVersion: number,
  updatedAt: string,
): Promise<Room> {
  const checked = Room.safeParse({ ...room, ...patch });
  if (!checked.success) {
    throw new UnprocessableError(
      'invalid_room',
      checked.error.issues.map((i) => `${i.path.join('.') || 'room'}: ${i.message}`).join('; '),
    );
  }
  const result = await deps.rooms.update(room.roomId, patch, expectedVersion, updatedAt);
  if (result === 'not-found')
    throw new NotFoundError('room_not_found', `Room ${room.roomId} does not exist.`);
  if (result === 'stale') {
    throw new ConflictError(
      'stale_version',
      `Room ${room.roomId} changed since version ${expectedVersion}; read it again.`,
    );
  }
  return result;
}

/** Viewers converge on the public settings and the status (never the NG words). */
function pushSettings(deps: PushDeps, id: string, room: Room): Promise<boolean> {
  return pushEvent(deps, id, room.roomId, 'SETTINGS_CHANGED', {
    settings: publicSettings(room.settings),
    version: room.version,
    status: room.status,
  });
}

function mergeSchedule(
  current: Room['schedule'],
  change: { startsAt?: string | null | undefined; endsAt?: string | null | undefined },
): Room['schedule'] {
  const merged = { ...current };
  for (const end of ['startsAt', 'endsAt'] as const) {
    const value = change[end];
    if (value === null) delete merged[end];
    else if (value !== undefined) merged[end] = value;
  }
  const checked = RoomSchedule.safeParse(merged);
  if (!checked.success) {
    throw new UnprocessableError(
      'invalid_schedule',
      `Invalid schedule: ${checked.error.issues[0]?.message}.`,
    );
  }
  return checked.data;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const ROOM_ID_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** 12 characters of Crockford's base32 (lower case): 60 random bits, URL-safe, no look-alikes. */
export function randomRoomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => ROOM_ID_ALPHABET[b & 31]).join('');
}
