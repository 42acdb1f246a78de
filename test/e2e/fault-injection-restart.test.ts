import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ChatClientError, createChatClient, type FeedItem } from '../../client/index.js';
import { segmentOf } from '../../lambdas/domain/feed/segments.js';
import { startDynamoDbLocal, type RunningDynamoDbLocal } from '../../local/dynamodb-local.js';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { startDynamoFaultProxy, type DynamoFaultProxy } from '../helpers/dynamodb-faults.js';
import { newLocalRoom } from '../helpers/local-admin.js';

/**
 * DynamoDB Local, in persistent mode, is stopped and started again on the same port and data
 * directory while viewers keep posting (the SDK's send(), retrying): the running stack recovers
 * by itself — posts succeed again — and every comment acknowledged before, during or after the
 * restart is in the feed exactly once (ADR 0034).
 *
 * The stack reaches DynamoDB Local through the fault proxy (no fault rules), which goes
 * unreachable first — new connections dropped, what the stack sees of a DynamoDB that is gone —
 * and lets the requests already sent finish. Only then does DynamoDB Local stop: it answers a
 * write a moment before the write is on disk (see `restart()`), a window real DynamoDB does not
 * have, so stopping it under a request would test the emulator, not the product.
 */
const POSTERS = 5;

let dataDir: string;
let dynamodb: RunningDynamoDbLocal;
let proxy: DynamoFaultProxy;
let stack: LocalStack;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'hlc-restart-'));
  dynamodb = await startDynamoDbLocal({ dataDir });
  proxy = await startDynamoFaultProxy({ target: dynamodb.endpoint });
  stack = await startLocalStack({ dynamodbEndpoint: proxy.endpoint, seed: false, logLevel: 'ERROR' });
});
afterAll(async () => {
  await stack?.stop();
  await proxy?.stop();
  await dynamodb?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('DynamoDB Local restarted under a running stack', () => {
  it('recovers without a stack restart and loses nothing acknowledged', async () => {
    // Prepare: viewers post in a loop; a send the SDK gives up on is not acknowledged, and the
    // viewer goes on with the next.
    const roomId = await newLocalRoom(stack);
    const acknowledged: { comment: FeedItem; atMs: number }[] = [];
    const attempted = new Set<string>();
    let gaveUp = 0;
    const answers: number[] = [];
    const counting: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (init?.method === 'POST') answers.push(response.status);
      return response;
    };
    let posting = true;
    const loops = Array.from({ length: POSTERS }, async (_, v) => {
      const { token } = await stack.tokens.issue({ userId: `poster-${v}`, displayName: `Poster ${v}` });
      const client = createChatClient({
        baseUrl: stack.edgeUrl,
        roomId,
        getToken: () => token,
        fetch: counting,
      });
      for (let k = 0; posting; k++) {
        const text = `poster ${v} post ${k}`;
        attempted.add(text);
        try {
          acknowledged.push({ comment: await client.send(text), atMs: performance.now() });
        } catch (error) {
          if (!(error instanceof ChatClientError && error.retryable)) throw error;
          gaveUp++;
        }
      }
    });
    await vi.waitFor(() => expect(acknowledged.length).toBeGreaterThanOrEqual(20), { timeout: 30_000 });

    // Act: DynamoDB Local goes unreachable, stops, and starts again, same port and data directory.
    const before = acknowledged.length;
    const killedAt = performance.now();
    await proxy.cutOff();
    await dynamodb.restart();
    proxy.restore();
    const upAt = performance.now();
    await vi.waitFor(() => expect(acknowledged.length).toBeGreaterThanOrEqual(before + 20), {
      timeout: 45_000,
    });
    posting = false;
    await Promise.all(loops);

    // Assess: posts succeeded after the restart, through the same stack.
    const after = acknowledged.filter((a) => a.atMs > upAt);
    expect(after.length).toBeGreaterThan(0);
    const firstAfterMs = Math.min(...after.map((a) => a.atMs)) - upAt;
    console.log(
      `restart: DynamoDB Local down and up again in ${Math.round(upAt - killedAt)} ms, first post ` +
        `acknowledged ${Math.round(firstAfterMs)} ms after; ${acknowledged.length} acknowledged ` +
        `(${before} before the kill), ${answers.length} attempts, ${gaveUp} sends given up`,
    );

    // DynamoDB Local being away is answered as what it is (503, retryable), never as our own 500.
    expect(answers.filter((status) => status !== 201 && status !== 503)).toEqual([]);
    expect(answers.filter((status) => status === 503).length).toBeGreaterThan(0);

    // Assess: the feed, read through the edge's segments, holds every acknowledged comment once.
    const ids = acknowledged.map((a) => a.comment.id).sort();
    expect(new Set(ids).size).toBe(ids.length);
    const times = acknowledged.map((a) => Date.parse(a.comment.createdAt));
    const feed: FeedItem[] = [];
    const [first, last] = [segmentOf(Math.min(...times), 10), segmentOf(Math.max(...times), 10)];
    for (let n = first; n <= last; n++) {
      const res = await fetch(`${stack.edgeUrl}/v1/rooms/${roomId}/segments/${n}`);
      expect(res.status).toBe(200);
      feed.push(...((await res.json()) as { comments: FeedItem[] }).comments);
    }
    const feedIds = new Set(feed.map((c) => c.id));
    expect(ids.filter((id) => !feedIds.has(id))).toEqual([]);
    // Nothing twice, and nothing the viewers did not send (a given-up send may have landed once).
    expect(feedIds.size).toBe(feed.length);
    expect(new Set(feed.map((c) => c.text)).size).toBe(feed.length);
    expect(feed.filter((c) => !attempted.has(c.text))).toEqual([]);
  }, 120_000);
});
