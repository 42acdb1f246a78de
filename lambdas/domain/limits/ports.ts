import type { StreamItem } from './merge.js';

/** What the view-limit batch needs from storage besides the plans; adapters implement them. */

/** One page of a room shard's records, newest first, and what DynamoDB charged for it. */
export interface CommentPage {
  readonly items: readonly StreamItem[];
  readonly readUnits: number;
}

/** Page sizes of a stream: the first page, then each page twice the one before, up to `max`. */
export interface PageSizes {
  readonly first: number;
  readonly max: number;
}

export interface CommentStreams {
  /**
   * A room shard's records (items and tombstones) with `fromId` ≤ id ≤ `toId`, newest first, a
   * page per Query (sizes growing from `pages.first` to `pages.max`); the next page is read only
   * when asked for.
   */
  descending(
    roomId: string,
    shard: number,
    fromId: string,
    toId: string,
    pages: PageSizes,
  ): AsyncIterable<CommentPage>;
}
