import { testStores } from '../helpers/store.js';
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { roomKey } from '../../lambdas/adapters/dynamodb/keys.js';
import { DynamoRoomStore } from '../../lambdas/adapters/dynamodb/room-store.js';
import { createRoom } from '../../lambdas/domain/rooms/room.js';
import { controlTable } from '../../lambdas/tables.js';
import { createTables } from '../../local/tables.js';

/** The local runtime's tables, made from the shared definitions in DynamoDB Local. */
const client = new DynamoDBClient({
  endpoint: inject('dynamodbEndpoint'),
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});

const indexesOf = async (name: string) => {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
  return (Table?.GlobalSecondaryIndexes ?? [])
    .map((i) => ({
      name: i.IndexName,
      keys: i.KeySchema?.map((k) => k.AttributeName),
      projection: i.Projection?.ProjectionType,
    }))
    .sort((a, b) => (a.name! < b.name! ? -1 : 1));
};

const expected = [...controlTable.globalIndexes]
  .map((i) => ({ name: i.name, keys: [i.partitionKey, i.sortKey], projection: 'KEYS_ONLY' }))
  .sort((a, b) => (a.name < b.name ? -1 : 1));

describe('createTables', () => {
  it('builds the control table with the listing indexes of its definition', async () => {
    const names = { comments: `t-${randomUUID()}`, control: `t-${randomUUID()}` };
    await createTables(client, names);
    expect(await indexesOf(names.control)).toEqual(expected);
    expect(await indexesOf(names.comments)).toEqual([]);
  });

  it('gives a table kept from an older version the indexes it lacks, and its rooms their index keys', async () => {
    const names = { comments: `t-${randomUUID()}`, control: `t-${randomUUID()}` };
    await client.send(
      new CreateTableCommand({
        TableName: names.control,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );

    const doc = DynamoDBDocumentClient.from(client);
    const old = createRoom(
      { roomId: 'kept', channelId: 'ch-k', title: 'Kept' },
      new Date(Date.UTC(2030, 0, 1)),
    );
    await doc.send(new PutCommand({ TableName: names.control, Item: { ...roomKey('kept'), ...old } }));

    await createTables(client, names);
    expect(await indexesOf(names.control)).toEqual(expected);
    await createTables(client, names);
    expect(await indexesOf(names.control)).toEqual(expected);
    // The room stored before the indexes is listed like a new one.
    const rooms = new DynamoRoomStore(testStores().db, names.control);
    expect((await rooms.list({ channelIds: new Set(['ch-k']), limit: 10 })).rooms).toEqual([old]);
    expect((await rooms.list({ limit: 10 })).rooms).toEqual([old]);
  });
});
