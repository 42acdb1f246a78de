/**
 * The tables, defined once. The CDK stateful stack builds them from these
 * definitions and the local runtime creates them in DynamoDB Local from the
 * same ones, so the two cannot drift.
 */
export interface TableDefinition {
  /** Construct id in CDK, and the logical id pinned in the template. */
  readonly id: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  /** Epoch-seconds attribute the table's TTL expires items by. */
  readonly timeToLiveAttribute: string;
  readonly description: string;
}

export const commentsTable = {
  id: 'CommentsTable',
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'expiresAt',
  description: 'Comment feed: pk = room#<roomId>#<shard>, sk = comment id (ULID).',
} as const satisfies TableDefinition;

export const controlTable = {
  id: 'ControlTable',
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'expiresAt',
  description: 'Rooms, idempotency records and slow-mode windows (later: bans, notices, plans, audit).',
} as const satisfies TableDefinition;

export const tables = [commentsTable, controlTable] as const;
