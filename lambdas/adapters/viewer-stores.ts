import type { DynamoClient } from './dynamodb/client.js';
import { CachedModerationReader } from './cached-moderation-reader.js';
import { CachedRoomReader } from './cached-room-reader.js';
import { DynamoCommentStore } from './dynamodb/comment-store.js';
import { DynamoModerationStore } from './dynamodb/moderation-store.js';
import { DynamoRoomStore } from './dynamodb/room-store.js';

export interface TableNames {
  readonly comments: string;
  readonly control: string;
}

/**
 * What the post and read functions use, in AWS and locally alike: the comment
 * feed, and rooms and channel moderation through a short in-memory cache (a
 * settings change, a ban, applies within `cacheTtlMs`).
 */
export function viewerStores(dynamo: DynamoClient, tables: TableNames, cacheTtlMs: number) {
  const uncached = {
    rooms: new DynamoRoomStore(dynamo, tables.control),
    moderation: new DynamoModerationStore(dynamo, tables.control, false),
  };
  return {
    rooms: new CachedRoomReader(uncached.rooms, cacheTtlMs),
    moderation: new CachedModerationReader(uncached.moderation, cacheTtlMs),
    comments: new DynamoCommentStore(dynamo, tables.comments, tables.control),
    /** The post path checks a ban or block refusal against the table itself (feed/post-comment.ts). */
    uncached,
  };
}
