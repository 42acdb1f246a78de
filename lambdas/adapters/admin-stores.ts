import type { DynamoClient } from './dynamodb/client.js';
import { DynamoAuditStore } from './dynamodb/audit-store.js';
import { DynamoCommentStore } from './dynamodb/comment-store.js';
import { DynamoFeedActivity } from './dynamodb/feed-stats.js';
import { DynamoModerationStore } from './dynamodb/moderation-store.js';
import { DynamoPlanStore } from './dynamodb/plan-store.js';
import { DynamoRoomStore } from './dynamodb/room-store.js';
import type { TableNames } from './viewer-stores.js';

/**
 * What the admin function (and, sharing the rooms and the audit log, the
 * scaler) reads and writes, in AWS and locally alike: uncached, with
 * consistent reads, since every change starts from the current state.
 */
export function adminStores(dynamo: DynamoClient, tables: TableNames) {
  return {
    rooms: new DynamoRoomStore(dynamo, tables.control),
    comments: new DynamoCommentStore(dynamo, tables.comments, tables.control),
    moderation: new DynamoModerationStore(dynamo, tables.control),
    auditLog: new DynamoAuditStore(dynamo, tables.control),
    feedActivity: new DynamoFeedActivity(dynamo, tables.comments),
    plans: new DynamoPlanStore(dynamo, tables.control),
  };
}
