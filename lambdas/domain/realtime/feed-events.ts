import type { Comment, NoticeLevel, Viewer } from '../feed/comment.js';
import { BadRequestError, NotFoundError } from '../errors.js';
import { commentIdTime, newCommentId } from '../feed/ids.js';
import type { Clock } from '../clock.js';
import type { EdgeInvalidator, FeedWriter, SegmentArchive } from '../feed/ports.js';
import type { RoomReader } from '../rooms/ports.js';
import { pushEvent, type Published, type PushDeps } from './push.js';
import { GLOBAL_ROOM_ID, segmentPath } from '../paths.js';
import type { Room } from '../rooms/room.js';
import { segmentOf, segmentState } from '../feed/segments.js';
import { pickWriteShard } from '../feed/shards.js';
import { normalizeCommentText } from '../feed/text-rules.js';

/**
 * The rare, urgent events: each is persisted to the feed first — so the poll
 * path shows it to everyone, whatever happens to the push — and then pushed
 * over the realtime API as the accelerator.
 */
export interface FeedEventDeps extends PushDeps {
  readonly rooms: RoomReader;
  readonly feed: FeedWriter;
  /** Drops cached copies of segments a deletion changed; without it, closed segments keep them up to a day. */
  readonly edge?: EdgeInvalidator;
  readonly onInvalidateFailed?: (paths: readonly string[], error: unknown) => void;
  /** Archived closed segments (ADR 0037): a deletion rewrites the segment's object without the item. */
  readonly archive?: SegmentArchive;
  readonly clock: Clock;
  readonly retentionDays: number;
  readonly random?: () => number;
}

/** Artist messages and notices may be longer than viewers' comments. */
export const MAX_BROADCAST_LENGTH = 1000;

/** An artist's message to a room: a feed item marked `artist_message`, then an ARTIST_MESSAGE event. */
export async function postArtistMessage(
  deps: FeedEventDeps,
  roomId: string,
  artist: Viewer,
  rawText: string,
): Promise<Published<Comment>> {
  const room = await findRoom(deps.rooms, roomId);
  const item = newItem(
    deps,
    roomId,
    'artist_message',
    artist,
    normalizeCommentText(rawText, MAX_BROADCAST_LENGTH),
  );
  await deps.feed.append(item, pickWriteShard(room.shards, deps.random), expiresAt(deps));
  const pushed = await pushEvent(deps, item.id, roomId, 'ARTIST_MESSAGE', {
    itemId: item.id,
    artistId: artist.userId,
    displayName: artist.displayName,
    text: item.text,
  });
  return { value: item, pushed };
}

/** Longest a notice may ask players to keep showing it: one day. */
export const MAX_NOTICE_DISPLAY_SECONDS = 86_400;

/**
 * A notice to one room, or to every room with `roomId` "*" (stored in the global feed every `live` merges).
 * With `displaySeconds`, the item and the event carry `displayUntil` (its creation time plus that).
 */
export async function postNotice(
  deps: FeedEventDeps,
  roomId: string,
  operator: Viewer,
  level: NoticeLevel,
  rawText: string,
  displaySeconds?: number,
): Promise<Published<Comment>> {
  if (
    displaySeconds !== undefined &&
    !(Number.isInteger(displaySeconds) && displaySeconds >= 1 && displaySeconds <= MAX_NOTICE_DISPLAY_SECONDS)
  ) {
    throw new BadRequestError(
      'invalid_display_seconds',
      `displaySeconds is a whole number from 1 to ${MAX_NOTICE_DISPLAY_SECONDS}.`,
    );
  }
  const shard =
    roomId === GLOBAL_ROOM_ID ? 0 : pickWriteShard((await findRoom(deps.rooms, roomId)).shards, deps.random);
  const base = newItem(deps, roomId, 'notice', operator, normalizeCommentText(rawText, MAX_BROADCAST_LENGTH));
  const displayUntil =
    displaySeconds === undefined
      ? undefined
      : new Date(Date.parse(base.createdAt) + displaySeconds * 1000).toISOString();
  const item = { ...base, level, ...(displayUntil ? { displayUntil } : {}) };
  await deps.feed.append(item, shard, expiresAt(deps));
  const pushed = await pushEvent(deps, item.id, roomId, 'NOTICE', {
    itemId: item.id,
    level,
    text: item.text,
    ...(displayUntil ? { displayUntil } : {}),
  });
  return { value: item, pushed };
}

/**
 * Deletes a feed item: marked deleted (left out of `live` and segments) and a
 * tombstone written beside it (so `live` tells clients that already show it),
 * then a COMMENT_DELETED event. When the item's segment is archived, its
 * object is rewritten without the item — also when the item has already
 * expired from the table (ADR 0037). Deleting twice is harmless and pushes once.
 */
export async function deleteComment(
  deps: FeedEventDeps,
  roomId: string,
  commentId: string,
): Promise<Published<'deleted' | 'already-deleted'>> {
  const room = await findRoom(deps.rooms, roomId);
  const tombstoneId = newCommentId(deps.clock());
  const deletedAt = new Date(commentIdTime(tombstoneId)).toISOString();
  const stored = await deps.feed.markDeleted(
    roomId,
    room.shards.read,
    commentId,
    { id: tombstoneId, deletedAt },
    expiresAt(deps),
  );
  // After the table: an archiver writing the segment now reads the item as deleted, or wrote
  // the object before this looks for it (archiver.ts).
  const archived = await removeFromArchive(deps, room, commentId);
  if (stored === 'not-found' && !archived) {
    throw new NotFoundError('comment_not_found', `Room ${roomId} has no comment ${commentId}.`);
  }
  if (stored === 'already-deleted') {
    // A retry of a deletion that failed after the table write: the object is fixed now; drop its copies.
    if (archived) await invalidateSegment(deps, room, commentId, tombstoneId);
    return { value: stored, pushed: false };
  }
  const pushed = await pushEvent(deps, tombstoneId, roomId, 'COMMENT_DELETED', { commentId });
  await invalidateSegment(deps, room, commentId, tombstoneId);
  return { value: 'deleted', pushed };
}

/**
 * Rewrites the archived object of the item's segment without the item, when the segment is
 * closed and its object holds the item. True when it did. Items are found by id time (the id
 * gives the segment), so an item that expired from the table is still found here.
 */
async function removeFromArchive(deps: FeedEventDeps, room: Room, commentId: string): Promise<boolean> {
  if (!deps.archive) return false;
  const { segmentSeconds } = room.settings;
  const n = segmentOf(commentIdTime(commentId), segmentSeconds);
  if (segmentState(n, deps.clock(), segmentSeconds) !== 'closed') return false;
  const document = await deps.archive.get(room.roomId, n);
  if (!document?.comments.some((item) => item.id === commentId)) return false;
  await deps.archive.put(room.roomId, n, {
    ...document,
    comments: document.comments.filter((item) => item.id !== commentId),
  });
  return true;
}

/** A ping through the real path (the canary's self-ping). Not persisted: it carries no content. */
export async function ping(deps: Pick<FeedEventDeps, 'publisher' | 'clock'>, roomId: string, nonce: string) {
  const id = newCommentId(deps.clock());
  await deps.publisher.publish({
    id,
    roomId,
    kind: 'PING',
    time: new Date(commentIdTime(id)).toISOString(),
    payload: { nonce },
  });
  return id;
}

/**
 * The current segment is cached for a poll interval only, so it heals by
 * itself; an earlier one may be cached for a day (or be closing right now),
 * so its CDN copy is invalidated. A failure is reported, not thrown: the
 * deletion is stored, and `live`'s tombstone reaches polling players anyway.
 */
async function invalidateSegment(deps: FeedEventDeps, room: Room, commentId: string, reference: string) {
  if (!deps.edge) return;
  const { segmentSeconds } = room.settings;
  const n = segmentOf(commentIdTime(commentId), segmentSeconds);
  if (n >= segmentOf(deps.clock(), segmentSeconds)) return;
  const paths = [segmentPath(room.roomId, n)];
  try {
    await deps.edge.invalidate(paths, reference);
  } catch (error) {
    deps.onInvalidateFailed?.(paths, error);
  }
}

async function findRoom(rooms: RoomReader, roomId: string): Promise<Room> {
  const room = await rooms.get(roomId);
  if (!room) throw new NotFoundError('room_not_found', `Room ${roomId} does not exist.`);
  return room;
}

function newItem(
  deps: FeedEventDeps,
  roomId: string,
  kind: 'artist_message' | 'notice',
  author: Viewer,
  text: string,
): Comment {
  const id = newCommentId(deps.clock());
  return {
    id,
    roomId,
    kind,
    userId: author.userId,
    displayName: author.displayName,
    text,
    createdAt: new Date(commentIdTime(id)).toISOString(),
  };
}

const expiresAt = (deps: FeedEventDeps) => Math.ceil(deps.clock() / 1000) + deps.retentionDays * 86_400;
