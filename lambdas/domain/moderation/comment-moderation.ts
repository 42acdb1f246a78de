import type { Comment } from '../feed/comment.js';
import { BadRequestError, NotFoundError } from '../errors.js';
import { deleteComment } from '../realtime/feed-events.js';
import { commentIdTime, newCommentId } from '../feed/ids.js';
import { descendingBy, mergeSorted } from '../feed/merge.js';
import { isPurged, withPurge, type PurgeView } from './moderation.js';
import type { Clock } from '../clock.js';
import { allSegmentsPath } from '../paths.js';
import type { CommentHistory, EdgeInvalidator, FeedWriter, SegmentArchive } from '../feed/ports.js';
import type { ModerationWriter } from './ports.js';
import type { RoomReader } from '../rooms/ports.js';
import { pushEvent, type Published, type PushDeps } from '../realtime/push.js';
import type { Principal } from '../access/roles.js';
import { roomFor } from '../rooms/room-admin.js';

/**
 * Moderators' view of a room's feed and their actions on it: list every
 * item, delete one, purge everything a user wrote so far.
 */
export interface CommentModerationDeps extends PushDeps {
  /** Uncached. */
  readonly rooms: RoomReader;
  readonly comments: CommentHistory & FeedWriter;
  readonly moderation: Pick<ModerationWriter, 'updatePurges'>;
  /** Drops CDN copies of segments a deletion or purge changed. */
  readonly edge?: EdgeInvalidator;
  readonly onInvalidateFailed?: (paths: readonly string[], error: unknown) => void;
  /** Archived closed segments (ADR 0037): a deletion rewrites the item's archived segment. */
  readonly archive?: SegmentArchive;
  readonly clock: Clock;
  readonly retentionDays: number;
}

/** An item as moderators see it: deleted ones marked, purged ones marked. */
export type ModeratedItem = Comment & { readonly deletedAt?: string; readonly purged?: true };

/** Comment ids are ULIDs; a page cursor is the last id of the page before. */
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
export const isItemId = (value: string) => ULID.test(value);

const byIdDescending = descendingBy<ModeratedItem>((item) => item.id);

/** The room's feed, newest first across every shard, `limit` per page, continuing before `cursor`. */
export async function listRoomComments(
  deps: CommentModerationDeps,
  principal: Principal,
  roomId: string,
  page: { readonly limit: number; readonly cursor?: string },
): Promise<{ comments: ModeratedItem[]; nextCursor?: string }> {
  if (page.cursor !== undefined && !isItemId(page.cursor)) {
    throw new BadRequestError('invalid_cursor', 'The cursor is not one this API gave out.');
  }
  const room = await roomFor(deps, principal, ['comments.list'], roomId);
  // One more than the page from each shard tells whether another page follows.
  const perShard = await deps.comments.history(roomId, room.shards.read, page.cursor, page.limit + 1);
  const newest = mergeSorted(perShard, byIdDescending, page.limit + 1);
  const items = newest
    .slice(0, page.limit)
    .map((item) => (isPurged(item, room.purges) ? { ...item, purged: true as const } : item));
  const last = items.at(-1);
  return { comments: items, ...(newest.length > page.limit && last ? { nextCursor: last.id } : {}) };
}

/** Deletes an item (comment, artist message or notice) of the room; a second delete is a no-op. */
export async function deleteRoomComment(
  deps: CommentModerationDeps,
  principal: Principal,
  roomId: string,
  commentId: string,
) {
  const room = await roomFor(deps, principal, ['comments.delete'], roomId);
  const result = await deleteComment(
    // The room was just read; the deletion need not read it again.
    { ...deps, rooms: { get: async () => room }, feed: deps.comments },
    roomId,
    commentId,
  );
  return { room, ...result };
}

/**
 * Hides every comment `userId` wrote in the room so far, with one write: the
 * room's purges map. The poll path leaves those comments out from then on and
 * `live` lists the purge, so players drop what they show; a COMMENTS_PURGED
 * event tells them at once, and closed segments' CDN copies are dropped.
 */
export async function purgeUserComments(
  deps: CommentModerationDeps,
  principal: Principal,
  roomId: string,
  userId: string,
): Promise<Published<PurgeView> & { room: { channelId: string } }> {
  const room = await roomFor(deps, principal, ['comments.purge'], roomId);
  const id = newCommentId(deps.clock());
  const nowMs = commentIdTime(id);
  // Comments older than the retention are gone from the table: their purges hide nothing there.
  // Archived segments keep them (ADR 0037), and purges apply when they are read: none is forgotten.
  const forgetBeforeMs = deps.archive ? -Infinity : nowMs - (deps.retentionDays + 1) * 86_400_000;
  const purges = await deps.moderation.updatePurges(roomId, (current) =>
    withPurge(current, userId, new Date(nowMs).toISOString(), forgetBeforeMs),
  );
  if (!purges) throw new NotFoundError('room_not_found', `Room ${roomId} does not exist.`);
  const before = purges[userId]!;
  const pushed = await pushEvent(deps, id, roomId, 'COMMENTS_PURGED', { userId, before });
  await invalidate(deps, [allSegmentsPath(roomId)], id);
  return { value: { userId, before }, pushed, room };
}

/** A failed invalidation is reported, not thrown: the purge is stored and `live` carries it. */
async function invalidate(deps: CommentModerationDeps, paths: string[], reference: string) {
  if (!deps.edge) return;
  try {
    await deps.edge.invalidate(paths, reference);
  } catch (error) {
    deps.onInvalidateFailed?.(paths, error);
  }
}
