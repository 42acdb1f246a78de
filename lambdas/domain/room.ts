import { z } from 'zod';
import { DEFAULT_MAX_COMMENT_LENGTH } from './text-rules.js';
import { MAX_SHARDS } from './shards.js';

/** Room ids appear in URLs and keys: a short, URL-safe alphabet with no key delimiter. */
export const RoomId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a room id is 1–64 of A–Z a–z 0–9 _ -');

export const RoomSettings = z.strictObject({
  /** Seconds a user must wait between two comments in this room; 0 turns slow mode off. */
  slowModeSeconds: z.number().int().min(0).max(3600).default(0),
  /** Longest comment, in code points. */
  maxCommentLength: z.number().int().min(1).max(1000).default(DEFAULT_MAX_COMMENT_LENGTH),
  /** How often viewers poll `live`; also its CDN cache lifetime. */
  pollIntervalSeconds: z.number().int().min(1).max(60).default(3),
  /** Length of one feed segment. Fixed when the room is created. */
  segmentSeconds: z.number().int().min(1).max(300).default(10),
  /** Words a comment may not contain (matched after folding; see ng-words.ts). Never shown to viewers. */
  ngWords: z.array(z.string().min(1).max(50)).max(500).default([]),
});
export type RoomSettings = z.infer<typeof RoomSettings>;

export const RoomStatus = z.enum(['open', 'closed']);
export type RoomStatus = z.infer<typeof RoomStatus>;

/** A user banned from the room: permanently, or until a time. */
export const RoomBan = z.strictObject({
  bannedAt: z.iso.datetime(),
  until: z.iso.datetime().optional(),
});
export type RoomBan = z.infer<typeof RoomBan>;

/** A room keeps at most this many bans in its item (DynamoDB items are at most 400 KB). */
export const MAX_ROOM_BANS = 2_000;

export const Room = z.strictObject({
  roomId: RoomId,
  title: z.string().min(1).max(200),
  status: RoomStatus,
  settings: RoomSettings,
  shards: z.strictObject({
    write: z.number().int().min(1).max(MAX_SHARDS),
    read: z.number().int().min(1).max(MAX_SHARDS),
  }),
  /**
   * Room-scope bans by user id. Kept in the room item, which every function
   * already reads through its short cache: bans reach the post path and
   * `live` within a second, with no extra read.
   */
  bans: z.record(z.string(), RoomBan).default({}),
  /** Bumped by every settings change; an update must name the version it read. */
  version: z.number().int().min(1),
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
    title: room.title,
    status: room.status,
    settings: {
      slowModeSeconds: room.settings.slowModeSeconds,
      maxCommentLength: room.settings.maxCommentLength,
      pollIntervalSeconds: room.settings.pollIntervalSeconds,
      segmentSeconds: room.settings.segmentSeconds,
    },
  };
}
export type PublicRoom = ReturnType<typeof publicRoom>;

export interface NewRoom {
  roomId: string;
  title: string;
  settings?: Partial<RoomSettings>;
  shards?: number;
}

/** Builds a valid room from creation input, or throws a ZodError saying what is wrong. */
export function createRoom(input: NewRoom, now: Date): Room {
  const at = now.toISOString();
  const write = input.shards ?? 1;
  return Room.parse({
    roomId: input.roomId,
    title: input.title,
    status: 'open',
    settings: RoomSettings.parse(input.settings ?? {}),
    shards: { write, read: write },
    version: 1,
    createdAt: at,
    updatedAt: at,
  });
}
