import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import {
  createChatClient,
  type ChatClient,
  type ChatClientOptions,
  type FeedItem,
} from '../../client/index.js';
import type { PublishFault } from '../../local/appsync/server.js';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { localAdmin, newLocalRoom, postAsViewer } from '../helpers/local-admin.js';

/**
 * AppSync publishing fails (the local endpoint's fault switch): an admin action still reaches a
 * viewer — the SDK in Node, subscribed over the realtime path — through the poll path within one
 * poll interval of the admin's response, plus a margin (ADR 0008's "persist first, push second",
 * ADR 0034).
 */
const POLL_SECONDS = 3;
/**
 * What the poll path may add to one interval: the functions' room and channel caches (a ban is
 * read through them, up to 1 s old), the SDK's estimate of the server's clock (it polls a tick
 * at most about 1 s late, never early), and a request through the edge on two shared cores.
 */
const MARGIN_MS = 2_000;
const BOUND_MS = POLL_SECONDS * 1000 + MARGIN_MS;

let stack: LocalStack;
let viewer: ChatClient | undefined;

beforeAll(async () => {
  stack = await startLocalStack({ seed: false, logLevel: 'ERROR' });
});
afterAll(async () => {
  viewer?.close();
  await stack?.stop();
});

/** Runs the admin action while publishes fail with `fault`; resolves how long after its response `shown()` held. */
async function timeToShow(fault: PublishFault, action: () => Promise<unknown>, shown: () => void) {
  stack.realtime.failPublishes(fault);
  const published = stack.realtime.publishedCount;
  const refused = stack.realtime.stats().publishesRefused;
  try {
    await action();
    const answeredAt = performance.now();
    await vi.waitFor(shown, { timeout: BOUND_MS, interval: 20 });
    const elapsed = performance.now() - answeredAt;
    // The push never went out; the publisher tried.
    expect(stack.realtime.publishedCount).toBe(published);
    expect(stack.realtime.stats().publishesRefused).toBeGreaterThan(refused);
    return elapsed;
  } finally {
    stack.realtime.failPublishes(undefined);
  }
}

describe('admin actions while AppSync publishing fails', () => {
  it('reach a subscribed viewer through the poll path within one poll interval plus the margin', async () => {
    // Prepare
    const roomId = await newLocalRoom(stack, { pollIntervalSeconds: POLL_SECONDS });
    const admin = localAdmin(stack);
    const comment = await postAsViewer(stack, roomId, { userId: 'chatty' }, 'to be deleted');
    viewer = createChatClient({
      baseUrl: stack.edgeUrl,
      roomId,
      realtime: {
        graphqlUrl: stack.realtime.httpGraphqlUrl,
        realtimeUrl: stack.realtime.httpRealtimeUrl,
        apiKey: stack.realtime.apiKey,
      },
      WebSocket: WebSocket as unknown as ChatClientOptions['WebSocket'],
    });
    const deleted: string[] = [];
    const notices: FeedItem[] = [];
    const banned: string[] = [];
    viewer.on('delete', ({ commentId }) => deleted.push(commentId));
    viewer.on('notice', (item) => notices.push(item));
    viewer.on('ban', (ban) => banned.push(ban.userId));
    viewer.start();
    await vi.waitFor(() => expect(viewer!.connection.realtime).toBe('connected'), { timeout: 10_000 });
    await vi.waitFor(() => expect(viewer!.items().map((i) => i.id)).toContain(comment.id), {
      timeout: 10_000,
    });

    // Act and assess: each action, with publishing failing a different way.
    const deletion = await timeToShow(
      'unavailable',
      () => admin('DELETE', `/rooms/${roomId}/comments/${comment.id}`),
      () => expect(deleted).toEqual([comment.id]),
    );
    const notice = await timeToShow(
      'unauthorized',
      () => admin('POST', '/notices', { roomId, level: 'warning', text: 'Doors close soon' }),
      () => expect(notices.map((n) => n.text)).toEqual(['Doors close soon']),
    );
    const ban = await timeToShow(
      'drop',
      () => admin('PUT', `/rooms/${roomId}/bans/chatty`, { durationSeconds: 600 }),
      () => expect(banned).toEqual(['chatty']),
    );
    console.log(
      `poll path while publishes fail (poll interval ${POLL_SECONDS} s, bound ${BOUND_MS} ms): ` +
        `deletion ${Math.round(deletion)} ms, notice ${Math.round(notice)} ms, ban ${Math.round(ban)} ms`,
    );
    expect(viewer.items().map((i) => i.id)).not.toContain(comment.id);
  });
});
