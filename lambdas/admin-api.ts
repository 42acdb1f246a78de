/**
 * The admin API's contract in one place: the schemas its handlers validate requests with, and the
 * shape of every route's request and response. The handlers parse with these schemas, the OpenAPI
 * document (openapi.ts) is generated from them, and the admin console's client (web/console/api.ts)
 * checks what it sends with them and is typed by `AdminApi` — one source, so the three cannot drift.
 *
 * Pure: zod and the domain only, so the console can bundle it for the browser.
 */
import * as z from 'zod';
import type { AuditEntry } from './domain/access/audit.js';
import type { Principal, Role } from './domain/access/roles.js';
import type { readCapacityPlan, readRoomCapacity, runScalerNow } from './domain/capacity/capacity-admin.js';
import { NoticeLevel, type Comment } from './domain/feed/comment.js';
import { BanBody, BlockBody } from './domain/moderation/ban-actions.js';
import type {
  Fanout,
  listChannelBans,
  listChannelBlocks,
  listRoomBans,
  setChannelBan,
  setChannelBlock,
  setRoomBan,
} from './domain/moderation/ban-actions.js';
import {
  isItemId,
  type deleteRoomComment,
  type listRoomComments,
  type purgeUserComments,
} from './domain/moderation/comment-moderation.js';
import {
  PlanBody,
  type readChannelPlan,
  type removeChannelPlan,
  type runChannelPlanNow,
  type setChannelPlan,
} from './domain/limits/plan-admin.js';
import { MAX_GLOBAL_NG_WORDS, NgWord, type NgWordList } from './domain/moderation/moderation.js';
import { MAX_BROADCAST_LENGTH, MAX_NOTICE_DISPLAY_SECONDS } from './domain/realtime/feed-events.js';
import { EventRoomId } from './domain/realtime/room-event.js';
import type { ConnectionInfo } from './domain/rooms/connection-info.js';
import { CreateRoomRequest, UpdateRoomRequest, type roomSummary } from './domain/rooms/room-admin.js';
import { UserId, type Room } from './domain/rooms/room.js';
import { MAX_STATS_MINUTES, type roomStats } from './domain/stats/stats.js';

export { BanBody, BlockBody, CreateRoomRequest, PlanBody, UpdateRoomRequest };

/** Pages of admin listings: 50 items unless asked, at most 100. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

/** `?limit=` of a listing. */
export const Limit = z
  .string()
  .regex(/^\d{1,4}$/, `a whole number from 1 to ${MAX_PAGE_SIZE}`)
  .transform(Number)
  .pipe(z.number().min(1).max(MAX_PAGE_SIZE, `at most ${MAX_PAGE_SIZE}`))
  .optional();

/** Opaque: the store checks it (400 invalid_cursor); here only its size. */
export const Cursor = z.string().min(1).max(2048).optional();

/** `POST /admin/v1/rooms/{roomId}/close`: the version the caller read. */
export const CloseRoomRequest = z.strictObject({ version: z.number().int().min(1) });
/** `?format=` of the connection info: JSON (default) or the embed snippet as HTML. */
export const ConnectionFormat = z.enum(['json', 'snippet']).optional();

/** A generous bound on the raw string (UTF-16 units); the real limit is counted after normalising. */
const RawText = z.string().max(MAX_BROADCAST_LENGTH * 4);
export const ArtistMessageBody = z.strictObject({ text: RawText });
export const NoticeBody = z.strictObject({
  roomId: EventRoomId,
  level: NoticeLevel,
  text: RawText,
  displaySeconds: z.number().int().min(1).max(MAX_NOTICE_DISPLAY_SECONDS).optional(),
});

export const CommentId = z.string().refine(isItemId, 'a comment id is a ULID');
export const PurgeBody = z.strictObject({ userId: UserId });
export const NgWordsBody = z.strictObject({
  words: z.array(NgWord).max(MAX_GLOBAL_NG_WORDS, `at most ${MAX_GLOBAL_NG_WORDS} words`),
  version: z.number().int().min(0),
});

/** The scaler run: default a dry run; a run that changes AWS capacity must be asked for explicitly. */
export const RunRequest = z.strictObject({ dryRun: z.boolean().default(true) });

/** `?minutes=` of statistics: whole minutes, 1 to a day. */
export const Minutes = z
  .string()
  .regex(/^[0-9]{1,4}$/, 'a whole number of minutes')
  .transform(Number)
  .pipe(z.number().int().min(1).max(MAX_STATS_MINUTES))
  .optional();

/** The request body schema of each admin route that takes one, by route key. */
export const ADMIN_REQUEST_BODIES = {
  'POST /admin/v1/rooms': CreateRoomRequest,
  'PATCH /admin/v1/rooms/{roomId}': UpdateRoomRequest,
  'POST /admin/v1/rooms/{roomId}/close': CloseRoomRequest,
  'POST /admin/v1/rooms/{roomId}/purges': PurgeBody,
  'PUT /admin/v1/rooms/{roomId}/bans/{userId}': BanBody,
  'POST /admin/v1/rooms/{roomId}/artist-messages': ArtistMessageBody,
  'PUT /admin/v1/channels/{channelId}/bans/{userId}': BanBody,
  'PUT /admin/v1/channels/{channelId}/blocks/{userId}': BlockBody,
  'POST /admin/v1/capacity/runs': RunRequest,
  'POST /admin/v1/notices': NoticeBody,
  'PUT /admin/v1/ng-words': NgWordsBody,
  'PUT /admin/v1/channels/{channelId}/plan': PlanBody,
} as const;

type Result<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>;
type Page = { limit?: string; cursor?: string };
type RoomParams = { roomId: string };
type ChannelParams = { channelId: string };
type Body<K extends keyof typeof ADMIN_REQUEST_BODIES> = z.input<(typeof ADMIN_REQUEST_BODIES)[K]>;
/** A room change: the room, whether the push went out, and the schedules a schedule change rewrote. */
type RoomChanged = { room: Room; pushed: boolean; schedules?: unknown };
type Lifted = {
  userId: string;
  scope: 'room' | 'channel';
  lifted: boolean;
  /** Room bans: whether the push went out. */
  pushed?: boolean;
  /** Channel bans and blocks: the open rooms of the channel told at once, of those found. */
  fanout?: Fanout;
};
type AuditPage = { entries: AuditEntry[]; nextCursor?: string };

/**
 * Every admin route: its path parameters, query, body and success response. Response types come
 * from the domain functions that build them, so a change there is a type error in the console.
 */
export interface AdminApi {
  'GET /admin/v1/me': {
    response: Pick<Principal, 'userId' | 'displayName'> & {
      roles: Role[];
      channels: string[];
    };
  };
  'GET /admin/v1/rooms': {
    query: Page & { channelId?: string };
    response: { rooms: ReturnType<typeof roomSummary>[]; nextCursor?: string };
  };
  'POST /admin/v1/rooms': {
    body: Body<'POST /admin/v1/rooms'>;
    response: { room: Room; schedules?: unknown };
  };
  'GET /admin/v1/rooms/{roomId}': { params: RoomParams; response: { room: Room } };
  'PATCH /admin/v1/rooms/{roomId}': {
    params: RoomParams;
    body: Body<'PATCH /admin/v1/rooms/{roomId}'>;
    response: RoomChanged;
  };
  'POST /admin/v1/rooms/{roomId}/close': {
    params: RoomParams;
    body: Body<'POST /admin/v1/rooms/{roomId}/close'>;
    response: RoomChanged;
  };
  'GET /admin/v1/rooms/{roomId}/connection': { params: RoomParams; response: ConnectionInfo };
  'GET /admin/v1/rooms/{roomId}/comments': {
    params: RoomParams;
    query: Page;
    response: Result<typeof listRoomComments>;
  };
  'DELETE /admin/v1/rooms/{roomId}/comments/{commentId}': {
    params: RoomParams & { commentId: string };
    response: { commentId: string; outcome: Result<typeof deleteRoomComment>['value']; pushed: boolean };
  };
  'POST /admin/v1/rooms/{roomId}/purges': {
    params: RoomParams;
    body: Body<'POST /admin/v1/rooms/{roomId}/purges'>;
    response: { purge: Result<typeof purgeUserComments>['value']; pushed: boolean };
  };
  'GET /admin/v1/rooms/{roomId}/bans': {
    params: RoomParams;
    response: { bans: Result<typeof listRoomBans>['bans'] };
  };
  'PUT /admin/v1/rooms/{roomId}/bans/{userId}': {
    params: RoomParams & { userId: string };
    body?: Body<'PUT /admin/v1/rooms/{roomId}/bans/{userId}'>;
    response: Pick<Result<typeof setRoomBan>, 'ban' | 'pushed'>;
  };
  'DELETE /admin/v1/rooms/{roomId}/bans/{userId}': {
    params: RoomParams & { userId: string };
    response: Lifted;
  };
  'POST /admin/v1/rooms/{roomId}/artist-messages': {
    params: RoomParams;
    body: Body<'POST /admin/v1/rooms/{roomId}/artist-messages'>;
    response: { item: Comment; pushed: boolean };
  };
  'GET /admin/v1/rooms/{roomId}/stats': {
    params: RoomParams;
    query: { minutes?: string };
    response: Result<typeof roomStats>;
  };
  'GET /admin/v1/rooms/{roomId}/capacity': {
    params: RoomParams;
    response: { capacity: Result<typeof readRoomCapacity> };
  };
  'GET /admin/v1/rooms/{roomId}/audit': { params: RoomParams; query: Page; response: AuditPage };
  'GET /admin/v1/rooms/{roomId}/audit/export': { params: RoomParams; response: string };
  'GET /admin/v1/channels/{channelId}/bans': {
    params: ChannelParams;
    response: { bans: Result<typeof listChannelBans> };
  };
  'PUT /admin/v1/channels/{channelId}/bans/{userId}': {
    params: ChannelParams & { userId: string };
    body?: Body<'PUT /admin/v1/channels/{channelId}/bans/{userId}'>;
    response: Result<typeof setChannelBan>;
  };
  'DELETE /admin/v1/channels/{channelId}/bans/{userId}': {
    params: ChannelParams & { userId: string };
    response: Lifted;
  };
  'GET /admin/v1/channels/{channelId}/blocks': {
    params: ChannelParams;
    response: { blocks: Result<typeof listChannelBlocks> };
  };
  'PUT /admin/v1/channels/{channelId}/blocks/{userId}': {
    params: ChannelParams & { userId: string };
    body?: Body<'PUT /admin/v1/channels/{channelId}/blocks/{userId}'>;
    response: Result<typeof setChannelBlock>;
  };
  'DELETE /admin/v1/channels/{channelId}/blocks/{userId}': {
    params: ChannelParams & { userId: string };
    response: Lifted;
  };
  'GET /admin/v1/audit': { query: Page & { channelId?: string }; response: AuditPage };
  'GET /admin/v1/capacity': { response: Result<typeof readCapacityPlan> };
  'POST /admin/v1/capacity/runs': {
    body: Body<'POST /admin/v1/capacity/runs'>;
    response: { run: Result<typeof runScalerNow> };
  };
  'POST /admin/v1/notices': {
    body: Body<'POST /admin/v1/notices'>;
    response: { item: Comment; pushed: boolean };
  };
  'GET /admin/v1/ng-words': { response: NgWordList };
  'PUT /admin/v1/ng-words': { body: Body<'PUT /admin/v1/ng-words'>; response: NgWordList };
  'GET /admin/v1/channels/{channelId}/plan': {
    params: ChannelParams;
    response: Result<typeof readChannelPlan>;
  };
  'PUT /admin/v1/channels/{channelId}/plan': {
    params: ChannelParams;
    body: Body<'PUT /admin/v1/channels/{channelId}/plan'>;
    response: Result<typeof setChannelPlan>;
  };
  'DELETE /admin/v1/channels/{channelId}/plan': {
    params: ChannelParams;
    response: Result<typeof removeChannelPlan>;
  };
  'POST /admin/v1/channels/{channelId}/plan/runs': {
    params: ChannelParams;
    response: Result<typeof runChannelPlanNow>;
  };
}

export type AdminRouteKey = keyof AdminApi;
