import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RoomReader, RoomWriter } from '../../domain/ports.js';
import { Room } from '../../domain/room.js';
import { transientAsUnavailable } from './errors.js';
import { roomKey } from './keys.js';

export class DynamoRoomStore implements RoomReader, RoomWriter {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(roomId: string): Promise<Room | undefined> {
    const { Item } = await transientAsUnavailable(() =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: roomKey(roomId) })),
    );
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, ...room } = Item;
    return Room.parse(room);
  }

  async create(room: Room): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...roomKey(room.roomId), ...room },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
