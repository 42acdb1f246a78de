import type { UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type {
  RoomCutoffWriter,
  ArchiveWatermark,
  RoomLister,
  RoomPage,
  RoomPatch,
  RoomReader,
  RoomUpdater,
  RoomWriter,
} from '../../domain/rooms/ports.js';
import { BadRequestError, UnavailableError } from '../../domain/errors.js';
import { Room } from '../../domain/rooms/room.js';
import { MAX_SHARDS, type RoomShards } from '../../domain/feed/shards.js';
import { allRoomsIndex, roomsByChannelIndex, type GlobalIndexDefinition } from '../../tables.js';
import { ConditionFailedError, type DynamoClient } from './client.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { transientAsUnavailable } from './errors.js';
import { ALL_ROOMS_PARTITION, channelRoomsPartition, roomIndexKeys, roomKey } from './keys.js';

/** Enough for a burst of moderators banning at once (each round, one conditional write wins). */
const BAN_ATTEMPTS = 25;
/** Rounds of a room listing's batch read before it gives up (unprocessed keys mean throttling). */
const BATCH_ATTEMPTS = 6;
/** The fields `update` may set; anything else in a patch is ignored. */
const PATCHABLE = [
  'title',
  'status',
  'settings',
  'schedule',
  'expectedViewers',
] as const satisfies readonly (keyof RoomPatch)[];
/** A listing cursor's position: `<createdAt>#<roomId>`. */
const LISTING_POSITION = /^\d{4}-\d\d-\d\dT[\d:.]+Z#[A-Za-z0-9_-]{1,64}$/;

export class DynamoRoomStore
  implements RoomReader, RoomWriter, RoomUpdater, RoomLister, RoomCutoffWriter, ArchiveWatermark
{
  constructor(
    private readonly db: DynamoClient,
    private readonly tableName: string,
  ) {}

  async get(roomId: string): Promise<Room | undefined> {
    const { Item } = await transientAsUnavailable(() =>
      this.db.get({ TableName: this.tableName, Key: roomKey(roomId) }),
    );
    if (!Item) return undefined;
    return toRoom(Item);
  }

  async create(room: Room): Promise<boolean> {
    try {
      await this.db.put({
        TableName: this.tableName,
        Item: { ...roomKey(room.roomId), ...roomIndexKeys(room), ...room },
        ConditionExpression: 'attribute_not_exists(pk)',
      });
      return true;
    } catch (error) {
      if (error instanceof ConditionFailedError) return false;
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
        this.db.get({ TableName: this.tableName, Key: roomKey(roomId), ConsistentRead: true }),
      );
      if (!Item) return undefined;
      const revision = typeof Item.bansRevision === 'number' ? Item.bansRevision : 0;
      const bans = change(toRoom(Item).bans);
      try {
        await transientAsUnavailable(() =>
          this.db.update({
            TableName: this.tableName,
            Key: roomKey(roomId),
            UpdateExpression: 'SET bans = :bans, bansRevision = :next',
            ConditionExpression:
              'attribute_exists(pk) AND (attribute_not_exists(bansRevision) OR bansRevision = :current)',
            ExpressionAttributeValues: { ':bans': bans, ':next': revision + 1, ':current': revision },
          }),
        );
        return bans;
      } catch (error) {
        if (!(error instanceof ConditionFailedError)) throw error;
      }
    }
    throw new UnavailableError('Too many concurrent ban changes in this room; retry shortly.');
  }

  /** A settings change is an update of the settings alone. */
  async updateSettings(
    roomId: string,
    settings: Room['settings'],
    expectedVersion: number,
    updatedAt: string,
  ): Promise<Room | 'stale' | 'not-found'> {
    return this.update(roomId, { settings }, expectedVersion, updatedAt);
  }

  /** One conditional UpdateItem: the patch's fields, the version bumped once, the update time. */
  async update(
    roomId: string,
    patch: RoomPatch,
    expectedVersion: number,
    updatedAt: string,
  ): Promise<Room | 'stale' | 'not-found'> {
    const fields = PATCHABLE.filter((field) => patch[field] !== undefined);
    const names = Object.fromEntries(fields.map((field, i) => [`#f${i}`, field]));
    const values = Object.fromEntries(fields.map((field, i) => [`:f${i}`, patch[field]]));
    try {
      const { Attributes } = await transientAsUnavailable(() =>
        this.db.update({
          TableName: this.tableName,
          Key: roomKey(roomId),
          UpdateExpression: `SET ${[
            ...fields.map((_, i) => `#f${i} = :f${i}`),
            'version = version + :one',
            'updatedAt = :at',
          ].join(', ')}`,
          ConditionExpression: 'attribute_exists(pk) AND version = :expected',
          ...(fields.length ? { ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: {
            ...values,
            ':one': 1,
            ':at': updatedAt,
            ':expected': expectedVersion,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toRoom(Attributes!);
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
      return (await this.get(roomId)) ? 'stale' : 'not-found';
    }
  }

  /**
   * Grows the room's write shards (the scaler, ADR 0015) if they are still
   * `from`: one conditional write of the whole shards map, so a concurrent
   * change makes this one fail ('stale') instead of undoing it. Shards only
   * grow: reads merge every shard ever written.
   */
  async growWriteShards(
    roomId: string,
    from: RoomShards,
    to: RoomShards,
  ): Promise<'grown' | 'stale' | 'not-found'> {
    if (!(to.write > from.write && to.write <= MAX_SHARDS && to.read === Math.max(from.read, to.write))) {
      throw new Error(`Not a growth of write shards: ${JSON.stringify(from)} → ${JSON.stringify(to)}.`);
    }
    try {
      await transientAsUnavailable(() =>
        this.db.update(growWriteShardsInput(this.tableName, roomId, from, to)),
      );
      return 'grown';
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
      return (await this.get(roomId)) ? 'stale' : 'not-found';
    }
  }

  /** The archiver's watermark: one conditional UpdateItem of `archivedThrough` alone (ADR 0037). */
  async setArchivedThrough(
    roomId: string,
    from: number | undefined,
    to: number,
  ): Promise<'set' | 'stale' | 'not-found'> {
    if (!(Number.isInteger(to) && to >= 0 && (from === undefined || to > from))) {
      throw new Error(`archivedThrough only grows: ${String(from)} → ${to}.`);
    }
    try {
      await transientAsUnavailable(() =>
        this.db.update({
          TableName: this.tableName,
          Key: roomKey(roomId),
          UpdateExpression: 'SET archivedThrough = :to',
          ConditionExpression:
            from === undefined
              ? 'attribute_exists(pk) AND attribute_not_exists(archivedThrough)'
              : 'attribute_exists(pk) AND archivedThrough = :from',
          ExpressionAttributeValues: { ':to': to, ...(from === undefined ? {} : { ':from': from }) },
        }),
      );
      return 'set';
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
      return (await this.get(roomId)) ? 'stale' : 'not-found';
    }
  }

  /**
   * Rooms newest first, from the keys-only listing indexes: one query per
   * channel (or one of every room), merged by the shared sort key
   * `<createdAt>#<roomId>`, then the rooms themselves in one consistent batch
   * read. The cursor is the sort key of the page's last room, so it holds for
   * any set of channels and a page never repeats or skips a room.
   */
  async list(query: {
    readonly channelIds?: ReadonlySet<string>;
    readonly limit: number;
    readonly cursor?: string;
  }): Promise<RoomPage> {
    const before = decodeCursor(query.cursor, ['before'])?.before;
    if (before !== undefined && (typeof before !== 'string' || !LISTING_POSITION.test(before))) {
      throw new BadRequestError('invalid_cursor', 'The cursor is not one this API gave out.');
    }
    const partitions = query.channelIds
      ? [...query.channelIds].map((channelId) => ({
          index: roomsByChannelIndex,
          value: channelRoomsPartition(channelId),
        }))
      : [{ index: allRoomsIndex, value: ALL_ROOMS_PARTITION }];
    // One more than a page tells whether another page follows.
    const found = (
      await Promise.all(partitions.map((p) => this.newestKeys(p.index, p.value, query.limit + 1, before)))
    ).flat();
    found.sort((a, b) => (a.position < b.position ? 1 : a.position > b.position ? -1 : 0));
    const page = found.slice(0, query.limit);
    const rooms = await this.getMany(page.map((entry) => entry.key));
    const last = page.at(-1);
    const next = found.length > query.limit && last ? encodeCursor({ before: last.position }) : undefined;
    return { rooms, ...(next ? { nextCursor: next } : {}) };
  }

  /** Up to `limit` keys of one index partition, newest first, all below `before` when given. */
  private async newestKeys(
    index: GlobalIndexDefinition,
    partition: string,
    limit: number,
    before: string | undefined,
  ): Promise<{ position: string; key: Record<string, unknown> }[]> {
    const out: { position: string; key: Record<string, unknown> }[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await transientAsUnavailable(() =>
        this.db.query({
          TableName: this.tableName,
          IndexName: index.name,
          KeyConditionExpression: before ? '#pk = :pk AND #sk < :before' : '#pk = :pk',
          ExpressionAttributeNames: {
            '#pk': index.partitionKey,
            ...(before ? { '#sk': index.sortKey } : {}),
          },
          ExpressionAttributeValues: { ':pk': partition, ...(before ? { ':before': before } : {}) },
          ScanIndexForward: false,
          Limit: limit - out.length,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        out.push({ position: String(item[index.sortKey]), key: { pk: item.pk, sk: item.sk } });
      }
      start = page.LastEvaluatedKey;
    } while (start && out.length < limit);
    return out;
  }

  /** The rooms of `keys`, in that order, read consistently (missing ones are left out). */
  private async getMany(keys: Record<string, unknown>[]): Promise<Room[]> {
    const byPk = new Map<string, Room>();
    // A page is at most 100 rooms: one batch, plus retries of what DynamoDB left unprocessed.
    let pending = keys;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= BATCH_ATTEMPTS)
        throw new UnavailableError('The room listing is throttled; retry shortly.');
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 2 ** attempt * 10));
      const out = await transientAsUnavailable(() =>
        this.db.batchGet({
          RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } },
        }),
      );
      for (const item of out.Responses?.[this.tableName] ?? []) byPk.set(String(item.pk), toRoom(item));
      pending = out.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
    }
    return keys.flatMap((key) => byPk.get(String(key.pk)) ?? []);
  }

  /**
   * The view-limit batch's write (ADR 0038): the cutoff alone, set or removed,
   * in its own UpdateItem; the version and update time stay as they are.
   */
  async setViewCutoff(roomId: string, cutoff: Room['viewCutoff'] | undefined): Promise<boolean> {
    try {
      await transientAsUnavailable(() =>
        this.db.update({
          TableName: this.tableName,
          Key: roomKey(roomId),
          UpdateExpression: cutoff ? 'SET viewCutoff = :cutoff' : 'REMOVE viewCutoff',
          ConditionExpression: 'attribute_exists(pk)',
          ...(cutoff
            ? { ExpressionAttributeValues: { ':cutoff': { id: cutoff.id, computedAt: cutoff.computedAt } } }
            : {}),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionFailedError) return false;
      throw error;
    }
  }
}

/** The write `growWriteShards` makes; exported so a dry run can show it exactly. */
export function growWriteShardsInput(
  tableName: string,
  roomId: string,
  from: RoomShards,
  to: RoomShards,
): UpdateCommandInput {
  return {
    TableName: tableName,
    Key: roomKey(roomId),
    UpdateExpression: 'SET #shards = :to',
    // DynamoDB compares maps by value: the write applies only to the shards that were read.
    ConditionExpression: 'attribute_exists(pk) AND #shards = :from',
    ExpressionAttributeNames: { '#shards': 'shards' },
    ExpressionAttributeValues: {
      ':to': { write: to.write, read: to.read },
      ':from': { write: from.write, read: from.read },
    },
  };
}

/** The stored item without its keys and storage bookkeeping. */
function toRoom(item: Record<string, unknown>): Room {
  const {
    pk: _pk,
    sk: _sk,
    bansRevision: _revision,
    gsi1pk: _gsi1pk,
    gsi1sk: _gsi1sk,
    gsi2pk: _gsi2pk,
    ...room
  } = item;
  return Room.parse(room);
}
