import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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
export function viewerStores(dynamo: DynamoDBDocumentClient, tables: TableNames, cacheTtlMs: number) {
  return {
    rooms: new CachedRoomReader(new DynamoRoomStore(dynamo, tables.control), cacheTtlMs),
    moderation: new CachedModerationReader(
      new DynamoModerationStore(dynamo, tables.control, false),
      cacheTtlMs,
    ),
    comments: new DynamoCommentStore(dynamo, tables.comments, tables.control),
  };
}
