import { describe, expect, it, vi } from 'vitest';
import { connectionInfo, readConnectionInfo } from '../../../../lambdas/domain/rooms/connection-info.js';
import type { Principal, Role } from '../../../../lambdas/domain/access/roles.js';
import { createRoom } from '../../../../lambdas/domain/rooms/room.js';
import { GLOBAL_EVENT, ROOM_EVENT } from '../../../../lambdas/domain/realtime/subscriptions.js';
import { InMemoryRooms, rejection } from '../../fakes.js';

const room = createRoom(
  {
    roomId: 'gig-7',
    channelId: 'ch-a',
    title: 'Gig',
    settings: { pollIntervalSeconds: 4, maxCommentLength: 120 },
  },
  new Date(Date.UTC(2030, 0, 1)),
);
const endpoints = {
  edgeUrl: 'https://d111.cloudfront.net/',
  graphqlUrl: 'https://api.appsync.test/graphql',
  realtimeUrl: 'wss://api.appsync-realtime.test/graphql',
  apiKey: 'da2-key',
};

describe('connectionInfo', () => {
  it('points a player at the CDN for polling and posting, and at AppSync for events', () => {
    const info = connectionInfo(room, endpoints);
    expect(info).toMatchObject({
      roomId: 'gig-7',
      channelId: 'ch-a',
      status: 'open',
      pollIntervalSeconds: 4,
      segmentSeconds: 10,
      roomUrl: 'https://d111.cloudfront.net/v1/rooms/gig-7',
      pollUrl: 'https://d111.cloudfront.net/v1/rooms/gig-7/live',
      segmentUrlTemplate: 'https://d111.cloudfront.net/v1/rooms/gig-7/segments/{n}',
      postUrl: 'https://d111.cloudfront.net/v1/rooms/gig-7/comments',
      graphqlUrl: endpoints.graphqlUrl,
      realtimeUrl: endpoints.realtimeUrl,
      apiKey: 'da2-key',
      subscriptions: {
        room: { query: ROOM_EVENT, variables: { roomId: 'gig-7' } },
        global: { query: GLOBAL_EVENT, variables: {} },
      },
    });
  });

  it("keeps the snippet's script closed whatever the URLs hold", () => {
    const info = connectionInfo(room, { ...endpoints, edgeUrl: 'https://edge.test/</script><b>' });
    expect(info.snippet.match(/<\/script>/g)).toHaveLength(1);
    expect(info.snippet).not.toContain('innerHTML');
  });
});

describe('readConnectionInfo', () => {
  const principal = (roles: Role[], channels: string[] = []): Principal => ({
    userId: 'u',
    displayName: 'u',
    roles: new Set(roles),
    channels: new Set(channels),
  });

  it("is for every role, on the room's channel, and reads the endpoints only when allowed", async () => {
    const rooms = new InMemoryRooms(room);
    const load = vi.fn(async () => endpoints);
    for (const who of [
      principal(['operator']),
      principal(['moderator'], ['ch-a']),
      principal(['artist'], ['ch-a']),
    ]) {
      expect((await readConnectionInfo({ rooms }, who, 'gig-7', load)).pollUrl).toMatch(/\/live$/);
    }
    expect(load).toHaveBeenCalledTimes(3);
    for (const who of [principal(['artist'], ['ch-b']), principal([])]) {
      expect((await rejection(readConnectionInfo({ rooms }, who, 'gig-7', load))).status).toBe(403);
    }
    expect(
      (await rejection(readConnectionInfo({ rooms }, principal(['operator']), 'nope', load))).status,
    ).toBe(404);
    expect(load).toHaveBeenCalledTimes(3);
  });
});

/** Just enough DOM for the snippet: one root with a list and a form. */
function fakePage(rootId: string) {
  type Item = { textContent: string; remove(): void };
  const items: Item[] = [];
  const list = {
    append(item: Item) {
      items.push(item);
    },
    get childElementCount() {
      return items.length;
    },
    get firstElementChild() {
      return items[0];
    },
  };
  let onSubmit: ((event: unknown) => Promise<void>) | undefined;
  const input = { value: '' };
  const form = {
    elements: { text: input },
    addEventListener: (type: string, listener: (event: unknown) => Promise<void>) => {
      if (type === 'submit') onSubmit = listener;
    },
  };
  const root = {
    querySelector: (selector: string) =>
      selector === '[data-hlc="comments"]' ? list : selector === '[data-hlc="form"]' ? form : null,
  };
  const document = {
    getElementById: (id: string) => (id === rootId ? root : null),
    createElement: () => {
      const item: Item = {
        textContent: '',
        remove: () => void items.splice(items.indexOf(item), 1),
      };
      return item;
    },
  };
  return {
    document,
    input,
    texts: () => items.map((i) => i.textContent),
    submit: () => onSubmit!({ preventDefault: () => undefined, target: form }),
  };
}

/** Runs the snippet's script against the fake page, a scripted fetch and hand-run timers. */
async function runSnippet(token: unknown, responses: Record<string, unknown>[]) {
  const info = connectionInfo(room, endpoints);
  const script = /<script type="module">([\s\S]*)<\/script>/.exec(info.snippet)![1]!;
  const page = fakePage('hlc-gig-7');
  const requests: {
    url: string;
    init?: { method?: string; headers?: Record<string, string>; body?: string };
  }[] = [];
  const fetch = vi.fn(async (url: string, init?: (typeof requests)[number]['init']) => {
    requests.push({ url, ...(init ? { init } : {}) });
    if (init?.method === 'POST') return { ok: true, json: async () => ({}) };
    const body = responses.shift() ?? { comments: [], tombstones: [], pollAfterMs: 4000 };
    return { ok: true, json: async () => body };
  });
  const timers: { run: () => void; ms: number }[] = [];
  const setTimeout = (run: () => void, ms: number) => void timers.push({ run, ms });
  const alert = vi.fn();
  const AsyncFunction = (async () => undefined).constructor as new (
    ...args: string[]
  ) => (...values: unknown[]) => Promise<void>;
  await new AsyncFunction('document', 'window', 'fetch', 'setTimeout', 'crypto', 'alert', 'console', script)(
    page.document,
    { hybridLiveChatToken: token },
    fetch,
    setTimeout,
    { randomUUID: () => 'uuid-1' },
    alert,
    { warn: () => undefined },
  );
  /** Waits (bounded) until the poll in flight has scheduled the next one. */
  const polled = (count: number) => vi.waitFor(() => expect(timers).toHaveLength(count));
  return { page, requests, timers, alert, polled };
}

const comment = (id: string, text: string, displayName = 'Ada') => ({
  id,
  kind: 'comment',
  displayName,
  text,
});

describe('the player snippet', () => {
  it('polls live, shows each item once as text, drops deleted ones and waits pollAfterMs', async () => {
    const run = await runSnippet('tok', [
      { comments: [comment('1', '<b>hi</b>'), comment('2', 'second')], tombstones: [], pollAfterMs: 3000 },
      {
        comments: [comment('2', 'second'), comment('3', 'third')],
        tombstones: [{ commentId: '1' }],
        pollAfterMs: 5000,
      },
    ]);

    await run.polled(1);
    expect(run.requests[0]!.url).toBe('https://d111.cloudfront.net/v1/rooms/gig-7/live');
    expect(run.page.texts()).toEqual(['Ada: <b>hi</b>', 'Ada: second']);
    expect(run.timers[0]!.ms).toBe(3000);

    run.timers[0]!.run();
    await run.polled(2);
    expect(run.page.texts()).toEqual(['Ada: second', 'Ada: third']);
    expect(run.timers[1]!.ms).toBe(5000);
  });

  it("posts the text with the viewer's token and a fresh clientMessageId, then clears the input", async () => {
    const run = await runSnippet(async () => 'fresh-token', []);
    run.page.input.value = 'hello';

    await run.page.submit();

    const post = run.requests.find((r) => r.init?.method === 'POST')!;
    expect(post.url).toBe('https://d111.cloudfront.net/v1/rooms/gig-7/comments');
    expect(post.init!.headers).toEqual({
      'content-type': 'application/json',
      authorization: 'Bearer fresh-token',
    });
    expect(JSON.parse(post.init!.body!)).toEqual({ text: 'hello', clientMessageId: 'uuid-1' });
    expect(run.page.input.value).toBe('');
    expect(run.alert).not.toHaveBeenCalled();
  });
});
