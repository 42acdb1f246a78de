import { z } from 'zod';
import {
  assertBanLength,
  bansInForce,
  MAX_BAN_SECONDS,
  withBan,
  withoutBan,
  type BanLength,
} from './bans.js';
import { commentIdTime, newCommentId } from '../feed/ids.js';
import {
  channelStanding,
  MAX_CHANNEL_BANS,
  MAX_CHANNEL_BANS_BYTES,
  ModerationReason,
  withBlock,
  type ChannelBlock,
  type ChannelModeration,
} from './moderation.js';
import type { Clock } from '../clock.js';
import type { ModerationReader, ModerationWriter } from './ports.js';
import type { RoomLister, RoomReader, RoomWriter } from '../rooms/ports.js';
import { pushEvent, type PushDeps } from '../realtime/push.js';
import { authorize, type Principal } from '../access/roles.js';
import { roomFor } from '../rooms/room-admin.js';
import { banUser, unbanUser } from '../rooms/room-state.js';
import { activeBan, type RoomBan } from '../rooms/room.js';

/**
 * Bans and blocks from the admin API: a room's bans (in the room item), a
 * channel's bans and block list (in the channel item). Every change is
 * persisted, then pushed to the viewers it concerns: the room's, or every
 * open room of the channel.
 */
export interface BanActionDeps extends PushDeps {
  /** Uncached: changes must start from the current state. */
  readonly rooms: RoomReader & RoomWriter & RoomLister;
  readonly moderation: ModerationReader & ModerationWriter;
  readonly clock: Clock;
}

export interface BanRequest {
  readonly length: BanLength;
  readonly reason?: string;
}

/**
 * The body of `PUT …/bans/{userId}`: permanent with neither field, for `durationSeconds`, or the
 * next step of the timeout ladder with `timeout: true` — one of them at most.
 */
export const BanBody = z
  .strictObject({
    durationSeconds: z.number().int().min(1).max(MAX_BAN_SECONDS).optional(),
    timeout: z.literal(true).optional(),
    reason: ModerationReason.optional(),
  })
  .refine((b) => !(b.durationSeconds !== undefined && b.timeout), {
    message: 'give durationSeconds or timeout, not both',
  });
export type BanBody = z.infer<typeof BanBody>;

/** The body of `PUT …/blocks/{userId}`. */
export const BlockBody = z.strictObject({ reason: ModerationReason.optional() });

export function banRequestOf(body: BanBody): BanRequest {
  return {
    length: body.timeout ? 'timeout' : body.durationSeconds,
    ...(body.reason ? { reason: body.reason } : {}),
  };
}

/** What the audit log keeps of a ban: its terms, never more. */
export function banAuditDetails(
  request: BanRequest,
  ban: { readonly until?: string; readonly strikes?: number },
): Record<string, unknown> {
  return {
    ...(request.length === 'timeout' ? { timeout: true } : {}),
    ...(typeof request.length === 'number' ? { durationSeconds: request.length } : {}),
    ...(ban.until ? { until: ban.until } : { permanent: true }),
    ...(ban.strikes !== undefined ? { strikes: ban.strikes } : {}),
    ...(request.reason ? { reason: request.reason } : {}),
  };
}

/** One entry of a ban listing: a ban (room or channel scope) or a block (channel scope). */
export type BanEntry =
  | ({ readonly userId: string; readonly scope: 'room' | 'channel'; readonly type: 'ban' } & RoomBan)
  | ({ readonly userId: string; readonly scope: 'channel'; readonly type: 'block' } & ChannelBlock);

/** What a channel-scope change reached: open rooms of the channel pushed to, out of those found. */
export interface Fanout {
  readonly rooms: number;
  readonly pushed: number;
}

/** Rooms a channel change is pushed to at most; the rest converge on their next poll. */
export const MAX_FANOUT_ROOMS = 200;
const FANOUT_PAGE = 100;
/** Rooms listed at most while looking for open ones (listing is newest first; old rooms are closed). */
const MAX_FANOUT_SCAN = 1_000;
const PUSH_CONCURRENCY = 8;

export async function setRoomBan(
  deps: BanActionDeps,
  principal: Principal,
  roomId: string,
  userId: string,
  request: BanRequest,
) {
  assertBanLength(request.length);
  const room = await roomFor(deps, principal, ['bans.room'], roomId);
  const { value, pushed } = await banUser(deps, roomId, userId, request.length, note(principal, request));
  return { room, ban: { ...value, scope: 'room' as const }, pushed };
}

export async function liftRoomBan(deps: BanActionDeps, principal: Principal, roomId: string, userId: string) {
  const room = await roomFor(deps, principal, ['bans.room'], roomId);
  // Nothing in force (as just read, uncached): nothing to write or push.
  if (!activeBan(room, userId, deps.clock())) return { room, lifted: false, pushed: false };
  const { value: lifted, pushed } = await unbanUser(deps, roomId, userId);
  return { room, lifted, pushed };
}

/** The bans that apply in a room: its own, its channel's bans and the channel's blocks. */
export async function listRoomBans(deps: BanActionDeps, principal: Principal, roomId: string) {
  const room = await roomFor(deps, principal, ['bans.list'], roomId);
  const nowMs = deps.clock();
  const channel = await deps.moderation.channel(room.channelId);
  const entries: BanEntry[] = [
    ...bansInForce(room.bans, nowMs).map(([userId, ban]) => ({
      userId,
      scope: 'room' as const,
      type: 'ban' as const,
      ...ban,
    })),
    ...(channel ? channelEntries(channel, nowMs) : []),
  ];
  return { room, bans: entries };
}

export async function listChannelBans(deps: BanActionDeps, principal: Principal, channelId: string) {
  authorize(principal, 'bans.list', channelId);
  const channel = await deps.moderation.channel(channelId);
  return channel ? channelEntries(channel, deps.clock()).filter((e) => e.type === 'ban') : [];
}

export async function listChannelBlocks(deps: BanActionDeps, principal: Principal, channelId: string) {
  authorize(principal, 'blocks.list', channelId);
  const channel = await deps.moderation.channel(channelId);
  return channel ? channelEntries(channel, deps.clock()).filter((e) => e.type === 'block') : [];
}

/** Bans a user from every room of a channel: permanently, for seconds, or the next timeout of the ladder. */
export async function setChannelBan(
  deps: BanActionDeps,
  principal: Principal,
  channelId: string,
  userId: string,
  request: BanRequest,
) {
  authorize(principal, 'bans.channel', channelId);
  assertBanLength(request.length);
  const nowMs = commentIdTime(newCommentId(deps.clock()));
  let ban: RoomBan | undefined;
  const { before, after } = await changeChannel(deps, channelId, nowMs, userId, (current) => {
    const result = withBan(current.bans, userId, request.length, note(principal, request), nowMs, {
      maxEntries: MAX_CHANNEL_BANS,
      maxBytes: MAX_CHANNEL_BANS_BYTES,
    });
    ban = result.ban;
    return { ...current, bans: result.bans };
  });
  const fanout = await announce(deps, channelId, userId, before, after);
  return { ban: { userId, scope: 'channel' as const, ...ban! }, fanout };
}

/** Lifts a channel ban; lifting one that is not in force changes nothing. */
export async function liftChannelBan(
  deps: BanActionDeps,
  principal: Principal,
  channelId: string,
  userId: string,
) {
  authorize(principal, 'bans.channel', channelId);
  const nowMs = deps.clock();
  let lifted = false;
  const { before, after } = await changeChannel(deps, channelId, nowMs, userId, (current) => {
    const result = withoutBan(current.bans, userId, nowMs);
    lifted = result.lifted;
    return lifted ? { ...current, bans: result.bans } : current;
  });
  const fanout = lifted ? await announce(deps, channelId, userId, before, after) : { rooms: 0, pushed: 0 };
  return { lifted, fanout };
}

/** A broadcaster (or a moderator, an operator) blocks a viewer from all the channel's streams. */
export async function setChannelBlock(
  deps: BanActionDeps,
  principal: Principal,
  channelId: string,
  userId: string,
  request: { readonly reason?: string },
) {
  authorize(principal, 'blocks.change', channelId);
  const nowMs = deps.clock();
  const { before, after } = await changeChannel(deps, channelId, nowMs, userId, (current) => ({
    ...current,
    blocks: withBlock(current.blocks, userId, note(principal, request), nowMs),
  }));
  const fanout = await announce(deps, channelId, userId, before, after);
  return { block: { userId, scope: 'channel' as const, ...after.channel.blocks[userId]! }, fanout };
}

export async function liftChannelBlock(
  deps: BanActionDeps,
  principal: Principal,
  channelId: string,
  userId: string,
) {
  authorize(principal, 'blocks.change', channelId);
  const nowMs = deps.clock();
  let lifted = false;
  const { before, after } = await changeChannel(deps, channelId, nowMs, userId, (current) => {
    lifted = Object.hasOwn(current.blocks, userId);
    if (!lifted) return current;
    const { [userId]: _lifted, ...blocks } = current.blocks;
    return { ...current, blocks };
  });
  const fanout = lifted ? await announce(deps, channelId, userId, before, after) : { rooms: 0, pushed: 0 };
  return { lifted, fanout };
}

type Standing = ReturnType<typeof channelStanding>;

/**
 * Runs `change` on the channel item and says how the user's standing looked
 * to viewers before and after it (as read inside the same change, so a
 * concurrent change cannot make the push contradict the stored state).
 */
async function changeChannel(
  deps: BanActionDeps,
  channelId: string,
  nowMs: number,
  userId: string,
  change: (current: ChannelModeration) => ChannelModeration,
) {
  let before: Standing;
  const channel = await deps.moderation.updateChannel(channelId, (current) => {
    before = channelStanding(current, userId, nowMs);
    const next = change(current);
    return next === current ? current : { ...next, updatedAt: new Date(nowMs).toISOString() };
  });
  return { before: before!, after: { channel, standing: channelStanding(channel, userId, nowMs) } };
}

/**
 * Pushes the user's new channel standing to every open room of the channel
 * when viewers would see a difference: USER_BANNED (a block shows as a
 * permanent channel ban) or USER_UNBANNED, scope `channel`.
 */
async function announce(
  deps: BanActionDeps,
  channelId: string,
  userId: string,
  before: Standing,
  after: { standing: Standing },
): Promise<Fanout> {
  const now = after.standing;
  if (before?.until === now?.until && (before === undefined) === (now === undefined))
    return { rooms: 0, pushed: 0 };
  const roomIds = await openRooms(deps, channelId);
  let pushed = 0;
  for (let i = 0; i < roomIds.length; i += PUSH_CONCURRENCY) {
    const results = await Promise.all(
      roomIds.slice(i, i + PUSH_CONCURRENCY).map((roomId) =>
        now
          ? pushEvent(deps, newCommentId(deps.clock()), roomId, 'USER_BANNED', {
              userId,
              scope: 'channel',
              ...(now.until ? { until: now.until } : {}),
            })
          : pushEvent(deps, newCommentId(deps.clock()), roomId, 'USER_UNBANNED', {
              userId,
              scope: 'channel',
            }),
      ),
    );
    pushed += results.filter(Boolean).length;
  }
  return { rooms: roomIds.length, pushed };
}

/** The channel's open rooms, newest first, at most MAX_FANOUT_ROOMS. */
async function openRooms(deps: BanActionDeps, channelId: string): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | undefined;
  let scanned = 0;
  do {
    const page = await deps.rooms.list({
      channelIds: new Set([channelId]),
      limit: FANOUT_PAGE,
      ...(cursor ? { cursor } : {}),
    });
    scanned += page.rooms.length;
    for (const room of page.rooms) if (room.status === 'open') out.push(room.roomId);
    cursor = page.nextCursor;
  } while (cursor && out.length < MAX_FANOUT_ROOMS && scanned < MAX_FANOUT_SCAN);
  return out.slice(0, MAX_FANOUT_ROOMS);
}

function channelEntries(channel: ChannelModeration, nowMs: number): BanEntry[] {
  return [
    ...bansInForce(channel.bans, nowMs).map(([userId, ban]) => ({
      userId,
      scope: 'channel' as const,
      type: 'ban' as const,
      ...ban,
    })),
    ...Object.entries(channel.blocks)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([userId, block]) => ({ userId, scope: 'channel' as const, type: 'block' as const, ...block })),
  ];
}

const note = (principal: Principal, request: { readonly reason?: string }) => ({
  by: principal.userId,
  ...(request.reason ? { reason: request.reason } : {}),
});
