import type { StreamItem } from './merge.js';

/** What the view-limit batch needs from storage besides the plans; adapters implement them. */

/** One page of a room shard's records, newest first, and what DynamoDB charged for it. */
export interface CommentPage {
  readonly items: readonly StreamItem[];
  readonly readUnits: number;
}

export interface CommentStreams {
  /**
   * A room shard's records (items and tombstones) with `fromId` ≤ id ≤ `toId`, newest first,
   * `pageSize` per page; the next page is read only when asked for.
   */
  descending(
    roomId: string,
    shard: number,
    fromId: string,
    toId: string,
    pageSize: number,
  ): AsyncIterable<CommentPage>;
}
