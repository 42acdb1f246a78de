import { performance } from 'node:perf_hooks';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { commentPartition } from '../lambdas/adapters/dynamodb/keys.js';
import type { LocalStack } from '../local/stack.js';
import { benchComment, benchStores, createBenchRoom, lambdaContext, postEvent } from './fixtures.js';
import { summarize, summaryRatio, type Summary } from './stats.js';

/**
 * Figure 2: the post function's handler, invoked directly with API Gateway
 * proxy events (token verification, body parsing, the cached room and
 * moderation reads, the conditional transaction, the response), beside a
 * bare conditional PutItem of the same comment item on the same DynamoDB
 * Local — the least any accepted post must cost. Calls alternate one by one,
 * so both see the same machine load.
 */
export interface PostPathResult {
  readonly invokedWith: string;
  readonly calls: number;
  readonly handler: Summary;
  readonly barePut: Summary;
  readonly ratio: { readonly p50: number; readonly p99: number };
}

const ROOM_ID = 'bench-post';
const WARMUP_CALLS = 20;
const RETENTION_SEC = 30 * 86_400;

export async function benchPostPath(
  stack: LocalStack,
  options: { readonly calls: number; readonly progress: (line: string) => void },
): Promise<PostPathResult> {
  const { doc, rooms } = benchStores(stack);
  // Slow mode off, one shard: the transaction writes the comment and its idempotency record only.
  await createBenchRoom(rooms, ROOM_ID, 1, { slowModeSeconds: 0 });
  // The very handler the local gateway runs: the same caches and clients.
  const handler = stack.functions.handlers.postComment;
  const { token } = await stack.tokens.issue({ userId: 'bench-poster', displayName: 'Bench poster' });

  let n = 0;
  const viaHandler = async (): Promise<number> => {
    const event = postEvent(ROOM_ID, token, n++);
    const started = performance.now();
    const result = await handler(event, lambdaContext('postComment'));
    const elapsed = performance.now() - started;
    if (result.statusCode !== 201)
      throw new Error(`postComment answered ${result.statusCode}: ${result.body}`);
    return elapsed;
  };
  const barePut = async (): Promise<number> => {
    const comment = benchComment(ROOM_ID, n++);
    const started = performance.now();
    await doc.send(
      new PutCommand({
        TableName: stack.tables.comments,
        Item: {
          pk: commentPartition(ROOM_ID, 0),
          sk: comment.id,
          ...comment,
          expiresAt: Math.ceil(Date.now() / 1000) + RETENTION_SEC,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return performance.now() - started;
  };

  for (let i = 0; i < WARMUP_CALLS; i++) {
    await viaHandler();
    await barePut();
  }
  const handlerMs: number[] = [];
  const bareMs: number[] = [];
  for (let i = 0; i < options.calls; i++) {
    // Alternate which goes first, so neither always follows the other's GC or I/O.
    if (i % 2 === 0) {
      handlerMs.push(await viaHandler());
      bareMs.push(await barePut());
    } else {
      bareMs.push(await barePut());
      handlerMs.push(await viaHandler());
    }
    if ((i + 1) % 500 === 0) options.progress(`  ${i + 1} of ${options.calls} post pairs`);
  }
  doc.destroy();
  const handlerSummary = summarize(handlerMs);
  const bareSummary = summarize(bareMs);
  return {
    invokedWith:
      'The postComment handler, called directly with API Gateway proxy events (no HTTP in between)',
    calls: options.calls,
    handler: handlerSummary,
    barePut: bareSummary,
    ratio: summaryRatio(handlerSummary, bareSummary),
  };
}
