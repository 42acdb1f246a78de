import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RoomReader, RoomWriter } from '../../domain/ports.js';
import { UnavailableError } from '../../domain/errors.js';
import { Room } from '../../domain/room.js';
import { transientAsUnavailable } from './errors.js';
import { roomKey } from './keys.js';

/** Enough for a burst of moderators banning at once (each round, one conditional write wins). */
const BAN_ATTEMPTS = 25;

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
    return toRoom(Item);
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

  /**
   * Read, change, write back on the condition that no other ban change came
   * in between (`bansRevision`), retried a few times: bans are rare, so
   * conflicts are too.
   */
  async updateBans(
    roomId: string,
    change: (bans: Room['bans']) => Room['bans'],
  ): Promise<Room['bans'] | undefined> {
    for (let attempt = 0; attempt < BAN_ATTEMPTS; attempt++) {
      // Concurrent changers back off by random amounts, so one of them wins each round.
      if (attempt > 0)
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * Math.min(attempt, 5)));
      const { Item } = await transientAsUnavailable(() =>
        this.doc.send(
          new GetCommand({ TableName: this.tableName, Key: roomKey(roomId), ConsistentRead: true }),
        ),
      );
      if (!Item) return undefined;
      const revision = typeof Item.bansRevision === 'number' ? Item.bansRevision : 0;
      const bans = change(toRoom(Item).bans);
      try {
        await transientAsUnavailable(() =>
          this.doc.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: roomKey(roomId),
              UpdateExpression: 'SET bans = :bans, bansRevision = :next',
              ConditionExpression:
                'attribute_exists(pk) AND (attribute_not_exists(bansRevision) OR bansRevision = :current)',
              ExpressionAttributeValues: { ':bans': bans, ':next': revision + 1, ':current': revision },
            }),
          ),
        );
        return bans;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    throw new UnavailableError('Too many concurrent ban changes in this room; retry shortly.');
  }

  async updateSettings(
    roomId: string,
    settings: Room['settings'],
    expectedVersion: number,
    updatedAt: string,
  ): Promise<Room | 'stale' | 'not-found'> {
    try {
      const { Attributes } = await transientAsUnavailable(() =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: roomKey(roomId),
            UpdateExpression: 'SET settings = :settings, version = version + :one, updatedAt = :at',
            ConditionExpression: 'attribute_exists(pk) AND version = :expected',
            ExpressionAttributeValues: {
              ':settings': settings,
              ':one': 1,
              ':at': updatedAt,
              ':expected': expectedVersion,
            },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return toRoom(Attributes!);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return (await this.get(roomId)) ? 'stale' : 'not-found';
    }
  }
}

/** The stored item without its keys and storage bookkeeping. */
function toRoom(item: Record<string, unknown>): Room {
  const { pk: _pk, sk: _sk, bansRevision: _revision, ...room } = item;
  return Room.parse(room);
}
