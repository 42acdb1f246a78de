import { DynamoCommentStore } from '../lambdas/adapters/dynamodb/comment-store.js';
import { commentPartition } from '../lambdas/adapters/dynamodb/keys.js';
import { DynamoModerationStore } from '../lambdas/adapters/dynamodb/moderation-store.js';
import { postComment } from '../lambdas/domain/feed/post-comment.js';
import { getLive } from '../lambdas/domain/feed/read-feed.js';
import type { LocalStack } from '../local/stack.js';
import { capturingDocumentClient, unitsOn, type CapturedCall } from './consumed-capacity.js';
import { eventuallyConsistentQueryUnits, itemSize, transactionalWriteUnits } from './dynamo-units.js';
import { benchStores, createBenchRoom, dynamoOptions } from './fixtures.js';
import { liveLimit, type LiveRoom } from './live-origin.js';
import { ratio } from './stats.js';

/**
 * Figure 4: the capacity units DynamoDB reports (`ReturnConsumedCapacity:
 * INDEXES`) for the exact commands the product issues — the domain's
 * `postComment` and `getLive` over the real stores, through a client that
 * records what each call consumed — beside the least the design needs,
 * computed from the same items with DynamoDB's sizing rules.
 */
export interface PostUnits {
  readonly posts: number;
  /** Write units per accepted post (the one transaction), all tables. */
  readonly measured: number;
  /** …of which on the comments table: what lands on one comment partition. */
  readonly commentsTable: number;
  readonly controlTable: number;
  /** The comment and its idempotency record, each 2 units per KB, transactional. */
  readonly minimum: number;
  readonly ratio: number;
  readonly itemBytes: { readonly comment: number; readonly idempotency: number };
}

export interface PollUnits {
  readonly shards: number;
  /** Read units of the room's shard queries in one origin `live` call (measured). */
  readonly measured: number;
  readonly measuredPerShard: number;
  /** The global feed's query (empty here; DynamoDB Local reports 0 for an empty query). */
  readonly globalQuery: number;
  /** Half a unit per 4 KB of what each shard query returned, at least half a unit per query. */
  readonly minimum: number;
  readonly ratio: number;
  readonly bytesPerShard: number;
}

export interface CapacityUnitsResult {
  readonly post: PostUnits;
  readonly polls: PollUnits[];
}

const ROOM_ID = 'bench-units';
const POSTS = 10;

export async function benchCapacityUnits(
  stack: LocalStack,
  liveRooms: readonly LiveRoom[],
): Promise<CapacityUnitsResult> {
  const fixtures = benchStores(stack);
  await createBenchRoom(fixtures.rooms, ROOM_ID, 1, { slowModeSeconds: 0 });
  const capture = capturingDocumentClient(dynamoOptions(stack));
  try {
    const comments = new DynamoCommentStore(capture.doc, stack.tables.comments, stack.tables.control);
    const moderation = new DynamoModerationStore(fixtures.doc, stack.tables.control, false);
    const clock = () => Date.now();

    const posts: CapturedCall[] = [];
    for (let i = 0; i < POSTS; i++) {
      capture.calls.length = 0;
      await postComment(
        { rooms: fixtures.rooms, moderation, comments, clock, retentionDays: 30 },
        ROOM_ID,
        { userId: `bench-viewer-${i}`, displayName: `Viewer ${i}` },
        { text: `Benchmark comment number ${i}, about forty chars`, clientMessageId: `units-${i}` },
      );
      if (capture.calls.length !== 1 || capture.calls[0]!.command !== 'TransactWriteItemsCommand') {
        throw new Error(
          `An accepted post made ${capture.calls.map((c) => c.command).join(', ')}; expected one transaction.`,
        );
      }
      posts.push(capture.calls[0]!);
    }
    const post = postUnits(posts, stack.tables);

    const polls: PollUnits[] = [];
    for (const { room } of liveRooms) {
      capture.calls.length = 0;
      await getLive(
        { rooms: fixtures.rooms, moderation, comments, clock, liveLimit: liveLimit(stack) },
        room.roomId,
      );
      polls.push(pollUnits(room.roomId, room.shards.read, capture.calls));
    }
    return { post, polls };
  } finally {
    capture.destroy();
    fixtures.doc.destroy();
  }
}

export function postUnits(
  calls: readonly CapturedCall[],
  tables: { comments: string; control: string },
): PostUnits {
  const first = calls[0]!;
  const items = (
    first.input.TransactItems as { Put?: { TableName: string; Item: Record<string, unknown> } }[]
  )
    .map((t) => t.Put)
    .filter((put) => put !== undefined);
  const sizeOn = (table: string) => itemSize(items.find((put) => put.TableName === table)!.Item);
  const itemBytes = { comment: sizeOn(tables.comments), idempotency: sizeOn(tables.control) };
  const perPost = (table?: string) => calls.reduce((sum, c) => sum + unitsOn(c, table), 0) / calls.length;
  const measured = perPost();
  const minimum = transactionalWriteUnits(items.map((put) => itemSize(put.Item)));
  return {
    posts: calls.length,
    measured,
    commentsTable: perPost(tables.comments),
    controlTable: perPost(tables.control),
    minimum,
    ratio: ratio(measured, minimum),
    itemBytes,
  };
}

export function pollUnits(roomId: string, shards: number, calls: readonly CapturedCall[]): PollUnits {
  const queries = calls.filter((c) => c.command === 'QueryCommand');
  const pkOf = (c: CapturedCall) =>
    (c.input.ExpressionAttributeValues as Record<string, unknown> | undefined)?.[':pk'];
  const roomPartitions = new Set(Array.from({ length: shards }, (_, s) => commentPartition(roomId, s)));
  const shardQueries = queries.filter((c) => roomPartitions.has(String(pkOf(c))));
  if (shardQueries.length !== shards) {
    throw new Error(`getLive queried ${shardQueries.length} of the room's ${shards} shards.`);
  }
  const measured = shardQueries.reduce((sum, c) => sum + unitsOn(c), 0);
  const minimum = shardQueries.reduce(
    (sum, c) => sum + eventuallyConsistentQueryUnits(c.items.map((item) => itemSize(item))),
    0,
  );
  const bytes = shardQueries.reduce((sum, c) => sum + c.items.reduce((s, item) => s + itemSize(item), 0), 0);
  return {
    shards,
    measured,
    measuredPerShard: measured / shards,
    globalQuery: queries.filter((c) => !shardQueries.includes(c)).reduce((sum, c) => sum + unitsOn(c), 0),
    minimum,
    ratio: ratio(measured, minimum),
    bytesPerShard: Math.round(bytes / shards),
  };
}
