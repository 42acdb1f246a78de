import type { QueryCommandInput, TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { Comment, type FeedRecord } from '../../domain/feed/comment.js';
import { UnavailableError } from '../../domain/errors.js';
import type {
  CommentReader,
  CommentWriter,
  CreateCommentRequest,
  CreateCommentResult,
  DeleteOutcome,
  FeedWriter,
} from '../../domain/feed/ports.js';
import type { CommentPage, CommentStreams, PageSizes } from '../../domain/limits/ports.js';
import { queryPages, TransactionCanceledError, type DynamoClient } from './client.js';
import { transientAsUnavailable } from './errors.js';
import { commentPartition, idempotencyKey, slowModeKey } from './keys.js';

/** Idempotency records outlive any sensible client retry. */
const IDEMPOTENCY_TTL_SEC = 24 * 3600;
const CONFLICT_RETRIES = 4;

export class DynamoCommentStore implements CommentWriter, CommentReader, FeedWriter, CommentStreams {
  constructor(
    private readonly db: DynamoClient,
    private readonly commentsTable: string,
    private readonly controlTable: string,
  ) {}

  /**
   * One transaction: the idempotency record (must not exist), the user's
   * slow-mode window (must have ended), and the comment. Either all three are
   * written or none, so a comment is acknowledged exactly once per
   * (user, clientMessageId) and nothing is written on refusal.
   */
  async create(request: CreateCommentRequest): Promise<CreateCommentResult> {
    const { comment, clientMessageId, slowMode } = request;
    const items = commentTransactionItems(request, this.commentsTable, this.controlTable);

    for (let attempt = 0; ; attempt++) {
      try {
        await transientAsUnavailable(() => this.db.transactWrite({ TransactItems: items }));
        return { outcome: 'created', comment };
      } catch (error) {
        if (!(error instanceof TransactionCanceledError)) throw error;
        const reasons = error.reasons;
        const failed = (i: number) => reasons[i]?.code === 'ConditionalCheckFailed';

        if (failed(0)) {
          const earlier = await this.findByClientMessageId(comment.roomId, comment.userId, clientMessageId);
          if (earlier) return { outcome: 'duplicate', comment: earlier };
        } else if (slowMode && failed(1)) {
          const untilMs = Number(reasons[1]?.item?.untilMs ?? slowMode.untilMs);
          return { outcome: 'slow-mode', retryAfterMs: Math.max(0, untilMs - slowMode.nowMs) };
        } else if (!reasons.some((r) => r.code === 'TransactionConflict')) {
          throw error;
        }
        // A concurrent transaction touched the same items (usually a duplicate
        // of this very request): back off, then try again and see who won.
        if (attempt >= CONFLICT_RETRIES) {
          throw new UnavailableError('Too many concurrent writes for this comment; retry shortly.', error);
        }
        await sleep(10 * 2 ** attempt * (1 + Math.random()));
      }
    }
  }

  async findByClientMessageId(
    roomId: string,
    userId: string,
    clientMessageId: string,
  ): Promise<Comment | undefined> {
    const { Item } = await transientAsUnavailable(() =>
      this.db.get({
        TableName: this.controlTable,
        Key: idempotencyKey(roomId, clientMessageId, userId),
        ConsistentRead: true,
      }),
    );
    return Item ? Comment.parse(Item.comment) : undefined;
  }

  async append(item: Comment, shard: number, expiresAtSec: number): Promise<void> {
    await transientAsUnavailable(() =>
      this.db.put({
        TableName: this.commentsTable,
        Item: { pk: commentPartition(item.roomId, shard), sk: item.id, ...item, expiresAt: expiresAtSec },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /**
   * Finds the item on whichever shard holds it, then in one transaction marks
   * it deleted (only if it is not already) and writes the tombstone beside it.
   */
  async markDeleted(
    roomId: string,
    shards: number,
    commentId: string,
    tombstone: { readonly id: string; readonly deletedAt: string },
    expiresAtSec: number,
  ): Promise<DeleteOutcome> {
    const found = await transientAsUnavailable(() =>
      Promise.all(
        Array.from({ length: shards }, (_, shard) =>
          this.db
            .get({
              TableName: this.commentsTable,
              Key: { pk: commentPartition(roomId, shard), sk: commentId },
              ConsistentRead: true,
            })
            .then(({ Item }) => (Item && Item.kind !== 'tombstone' ? { shard, item: Item } : undefined)),
        ),
      ),
    );
    const hit = found.find((f) => f !== undefined);
    if (!hit) return 'not-found';
    if (hit.item.deletedAt !== undefined) return 'already-deleted';

    const pk = commentPartition(roomId, hit.shard);
    try {
      await transientAsUnavailable(() =>
        this.db.transactWrite({
          TransactItems: [
            {
              Update: {
                TableName: this.commentsTable,
                Key: { pk, sk: commentId },
                UpdateExpression: 'SET deletedAt = :at',
                ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(deletedAt)',
                ExpressionAttributeValues: { ':at': tombstone.deletedAt },
              },
            },
            {
              Put: {
                TableName: this.commentsTable,
                Item: {
                  pk,
                  sk: tombstone.id,
                  id: tombstone.id,
                  kind: 'tombstone',
                  roomId,
                  commentId,
                  deletedAt: tombstone.deletedAt,
                  expiresAt: expiresAtSec,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return 'deleted';
    } catch (error) {
      // Deleted by someone else between the read and the write.
      if (error instanceof TransactionCanceledError && error.reasons[0]?.code === 'ConditionalCheckFailed') {
        return 'already-deleted';
      }
      throw error;
    }
  }

  newest(roomId: string, shards: number, fromId: string, limit: number): Promise<FeedRecord[][]> {
    return this.eachShard(roomId, shards, limit, {
      KeyConditionExpression: 'pk = :pk AND sk >= :from',
      ExpressionAttributeValues: { ':from': fromId },
      ScanIndexForward: false,
    });
  }

  range(roomId: string, shards: number, fromId: string, toId: string): Promise<FeedRecord[][]> {
    return this.eachShard(roomId, shards, Infinity, {
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':from': fromId, ':to': toId },
      ScanIndexForward: true,
    });
  }

  /** Queries every shard in parallel, following pages until `limit` items per shard. */
  private eachShard(
    roomId: string,
    shards: number,
    limit: number,
    query: Pick<
      QueryCommandInput,
      'KeyConditionExpression' | 'ExpressionAttributeValues' | 'ScanIndexForward'
    >,
  ): Promise<FeedRecord[][]> {
    const one = async (shard: number): Promise<FeedRecord[]> => {
      const out: FeedRecord[] = [];
      const pages = queryPages(this.db, {
        TableName: this.commentsTable,
        ...query,
        ExpressionAttributeValues: {
          ...query.ExpressionAttributeValues,
          ':pk': commentPartition(roomId, shard),
        },
        ...(Number.isFinite(limit) ? { Limit: limit } : {}),
      });
      for await (const page of pages) {
        for (const item of page) {
          out.push(toRecord(item));
          if (out.length >= limit) return out;
        }
      }
      return out;
    };
    return transientAsUnavailable(() =>
      Promise.all(Array.from({ length: shards }, (_, shard) => one(shard))),
    );
  }

  /**
   * The admin view of a room's feed: per shard, newest first, every item
   * (deleted ones included, tombstones left out) with id < `beforeId`, at
   * most `limit` from each shard.
   */
  history(
    roomId: string,
    shards: number,
    beforeId: string | undefined,
    limit: number,
  ): Promise<(Comment & { readonly deletedAt?: string })[][]> {
    const one = async (shard: number) => {
      const out: (Comment & { readonly deletedAt?: string })[] = [];
      const pages = queryPages(this.db, {
        Limit: limit,
        TableName: this.commentsTable,
        KeyConditionExpression: beforeId === undefined ? 'pk = :pk' : 'pk = :pk AND sk < :before',
        FilterExpression: '#kind <> :tombstone',
        ExpressionAttributeNames: { '#kind': 'kind' },
        ExpressionAttributeValues: {
          ':pk': commentPartition(roomId, shard),
          ':tombstone': 'tombstone',
          ...(beforeId === undefined ? {} : { ':before': beforeId }),
        },
        ScanIndexForward: false,
      });
      for await (const page of pages) {
        for (const item of page) {
          const record = toRecord(item);
          if (record.kind !== 'tombstone') out.push(record);
          if (out.length >= limit) return out;
        }
      }
      return out;
    };
    return transientAsUnavailable(() =>
      Promise.all(Array.from({ length: shards }, (_, shard) => one(shard))),
    );
  }

  /**
   * The view-limit batch's stream of one room shard (ADR 0038): records with
   * `fromId` ≤ id ≤ `toId`, newest first, one Query per page, each read only
   * when the merge asks for it; pages grow from `pages.first` to `pages.max`.
   * Only the id, kind and deletion are projected: the bytes sent and held
   * shrink, the read units do not (DynamoDB charges for the whole item).
   */
  async *descending(
    roomId: string,
    shard: number,
    fromId: string,
    toId: string,
    pages: PageSizes,
  ): AsyncGenerator<CommentPage> {
    let startKey: Record<string, unknown> | undefined;
    let limit = Math.min(pages.first, pages.max);
    do {
      const {
        Items = [],
        ConsumedCapacity,
        LastEvaluatedKey,
      } = await transientAsUnavailable(() =>
        this.db.query({
          TableName: this.commentsTable,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ProjectionExpression: 'sk, #kind, deletedAt',
          ExpressionAttributeNames: { '#kind': 'kind' },
          ExpressionAttributeValues: { ':pk': commentPartition(roomId, shard), ':from': fromId, ':to': toId },
          ScanIndexForward: false,
          Limit: limit,
          ReturnConsumedCapacity: 'TOTAL',
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      yield {
        items: Items.map((item) => ({
          id: String(item.sk),
          ...(typeof item.kind === 'string' ? { kind: item.kind } : {}),
          ...(typeof item.deletedAt === 'string' ? { deletedAt: item.deletedAt } : {}),
        })),
        readUnits: ConsumedCapacity?.CapacityUnits ?? 0,
      };
      startKey = LastEvaluatedKey;
      limit = Math.min(pages.max, limit * 2);
    } while (startKey);
  }
}

/**
 * The items of a post's one transaction, in order: the idempotency record
 * (must not exist), the user's slow-mode window (must have ended; only with
 * slow mode on), and the comment. Exported so the benchmark writes exactly
 * these as its bare-transaction baseline.
 */
export function commentTransactionItems(
  request: CreateCommentRequest,
  commentsTable: string,
  controlTable: string,
): NonNullable<TransactWriteCommandInput['TransactItems']> {
  const { comment, shard, clientMessageId, slowMode, expiresAtSec } = request;
  const nowSec = Math.floor(Date.parse(comment.createdAt) / 1000);
  return [
    {
      Put: {
        TableName: controlTable,
        Item: {
          ...idempotencyKey(comment.roomId, clientMessageId, comment.userId),
          comment,
          shard,
          expiresAt: nowSec + IDEMPOTENCY_TTL_SEC,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    ...(slowMode
      ? [
          {
            Put: {
              TableName: controlTable,
              Item: {
                ...slowModeKey(comment.roomId, comment.userId),
                untilMs: slowMode.untilMs,
                expiresAt: Math.ceil(slowMode.untilMs / 1000) + 60,
              },
              ConditionExpression: 'attribute_not_exists(pk) OR untilMs <= :now',
              ExpressionAttributeValues: { ':now': slowMode.nowMs },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
            },
          },
        ]
      : []),
    {
      Put: {
        TableName: commentsTable,
        Item: {
          pk: commentPartition(comment.roomId, shard),
          sk: comment.id,
          ...comment,
          expiresAt: expiresAtSec,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
}

function toRecord(item: Record<string, unknown>): FeedRecord {
  const id = String(item.id);
  const roomId = String(item.roomId);
  if (item.kind === 'tombstone') {
    return {
      id,
      kind: 'tombstone',
      roomId,
      commentId: String(item.commentId),
      deletedAt: String(item.deletedAt),
    };
  }
  return {
    id,
    roomId,
    // Items written before kinds existed are comments.
    kind: item.kind === 'artist_message' || item.kind === 'notice' ? item.kind : 'comment',
    userId: String(item.userId),
    displayName: String(item.displayName),
    text: String(item.text),
    createdAt: String(item.createdAt),
    ...(item.level === 'info' || item.level === 'warning' || item.level === 'critical'
      ? { level: item.level }
      : {}),
    ...(typeof item.displayUntil === 'string' ? { displayUntil: item.displayUntil } : {}),
    ...(typeof item.style === 'string' ? { style: item.style } : {}),
    ...(typeof item.deletedAt === 'string' ? { deletedAt: item.deletedAt } : {}),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
