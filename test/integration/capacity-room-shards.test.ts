import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { roomKey } from '../../lambdas/adapters/dynamodb/keys.js';
import { testStores } from '../helpers/store.js';

/** DynamoRoomStore.growWriteShards against DynamoDB Local: the scaler's one write to rooms. */
const stores = testStores();

describe('growing a room’s write shards in DynamoDB', () => {
  it('grows from the shards read, and reads keep every shard', async () => {
    const room = await stores.room();

    await expect(
      stores.rooms.growWriteShards(room.roomId, { write: 1, read: 1 }, { write: 4, read: 4 }),
    ).resolves.toBe('grown');

    const stored = (await stores.rooms.get(room.roomId))!;
    expect(stored.shards).toEqual({ write: 4, read: 4 });
    // Nothing else changed: not the version an admin update must name, not the settings.
    expect(stored.version).toBe(room.version);
    expect(stored.settings).toEqual(room.settings);
  });

  it('matches the stored map whatever order its keys were written in', async () => {
    const room = await stores.room();
    await stores.doc.send(
      new UpdateCommand({
        TableName: stores.tables.control,
        Key: roomKey(room.roomId),
        UpdateExpression: 'SET shards = :s',
        ExpressionAttributeValues: { ':s': { read: 8, write: 2 } },
      }),
    );

    await expect(
      stores.rooms.growWriteShards(room.roomId, { write: 2, read: 8 }, { write: 4, read: 8 }),
    ).resolves.toBe('grown');
    expect((await stores.rooms.get(room.roomId))!.shards).toEqual({ write: 4, read: 8 });
  });

  it('refuses to overwrite shards that changed since they were read', async () => {
    const room = await stores.room({ shards: 2 });

    await expect(
      stores.rooms.growWriteShards(room.roomId, { write: 1, read: 1 }, { write: 3, read: 3 }),
    ).resolves.toBe('stale');
    expect((await stores.rooms.get(room.roomId))!.shards).toEqual({ write: 2, read: 2 });
  });

  it('answers not-found for a room that does not exist, and creates nothing', async () => {
    await expect(
      stores.rooms.growWriteShards('no-such-room', { write: 1, read: 1 }, { write: 2, read: 2 }),
    ).resolves.toBe('not-found');
    expect(await stores.rooms.get('no-such-room')).toBeUndefined();
  });

  it.each([
    ['shrinking', { write: 4, read: 4 }, { write: 2, read: 4 }],
    ['forgetting read shards', { write: 2, read: 8 }, { write: 4, read: 4 }],
    ['beyond the maximum', { write: 1, read: 1 }, { write: 65, read: 65 }],
  ])('refuses %s without writing', async (_, from, to) => {
    const room = await stores.room();

    await expect(stores.rooms.growWriteShards(room.roomId, from, to)).rejects.toThrow(
      /Not a growth of write shards/,
    );
  });
});
