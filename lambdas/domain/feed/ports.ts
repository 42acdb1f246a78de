import type { Comment, FeedRecord } from './comment.js';

/** What the feed use cases need from storage and the CDN; adapters implement them. */

export interface CreateCommentRequest {
  readonly comment: Comment;
  readonly shard: number;
  readonly clientMessageId: string;
  /** When set, the write succeeds only if the user's previous slow-mode window has ended by `nowMs`. */
  readonly slowMode?: { readonly nowMs: number; readonly untilMs: number };
  /** Epoch seconds after which the comment may be expired by the table's TTL. */
  readonly expiresAtSec: number;
}

export type CreateCommentResult =
  | { readonly outcome: 'created'; readonly comment: Comment }
  /** A comment with this (user, clientMessageId) exists already; here it is. */
  | { readonly outcome: 'duplicate'; readonly comment: Comment }
  | { readonly outcome: 'slow-mode'; readonly retryAfterMs: number };

export interface CommentWriter {
  /** One atomic, conditional write: the comment, its idempotency record and the slow-mode window. */
  create(request: CreateCommentRequest): Promise<CreateCommentResult>;
  findByClientMessageId(
    roomId: string,
    userId: string,
    clientMessageId: string,
  ): Promise<Comment | undefined>;
}

export interface CommentReader {
  /** Per shard, newest first: the records with id ≥ `fromId`, at most `limit` from each shard. */
  newest(roomId: string, shards: number, fromId: string, limit: number): Promise<FeedRecord[][]>;
  /** Per shard, oldest first: every record with `fromId` ≤ id ≤ `toId`. */
  range(roomId: string, shards: number, fromId: string, toId: string): Promise<FeedRecord[][]>;
}

export type DeleteOutcome = 'deleted' | 'already-deleted' | 'not-found';

/** Feed writes outside the viewer post path: artist messages, notices, deletions. */
export interface FeedWriter {
  /** Stores an item; it must not exist yet. */
  append(item: Comment, shard: number, expiresAtSec: number): Promise<void>;
  /**
   * Marks an item deleted and writes its tombstone, atomically. Looks for the
   * item in every one of the room's `shards`.
   */
  markDeleted(
    roomId: string,
    shards: number,
    commentId: string,
    tombstone: { readonly id: string; readonly deletedAt: string },
    expiresAtSec: number,
  ): Promise<DeleteOutcome>;
}

/** Drops cached copies of paths at the CDN (CloudFront invalidation in AWS; the local edge locally). */
export interface EdgeInvalidator {
  /** `reference` makes a retry of the same invalidation a no-op. */
  invalidate(paths: readonly string[], reference: string): Promise<void>;
}

/** A room's whole feed for moderators, newest first, page by page. */
export interface CommentHistory {
  /**
   * Per shard, newest first: items (never tombstones; deleted ones included)
   * with id < `beforeId` (every item when undefined), at most `limit` from each shard.
   */
  history(
    roomId: string,
    shards: number,
    beforeId: string | undefined,
    limit: number,
  ): Promise<(Comment & { readonly deletedAt?: string })[][]>;
}

/**
 * Closed segments kept after their items leave the table (ADR 0037): one object per segment,
 * the segment's visible items and tombstones as they stood when written (deleted items left out,
 * no viewer-time filters: bans, purges and the view cutoff apply when it is read).
 */
export interface SegmentArchive {
  /** The archived document, or undefined when the segment has no object (an empty segment has none). */
  get(roomId: string, segment: number): Promise<ArchivedSegment | undefined>;
  /** Writes (or rewrites) the segment's object. */
  put(roomId: string, segment: number, document: ArchivedSegment): Promise<void>;
}

/** What one archived object holds: the segment document, closed, before viewer-time filters. */
export interface ArchivedSegment {
  readonly roomId: string;
  readonly segment: number;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly closed: true;
  readonly comments: Comment[];
  readonly tombstones: { readonly commentId: string; readonly deletedAt: string }[];
}
