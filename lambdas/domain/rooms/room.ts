import * as z from 'zod/mini';
import '../zod-english.js';
import { COMMENT_STYLE_IDS, isCommentStyleId } from '../feed/comment-styles.js';
import { DEFAULT_MAX_COMMENT_LENGTH } from '../feed/text-rules.js';
import { MAX_SHARDS } from '../feed/shards.js';
import { ROOM_ID_PATTERN } from '../paths.js';

/** A whole number from `min` to `max`. */
const wholeNumber = (min: number, max: number) => z.int().check(z.minimum(min), z.maximum(max));

/** Room ids appear in URLs and keys: a short, URL-safe alphabet with no key delimiter. */
export const RoomId = z
  .string()
  .check(z.regex(new RegExp(ROOM_ID_PATTERN), 'a room id is 1–64 of A–Z a–z 0–9 _ -'));

/** A channel owns rooms (one broadcaster's streams); artists and moderators are bound to channels. */
export const ChannelId = z
  .string()
  .check(z.regex(new RegExp(ROOM_ID_PATTERN), 'a channel id is 1–64 of A–Z a–z 0–9 _ -'));
/** The channel of rooms created without one (the room CLI, the demo seed). */
export const DEFAULT_CHANNEL_ID = 'default';

/** User ids come from the host service's tokens; they end keys, so any printable text up to 128 is safe. */
export const UserId = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(128),
    z.regex(/^[^\p{Cc}\p{Cf}]+$/u, 'a user id has no control or format characters'),
  );

/**
 * The decorations a room allows, as operators set them: palette ids (comment-styles.ts), each
 * once. Empty turns decorations off in the room.
 */
export const CommentStyleList = z
  .array(z.enum(COMMENT_STYLE_IDS))
  .check(z.refine((ids) => new Set(ids).size === ids.length, 'each comment style at most once'));

/**
 * The same list as a stored room holds it. Read leniently: an id the palette no longer has is
 * left out rather than making the room unreadable (a style retired from the palette stops
 * showing; the room keeps working).
 */
const StoredCommentStyles = z.pipe(
  z.array(z.string()),
  z.transform((ids) => ids.filter(isCommentStyleId)),
);

export const RoomSettings = z.strictObject({
  /** Seconds a user must wait between two comments in this room; 0 turns slow mode off. */
  slowModeSeconds: z._default(wholeNumber(0, 3600), 0),
  /** Longest comment, in code points. */
  maxCommentLength: z._default(wholeNumber(1, 1000), DEFAULT_MAX_COMMENT_LENGTH),
  /** How often viewers poll `live`; also its CDN cache lifetime. */
  pollIntervalSeconds: z._default(wholeNumber(1, 60), 3),
  /** Length of one feed segment. Fixed when the room is created. */
  segmentSeconds: z._default(wholeNumber(1, 300), 10),
  /** Words a comment may not contain (matched after folding; see ng-words.ts). Never shown to viewers. */
  ngWords: z._default(z.array(z.string().check(z.minLength(1), z.maxLength(50))).check(z.maxLength(500)), []),
  /** False turns the chat off for viewers: posts are refused, the feed stays readable. */
  enabled: z._default(z.boolean(), true),
  /** Who may post: everyone signed in, or nobody (read-only, e.g. during a sensitive moment). */
  postingAllowed: z._default(z.enum(['everyone', 'nobody']), 'everyone'),
  /**
   * The comment decorations posts may carry here (ADR 0024): a viewer's entitled style outside
   * this list is dropped, the comment posted plain. Default: the whole palette, so the host
   * service's entitlement decides unless an operator narrows it.
   */
  commentStyles: z._default(StoredCommentStyles, () => [...COMMENT_STYLE_IDS]),
});
export type RoomSettings = z.infer<typeof RoomSettings>;

/** The settings viewers may see (and SETTINGS_CHANGED carries): everything but the NG words. */
export const PublicRoomSettings = z.omit(RoomSettings, { ngWords: true });
export type PublicRoomSettings = z.infer<typeof PublicRoomSettings>;

/** When the event runs; informs the console and the scaler. Both ends optional, end after start. */
export const RoomSchedule = z
  .strictObject({ startsAt: z.optional(z.iso.datetime()), endsAt: z.optional(z.iso.datetime()) })
  .check(
    z.refine((s) => !s.startsAt || !s.endsAt || Date.parse(s.endsAt) > Date.parse(s.startsAt), {
      message: 'endsAt must be after startsAt',
    }),
  );
export type RoomSchedule = z.infer<typeof RoomSchedule>;

export const RoomStatus = z.enum(['open', 'closed']);
export type RoomStatus = z.infer<typeof RoomStatus>;

/** A user banned from the room: permanently, or until a time. */
export const RoomBan = z.strictObject({
  bannedAt: z.iso.datetime(),
  until: z.optional(z.iso.datetime()),
  /** Who banned (admin user id) and why: shown to moderators, never to viewers. */
  by: z.optional(z.string().check(z.maxLength(128))),
  reason: z.optional(z.string().check(z.maxLength(500))),
  /** Timeouts so far on the ladder (60 s, 5 min, 1 h, 24 h): the next one is one step longer. */
  strikes: z.optional(z.int().check(z.minimum(1))),
});
export type RoomBan = z.infer<typeof RoomBan>;

/** A room keeps at most this many bans in its item (DynamoDB items are at most 400 KB). */
export const MAX_ROOM_BANS = 2_000;

export const Room = z.strictObject({
  roomId: RoomId,
  channelId: z._default(ChannelId, DEFAULT_CHANNEL_ID),
  title: z.string().check(z.minLength(1), z.maxLength(200)),
  status: RoomStatus,
  settings: RoomSettings,
  schedule: z._default(RoomSchedule, {}),
  /** Peak concurrent viewers the operator expects: sizes capacity ahead of the event (the scaler). */
  expectedViewers: z._default(wholeNumber(0, 10_000_000), 0),
  shards: z.strictObject({
    write: wholeNumber(1, MAX_SHARDS),
    read: wholeNumber(1, MAX_SHARDS),
  }),
  /**
   * Room-scope bans by user id. Kept in the room item, which every function
   * already reads through its short cache: bans reach the post path and
   * `live` within a second, with no extra read.
   */
  bans: z._default(z.record(z.string(), RoomBan), {}),
  /**
   * Users whose comments a moderator purged: comments by them created at or
   * before the time are hidden on the poll path (one write, however many comments).
   */
  purges: z._default(z.record(z.string(), z.iso.datetime()), {}),
  /**
   * The channel plan's cutoff in this room (ADR 0038): items with a lower id are hidden from
   * segments, the archive and replay (`live` is not limited). Written by the view-limit batch
   * with its own UpdateItem, so it never bumps `version`.
   */
  viewCutoff: z.optional(z.strictObject({ id: z.string(), computedAt: z.iso.datetime() })),
  /**
   * Segments numbered below this are archived in S3 (ADR 0037) and served from there. Written by
   * the archiver with its own UpdateItem, so it never bumps `version`.
   */
  archivedThrough: z.optional(z.int().check(z.minimum(0))),
  /** Bumped by every settings change; an update must name the version it read. */
  version: z.int().check(z.minimum(1)),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Room = z.output<typeof Room>;

/** The user's ban in force at `nowMs`, if any. Read from the cached room: no extra read on the post path. */
export function activeBan(room: Pick<Room, 'bans'>, userId: string, nowMs: number): RoomBan | undefined {
  const ban = Object.hasOwn(room.bans, userId) ? room.bans[userId] : undefined;
  return ban && (ban.until === undefined || Date.parse(ban.until) > nowMs) ? ban : undefined;
}

/** The bans in force at `nowMs`, by user id order. */
export function activeBans(room: Pick<Room, 'bans'>, nowMs: number): { userId: string; until?: string }[] {
  return Object.entries(room.bans)
    .filter(([, ban]) => ban.until === undefined || Date.parse(ban.until) > nowMs)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([userId, ban]) => ({ userId, ...(ban.until ? { until: ban.until } : {}) }));
}

/** What any viewer may see of a room: everything but internal bookkeeping. */
export function publicRoom(room: Room) {
  return {
    roomId: room.roomId,
    channelId: room.channelId,
    title: room.title,
    status: room.status,
    settings: publicSettings(room.settings),
    schedule: room.schedule,
  };
}

export function publicSettings(settings: RoomSettings): PublicRoomSettings {
  const { ngWords: _hidden, ...rest } = settings;
  return rest;
}
export type PublicRoom = ReturnType<typeof publicRoom>;

export interface NewRoom {
  roomId: string;
  channelId?: string;
  title: string;
  settings?: Partial<RoomSettings>;
  schedule?: RoomSchedule;
  expectedViewers?: number;
  shards?: number;
}

/** Builds a valid room from creation input, or throws a ZodError saying what is wrong. */
export function createRoom(input: NewRoom, now: Date): Room {
  const at = now.toISOString();
  const write = input.shards ?? 1;
  return Room.parse({
    roomId: input.roomId,
    channelId: input.channelId ?? DEFAULT_CHANNEL_ID,
    title: input.title,
    status: 'open',
    settings: RoomSettings.parse(input.settings ?? {}),
    schedule: input.schedule ?? {},
    expectedViewers: input.expectedViewers ?? 0,
    shards: { write, read: write },
    version: 1,
    createdAt: at,
    updatedAt: at,
  });
}
