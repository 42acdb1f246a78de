import type { Comment, FeedRecord } from './comment.js';
import type { ChannelModeration, NgWordList } from './moderation.js';
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

export interface RoomPage {
  readonly rooms: Room[];
  /** Pass back for the next page; absent on the last one. */
  readonly nextCursor?: string;
}

/** Lists rooms (admin API, scaler): by channel, newest first. */
export interface RoomLister {
  /** `channelIds` undefined = every channel (operators); an empty set lists nothing. */
  list(query: {
    readonly channelIds?: ReadonlySet<string>;
    readonly limit: number;
    readonly cursor?: string;
  }): Promise<RoomPage>;
}

/** What an admin update may set on a room: never its id, channel, shards, bans or purges. */
export type RoomPatch = Partial<Pick<Room, 'title' | 'status' | 'settings' | 'schedule' | 'expectedViewers'>>;

export interface RoomUpdater {
  /**
   * Sets the patch's fields in one conditional write if the room is still at
   * `expectedVersion`, and bumps the version once.
   */
  update(
    roomId: string,
    patch: RoomPatch,
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

/** A feed record as statistics read it: only who, what and whether it was deleted (its id dates it). */
export interface FeedActivityRecord {
  readonly id: string;
  readonly kind: FeedRecord['kind'];
  /** Absent on tombstones. */
  readonly userId?: string;
  readonly deleted: boolean;
}

export interface FeedActivityShard {
  /** Newest first. */
  readonly records: FeedActivityRecord[];
  /** False when the shard held more records in the range than the limit: the oldest ones were not read. */
  readonly complete: boolean;
}

/** Reads a room's feed for statistics: few attributes, newest first, a bounded number of records. */
export interface FeedActivityReader {
  /** Per shard: the newest records with `fromId` ≤ id ≤ `toId`, at most `limitPerShard` from each shard. */
  activity(
    roomId: string,
    shards: number,
    fromId: string,
    toId: string,
    limitPerShard: number,
  ): Promise<FeedActivityShard[]>;
}

/** A count for the minute starting at `minuteMs`. */
export interface MinuteCount {
  readonly minuteMs: number;
  readonly count: number;
}

/** Where a traffic figure comes from and what it covers. */
export interface TrafficSource {
  /** `room`: this room alone. `deployment`: every room together (the source has no per-room figure). */
  readonly scope: 'room' | 'deployment';
  /** E.g. `cloudwatch:AWS/CloudFront/Requests`, `local-edge`. */
  readonly source: string;
  /** A caveat worth showing beside the figure (publication delay, what else it counts). */
  readonly note?: string;
}

export interface PollTraffic extends TrafficSource {
  /** Minutes with a datapoint, oldest first; minutes without one are left out. */
  readonly perMinute: readonly MinuteCount[];
}

export interface GaugeTraffic extends TrafficSource {
  /** The latest value the source has; null when it has none. */
  readonly current: number | null;
  /** Minutes with a datapoint, oldest first; null when the source keeps no history. */
  readonly perMinute: readonly MinuteCount[] | null;
}

export interface RealtimeTraffic {
  /** Open WebSocket connections (a connection is not bound to a room). */
  readonly connections: GaugeTraffic;
  /** Subscriptions to the room's events. */
  readonly subscriptions: GaugeTraffic;
}

/** Traffic the feed cannot tell: CloudWatch in AWS, the local runtime's counters locally. */
export interface TrafficMetrics {
  /** Requests for the room's `live` and segments in the window. */
  pollRequests(
    roomId: string,
    window: { readonly fromMs: number; readonly toMs: number },
  ): Promise<PollTraffic>;
  realtime(
    roomId: string,
    window: { readonly fromMs: number; readonly toMs: number },
  ): Promise<RealtimeTraffic>;
}

/** Moderation state beyond a room: a channel's bans and blocks, the global NG words (moderation.ts). */
export interface ModerationReader {
  /** Undefined when nothing was ever banned or blocked in the channel. */
  channel(channelId: string): Promise<ChannelModeration | undefined>;
  /** Version 0 and no words before the first change. */
  ngWords(): Promise<NgWordList>;
}

export interface ModerationWriter {
  /**
   * Changes a channel's bans and blocks atomically with respect to other
   * changes: `change` gets the current state (empty for a new channel) and
   * returns the new one, which is stored and resolved. Returning `current`
   * itself writes nothing.
   */
  updateChannel(
    channelId: string,
    change: (current: ChannelModeration) => ChannelModeration,
  ): Promise<ChannelModeration>;
  /** Replaces the global NG words if the list is still at `expectedVersion`; bumps the version. */
  replaceNgWords(list: Omit<NgWordList, 'version'>, expectedVersion: number): Promise<NgWordList | 'stale'>;
  /** Changes a room's purges like `updateBans`; undefined when the room does not exist. */
  updatePurges(
    roomId: string,
    change: (purges: Room['purges']) => Room['purges'],
  ): Promise<Room['purges'] | undefined>;
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
