import { createServer, type Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ConditionFailedError,
  createDynamoClient,
  queryPages,
  TransactionCanceledError,
  TransientDynamoError,
} from '../../lambdas/adapters/dynamodb/client.js';
import { integrationTarget } from '../helpers/store.js';

/** The functions' DynamoDB client against DynamoDB Local: plain values in and out, typed errors. */
const target = integrationTarget();
const db = createDynamoClient({
  region: 'us-east-1',
  endpoint: target.dynamodbEndpoint,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const table = target.tables.control;
const key = () => ({ pk: `client-test#${randomUUID()}`, sk: 'item' });

describe('createDynamoClient', () => {
  it('writes and reads plain values, leaving undefined attributes out', async () => {
    const k = key();

    await db.put({ TableName: table, Item: { ...k, n: 5, list: ['a'], map: { x: 1 }, gone: undefined } });
    const { Item } = await db.get({ TableName: table, Key: k, ConsistentRead: true });

    expect(Item).toEqual({ ...k, n: 5, list: ['a'], map: { x: 1 } });
  });

  it('throws ConditionFailedError when a put condition is false', async () => {
    const k = key();
    await db.put({ TableName: table, Item: k });

    const again = db.put({ TableName: table, Item: k, ConditionExpression: 'attribute_not_exists(pk)' });

    await expect(again).rejects.toBeInstanceOf(ConditionFailedError);
  });

  it('throws TransactionCanceledError with one reason per action and the old item as plain values', async () => {
    const taken = key();
    await db.put({ TableName: table, Item: { ...taken, untilMs: 123 } });
    const fresh = key();

    const write = db.transactWrite({
      TransactItems: [
        {
          Put: {
            TableName: table,
            Item: taken,
            ConditionExpression: 'attribute_not_exists(pk)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        { Put: { TableName: table, Item: fresh } },
      ],
    });

    const error = await write.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionCanceledError);
    expect((error as TransactionCanceledError).reasons).toEqual([
      { code: 'ConditionalCheckFailed', item: { ...taken, untilMs: 123 } },
      { code: 'None' },
    ]);
    expect((await db.get({ TableName: table, Key: fresh, ConsistentRead: true })).Item).toBeUndefined();
  });

  it('pages through a query with plain-valued keys', async () => {
    const pk = `client-test#${randomUUID()}`;
    for (let i = 0; i < 5; i++) await db.put({ TableName: table, Item: { pk, sk: `s${i}` } });

    const first = await db.query({
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      Limit: 2,
    });
    const pages: string[][] = [];
    for await (const page of queryPages(db, {
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      Limit: 2,
    })) {
      pages.push(page.map((item) => String(item.sk)));
    }

    expect(first.LastEvaluatedKey).toEqual({ pk, sk: 's1' });
    expect(pages.flat()).toEqual(['s0', 's1', 's2', 's3', 's4']);
    expect(pages.length).toBeGreaterThanOrEqual(3);
  });

  it.each([
    ['drops every connection', (socket: Socket) => socket.destroy()],
    ['answers with something that is not HTTP', (socket: Socket) => socket.end('garbage\r\n\r\n')],
  ])('fails as transient when the endpoint %s', async (_, answer) => {
    const broken = createServer((socket) => socket.once('data', () => answer(socket)));
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
    const { port } = broken.address() as { port: number };
    const client = createDynamoClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      await expect(client.get({ TableName: table, Key: key() })).rejects.toBeInstanceOf(TransientDynamoError);
    } finally {
      broken.close();
    }
  });

  it('fails as transient when nothing listens on the endpoint', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const client = createDynamoClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });

    await expect(client.get({ TableName: table, Key: key() })).rejects.toBeInstanceOf(TransientDynamoError);
  });

  it('fails as transient when DynamoDB does not answer within the deadline', async () => {
    // A server that accepts connections and never answers.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const stuck = createDynamoClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      timeoutMs: 200,
    });
    try {
      const read = stuck.get({ TableName: table, Key: key() });

      await expect(read).rejects.toBeInstanceOf(TransientDynamoError);
      await expect(read).rejects.toThrow(/longer than 200 ms/);
    } finally {
      silent.close();
    }
  });
});
