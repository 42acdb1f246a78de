import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createChatClient,
  type ChatClient,
  type ChatClientOptions,
  type FeedItem,
} from '../../client/index.js';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import WebSocket from 'ws';
import { localAdmin, newLocalRoom } from '../helpers/local-admin.js';
import { testStores } from '../helpers/store.js';

/**
 * The viewer SDK in Node against the local stack, as a bot would run it: what
 * arrives, once and in order; gaps backfilled; posts retried without
 * duplicates; refusals typed; pushes taken over `ws` (the realtime client has
 * its own conformance tests).
 */
let stack: LocalStack;
const clients: ChatClient[] = [];

beforeAll(async () => {
  stack = await startLocalStack({ seed: false });
});
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});
afterAll(async () => {
  await stack?.stop();
});

const tokenFor = (userId: string, ttlSeconds?: number) => async () =>
  (
    await stack.tokens.issue({
      userId,
      displayName: `Viewer ${userId}`,
      ...(ttlSeconds ? { ttlSeconds } : {}),
    })
  ).token;

function client(roomId: string, options: Partial<ChatClientOptions> = {}) {
  const c = createChatClient({ baseUrl: stack.edgeUrl, roomId, ...options });
  clients.push(c);
  const received: FeedItem[] = [];
  c.on('comment', (item) => received.push(item));
  return { client: c, received };
}

const texts = (items: readonly FeedItem[]) => items.map((i) => i.text);

describe('viewer SDK (Node, polling)', () => {
  it('delivers every comment once, in id order, across many polls', async () => {
    const roomId = await newLocalRoom(stack);
    const { client: reader, received } = client(roomId);
    const { client: writer } = client(roomId, { getToken: tokenFor('writer') });
    reader.start();
    writer.start();

    for (let i = 1; i <= 6; i++) await writer.send(`comment ${i}`);
    await vi.waitFor(() => expect(received).toHaveLength(6), { timeout: 10_000, interval: 100 });
    const pollsSeen = stack.edge.stats();
    await vi.waitFor(() => expect(stack.edge.stats().requests).toBeGreaterThan(pollsSeen.requests + 2), {
      timeout: 10_000,
    });

    expect(texts(received)).toEqual([1, 2, 3, 4, 5, 6].map((i) => `comment ${i}`));
    expect(received.map((c) => c.id)).toEqual(received.map((c) => c.id).sort());
    expect(texts(reader.items())).toEqual(texts(received));
  });

  it('reads the segments for a gap longer than the live window, so none of its comments is missed', async () => {
    const roomId = await newLocalRoom(stack);
    let offline = false;
    const polls: string[] = [];
    const flaky: typeof fetch = async (input, init) => {
      const url = String(input);
      polls.push(url);
      if (offline && url.includes('/live')) throw new TypeError('fetch failed');
      return fetch(input, init);
    };
    const states: string[] = [];
    const { client: reader, received } = client(roomId, { fetch: flaky });
    reader.on('connection', (s) => states.push(s.polling));
    const { client: writer } = client(roomId, { getToken: tokenFor('writer') });
    reader.start();
    await vi.waitFor(() => expect(polls.length).toBeGreaterThan(0));

    offline = true;
    const sentDuringGap: string[] = [];
    // Longer than a 1 s room's window (2.5 s): one comment per failed poll of the reader's, for 6 s.
    const gapEndsAt = Date.now() + 6_000;
    for (let i = 1; Date.now() < gapEndsAt; i++) {
      const failedPolls = polls.length;
      sentDuringGap.push((await writer.send(`gap ${i}`)).text);
      await vi.waitFor(() => expect(polls.length).toBeGreaterThan(failedPolls), { timeout: 40_000 });
    }
    offline = false;

    await vi.waitFor(() => expect(texts(received)).toEqual(sentDuringGap), {
      timeout: 40_000,
      interval: 200,
    });
    expect(states).toContain('degraded');
    expect(states.at(-1)).toBe('ok');
    expect(polls.some((url) => url.includes('/segments/'))).toBe(true);
  });

  it('retries a post whose response was lost with the same clientMessageId, and the room gets it once', async () => {
    const roomId = await newLocalRoom(stack);
    const bodies: string[] = [];
    let dropped = false;
    const lossy: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (init?.method === 'POST') {
        bodies.push(String(init.body));
        if (!dropped) {
          dropped = true;
          throw new TypeError('network connection lost'); // the server stored it; the answer never came
        }
      }
      return response;
    };
    const { client: writer } = client(roomId, { fetch: lossy, getToken: tokenFor('writer') });
    writer.start();

    const comment = await writer.send('only once');
    const stored = async () => {
      const live = (await (await fetch(`${stack.edgeUrl}/v1/rooms/${roomId}/live`)).json()) as {
        comments: FeedItem[];
      };
      return live.comments.filter((c) => c.text === 'only once').map((c) => c.id);
    };

    expect(bodies).toHaveLength(2);
    expect(JSON.parse(bodies[0]!).clientMessageId).toBe(JSON.parse(bodies[1]!).clientMessageId);
    await vi.waitFor(async () => expect(await stored()).toEqual([comment.id]), {
      timeout: 5_000,
      interval: 250,
    });
  });

  it('asks the token provider again once after a 401, then posts', async () => {
    const roomId = await newLocalRoom(stack);
    const asked: boolean[] = [];
    const getToken = async ({ forceRefresh }: { forceRefresh: boolean }) => {
      asked.push(forceRefresh);
      return forceRefresh ? tokenFor('viewer')() : tokenFor('viewer', -3_000)();
    };
    const { client: writer } = client(roomId, { getToken });

    const comment = await writer.send('after refresh');

    expect(comment.text).toBe('after refresh');
    expect(asked.at(-2)).toBe(false);
    expect(asked.at(-1)).toBe(true);
  });

  it("refuses text longer than the room's limit before sending, counting code points", async () => {
    const roomId = await newLocalRoom(stack, { maxCommentLength: 5 });
    let posts = 0;
    const counting: typeof fetch = (input, init) => {
      if (init?.method === 'POST') posts++;
      return fetch(input, init);
    };
    const { client: writer } = client(roomId, { fetch: counting, getToken: tokenFor('writer') });
    writer.start();
    await vi.waitFor(() => expect(writer.room).toBeDefined());

    const fits = await writer.send('🎉🎉🎉🎉🎉');
    const tooLong = writer.send('🎉🎉🎉🎉🎉🎉');

    await expect(tooLong).rejects.toMatchObject({ code: 'text_too_long' });
    expect(fits.text).toBe('🎉🎉🎉🎉🎉');
    expect(posts).toBe(1);
  });

  it('reports slow mode as a typed refusal with the seconds left, and posting as paused until then', async () => {
    const roomId = await newLocalRoom(stack, { slowModeSeconds: 30 });
    const { client: writer } = client(roomId, { getToken: tokenFor('slow') });
    const { client: twin } = client(roomId, { getToken: tokenFor('slow') });
    writer.start();
    twin.start();
    await vi.waitFor(() => expect(twin.room).toBeDefined());

    await writer.send('first');
    const second = twin.send('second'); // the same viewer on another device: only the server knows

    await expect(second).rejects.toMatchObject({ code: 'slow_mode', retryable: true });
    const error = (await second.catch((e: unknown) => e)) as { retryAfterSec: number };
    expect(error.retryAfterSec).toBeGreaterThan(20);
    expect(twin.posting).toMatchObject({ allowed: false, reason: 'slow_mode' });
    expect(writer.posting).toMatchObject({ allowed: false, reason: 'slow_mode' });
    await expect(writer.send('third')).rejects.toMatchObject({ code: 'slow_mode' });
  });
});

describe('viewer SDK (Node, with realtime over ws)', () => {
  it('takes a deletion and an artist message from the push path, a poll interval before any poll could', async () => {
    const roomId = await newLocalRoom(stack, { pollIntervalSeconds: 30 });
    const { client: viewer, received } = client(roomId, {
      realtime: {
        graphqlUrl: stack.realtime.httpGraphqlUrl,
        realtimeUrl: stack.realtime.httpRealtimeUrl,
        apiKey: stack.realtime.apiKey,
      },
      WebSocket: WebSocket as unknown as ChatClientOptions['WebSocket'],
      getToken: tokenFor('bot'),
    });
    const artistMessages: FeedItem[] = [];
    const deleted: string[] = [];
    viewer.on('artistMessage', (item) => artistMessages.push(item));
    viewer.on('delete', ({ commentId }) => deleted.push(commentId));
    viewer.start();
    await vi.waitFor(() => expect(viewer.connection.realtime).toBe('connected'), { timeout: 5_000 });
    const sent = await viewer.send('to be deleted'); // shown at once: the send's own response
    expect(texts(received)).toEqual(['to be deleted']);

    await localAdmin(stack)('DELETE', `/rooms/${roomId}/comments/${sent.id}`);
    await localAdmin(stack, ['artist'], ['default'])('POST', `/rooms/${roomId}/artist-messages`, {
      text: 'hello, bots',
    });

    // The next poll is up to 30 s away: only the push can bring these within 2 s.
    await vi.waitFor(() => expect(deleted).toEqual([sent.id]), { timeout: 2_000 });
    await vi.waitFor(() => expect(texts(artistMessages)).toEqual(['hello, bots']), { timeout: 2_000 });
    expect(viewer.items().map((i) => i.text)).toEqual(['hello, bots']);
  });

  it('posts once when sent the moment a ban is lifted, though the post path still holds the ban for a second', async () => {
    // Prepare: a banned viewer whose refused post has just put the ban in the post path's cache.
    const roomId = await newLocalRoom(stack, { pollIntervalSeconds: 30 });
    const { client: viewer } = client(roomId, {
      realtime: {
        graphqlUrl: stack.realtime.httpGraphqlUrl,
        realtimeUrl: stack.realtime.httpRealtimeUrl,
        apiKey: stack.realtime.apiKey,
      },
      WebSocket: WebSocket as unknown as ChatClientOptions['WebSocket'],
      getToken: tokenFor('forgiven'),
    });
    viewer.start();
    await vi.waitFor(() => expect(viewer.connection.realtime).toBe('connected'), { timeout: 5_000 });
    await localAdmin(stack)('PUT', `/rooms/${roomId}/bans/forgiven`, { durationSeconds: 300 });
    await vi.waitFor(() => expect(viewer.posting.allowed).toBe(false), { timeout: 2_000 });
    // The post path's own cache takes up to a second to see the ban, as it will to see the lift.
    const token = await tokenFor('forgiven')();
    let probes = 0;
    await vi.waitFor(
      async () => {
        const probe = await fetch(`${stack.edgeUrl}/v1/rooms/${roomId}/comments`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ text: 'still banned?', clientMessageId: `probe-${++probes}` }),
        });
        expect(probe.status).toBe(403);
      },
      { timeout: 3_000, interval: 100 },
    );

    // Act: lift the ban, and send as soon as the push says so.
    const lifted = new Promise<void>((resolve) =>
      viewer.on('unban', (ban) => {
        if (ban.self) resolve();
      }),
    );
    await localAdmin(stack)('DELETE', `/rooms/${roomId}/bans/forgiven`);
    await lifted;
    const sent = await viewer.send('thank you');

    // Assess: accepted, and stored once (read from the table: the edge holds `live` for 30 s).
    expect(sent.text).toBe('thank you');
    const stored = await testStores(stack).commentItems(roomId, 1);
    expect(stored.filter((item) => item.text === 'thank you')).toHaveLength(1);
  });
});
