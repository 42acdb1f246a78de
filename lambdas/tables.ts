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
  /** Global secondary indexes (string keys). */
  readonly globalIndexes?: readonly GlobalIndexDefinition[];
}

export interface GlobalIndexDefinition {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  /**
   * `keys-only`: the index holds the table's and its own keys, nothing else, so
   * changes to other attributes (bans, settings) never write to it; readers
   * fetch the items themselves.
   */
  readonly projection: 'keys-only';
}

/**
 * Rooms by channel, newest first: only room items carry these attributes
 * (sparse). `gsi1pk = rooms#<channelId>`, `gsi1sk = <createdAt>#<roomId>`.
 */
export const roomsByChannelIndex = {
  name: 'ByChannel',
  partitionKey: 'gsi1pk',
  sortKey: 'gsi1sk',
  projection: 'keys-only',
} as const satisfies GlobalIndexDefinition;

/**
 * Every room, newest first, for operators (`gsi2pk = rooms`, same sort key). One
 * partition takes every room: fine, rooms are created a few times a day.
 * (CloudFormation adds one index per table update: a deployed table that has
 * neither index needs two deployments.)
 */
export const allRoomsIndex = {
  name: 'AllRooms',
  partitionKey: 'gsi2pk',
  sortKey: 'gsi1sk',
  projection: 'keys-only',
} as const satisfies GlobalIndexDefinition;

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
  globalIndexes: [roomsByChannelIndex, allRoomsIndex],
} as const satisfies TableDefinition;

export const tables = [commentsTable, controlTable] as const;
