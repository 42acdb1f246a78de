import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type AttributeDefinition,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, paginateScan, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { roomIndexKeys } from '../lambdas/adapters/dynamodb/keys.js';
import { DEFAULT_CHANNEL_ID } from '../lambdas/domain/rooms/room.js';
import {
  commentsTable,
  controlTable,
  type GlobalIndexDefinition,
  type TableDefinition,
} from '../lambdas/tables.js';

export interface TableNames {
  readonly comments: string;
  readonly control: string;
}

export function tableNames(prefix: string): TableNames {
  return { comments: `${prefix}-${commentsTable.id}`, control: `${prefix}-${controlTable.id}` };
}

/**
 * Creates the tables from the same definitions CDK deploys. An existing table
 * (a kept data directory) is left as it is, but gains the indexes it lacks.
 */
export async function createTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  await Promise.all([
    create(client, commentsTable, names.comments),
    create(client, controlTable, names.control),
  ]);
}

async function create(client: DynamoDBClient, table: TableDefinition, name: string): Promise<void> {
  const indexes = table.globalIndexes ?? [];
  try {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributeDefinitions(table, indexes),
        KeySchema: [
          { AttributeName: table.partitionKey, KeyType: 'HASH' },
          { AttributeName: table.sortKey, KeyType: 'RANGE' },
        ],
        ...(indexes.length ? { GlobalSecondaryIndexes: indexes.map(globalIndex) } : {}),
      }),
    );
  } catch (error) {
    if (error instanceof ResourceInUseException) return addMissingIndexes(client, table, name);
    throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: name });
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: name,
      TimeToLiveSpecification: { AttributeName: table.timeToLiveAttribute, Enabled: true },
    }),
  );
}

/** Every key attribute of the table and its indexes, once each, as strings. */
function attributeDefinitions(
  table: TableDefinition,
  indexes: readonly GlobalIndexDefinition[],
): AttributeDefinition[] {
  const names = new Set([
    table.partitionKey,
    table.sortKey,
    ...indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ]);
  return [...names].map((AttributeName) => ({ AttributeName, AttributeType: 'S' }));
}

function globalIndex(index: GlobalIndexDefinition): GlobalSecondaryIndex {
  return {
    IndexName: index.name,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: 'HASH' },
      { AttributeName: index.sortKey, KeyType: 'RANGE' },
    ],
    Projection: { ProjectionType: 'KEYS_ONLY' },
  };
}

/**
 * A table kept from an older version gains the indexes added since (one at a
 * time, as in DynamoDB), and its rooms the listing attributes they lack.
 */
async function addMissingIndexes(
  client: DynamoDBClient,
  table: TableDefinition,
  name: string,
): Promise<void> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
  const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  const missing = (table.globalIndexes ?? []).filter((index) => !present.has(index.name));
  if (missing.length && table.id === controlTable.id) await addRoomIndexKeys(client, name);
  for (const index of missing) {
    await client.send(
      new UpdateTableCommand({
        TableName: name,
        AttributeDefinitions: attributeDefinitions(table, [index]),
        GlobalSecondaryIndexUpdates: [{ Create: globalIndex(index) }],
      }),
    );
    // One index at a time, and usable only once built from the items already there.
    await waitUntilIndexesActive(client, name);
  }
}

async function waitUntilIndexesActive(client: DynamoDBClient, name: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    const pending = (Table?.GlobalSecondaryIndexes ?? []).filter((i) => i.IndexStatus !== 'ACTIVE');
    if (Table?.TableStatus === 'ACTIVE' && pending.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(
        `Table ${name}: indexes still building after 60 s (${pending.map((i) => i.IndexName)}).`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Rooms stored before the listing indexes existed get their index attributes. */
async function addRoomIndexKeys(client: DynamoDBClient, name: string): Promise<void> {
  const doc = DynamoDBDocumentClient.from(client);
  const pages = paginateScan(
    { client: doc },
    {
      TableName: name,
      FilterExpression: 'sk = :room AND attribute_not_exists(gsi1pk)',
      ExpressionAttributeValues: { ':room': 'room' },
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      const keys = roomIndexKeys({
        roomId: String(item.roomId),
        channelId: String(item.channelId ?? DEFAULT_CHANNEL_ID),
        createdAt: String(item.createdAt),
      });
      await doc.send(
        new UpdateCommand({
          TableName: name,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: 'SET gsi1pk = :p, gsi1sk = :s, gsi2pk = :all',
          ExpressionAttributeValues: { ':p': keys.gsi1pk, ':s': keys.gsi1sk, ':all': keys.gsi2pk },
        }),
      );
    }
  }
}
