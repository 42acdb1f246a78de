import { TransactionCanceledException, type CancellationReason } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  paginateQuery,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { Comment } from '../../domain/comment.js';
import { UnavailableError } from '../../domain/errors.js';
import type {
  CommentReader,
  CommentWriter,
  CreateCommentRequest,
  CreateCommentResult,
} from '../../domain/ports.js';
import { transientAsUnavailable } from './errors.js';
import { commentPartition, idempotencyKey, slowModeKey } from './keys.js';

/** Idempotency records outlive any sensible client retry. */
const IDEMPOTENCY_TTL_SEC = 24 * 3600;
const CONFLICT_RETRIES = 4;

export class DynamoCommentStore implements CommentWriter, CommentReader {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
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
    const { comment, shard, clientMessageId, slowMode, expiresAtSec } = request;
    const nowSec = Math.floor(Date.parse(comment.createdAt) / 1000);
    const items = [
      {
        Put: {
          TableName: this.controlTable,
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
                TableName: this.controlTable,
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
          TableName: this.commentsTable,
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

    for (let attempt = 0; ; attempt++) {
      try {
        await transientAsUnavailable(() => this.doc.send(new TransactWriteCommand({ TransactItems: items })));
        return { outcome: 'created', comment };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons: CancellationReason[] = error.CancellationReasons ?? [];
        const failed = (i: number) => reasons[i]?.Code === 'ConditionalCheckFailed';

        if (failed(0)) {
          const earlier = await this.findByClientMessageId(comment.roomId, comment.userId, clientMessageId);
          if (earlier) return { outcome: 'duplicate', comment: earlier };
        } else if (slowMode && failed(1)) {
          const untilMs = Number(unmarshall(reasons[1]?.Item ?? {}).untilMs ?? slowMode.untilMs);
          return { outcome: 'slow-mode', retryAfterMs: Math.max(0, untilMs - slowMode.nowMs) };
        } else if (!reasons.some((r) => r.Code === 'TransactionConflict')) {
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
      this.doc.send(
        new GetCommand({
          TableName: this.controlTable,
          Key: idempotencyKey(roomId, clientMessageId, userId),
          ConsistentRead: true,
        }),
      ),
    );
    return Item ? Comment.parse(Item.comment) : undefined;
  }

  newest(roomId: string, shards: number, fromId: string, limit: number): Promise<Comment[][]> {
    return this.eachShard(roomId, shards, limit, {
      KeyConditionExpression: 'pk = :pk AND sk >= :from',
      ExpressionAttributeValues: { ':from': fromId },
      ScanIndexForward: false,
    });
  }

  range(roomId: string, shards: number, fromId: string, toId: string): Promise<Comment[][]> {
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
  ): Promise<Comment[][]> {
    const one = async (shard: number): Promise<Comment[]> => {
      const out: Comment[] = [];
      const pages = paginateQuery(
        { client: this.doc, ...(Number.isFinite(limit) ? { pageSize: limit } : {}) },
        {
          TableName: this.commentsTable,
          ...query,
          ExpressionAttributeValues: {
            ...query.ExpressionAttributeValues,
            ':pk': commentPartition(roomId, shard),
          },
        },
      );
      for await (const page of pages) {
        for (const item of page.Items ?? []) {
          out.push(toComment(item));
          if (out.length >= limit) return out;
        }
      }
      return out;
    };
    return transientAsUnavailable(() =>
      Promise.all(Array.from({ length: shards }, (_, shard) => one(shard))),
    );
  }
}

function toComment(item: Record<string, unknown>): Comment {
  return {
    id: String(item.id),
    roomId: String(item.roomId),
    userId: String(item.userId),
    displayName: String(item.displayName),
    text: String(item.text),
    createdAt: String(item.createdAt),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
