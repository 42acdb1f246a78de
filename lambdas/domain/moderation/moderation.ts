import * as z from 'zod/mini';
import '../zod-english.js';
import { bansInForce, isBanActive, jsonBytes } from './bans.js';
import type { Comment } from '../feed/comment.js';
import { ChatError, ConflictError, ForbiddenError, UnprocessableError } from '../errors.js';
import { findNgWord, foldForMatching } from './ng-words.js';
import { ChannelId, RoomBan, type Room } from '../rooms/room.js';
import { assertCommentLength, codePointLength } from '../feed/text-rules.js';

/**
 * Moderation beyond one room — a channel's bans and block list, the
 * deployment's NG words — and the rules the post and poll paths apply with
 * them. Pure: the use cases and the stores pass the state in.
 */

/** A viewer a broadcaster blocked from all their streams: permanent until lifted. */
export const ChannelBlock = z.strictObject({
  blockedAt: z.iso.datetime(),
  by: z.optional(z.string().check(z.maxLength(128))),
  reason: z.optional(z.string().check(z.maxLength(500))),
});
export type ChannelBlock = z.infer<typeof ChannelBlock>;

/** One control item per channel (`channel#<id>`), created by its first ban or block. */
export const ChannelModeration = z.strictObject({
  channelId: ChannelId,
  bans: z._default(z.record(z.string(), RoomBan), {}),
  blocks: z._default(z.record(z.string(), ChannelBlock), {}),
  updatedAt: z.optional(z.iso.datetime()),
});
export type ChannelModeration = z.output<typeof ChannelModeration>;

export const emptyChannel = (channelId: string): ChannelModeration => ({ channelId, bans: {}, blocks: {} });

/** A channel item is at most 400 KB: its bans and its blocks each get a share. */
export const MAX_CHANNEL_BANS = 2_000;
export const MAX_CHANNEL_BANS_BYTES = 150_000;
export const MAX_CHANNEL_BLOCKS = 2_000;
export const MAX_CHANNEL_BLOCKS_BYTES = 150_000;

/** The NG words of every room (operators keep it); a room's own list applies on top. */
export const NgWordList = z.strictObject({
  words: z.array(z.string()),
  /** 0 before the first change; every change names the version it read. */
  version: z.int().check(z.minimum(0)),
  updatedAt: z.optional(z.iso.datetime()),
  updatedBy: z.optional(z.string()),
});
export type NgWordList = z.infer<typeof NgWordList>;

export const MAX_GLOBAL_NG_WORDS = 2_000;
export const MAX_NG_WORD_LENGTH = 50;
/** The list is read by every viewer function once a second: kept well under an item's 400 KB. */
export const MAX_NG_LIST_BYTES = 120_000;

// Control characters, bidi controls and unpaired surrogates: never typed on purpose.
// eslint-disable-next-line no-control-regex -- matching them is the point
const UNWANTED = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Text a moderator types: no control or bidi characters, no broken surrogates. */
export const isCleanText = (value: string) => !UNWANTED.test(value) && !LONE_SURROGATE.test(value);

/** One listed word, as rooms' NG words: trimmed, NFC, printable, and still something once folded. */
export const NgWord = z.string().check(
  z.trim(),
  z.normalize(),
  z.minLength(1, 'a word must not be empty'),
  z.maxLength(MAX_NG_WORD_LENGTH, `a word is at most ${MAX_NG_WORD_LENGTH} characters`),
  z.refine(isCleanText, 'a word has no control characters or bidi controls'),
  z.refine((word) => foldForMatching(word).length > 0, 'a word needs a visible character'),
);

/** Why a moderator banned or blocked someone: one short line, shown to moderators only. */
export const ModerationReason = z
  .string()
  .check(
    z.trim(),
    z.normalize(),
    z.minLength(1, 'a reason must not be empty'),
    z.maxLength(200, 'a reason is at most 200 characters'),
    z.refine(isCleanText, 'a reason has no control characters or bidi controls'),
  );

/** The list as stored: words de-duplicated by their folded form, first spelling kept. */
export function distinctWords(words: readonly string[]): string[] {
  const seen = new Set<string>();
  return words.filter((word) => {
    const folded = foldForMatching(word);
    if (seen.has(folded)) return false;
    seen.add(folded);
    return true;
  });
}

/** Why a user may not post: a ban in the room or its channel, or the channel's block. */
export interface Restriction {
  readonly scope: 'room' | 'channel';
  readonly type: 'ban' | 'block';
  /** Absent: permanent. */
  readonly until?: string;
}

/** The user's restriction in force, the most lasting first: a block, a channel ban, a room ban. */
export function restrictionOf(
  room: Pick<Room, 'bans'>,
  channel: ChannelModeration | undefined,
  userId: string,
  nowMs: number,
): Restriction | undefined {
  if (channel && Object.hasOwn(channel.blocks, userId)) return { scope: 'channel', type: 'block' };
  const channelBan = channel && Object.hasOwn(channel.bans, userId) ? channel.bans[userId] : undefined;
  if (channelBan && isBanActive(channelBan, nowMs)) {
    return { scope: 'channel', type: 'ban', ...(channelBan.until ? { until: channelBan.until } : {}) };
  }
  const roomBan = Object.hasOwn(room.bans, userId) ? room.bans[userId] : undefined;
  if (roomBan && isBanActive(roomBan, nowMs)) {
    return { scope: 'room', type: 'ban', ...(roomBan.until ? { until: roomBan.until } : {}) };
  }
  return undefined;
}

/** What viewers see of bans (`live.bans`): who is banned now, where, and until when. Blocks show as channel bans. */
export interface ViewerBan {
  readonly userId: string;
  readonly until?: string;
  readonly scope: 'room' | 'channel';
}

export function viewerBans(
  room: Pick<Room, 'bans'>,
  channel: ChannelModeration | undefined,
  nowMs: number,
): ViewerBan[] {
  const out: ViewerBan[] = bansInForce(room.bans, nowMs).map(([userId, ban]) => ({
    userId,
    ...(ban.until ? { until: ban.until } : {}),
    scope: 'room',
  }));
  if (channel) {
    const byUser = new Map<string, ViewerBan>();
    for (const [userId, ban] of bansInForce(channel.bans, nowMs)) {
      byUser.set(userId, { userId, ...(ban.until ? { until: ban.until } : {}), scope: 'channel' });
    }
    // A block is permanent: it wins over a timed channel ban.
    for (const userId of Object.keys(channel.blocks)) byUser.set(userId, { userId, scope: 'channel' });
    out.push(...byUser.values());
  }
  return out.sort((a, b) =>
    a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : a.scope < b.scope ? 1 : a.scope > b.scope ? -1 : 0,
  );
}

/** A purge as `live` shows it: drop the user's comments created at or before `before`. */
export interface PurgeView {
  readonly userId: string;
  readonly before: string;
}

export function purgeViews(room: Pick<Room, 'purges'>): PurgeView[] {
  return Object.entries(room.purges)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([userId, before]) => ({ userId, before }));
}

/** Whether a purge hides the item: a viewer's comment by a purged user, created at or before the purge. */
export function isPurged(
  item: Pick<Comment, 'kind' | 'userId' | 'createdAt'>,
  purges: Room['purges'],
): boolean {
  if (item.kind !== 'comment' || !Object.hasOwn(purges, item.userId)) return false;
  return Date.parse(item.createdAt) <= Date.parse(purges[item.userId]!);
}

/** A room keeps at most this many purges (with the bans, in its item). */
export const MAX_ROOM_PURGES = 500;

/**
 * Records a purge of `userId` at `at`. A later purge of the same user only
 * moves the time forward. Purges older than `forgetBeforeMs` hide nothing
 * any more (those comments are past their retention) and are dropped.
 */
export function withPurge(
  purges: Room['purges'],
  userId: string,
  at: string,
  forgetBeforeMs: number,
): Room['purges'] {
  const kept = Object.fromEntries(
    Object.entries(purges).filter(([, before]) => Date.parse(before) >= forgetBeforeMs),
  );
  const previous = Object.hasOwn(kept, userId) ? kept[userId] : undefined;
  if (previous === undefined && Object.keys(kept).length >= MAX_ROOM_PURGES) {
    throw new ConflictError('too_many_purges', `A room keeps at most ${MAX_ROOM_PURGES} purges.`);
  }
  return { ...kept, [userId]: previous && Date.parse(previous) > Date.parse(at) ? previous : at };
}

/** What the post path needs to decide. */
export interface PostingContext {
  readonly room: Room;
  readonly channel: ChannelModeration | undefined;
  readonly globalNgWords: readonly string[];
  readonly userId: string;
  /** Normalised. */
  readonly text: string;
  readonly nowMs: number;
}

/**
 * Why a new comment is refused, or undefined when it may be stored. In order:
 * the room is closed, chat is off, posting is closed, the user is blocked or
 * banned, the text is too long, the text contains an NG word (the room's or
 * the global list).
 */
export function postingRefusal(context: PostingContext): ChatError | undefined {
  const { room, text } = context;
  if (room.status !== 'open') {
    return new ForbiddenError('room_closed', `Room ${room.roomId} is closed to new comments.`);
  }
  if (!room.settings.enabled) {
    return new ForbiddenError('chat_disabled', 'Chat is turned off in this room.');
  }
  if (room.settings.postingAllowed === 'nobody') {
    return new ForbiddenError(
      'posting_closed',
      'Posting is closed in this room for now; you can still read.',
    );
  }
  const restriction = restrictionOf(room, context.channel, context.userId, context.nowMs);
  if (restriction) return refusalFor(restriction);
  if (codePointLength(text) > room.settings.maxCommentLength) {
    try {
      assertCommentLength(text, room.settings.maxCommentLength);
    } catch (error) {
      if (error instanceof ChatError) return error;
      throw error;
    }
  }
  if (findNgWord(text, room.settings.ngWords) !== undefined) {
    return new UnprocessableError('ng_word', 'Your comment contains a word this room does not allow.');
  }
  if (findNgWord(text, context.globalNgWords) !== undefined) {
    return new UnprocessableError(
      'ng_word',
      'Your comment contains a word that is not allowed on this service.',
    );
  }
  return undefined;
}

function refusalFor(restriction: Restriction): ChatError {
  if (restriction.type === 'block') {
    return new ForbiddenError('blocked', "The broadcaster has blocked you from this channel's streams.");
  }
  const where = restriction.scope === 'room' ? 'this room' : "this channel's rooms";
  return new ForbiddenError(
    'banned',
    restriction.until
      ? `You are banned from ${where} until ${restriction.until}.`
      : `You are banned from ${where}.`,
  );
}

/** A user's standing at channel scope as viewers see it: blocked or banned (until, if timed), or undefined. */
export function channelStanding(
  channel: ChannelModeration,
  userId: string,
  nowMs: number,
): { until?: string } | undefined {
  if (Object.hasOwn(channel.blocks, userId)) return {};
  const ban = Object.hasOwn(channel.bans, userId) ? channel.bans[userId] : undefined;
  if (!ban || !isBanActive(ban, nowMs)) return undefined;
  return ban.until ? { until: ban.until } : {};
}

/** Blocks `userId` (again: the reason is replaced, the original time kept); 409 when the list is full. */
export function withBlock(
  blocks: ChannelModeration['blocks'],
  userId: string,
  note: { readonly by?: string; readonly reason?: string },
  nowMs: number,
): ChannelModeration['blocks'] {
  const previous = Object.hasOwn(blocks, userId) ? blocks[userId] : undefined;
  if (!previous && Object.keys(blocks).length >= MAX_CHANNEL_BLOCKS) {
    throw new ConflictError('too_many_blocks', `A channel keeps at most ${MAX_CHANNEL_BLOCKS} blocks.`);
  }
  const next = {
    ...blocks,
    [userId]: {
      blockedAt: previous?.blockedAt ?? new Date(nowMs).toISOString(),
      ...(note.by ? { by: note.by } : {}),
      ...(note.reason ? { reason: note.reason } : {}),
    },
  };
  if (jsonBytes(next) > MAX_CHANNEL_BLOCKS_BYTES) {
    throw new ConflictError('too_many_blocks', 'The block list is full; lift some blocks first.');
  }
  return next;
}
