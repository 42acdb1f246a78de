import type { Comment, PostCommentBody, Viewer } from './comment.js';
import { NotFoundError, RateLimitedError, UnprocessableError } from '../errors.js';
import { commentIdTime, newCommentId } from './ids.js';
import { postingRefusal, type ChannelModeration } from '../moderation/moderation.js';
import type { Clock } from '../clock.js';
import type { CommentWriter } from './ports.js';
import type { ModerationReader } from '../moderation/ports.js';
import type { RoomReader } from '../rooms/ports.js';
import type { Room } from '../rooms/room.js';
import { pickWriteShard } from './shards.js';
import { normalizeCommentText } from './text-rules.js';

export interface PostCommentDeps {
  readonly rooms: RoomReader;
  /** The room's channel (bans, blocks) and the global NG words; cached like rooms. */
  readonly moderation: ModerationReader;
  /**
   * The same reads without the cache: a refusal for a ban or block is checked against them first,
   * so a lift applies at once rather than when the cache turns over (a viewer sends as soon as the
   * player shows the lift). Only such refusals pay these reads.
   */
  readonly uncached?: { readonly rooms: RoomReader; readonly moderation: Pick<ModerationReader, 'channel'> };
  readonly comments: CommentWriter;
  readonly clock: Clock;
  readonly retentionDays: number;
  readonly random?: () => number;
}

export interface PostCommentResult {
  readonly comment: Comment;
  /** True when this request repeated an earlier one and got its comment back. */
  readonly replayed: boolean;
}

/**
 * Starts the reads a post of `roomId` makes — the room, its channel, the
 * global NG words — without waiting for them. They depend on nothing the
 * caller has yet to check (the viewer's token), and the readers cache the
 * reads in flight, so `postComment` then finds them done or under way: a
 * post's first request pays for the token check and the reads at once, not
 * one after the other. A failed read is not kept; `postComment` reads again
 * and reports it.
 */
export function startPostReads(deps: Pick<PostCommentDeps, 'rooms' | 'moderation'>, roomId: string): void {
  void Promise.all([deps.rooms.get(roomId), deps.moderation.ngWords()])
    .then(([room]) => room && deps.moderation.channel(room.channelId))
    .catch(() => undefined);
}

/**
 * A viewer posts a comment. Primary course: the room exists and is open to
 * this user (chat on, posting open, not banned or blocked in the room or its
 * channel), the text passes the room's rules and the NG words (the room's and
 * the global list), and one conditional write stores the comment — with the
 * viewer's decoration if the room allows it — together with its idempotency
 * record and the user's slow-mode window.
 */
/** Refusals a moderator's lift can end at any moment: worth one uncached look before answering. */
const BAN_REFUSALS = new Set(['banned', 'blocked']);

export async function postComment(
  deps: PostCommentDeps,
  roomId: string,
  viewer: Viewer,
  body: PostCommentBody,
): Promise<PostCommentResult> {
  // The global list does not depend on the room: both reads (cached) at once.
  const [cachedRoom, globalNgWords] = await Promise.all([deps.rooms.get(roomId), deps.moderation.ngWords()]);
  if (!cachedRoom) throw new NotFoundError('room_not_found', `Room ${roomId} does not exist.`);
  let room = cachedRoom;
  const text = normalizeCommentText(body.text);
  const refusalWith = (current: Room, channel: ChannelModeration | undefined) =>
    postingRefusal({
      room: current,
      channel,
      globalNgWords: globalNgWords.words,
      userId: viewer.userId,
      text,
      nowMs: deps.clock(),
    });
  let refusal = refusalWith(room, await deps.moderation.channel(room.channelId));
  if (refusal && BAN_REFUSALS.has(refusal.code) && deps.uncached) {
    const fresh = await deps.uncached.rooms.get(roomId);
    if (fresh) {
      room = fresh;
      refusal = refusalWith(fresh, await deps.uncached.moderation.channel(fresh.channelId));
    }
  }
  if (refusal) {
    // A retry of a comment accepted earlier — before the room closed or chat
    // was turned off, before a ban or block, under a higher length limit or an
    // older NG-word list — still gets its answer. Only refusals pay this read.
    const earlier = await deps.comments.findByClientMessageId(roomId, viewer.userId, body.clientMessageId);
    if (earlier) return replay(earlier, text);
    throw refusal;
  }

  // The id (its time) is taken here, after every read, right before the one write: `live` shows an
  // item only if it commits within SETTLE_MS of its id time (feed/ticks.ts, ADR 0019).
  const nowMs = deps.clock();
  const id = newCommentId(nowMs);
  const comment: Comment = {
    id,
    roomId,
    kind: 'comment',
    userId: viewer.userId,
    displayName: viewer.displayName,
    text,
    // The id's time, not the clock's: monotonic ids may run a moment ahead of a
    // clock that stepped back, and the id decides the comment's segment.
    createdAt: new Date(commentIdTime(id)).toISOString(),
    ...styleAllowedIn(room, viewer),
  };
  const slowModeMs = room.settings.slowModeSeconds * 1000;
  const result = await deps.comments.create({
    comment,
    shard: pickWriteShard(room.shards, deps.random),
    clientMessageId: body.clientMessageId,
    ...(slowModeMs > 0 ? { slowMode: { nowMs, untilMs: nowMs + slowModeMs } } : {}),
    expiresAtSec: Math.ceil(nowMs / 1000) + deps.retentionDays * 86_400,
  });

  switch (result.outcome) {
    case 'created':
      return { comment: result.comment, replayed: false };
    case 'duplicate':
      return replay(result.comment, text);
    case 'slow-mode': {
      const retryAfterSec = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
      throw new RateLimitedError(
        'slow_mode',
        `Slow mode: one comment every ${room.settings.slowModeSeconds} s in this room. Try again in ${retryAfterSec} s.`,
        retryAfterSec,
      );
    }
  }
}

/**
 * The viewer's decoration, if the room allows it. One the room does not allow is dropped, not
 * refused: the viewer did nothing wrong, the comment goes out plain (ADR 0024). The token adapter
 * has already dropped ids the palette does not know.
 */
function styleAllowedIn(room: Room, viewer: Viewer): Pick<Comment, 'style'> {
  return viewer.style !== undefined && room.settings.commentStyles.includes(viewer.style)
    ? { style: viewer.style }
    : {};
}

function replay(earlier: Comment, text: string): PostCommentResult {
  if (earlier.text !== text) {
    throw new UnprocessableError(
      'client_message_id_reused',
      'This clientMessageId was already used for a different text; use a new id for a new comment.',
    );
  }
  return { comment: earlier, replayed: true };
}
