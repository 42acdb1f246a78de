import type { FeedActivityReader, FeedActivityRecord, FeedActivityShard } from '../../domain/stats/ports.js';
import type { DynamoClient } from './client.js';
import { transientAsUnavailable } from './errors.js';
import { commentPartition } from './keys.js';

/**
 * The feed as statistics read it: every shard queried in parallel over an id
 * range, newest first, projecting only the sort key, author, kind and deletion
 * mark. A query is billed for whole items whatever it projects, so the bound
 * on cost is the record limit, not the projection; the projection keeps the
 * transfer and the function's memory small.
 */
export class DynamoFeedActivity implements FeedActivityReader {
  constructor(
    private readonly db: DynamoClient,
    private readonly commentsTable: string,
  ) {}

  activity(
    roomId: string,
    shards: number,
    fromId: string,
    toId: string,
    limitPerShard: number,
  ): Promise<FeedActivityShard[]> {
    return transientAsUnavailable(() =>
      Promise.all(
        Array.from({ length: shards }, (_, shard) => this.shard(roomId, shard, fromId, toId, limitPerShard)),
      ),
    );
  }

  private async shard(
    roomId: string,
    shard: number,
    fromId: string,
    toId: string,
    limit: number,
  ): Promise<FeedActivityShard> {
    const records: FeedActivityRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      // One record more than the limit tells whether the shard held more; the
      // page limit shrinks as records come in, so no page reads past the budget.
      const page = await this.db.query({
        TableName: this.commentsTable,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': commentPartition(roomId, shard), ':from': fromId, ':to': toId },
        ExpressionAttributeNames: {
          '#sk': 'sk',
          '#userId': 'userId',
          '#kind': 'kind',
          '#deletedAt': 'deletedAt',
        },
        ProjectionExpression: '#sk, #userId, #kind, #deletedAt',
        ScanIndexForward: false,
        Limit: limit - records.length + 1,
        ...(start ? { ExclusiveStartKey: start } : {}),
      });
      for (const item of page.Items ?? []) {
        if (records.length === limit) return { records, complete: false };
        records.push(toActivity(item));
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return { records, complete: true };
  }
}

function toActivity(item: Record<string, unknown>): FeedActivityRecord {
  // Items written before kinds existed are comments (as the comment store reads them).
  const kind =
    item.kind === 'tombstone' || item.kind === 'artist_message' || item.kind === 'notice'
      ? item.kind
      : 'comment';
  return {
    id: String(item.sk),
    kind,
    ...(typeof item.userId === 'string' ? { userId: item.userId } : {}),
    // A tombstone carries the time of the deletion it records; only items are deleted.
    deleted: kind !== 'tombstone' && typeof item.deletedAt === 'string',
  };
}
