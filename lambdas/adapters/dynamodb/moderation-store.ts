import { UnavailableError } from '../../domain/errors.js';
import { ChannelModeration, emptyChannel, NgWordList } from '../../domain/moderation/moderation.js';
import type { ModerationReader, ModerationWriter } from '../../domain/moderation/ports.js';
import { Room } from '../../domain/rooms/room.js';
import { ConditionFailedError, type DynamoClient } from './client.js';
import { transientAsUnavailable } from './errors.js';
import { channelKey, globalNgWordsKey, roomKey } from './keys.js';

/** Enough for a burst of moderators acting at once (each round, one conditional write wins). */
const ATTEMPTS = 25;

/**
 * Moderation state in the control table: one item per channel (bans and
 * block list, revision-conditioned like a room's bans), the global NG-word
 * list (version-conditioned), and a room's purges (conditioned on the map read).
 */
export class DynamoModerationStore implements ModerationReader, ModerationWriter {
  constructor(
    private readonly db: DynamoClient,
    private readonly tableName: string,
    /** The admin API reads its own writes; the viewer paths read through a 1 s cache and need not. */
    private readonly consistentReads = true,
  ) {}

  async channel(channelId: string): Promise<ChannelModeration | undefined> {
    const item = await this.read(channelKey(channelId), this.consistentReads);
    return item ? toChannel(item) : undefined;
  }

  async ngWords(): Promise<NgWordList> {
    const item = await this.read(globalNgWordsKey, this.consistentReads);
    if (!item) return { words: [], version: 0 };
    const { pk: _pk, sk: _sk, ...list } = item;
    return NgWordList.parse(list);
  }

  async updateChannel(
    channelId: string,
    change: (current: ChannelModeration) => ChannelModeration,
  ): Promise<ChannelModeration> {
    return this.retrying('Too many concurrent changes in this channel; retry shortly.', async () => {
      const item = await this.read(channelKey(channelId), true);
      const revision = typeof item?.revision === 'number' ? item.revision : 0;
      const current = item ? toChannel(item) : emptyChannel(channelId);
      const changed = change(current);
      // `current` itself back means "nothing to change": nothing is written.
      if (changed === current) return current;
      const next = ChannelModeration.parse(changed);
      const written = await this.conditional(() =>
        this.db.put({
          TableName: this.tableName,
          Item: { ...channelKey(channelId), ...next, revision: revision + 1 },
          // Created by the first change; every later one must start from the revision it read.
          ConditionExpression: item ? 'revision = :current' : 'attribute_not_exists(pk)',
          ...(item ? { ExpressionAttributeValues: { ':current': revision } } : {}),
        }),
      );
      return written ? next : undefined;
    });
  }

  async replaceNgWords(
    list: Omit<NgWordList, 'version'>,
    expectedVersion: number,
  ): Promise<NgWordList | 'stale'> {
    const next = NgWordList.parse({ ...list, version: expectedVersion + 1 });
    const written = await this.conditional(() =>
      this.db.put({
        TableName: this.tableName,
        Item: { ...globalNgWordsKey, ...next },
        ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
        ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':expected': expectedVersion } }),
      }),
    );
    return written ? next : 'stale';
  }

  /**
   * Read, change, write back on the condition that the purges are still the
   * ones read (DynamoDB compares maps by value). The room item has no spare
   * revision attribute for this: its schema is strict.
   */
  async updatePurges(
    roomId: string,
    change: (purges: Room['purges']) => Room['purges'],
  ): Promise<Room['purges'] | undefined> {
    return this.retrying('Too many concurrent purges in this room; retry shortly.', async () => {
      const item = await this.read(roomKey(roomId), true);
      if (!item) return { value: undefined };
      const stored = item.purges as Room['purges'] | undefined;
      const next = Room.shape.purges.parse(change(stored ?? {}));
      const written = await this.conditional(() =>
        this.db.update({
          TableName: this.tableName,
          Key: roomKey(roomId),
          UpdateExpression: 'SET purges = :next',
          ConditionExpression:
            stored === undefined
              ? 'attribute_exists(pk) AND attribute_not_exists(purges)'
              : 'attribute_exists(pk) AND purges = :current',
          ExpressionAttributeValues: {
            ':next': next,
            ...(stored === undefined ? {} : { ':current': stored }),
          },
        }),
      );
      return written ? { value: next } : undefined;
    }).then((result) => result.value);
  }

  private async read(key: Record<string, string>, consistent: boolean) {
    const { Item } = await transientAsUnavailable(() =>
      this.db.get({ TableName: this.tableName, Key: key, ConsistentRead: consistent }),
    );
    return Item;
  }

  /** Runs a conditional write; false when its condition failed. */
  private async conditional(write: () => Promise<unknown>): Promise<boolean> {
    try {
      await transientAsUnavailable(write);
      return true;
    } catch (error) {
      if (error instanceof ConditionFailedError) return false;
      throw error;
    }
  }

  /** Runs `attempt` until it resolves a value (undefined = lost a race), backing off by random amounts. */
  private async retrying<T>(busy: string, attempt: () => Promise<T | undefined>): Promise<T> {
    for (let i = 0; i < ATTEMPTS; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * Math.min(i, 5)));
      const result = await attempt();
      if (result !== undefined) return result;
    }
    throw new UnavailableError(busy);
  }
}

function toChannel(item: Record<string, unknown>): ChannelModeration {
  const { pk: _pk, sk: _sk, revision: _revision, ...channel } = item;
  return ChannelModeration.parse(channel);
}
