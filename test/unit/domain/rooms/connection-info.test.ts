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
      pollTickUrlTemplate: 'https://d111.cloudfront.net/v1/rooms/gig-7/live/{tick}',
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

/** A scripted answer to one of the snippet's GETs. */
type Answer = { readonly ok?: boolean; readonly body: Record<string, unknown> };

/**
 * Runs the snippet's script against the fake page, scripted answers (GETs, in
 * order), hand-run timers, a clock the test sets and a fixed Math.random.
 */
async function runSnippet(
  token: unknown,
  answers: Answer[],
  options: { nowMs?: number; random?: number } = {},
) {
  const info = connectionInfo(room, endpoints);
  const script = /<script type="module">([\s\S]*)<\/script>/.exec(info.snippet)![1]!;
  const page = fakePage('hlc-gig-7');
  const clock = { nowMs: options.nowMs ?? 0 };
  const requests: {
    url: string;
    init?: { method?: string; headers?: Record<string, string>; body?: string };
  }[] = [];
  const fetch = vi.fn(async (url: string, init?: (typeof requests)[number]['init']) => {
    requests.push({ url, ...(init ? { init } : {}) });
    if (init?.method === 'POST') return { ok: true, json: async () => ({}) };
    const answer = answers.shift() ?? { ok: false, body: { code: 'x', retryable: true, retryAfterSec: 60 } };
    return { ok: answer.ok ?? true, json: async () => answer.body };
  });
  const timers: { run: () => void; ms: number }[] = [];
  const setTimeout = (run: () => void, ms: number) => void timers.push({ run, ms });
  const alert = vi.fn();
  const fakeDate = { now: () => clock.nowMs, parse: (text: string) => Date.parse(text) };
  const fakeMath = Object.assign(Object.create(Math) as Math, { random: () => options.random ?? 0 });
  const AsyncFunction = (async () => undefined).constructor as new (
    ...args: string[]
  ) => (...values: unknown[]) => Promise<void>;
  await new AsyncFunction(
    'document',
    'window',
    'fetch',
    'setTimeout',
    'crypto',
    'alert',
    'console',
    'Date',
    'Math',
    script,
  )(
    page.document,
    { hybridLiveChatToken: token },
    fetch,
    setTimeout,
    { randomUUID: () => 'uuid-1' },
    alert,
    { warn: () => undefined },
    fakeDate,
    fakeMath,
  );
  /** Waits (bounded) until the poll in flight has scheduled the next one. */
  const polled = (count: number) => vi.waitFor(() => expect(timers).toHaveLength(count));
  return { page, requests, timers, alert, polled, clock };
}

const comment = (id: string, text: string, displayName = 'Ada') => ({
  id,
  kind: 'comment',
  displayName,
  text,
});

const P = 4_000;
/** A tick of the 4 s room, and a moment 1.2 s into it. */
const T = 500_000_001;
const NOW = T * P + 1_200;
const iso = (ms: number) => new Date(ms).toISOString();

/** A live document of tick `tick` made at `madeAt`, with the window ADR 0019 gives it. */
function liveDoc(tick: number, madeAt: number, fields: Record<string, unknown> = {}) {
  return {
    window: { tick, from: iso((tick - 1) * P - 1_500), settledUntil: iso(madeAt - 1_000) },
    segment: { current: Math.floor(madeAt / 10_000), lengthSeconds: 10 },
    comments: [],
    tombstones: [],
    pollAfterMs: P,
    generatedAt: iso(madeAt),
    ...fields,
  };
}

describe('the player snippet', () => {
  it('loads live, then asks for each next tick at its own moment of the tick, showing each item once as text', async () => {
    // Prepare: phase 0.25 × 4 s = 1 s; the first document was cached 0.5 s before it arrived.
    const run = await runSnippet(
      'tok',
      [
        { body: liveDoc(T, NOW - 500, { comments: [comment('1', '<b>hi</b>'), comment('2', 'second')] }) },
        {
          body: liveDoc(T + 1, (T + 1) * P + 30, {
            comments: [comment('2', 'second'), comment('3', 'third')],
            tombstones: [{ commentId: '1' }],
          }),
        },
      ],
      { nowMs: NOW, random: 0.25 },
    );

    // Act and assess: the first load.
    await run.polled(1);
    expect(run.requests[0]!.url).toBe('https://d111.cloudfront.net/v1/rooms/gig-7/live');
    expect(run.page.texts()).toEqual(['Ada: <b>hi</b>', 'Ada: second']);
    // Server time is at least the document's generatedAt (0.5 s behind this clock, as far as it
    // knows): tick T + 1 starts 2.8 s from now by this clock, +1 s phase, +0.5 s → 4.3 s.
    expect(run.timers[0]!.ms).toBe(4_300);

    // The next tick, by number.
    run.clock.nowMs = NOW + 4_300;
    run.timers[0]!.run();
    await run.polled(2);
    expect(run.requests[1]!.url).toBe(`https://d111.cloudfront.net/v1/rooms/gig-7/live/${T + 1}`);
    expect(run.page.texts()).toEqual(['Ada: second', 'Ada: third']);
    // Tick T + 2 at its phase, by the same bound: 4 s later.
    expect(run.timers[1]!.ms).toBe(4_000);
  });

  it('reads the segments for a short gap, and starts again from live when its tick has expired', async () => {
    // Prepare: the page slept; its tick expired; the current document starts after what it had.
    const later = NOW + 14_000;
    const run = await runSnippet(
      'tok',
      [
        { body: liveDoc(T, NOW, { comments: [comment('1', 'before')] }) },
        { ok: false, body: { code: 'tick_expired', message: 'expired', retryable: false } },
        { body: liveDoc(T + 3, later, { comments: [comment('9', 'now')] }) },
        { body: { comments: [comment('5', 'missed')], tombstones: [] } },
        { body: { comments: [comment('6', 'missed too')], tombstones: [] } },
      ],
      { nowMs: NOW },
    );
    await run.polled(1);

    // Act
    run.clock.nowMs = later;
    run.timers[0]!.run();
    await run.polled(2);
    run.timers[1]!.run();
    await run.polled(3);

    // Assess: back to live, then the segments from what it had settled (NOW − 1 s) to the new
    // window's start (6.3 s later, across a segment boundary): two of them.
    const urls = run.requests.map((r) => r.url.replace('https://d111.cloudfront.net/v1/rooms/gig-7', ''));
    const settled = NOW - 1_000;
    const from = (T + 2) * P - 1_500;
    const first = Math.floor(settled / 10_000);
    expect(Math.ceil(from / 10_000) - first).toBe(2);
    expect(urls).toEqual([
      '/live',
      `/live/${T + 1}`,
      '/live',
      `/segments/${first}`,
      `/segments/${first + 1}`,
    ]);
    expect(run.page.texts()).toEqual(['Ada: before', 'Ada: missed', 'Ada: missed too', 'Ada: now']);
  });

  it('waits as long as a retryable refusal says', async () => {
    const run = await runSnippet(
      'tok',
      [
        { body: liveDoc(T, NOW) },
        { ok: false, body: { code: 'tick_not_started', message: 'soon', retryable: true, retryAfterSec: 2 } },
      ],
      { nowMs: NOW },
    );
    await run.polled(1);

    run.timers[0]!.run();
    await run.polled(2);

    expect(run.timers[1]!.ms).toBe(2_000);
    expect(run.requests[2]).toBeUndefined();
  });

  it("posts the text with the viewer's token and a fresh clientMessageId, then clears the input", async () => {
    const run = await runSnippet(async () => 'fresh-token', [{ body: liveDoc(T, NOW) }], { nowMs: NOW });
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
