import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatClient, type FeedItem } from '../../client/index.js';
import { segmentOf } from '../../lambdas/domain/feed/segments.js';
import { startDynamoDbLocal, type RunningDynamoDbLocal } from '../../local/dynamodb-local.js';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import {
  DYNAMO_FAULTS,
  startDynamoFaultProxy,
  type DynamoFaultProxy,
  type FaultRule,
} from '../helpers/dynamodb-faults.js';
import { newLocalRoom } from '../helpers/local-admin.js';
import { testStores } from '../helpers/store.js';

/**
 * 1,000 posts through the local stack's edge while the fault layer fails the post path's
 * DynamoDB calls — throttling, timeouts, ambiguous commits — and viewers retry as the SDK does
 * (its own send(): the same clientMessageId on network errors, 5xx and 429). Every acknowledged
 * comment must be in the feed exactly once, and no clientMessageId may make two (ADR 0034).
 */
const VIEWERS = 25;
const POSTS_EACH = 40;

/** The post path's calls: its one transaction, and the replay read of its idempotency record. */
const postPath = (body: string) => body.includes('"idem#');
const RULES: FaultRule[] = [
  {
    operation: 'TransactWriteItems',
    match: postPath,
    probabilities: {
      throttling: 0.03,
      'provisioned-throughput': 0.03,
      'transaction-throttled': 0.03,
      timeout: 0.015,
      'ambiguous-500': 0.04,
      'ambiguous-drop': 0.04,
    },
  },
  { operation: 'GetItem', match: postPath, probabilities: { throttling: 0.05, 'ambiguous-500': 0.05 } },
];

let dynamodb: RunningDynamoDbLocal;
let proxy: DynamoFaultProxy;
let stack: LocalStack;

beforeAll(async () => {
  dynamodb = await startDynamoDbLocal();
  proxy = await startDynamoFaultProxy({ target: dynamodb.endpoint, seed: 34 });
  stack = await startLocalStack({ dynamodbEndpoint: proxy.endpoint, seed: false, logLevel: 'ERROR' });
});
afterAll(async () => {
  await stack?.stop();
  await proxy?.stop();
  await dynamodb?.stop();
});

interface Attempt {
  readonly clientMessageId: string;
  readonly outcome: number | 'network';
  readonly replayed: boolean;
}

describe('the post path under DynamoDB faults', () => {
  it('keeps every acknowledged comment of 1,000 exactly once while throttles, timeouts and ambiguous commits are injected', async () => {
    // Prepare
    const roomId = await newLocalRoom(stack);
    const attempts: Attempt[] = [];
    const counting: typeof fetch = async (input, init) => {
      const isPost = init?.method === 'POST';
      const clientMessageId = isPost
        ? (JSON.parse(String(init.body)) as { clientMessageId: string }).clientMessageId
        : '';
      try {
        const response = await fetch(input, init);
        if (isPost) {
          attempts.push({
            clientMessageId,
            outcome: response.status,
            replayed: response.headers.get('idempotent-replayed') === 'true',
          });
        }
        return response;
      } catch (error) {
        if (isPost) attempts.push({ clientMessageId, outcome: 'network', replayed: false });
        throw error;
      }
    };
    const viewers = await Promise.all(
      Array.from({ length: VIEWERS }, async (_, v) => {
        const { token } = await stack.tokens.issue({ userId: `viewer-${v}`, displayName: `Viewer ${v}` });
        return createChatClient({ baseUrl: stack.edgeUrl, roomId, getToken: () => token, fetch: counting });
      }),
    );
    proxy.setRules(RULES);

    // Act
    const acknowledged = (
      await Promise.all(
        viewers.map(async (client, v) => {
          const mine: FeedItem[] = [];
          for (let k = 0; k < POSTS_EACH; k++) mine.push(await client.send(`viewer ${v} post ${k}`));
          return mine;
        }),
      )
    ).flat();
    proxy.setRules([]);
    const { faults, faultsByOperation, requests } = proxy.stats();

    // Assess: the faults happened, and the clients had to retry through them.
    const replays = attempts.filter((a) => a.replayed).length;
    const retries = attempts.length - acknowledged.length;
    console.log(
      `fault injection: ${acknowledged.length} posts, ${requests.TransactWriteItems} TransactWriteItems, ` +
        `${requests.GetItem} GetItem, faults ${JSON.stringify(faultsByOperation)}, client attempts ${attempts.length} (retries ${retries}), ` +
        `answered 201 as a replay ${replays}`,
    );
    for (const fault of DYNAMO_FAULTS) {
      expect(faultsByOperation.TransactWriteItems?.[fault], fault).toBeGreaterThanOrEqual(5);
    }
    expect(retries).toBeGreaterThanOrEqual(faults.timeout);
    expect(replays).toBeGreaterThan(0);
    // Every DynamoDB failure is answered as what it is (503, retryable), never as our own 500.
    expect(attempts.filter((a) => a.outcome !== 201 && a.outcome !== 503)).toEqual([]);
    expect(acknowledged).toHaveLength(VIEWERS * POSTS_EACH);

    // Assess: the feed, through the normal read path (the edge's segments), has each one once.
    const ackedIds = acknowledged.map((c) => c.id).sort();
    expect(new Set(ackedIds).size).toBe(ackedIds.length);
    const times = acknowledged.map((c) => Date.parse(c.createdAt));
    const segmentSeconds = 10;
    const feed: FeedItem[] = [];
    for (
      let n = segmentOf(Math.min(...times), segmentSeconds);
      n <= segmentOf(Math.max(...times), segmentSeconds);
      n++
    ) {
      const res = await fetch(`${stack.edgeUrl}/v1/rooms/${roomId}/segments/${n}`);
      expect(res.status).toBe(200);
      const segment = (await res.json()) as { comments: FeedItem[]; segment?: unknown };
      feed.push(...segment.comments);
    }
    expect(feed.map((c) => c.id)).toEqual(ackedIds);
    expect(new Set(feed.map((c) => c.text)).size).toBe(feed.length);

    // Assess: every clientMessageId made at most one comment — one idempotency record each, and
    // it holds the comment its sender was acknowledged with.
    const sent = new Set(attempts.map((a) => a.clientMessageId));
    const records = (
      await testStores({ dynamodbEndpoint: dynamodb.endpoint, tables: stack.tables }).controlItems(roomId)
    ).filter((i) => String(i.pk).startsWith('idem#'));
    expect(records).toHaveLength(sent.size);
    expect(sent.size).toBe(acknowledged.length);
    const recordIds = records.map((r) => (r.comment as FeedItem).id).sort();
    expect(recordIds).toEqual(ackedIds);
  }, 120_000);
});
