import type { Comment, FeedRecord } from './comment.js';
import type { Room } from './room.js';
import type { RoomEvent } from './room-event.js';

/** Interfaces the use cases need; adapters implement them (DynamoDB, caches). */

export interface RoomReader {
  get(roomId: string): Promise<Room | undefined>;
}

export interface RoomWriter {
  /** Creates the room; resolves false if a room with that id exists already. */
  create(room: Room): Promise<boolean>;
  /**
   * Changes the room's bans atomically with respect to other ban changes:
   * `change` gets the current bans and returns the new ones. Resolves the
   * new bans, or undefined when the room does not exist.
   */
  updateBans(roomId: string, change: (bans: Room['bans']) => Room['bans']): Promise<Room['bans'] | undefined>;
  /** Replaces the settings if the room is still at `expectedVersion`; bumps the version. */
  updateSettings(
    roomId: string,
    settings: Room['settings'],
    expectedVersion: number,
    updatedAt: string,
  ): Promise<Room | 'stale' | 'not-found'>;
}

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

export type Clock = () => number;

/** Pushes a realtime event to subscribers. Callers persist the event first; this is the accelerator. */
export interface RealtimePublisher {
  publish(event: RoomEvent): Promise<void>;
}

/** Drops cached copies of paths at the CDN (CloudFront invalidation in AWS; the local edge locally). */
export interface EdgeInvalidator {
  /** `reference` makes a retry of the same invalidation a no-op. */
  invalidate(paths: readonly string[], reference: string): Promise<void>;
}
