import { performance } from 'node:perf_hooks';
import { commentTransactionItems } from '../lambdas/adapters/dynamodb/comment-store.js';
import { commentPartition } from '../lambdas/adapters/dynamodb/keys.js';
import type { LocalStack } from '../local/stack.js';
import {
  benchComment,
  benchStores,
  createBenchRoom,
  lambdaContext,
  postEvent,
  throughEdge,
} from './fixtures.js';
import { summarize, summaryRatio, type Summary } from './stats.js';

/**
 * Figure 2: the post function's handler, invoked directly with API Gateway
 * proxy events (token verification, body parsing, the cached room and
 * moderation reads, the conditional transaction, the response), beside two
 * baselines on the same client and DynamoDB Local: a bare conditional PutItem
 * of the comment item — the least any accepted post must cost — and the bare
 * TransactWriteItems of exactly the items the handler writes (the same
 * `commentTransactionItems`), the cost of the one transaction the design
 * needs. Handler ÷ transaction is our code's overhead. The handler runs for
 * returning viewers (twenty, posting in turn with the token each keeps: its
 * signature checked once) and for first posts (a token new to the function
 * every time). Calls rotate one by one, so all four see the same machine load.
 */
export interface PostPathResult {
  readonly invokedWith: string;
  readonly calls: number;
  readonly handler: Summary;
  readonly barePut: Summary;
  readonly bareTransaction: Summary;
  /** Handler ÷ bare PutItem. */
  readonly ratio: { readonly p50: number; readonly p99: number };
  /** Handler ÷ bare TransactWriteItems of the same items. */
  readonly transactionRatio: { readonly p50: number; readonly p99: number };
  /** The handler for a viewer's first post in this function instance: its token's signature checked. */
  readonly firstPost: Summary;
  readonly firstPostTransactionRatio: { readonly p50: number; readonly p99: number };
}

const ROOM_ID = 'bench-post';
const WARMUP_CALLS = 20;
/** Viewers who post in turn with the token they keep (verified once each, then remembered). */
const RETURNING_VIEWERS = 20;
const RETENTION_SEC = 30 * 86_400;

export async function benchPostPath(
  stack: LocalStack,
  options: { readonly calls: number; readonly progress: (line: string) => void },
): Promise<PostPathResult> {
  const { db, rooms } = benchStores(stack);
  // Slow mode off, one shard: the transaction writes the comment and its idempotency record only.
  await createBenchRoom(rooms, ROOM_ID, 1, { slowModeSeconds: 0 });
  // The very handler the local gateway runs: the same caches and clients.
  const handler = stack.functions.handlers.postComment;
  // Returning viewers: twenty of them post in turn, each with the token it keeps for the session.
  const viewers = await Promise.all(
    Array.from({ length: RETURNING_VIEWERS }, (_, i) =>
      stack.tokens.issue({ userId: `bench-poster-${i}`, displayName: `Bench poster ${i}` }),
    ),
  );
  // First posts: every token new to the function, so each one's signature is checked.
  const firstTokens: string[] = [];
  for (let i = 0; i < WARMUP_CALLS + options.calls; i++) {
    firstTokens.push(
      (await stack.tokens.issue({ userId: `bench-new-${i}`, displayName: 'New viewer' })).token,
    );
  }

  let n = 0;
  const post = async (token: string): Promise<number> => {
    const event = throughEdge(postEvent(ROOM_ID, token, n++), stack.origin.header);
    const started = performance.now();
    const result = await handler(event, lambdaContext('postComment'));
    const elapsed = performance.now() - started;
    if (result.statusCode !== 201)
      throw new Error(`postComment answered ${result.statusCode}: ${result.body}`);
    return elapsed;
  };
  let returning = 0;
  const viaHandler = () => post(viewers[returning++ % viewers.length]!.token);
  const firstPost = () => post(firstTokens.shift()!);
  const expiresAtSec = () => Math.ceil(Date.now() / 1000) + RETENTION_SEC;
  const barePut = async (): Promise<number> => {
    const comment = benchComment(ROOM_ID, n++);
    const started = performance.now();
    await db.put({
      TableName: stack.tables.comments,
      Item: { pk: commentPartition(ROOM_ID, 0), sk: comment.id, ...comment, expiresAt: expiresAtSec() },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    return performance.now() - started;
  };
  const bareTransaction = async (): Promise<number> => {
    const comment = benchComment(ROOM_ID, n++);
    const items = commentTransactionItems(
      { comment, shard: 0, clientMessageId: `bare-${n}`, expiresAtSec: expiresAtSec() },
      stack.tables.comments,
      stack.tables.control,
    );
    const started = performance.now();
    await db.transactWrite({ TransactItems: items });
    return performance.now() - started;
  };

  const paths = [viaHandler, barePut, bareTransaction, firstPost];
  for (let i = 0; i < WARMUP_CALLS; i++) for (const path of paths) await path();
  const samples: number[][] = [[], [], [], []];
  for (let i = 0; i < options.calls; i++) {
    // Rotate which goes first, so none always follows another's GC or I/O.
    for (let k = 0; k < paths.length; k++) {
      const which = (i + k) % paths.length;
      samples[which]!.push(await paths[which]!());
    }
    if ((i + 1) % 500 === 0) options.progress(`  ${i + 1} of ${options.calls} post rounds`);
  }
  const [handlerSummary, putSummary, transactionSummary, firstSummary] = samples.map((list) =>
    summarize(list),
  ) as [Summary, Summary, Summary, Summary];
  return {
    invokedWith:
      'The postComment handler, called directly with API Gateway proxy events (no HTTP in between)',
    calls: options.calls,
    handler: handlerSummary,
    barePut: putSummary,
    bareTransaction: transactionSummary,
    ratio: summaryRatio(handlerSummary, putSummary),
    transactionRatio: summaryRatio(handlerSummary, transactionSummary),
    firstPost: firstSummary,
    firstPostTransactionRatio: summaryRatio(firstSummary, transactionSummary),
  };
}
