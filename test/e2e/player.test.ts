import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { launchChromium, pageErrors } from '../helpers/browser.js';
import { localAdmin, newLocalRoom, postAsViewer } from '../helpers/local-admin.js';
import type { HybridLiveChatElement } from '../../web/player/element.js';

/**
 * The embeddable player in real Chromium against the local stack, as a viewer
 * uses it: the demo page `/player/?room=…&user=…`.
 */
let stack: LocalStack;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [stack, browser] = await Promise.all([startLocalStack({ seed: false }), launchChromium()]);
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

interface PlayerOptions {
  readonly user?: string;
  /** The display name the demo page asks the dev token issuer for (default: the user id). */
  readonly name?: string;
  readonly realtime?: boolean;
  readonly setup?: (page: Page) => Promise<unknown>;
}

async function openPlayer(roomId: string, options: PlayerOptions = {}) {
  const context = await browser.newContext({ viewport: { width: 420, height: 640 } });
  contexts.push(context);
  const page = await context.newPage();
  const errors = pageErrors(page);
  await options.setup?.(page);
  const query = new URLSearchParams({ room: roomId, user: options.user ?? 'viewer-1', lang: 'en' });
  if (options.name !== undefined) query.set('name', options.name);
  if (options.realtime === false) query.set('realtime', 'off');
  await page.goto(`${stack.edgeUrl}/player/?${query}`);
  await page.locator('hybrid-live-chat header h2').filter({ hasText: /\S/ }).waitFor();
  return { page, errors };
}

const shownTexts = (page: Page) => page.locator('hybrid-live-chat li .text').allTextContents();

async function send(page: Page, text: string) {
  await page.locator('hybrid-live-chat input').fill(text);
  await page.locator('hybrid-live-chat button.send').click();
}

const postAs = (roomId: string, userId: string, text: string, style?: string) =>
  postAsViewer(stack, roomId, { userId, ...(style ? { style } : {}) }, text);

interface AxeResults {
  violations: {
    id: string;
    impact?: string | null;
    help: string;
    nodes: { html: string; failureSummary?: string }[];
  }[];
}

const realtimeState = (page: Page) => page.locator('hybrid-live-chat .status').getAttribute('data-realtime');
const stats = (page: Page) =>
  page.evaluate(() => document.querySelector<HybridLiveChatElement>('hybrid-live-chat')!.client!.stats());

async function artistSays(roomId: string, text: string) {
  return localAdmin(stack, ['artist'], ['default'])<{ item: { id: string } }>(
    'POST',
    `/rooms/${roomId}/artist-messages`,
    { text },
  );
}

interface ProtocolMessage {
  type?: string;
  id?: string;
  payload?: unknown;
}

/**
 * Puts the page's realtime WebSocket through a proxy the test steers: `refuse` closes new
 * connections at once (an outage); `onServerMessage` sees each message from the endpoint and
 * returns false to drop it. Counts connection attempts and the subscription ids started.
 */
function proxyRealtime(page: Page) {
  const proxy = {
    attempts: [] as number[],
    refuse: false,
    started: [] as string[],
    onServerMessage: (_message: ProtocolMessage, _route: WebSocketRoute): boolean => true,
    open: new Map<WebSocketRoute, WebSocketRoute>(),
    /** Closes every open socket, as a network drop would. */
    kill() {
      for (const [ws, server] of proxy.open) {
        void ws.close({ code: 4000, reason: 'killed' });
        void server.close();
      }
      proxy.open.clear();
    },
  };
  const ready = page.routeWebSocket(/\/graphql\/realtime/, (ws) => {
    proxy.attempts.push(Date.now());
    if (proxy.refuse) return void ws.close({ code: 4000, reason: 'outage' });
    const server = ws.connectToServer();
    proxy.open.set(ws, server);
    ws.onMessage((message) => {
      const parsed = JSON.parse(String(message)) as ProtocolMessage;
      if (parsed.type === 'start' && parsed.id) proxy.started.push(parsed.id);
      server.send(message);
    });
    server.onMessage((message) => {
      if (proxy.onServerMessage(JSON.parse(String(message)) as ProtocolMessage, ws)) ws.send(message);
    });
    ws.onClose(() => proxy.open.delete(ws));
  });
  return { proxy, ready };
}

describe('player', () => {
  it('shows a comment sent from one player in another within one poll interval, once', async () => {
    const roomId = await newLocalRoom(stack, { pollIntervalSeconds: 2 });
    const [alice, bob] = await Promise.all([
      openPlayer(roomId, { user: 'alice' }),
      openPlayer(roomId, { user: 'bob' }),
    ]);

    await send(alice.page, 'hello from alice 👋');
    // The player clears its input once the post path acknowledged the comment: time bob from there,
    // not from the click (the first post of a fresh stack may take a while on a shared machine).
    await expect.poll(() => alice.page.locator('hybrid-live-chat input').inputValue()).toBe('');
    // One poll interval (2 s) and two seconds' slack for the browser on two shared cores.
    await vi.waitFor(async () => expect(await shownTexts(bob.page)).toContain('hello from alice 👋'), {
      timeout: 4_000,
      interval: 50,
    });
    // Two more polls of bob's: still once.
    const before = stack.edge.stats().requests;
    await vi.waitFor(() => expect(stack.edge.stats().requests).toBeGreaterThan(before + 3), {
      timeout: 10_000,
    });

    expect((await shownTexts(bob.page)).filter((t) => t === 'hello from alice 👋')).toHaveLength(1);
    expect((await shownTexts(alice.page)).filter((t) => t === 'hello from alice 👋')).toHaveLength(1);
    expect(await alice.page.locator('hybrid-live-chat input').inputValue()).toBe('');
    expect([...alice.errors, ...bob.errors]).toEqual([]);
  });

  it('drops a deleted comment within one poll interval and a second with the WebSocket blocked', async () => {
    const roomId = await newLocalRoom(stack, { pollIntervalSeconds: 2 });
    const comment = await postAs(roomId, 'troll', 'delete me');
    const { page } = await openPlayer(roomId, {
      setup: (p) => p.routeWebSocket(/realtime/, (ws) => ws.close()),
    });
    await vi.waitFor(async () => expect(await shownTexts(page)).toContain('delete me'), { timeout: 5_000 });

    await localAdmin(stack)('DELETE', `/rooms/${roomId}/comments/${comment.id}`);

    await vi.waitFor(async () => expect(await shownTexts(page)).not.toContain('delete me'), {
      timeout: 3_000,
      interval: 50,
    });
  });

  it('posts once when the response to a send is lost and the player retries', async () => {
    const roomId = await newLocalRoom(stack);
    let posts = 0;
    let answered = 0;
    const { page, errors } = await openPlayer(roomId, {
      user: 'retrier',
      realtime: false,
      setup: (p) =>
        p.route('**/comments', async (route) => {
          posts++;
          const response = await route.fetch(); // the server stores the comment…
          answered++;
          if (posts === 1) return route.abort('connectionreset'); // …and its answer is lost
          return route.fulfill({ response });
        }),
    });

    await send(page, 'sent once');
    await vi.waitFor(async () => expect(await shownTexts(page)).toContain('sent once'), { timeout: 10_000 });
    const stored = async () => {
      // From the origin: the edge may still hold a document from before the retry.
      const origin = { [stack.origin.header.name]: stack.origin.header.value };
      const live = (await (
        await fetch(`${stack.apiUrl}/v1/rooms/${roomId}/live`, { headers: origin })
      ).json()) as {
        comments: { text: string }[];
      };
      return live.comments.filter((c) => c.text === 'sent once').length;
    };

    // The poll may show the comment before the retry goes out: wait until the server has answered
    // the retry, then count what it stored.
    await vi.waitFor(() => expect(answered).toBe(2), { timeout: 10_000 });
    expect(await stored()).toBe(1);
    expect(posts).toBe(2);
    expect((await shownTexts(page)).filter((t) => t === 'sent once')).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('explains a ban with until when, and disables sending', async () => {
    const roomId = await newLocalRoom(stack);
    const { page } = await openPlayer(roomId, { user: 'banned-viewer', realtime: false });
    await expect.poll(() => page.locator('hybrid-live-chat button.send').isDisabled()).toBe(true); // empty input

    await localAdmin(stack)('PUT', `/rooms/${roomId}/bans/banned-viewer`, { durationSeconds: 300 });

    const state = page.locator('hybrid-live-chat .state');
    await vi.waitFor(
      async () => expect(await state.textContent()).toMatch(/cannot comment until .+\(\d:\d\d\)/),
      {
        timeout: 5_000,
      },
    );
    expect(await page.locator('hybrid-live-chat input').isDisabled()).toBe(true);
  });

  it('explains a display name the chat refuses in words, and nothing is posted', async () => {
    // Prepare: a host name with a right-to-left override, which the post path refuses (422).
    const roomId = await newLocalRoom(stack);
    const { page } = await openPlayer(roomId, {
      user: 'rtl-name',
      name: 'evil\u202Egnp.exe',
      realtime: false,
    });

    // Act
    await send(page, 'hello');

    // Assess: the player's own words for the code, the typed text kept, the room still empty.
    const error = page.locator('hybrid-live-chat .error');
    await vi.waitFor(
      async () => expect(await error.textContent()).toMatch(/display name cannot be shown in chat/),
      {
        timeout: 10_000,
      },
    );
    expect(await page.locator('hybrid-live-chat input').inputValue()).toBe('hello');
    const live = (await (await fetch(`${stack.edgeUrl}/v1/rooms/${roomId}/live`)).json()) as {
      comments: unknown[];
    };
    expect(live.comments).toEqual([]);
  });

  it('shows slow mode with a countdown after a send', async () => {
    const roomId = await newLocalRoom(stack, { slowModeSeconds: 120 });
    const { page } = await openPlayer(roomId, { user: 'slow-viewer', realtime: false });
    await vi.waitFor(async () =>
      expect(await page.locator('hybrid-live-chat .state').textContent()).toContain(
        'one comment every 120 s',
      ),
    );

    await send(page, 'first');

    const state = page.locator('hybrid-live-chat .state');
    await vi.waitFor(async () => expect(await state.textContent()).toMatch(/comment again in 1:\d\d/), {
      timeout: 5_000,
    });
    const first = await state.textContent();
    await vi.waitFor(async () => expect(await state.textContent()).not.toBe(first), { timeout: 3_000 });
    expect(await page.locator('hybrid-live-chat button.send').isDisabled()).toBe(true);
  });

  it('shows every comment of a hidden spell longer than the live window when the tab returns, in order', async () => {
    const roomId = await newLocalRoom(stack);
    const { page } = await openPlayer(roomId, { realtime: false });
    const polls: string[] = [];
    page.on('request', (r) => polls.push(r.url()));

    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    const sent: string[] = [];
    const hiddenUntil = Date.now() + 4_000; // a 1 s room's window is 2.5 s
    // Paced, like a room's chatter: fewer comments than the player keeps on screen (200).
    for (let i = 1; Date.now() < hiddenUntil; i++) {
      sent.push(`while hidden ${i}`);
      await Promise.all([
        postAs(roomId, `v${i % 3}`, `while hidden ${i}`),
        new Promise((resolve) => setTimeout(resolve, 50)),
      ]);
    }
    const pollsWhileHidden = polls.filter((u) => u.includes('/live')).length;
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
      document.dispatchEvent(new Event('visibilitychange'));
    });

    await vi.waitFor(async () => expect(await shownTexts(page)).toEqual(sent), {
      timeout: 10_000,
      interval: 100,
    });
    expect(pollsWhileHidden).toBeLessThanOrEqual(1);
    expect(polls.some((u) => u.includes('/segments/'))).toBe(true);
  });
  it('drops a deleted comment within 1 s over realtime, long before the next poll', async () => {
    const roomId = await newLocalRoom(stack, { pollIntervalSeconds: 30 });
    const comment = await postAs(roomId, 'troll', 'pushed away');
    const { page, errors } = await openPlayer(roomId);
    await vi.waitFor(async () => expect(await shownTexts(page)).toContain('pushed away'), { timeout: 5_000 });
    await vi.waitFor(async () => expect(await realtimeState(page)).toBe('connected'), { timeout: 5_000 });

    await localAdmin(stack)('DELETE', `/rooms/${roomId}/comments/${comment.id}`);

    await vi.waitFor(async () => expect(await shownTexts(page)).not.toContain('pushed away'), {
      timeout: 1_000,
      interval: 25,
    });
    expect(errors).toEqual([]);
  });

  it('reconnects with backoff after the WebSocket dies mid-event, and shows the outage’s events once, in order', async () => {
    const roomId = await newLocalRoom(stack, { pollIntervalSeconds: 5 });
    let setup: ReturnType<typeof proxyRealtime> | undefined;
    const { page, errors } = await openPlayer(roomId, {
      setup: (p) => (setup = proxyRealtime(p)).ready,
    });
    const { proxy } = setup!;
    await vi.waitFor(async () => expect(await realtimeState(page)).toBe('connected'), { timeout: 5_000 });
    await artistSays(roomId, 'artist 1');
    await vi.waitFor(async () => expect(await shownTexts(page)).toContain('artist 1'), { timeout: 2_000 });

    // The next event dies with the socket that carries it; the endpoint stays unreachable a while.
    proxy.onServerMessage = (message) => {
      if (message.type !== 'data') return true;
      proxy.refuse = true;
      proxy.kill();
      return false;
    };
    await artistSays(roomId, 'artist 2');
    await vi.waitFor(async () => expect(await realtimeState(page)).toBe('reconnecting'), { timeout: 2_000 });
    const outageStart = Date.now();
    const attemptsBefore = proxy.attempts.length;
    await artistSays(roomId, 'artist 3');
    await artistSays(roomId, 'artist 4');
    await vi.waitFor(() => expect(proxy.attempts.length).toBeGreaterThanOrEqual(attemptsBefore + 3), {
      timeout: 20_000,
    });
    proxy.onServerMessage = () => true;
    proxy.refuse = false;

    await vi.waitFor(async () => expect(await realtimeState(page)).toBe('connected'), { timeout: 30_000 });
    const texts = async () => (await shownTexts(page)).filter((t) => t.startsWith('artist '));
    await vi.waitFor(
      async () => expect(await texts()).toEqual(['artist 1', 'artist 2', 'artist 3', 'artist 4']),
      {
        timeout: 10_000,
      },
    );
    // Backoff, not a busy loop: a few attempts over the outage, not one per event-loop turn.
    const outageAttempts = proxy.attempts.filter((t) => t >= outageStart).length;
    expect(outageAttempts / ((Date.now() - outageStart) / 1_000)).toBeLessThan(3);
    expect((await stats(page)).realtimeReconnects).toBe(1);
    // Two more polls: still once each.
    let polls = 0;
    page.on('requestfinished', (r) => void (r.url().includes('/live') && polls++));
    await vi.waitFor(() => expect(polls).toBeGreaterThanOrEqual(2), { timeout: 15_000 });
    expect(await texts()).toEqual(['artist 1', 'artist 2', 'artist 3', 'artist 4']);
    expect(errors).toEqual([]);
  });

  it('detects a subscription the server stopped feeding, with the socket open, and resubscribes', async () => {
    const roomId = await newLocalRoom(stack, { pollIntervalSeconds: 2 });
    let setup: ReturnType<typeof proxyRealtime> | undefined;
    const { page, errors } = await openPlayer(roomId, {
      setup: (p) => (setup = proxyRealtime(p)).ready,
    });
    const { proxy } = setup!;
    await vi.waitFor(async () => expect(await realtimeState(page)).toBe('connected'), { timeout: 5_000 });
    // From now on the endpoint's events for these subscriptions never reach the page; keep-alives do.
    const starved = new Set(proxy.started);
    const delivered: string[] = [];
    proxy.onServerMessage = (message) => {
      if (message.type !== 'data' || !message.id) return true;
      if (starved.has(message.id)) return false;
      delivered.push(JSON.stringify(message.payload));
      return true;
    };

    // The poll path shows them; the pushes never come within the grace period: resubscribe. (The
    // watch ignores events from the subscription's first second, as they may predate it on the
    // server, and the client knows the server's time only to about a second: each later event is
    // sent once the one before shows, so the last is seconds after the subscription started.)
    for (const text of ['unheard push', 'unheard push 2', 'unheard push 3']) {
      await artistSays(roomId, text);
      await vi.waitFor(async () => expect(await shownTexts(page)).toContain(text), { timeout: 5_000 });
    }
    await vi.waitFor(async () => expect((await stats(page)).resubscribes).toBeGreaterThanOrEqual(1), {
      timeout: 15_000,
    });
    expect(proxy.started.filter((id) => !starved.has(id)).length).toBeGreaterThanOrEqual(1);
    expect(proxy.attempts).toHaveLength(1); // healed on the same socket
    await vi.waitFor(async () => expect(await realtimeState(page)).toBe('connected'), { timeout: 5_000 });

    await artistSays(roomId, 'heard again');
    await vi.waitFor(() => expect(delivered.some((payload) => payload.includes('heard again'))).toBe(true), {
      timeout: 3_000,
    });
    await vi.waitFor(async () => expect(await shownTexts(page)).toContain('heard again'), { timeout: 2_000 });
    expect((await shownTexts(page)).filter((t) => t === 'unheard push')).toHaveLength(1);
    expect((await stats(page)).missedPushes).toBeGreaterThanOrEqual(1);
    expect(errors).toEqual([]);
  });
  it('draws a decorated comment in the palette’s colour and frame in every player', async () => {
    const roomId = await newLocalRoom(stack);
    await postAs(roomId, 'patron', 'with a golden frame', 'gold');
    await postAs(roomId, 'regular', 'plain');
    const players = await Promise.all([openPlayer(roomId, { user: 'a' }), openPlayer(roomId, { user: 'b' })]);

    for (const { page } of players) {
      const decorated = page.locator('hybrid-live-chat li', { hasText: 'with a golden frame' });
      await decorated.waitFor();
      expect(await decorated.getAttribute('data-style')).toBe('gold');
      const look = await decorated.evaluate((li) => {
        const css = getComputedStyle(li);
        return { color: css.borderLeftColor, frame: css.borderLeftStyle };
      });
      expect(look).toEqual({ color: 'rgb(164, 117, 0)', frame: 'double' }); // COMMENT_STYLES.gold: #A47500
      const plain = page.locator('hybrid-live-chat li', { hasText: 'plain' });
      expect(await plain.getAttribute('data-style')).toBeNull();
      expect(await plain.evaluate((li) => getComputedStyle(li).borderLeftStyle)).toBe('none');
    }
  });
  it('runs from the admin API’s snippet on a host page of another origin; the host’s sign-in opens the composer', async () => {
    const roomId = await newLocalRoom(stack);
    const { snippet } = await localAdmin(stack)<{ snippet: string }>('GET', `/rooms/${roomId}/connection`);
    // The local AppSync's TLS endpoint has a self-signed certificate, as the snippet names it.
    const context = await browser.newContext({
      ignoreHTTPSErrors: true,
      viewport: { width: 480, height: 720 },
    });
    contexts.push(context);
    const page = await context.newPage();
    const errors = pageErrors(page);
    // The host's page, from a server of its own: another origin than the edge's.
    const host = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><html lang="ja"><title>Host</title><body><h1>Live</h1>${snippet}</body></html>`,
      );
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => void host.close());
    await page.goto(`http://127.0.0.1:${(host.address() as AddressInfo).port}/watch`);
    const player = page.locator('hybrid-live-chat');
    await vi.waitFor(async () => expect(await player.locator('header h2').textContent()).toMatch(/\S/), {
      timeout: 5_000,
    });
    expect(await player.locator('input').isDisabled()).toBe(true); // nobody signed in yet
    expect(await player.locator('.state').textContent()).toBe('コメントするにはログインしてください。');

    const { token } = await stack.tokens.issue({ userId: 'host-viewer', displayName: '視聴者' });
    await page.evaluate(
      ([id, value]) => {
        (document.getElementById(id!) as HybridLiveChatElement).tokenProvider = () => value!;
      },
      [`hlc-${roomId}`, token],
    );
    await send(page, 'ホストのページから');

    await vi.waitFor(async () => expect(await shownTexts(page)).toContain('ホストのページから'), {
      timeout: 5_000,
    });
    await vi.waitFor(async () => expect(await realtimeState(page)).toBe('connected'), { timeout: 5_000 });
    expect(errors).toEqual([]);
  });
  it('says a room does not exist, in the list and the status, and shows it once it is created', async () => {
    const context = await browser.newContext({ viewport: { width: 420, height: 640 } });
    contexts.push(context);
    const page = await context.newPage();
    const roomId = `later-${Date.now().toString(36)}`;
    await page.goto(
      `${stack.edgeUrl}/player/?${new URLSearchParams({ room: roomId, lang: 'en', realtime: 'off' })}`,
    );
    const player = page.locator('hybrid-live-chat');

    await vi.waitFor(
      async () => expect(await player.locator('.empty').textContent()).toMatch(/does not exist/),
      {
        timeout: 5_000,
      },
    );
    expect(await player.locator('.status').textContent()).toBe('No such room');

    await localAdmin(stack)('POST', '/rooms', { roomId, channelId: 'default', title: 'Opened late' });
    await vi.waitFor(
      async () => expect(await player.locator('header h2').textContent()).toBe('Opened late'),
      {
        timeout: 40_000, // the client backs off while the room is missing (at most 30 s)
      },
    );
    expect(await player.locator('.empty').textContent()).toBe('No comments yet. Be the first!');
  });
  it.each(['light', 'dark'] as const)(
    'passes an accessibility scan (axe-core) with no serious or critical violation, %s theme',
    async (theme) => {
      const roomId = await newLocalRoom(stack);
      await postAs(roomId, 'fan', 'こんばんは！', 'gold');
      await postAs(roomId, 'other', 'Hello');
      await artistSays(roomId, 'ありがとう！');
      await localAdmin(stack)('POST', '/notices', {
        roomId,
        level: 'warning',
        text: 'まもなく開演',
        displaySeconds: 600,
      });
      // axe is injected as an inline script, which the page's CSP would refuse: this context skips it.
      const context = await browser.newContext({
        bypassCSP: true,
        colorScheme: theme,
        viewport: { width: 420, height: 640 },
      });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(
        `${stack.edgeUrl}/player/?${new URLSearchParams({ room: roomId, user: 'a11y', lang: 'ja', theme })}`,
      );
      const player = page.locator('hybrid-live-chat');
      await player.locator('li', { hasText: 'ありがとう！' }).waitFor();
      await player.locator('.banner').waitFor();
      await player.locator('input').fill('一緒に歌おう');

      await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (context: Element) => Promise<AxeResults> } }).axe;
        const results = await axe.run(document.querySelector('hybrid-live-chat')!);
        return results.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.failureSummary ?? n.html).join(' | ')}`);
      });

      expect(violations).toEqual([]);
    },
  );
});
