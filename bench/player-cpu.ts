import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import type { LocalStack } from '../local/stack.js';
import { launchChromium } from '../test/helpers/browser.js';
import { benchStores, createBenchRoom } from './fixtures.js';
import { ratio } from './stats.js';

/**
 * Figure 10: the browser's CPU time per 1,000 comments shown at 50 comments/s.
 * The demo page's player (`/player/?room=…`, realtime off) in headless
 * Chromium follows a room of the local stack while comments are posted
 * through the edge at a steady rate; the baseline, in a fresh page of the
 * same browser, appends the same texts as bare text nodes at the same rate:
 * one by one as they come (the issue's baseline), and a poll interval's worth
 * at a time, as the player receives them (what the player adds over the DOM
 * work of the same batches).
 * CPU time is the page's main-thread task time (DevTools protocol
 * `Performance.getMetrics` → `TaskDuration`: script, style, layout, paint),
 * read before the first comment and after the last is shown. The player's
 * includes its polling (fetch, JSON parsing, merging) as well as rendering:
 * that is what a viewer's machine pays.
 */

export interface PlayerCpuOptions {
  readonly comments: number;
  readonly perSecond: number;
  readonly progress?: (line: string) => void;
}

/** Main-thread time of one page over the measured window, in milliseconds. */
export interface PageCpu {
  readonly taskMs: number;
  readonly scriptMs: number;
  readonly recalcStyleMs: number;
  readonly layoutMs: number;
  /** Wall time from the first comment to the last shown. */
  readonly windowMs: number;
  /** taskMs for 1,000 comments. */
  readonly taskMsPerThousand: number;
}

export interface PlayerCpuResult {
  readonly browser: string;
  readonly comments: number;
  readonly perSecond: number;
  readonly pollIntervalSeconds: number;
  readonly player: PageCpu & {
    /** Comments of the run the player's client holds at the end: all of them, or the figure says so. */
    readonly delivered: number;
    /** `live` and segment requests the page made in the window. */
    readonly polls: number;
    /** Posts answered 503 or 429 and sent again (the same clientMessageId). */
    readonly retries: number;
  };
  /** The issue's baseline: each comment appended as it comes, one every 1/rate s. */
  readonly baseline: PageCpu;
  /** The same, appended a poll interval's worth at a time, as the player receives them. */
  readonly batchedBaseline: PageCpu;
  /** Player ÷ baseline, per comment. */
  readonly ratio: number;
  /** Player ÷ batched baseline: what the player does beyond the DOM work of the same batches. */
  readonly batchedRatio: number;
}

/** The room's poll interval: the product's default (RoomSettings). */
const POLL_INTERVAL_SECONDS = 3;
const VIEWPORT = { width: 1280, height: 720 };
/** Posters taking turns, each with its own token (slow mode is off in the room). */
const POSTERS = 20;
/** Retries of one post answered 503 or 429 (DynamoDB Local slows under the load of the whole run). */
const POST_RETRIES = 5;
/** Comments shown before the window opens: the stack's and the page's first calls are not the figure. */
const WARMUP_COMMENTS = 20;
/** How long the player may take to show the last comment after it is acknowledged. */
const SHOW_TIMEOUT_MS = (POLL_INTERVAL_SECONDS * 3 + 10) * 1000;

const METRICS = ['TaskDuration', 'ScriptDuration', 'RecalcStyleDuration', 'LayoutDuration'] as const;
type Metrics = Record<(typeof METRICS)[number], number>;

const commentText = (n: number) => `Benchmark comment number ${n}, about forty chars`;

export async function benchPlayerCpu(stack: LocalStack, options: PlayerCpuOptions): Promise<PlayerCpuResult> {
  const log = options.progress ?? (() => undefined);
  const texts = Array.from({ length: options.comments }, (_, i) => commentText(i + 1));
  const browser = await launchChromium();
  try {
    const perPoll = options.perSecond * POLL_INTERVAL_SECONDS;
    log(
      `  baselines: ${options.comments} bare text nodes at ${options.perSecond}/s, one by one and ${perPoll} at a time…`,
    );
    const baseline = await bareTextNodes(browser, texts, options.perSecond, 1);
    const batchedBaseline = await bareTextNodes(browser, texts, options.perSecond, perPoll);
    log(`  player: ${options.comments} comments posted at ${options.perSecond}/s…`);
    const player = await playerPage(browser, stack, texts, options.perSecond);
    return {
      browser: browser.version(),
      comments: options.comments,
      perSecond: options.perSecond,
      pollIntervalSeconds: POLL_INTERVAL_SECONDS,
      player,
      baseline,
      batchedBaseline,
      ratio: ratio(player.taskMsPerThousand, baseline.taskMsPerThousand),
      batchedRatio: ratio(player.taskMsPerThousand, batchedBaseline.taskMsPerThousand),
    };
  } finally {
    await browser.close();
  }
}

async function newPage(browser: Browser) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async (): Promise<Metrics> => {
    const { metrics: all } = await cdp.send('Performance.getMetrics');
    const byName = new Map(all.map((m) => [m.name, m.value]));
    return Object.fromEntries(METRICS.map((name) => [name, byName.get(name) ?? 0])) as Metrics;
  };
  return { context, page, metrics };
}

function pageCpu(before: Metrics, after: Metrics, windowMs: number, comments: number): PageCpu {
  const ms = (name: (typeof METRICS)[number]) => round((after[name] - before[name]) * 1000);
  const taskMs = ms('TaskDuration');
  return {
    taskMs,
    scriptMs: ms('ScriptDuration'),
    recalcStyleMs: ms('RecalcStyleDuration'),
    layoutMs: ms('LayoutDuration'),
    windowMs: Math.round(windowMs),
    taskMsPerThousand: round((taskMs * 1000) / comments),
  };
}

const round = (value: number) => Number(value.toPrecision(4));

/**
 * A baseline: the texts appended as bare text nodes, each followed by a <br>, `batch` at a time
 * every batch / rate seconds, by the page's own timer.
 */
async function bareTextNodes(
  browser: Browser,
  texts: readonly string[],
  perSecond: number,
  batch: number,
): Promise<PageCpu> {
  const { context, page, metrics } = await newPage(browser);
  try {
    await page.setContent('<!doctype html><html lang="en"><body></body></html>');
    const before = await metrics();
    const started = Date.now();
    // Anonymous functions only: tsx names const-bound ones with a helper the page does not have.
    await page.evaluate(
      ({ texts, batch, everyMs }) =>
        new Promise<void>((resolve) => {
          let next = 0;
          const timer = setInterval(() => {
            for (const text of texts.slice(next, next + batch)) {
              document.body.append(document.createTextNode(text), document.createElement('br'));
            }
            next += batch;
            if (next < texts.length) return;
            clearInterval(timer);
            // Two frames: the last appends are styled, laid out and painted inside the window.
            requestAnimationFrame(() => requestAnimationFrame(() => resolve()));
          }, everyMs);
        }),
      { texts, batch, everyMs: (batch * 1000) / perSecond },
    );
    const windowMs = Date.now() - started;
    const after = await metrics();
    const shown = await page.evaluate(() => document.body.childNodes.length / 2);
    if (shown !== texts.length) throw new Error(`The baseline page shows ${shown} of ${texts.length} texts.`);
    return pageCpu(before, after, windowMs, texts.length);
  } finally {
    await context.close();
  }
}

async function playerPage(
  browser: Browser,
  stack: LocalStack,
  texts: readonly string[],
  perSecond: number,
): Promise<PlayerCpuResult['player']> {
  const roomId = `bench-cpu-${Date.now().toString(36)}`;
  await createBenchRoom(benchStores(stack).rooms, roomId, 1, { pollIntervalSeconds: POLL_INTERVAL_SECONDS });
  const tokens = await Promise.all(
    Array.from({ length: POSTERS }, async (_, i) => {
      const issued = await stack.tokens.issue({ userId: `bench-poster-${i}`, displayName: `Poster ${i}` });
      return issued.token;
    }),
  );
  const { context, page, metrics } = await newPage(browser);
  try {
    const query = new URLSearchParams({ room: roomId, user: 'bench', lang: 'en', realtime: 'off' });
    await page.goto(`${stack.edgeUrl}/player/?${query}`);
    await page.locator('hybrid-live-chat header h2').filter({ hasText: /\S/ }).waitFor();
    const warmup = Array.from({ length: WARMUP_COMMENTS }, (_, i) => `Warm-up comment ${i + 1}`);
    await postAtRate(stack.edgeUrl, roomId, tokens, warmup, perSecond);
    await waitUntilShown(page, warmup.at(-1)!);

    let polls = 0;
    page.on('request', (request) => {
      if (/\/v1\/rooms\/[^/]+\/(live|segments)/.test(request.url())) polls++;
    });
    const before = await metrics();
    const started = Date.now();
    const retries = await postAtRate(stack.edgeUrl, roomId, tokens, texts, perSecond);
    await waitUntilShown(page, texts.at(-1)!);
    const windowMs = Date.now() - started;
    const after = await metrics();
    const delivered = await deliveredCount(page, texts);
    return { ...pageCpu(before, after, windowMs, texts.length), delivered, polls, retries };
  } finally {
    await context.close();
  }
}

/** Waits until the player's list shows a comment of this text (checked from here, four times a second). */
function waitUntilShown(page: Page, text: string): Promise<void> {
  return waitFor(
    () =>
      page.evaluate(
        (text) =>
          [...document.querySelector('hybrid-live-chat')!.shadowRoot!.querySelectorAll('li .text')].some(
            (node) => node.textContent === text,
          ),
        text,
      ),
    SHOW_TIMEOUT_MS,
    `the player did not show "${text}" within ${SHOW_TIMEOUT_MS} ms`,
  );
}

/** Comments of the run the player's client holds (it keeps 2,000 by default; the list shows fewer). */
function deliveredCount(page: Page, texts: readonly string[]): Promise<number> {
  return page.evaluate((texts) => {
    const wanted = new Set(texts);
    const element = document.querySelector('hybrid-live-chat') as unknown as {
      client: { items(): { text?: string }[] };
    };
    return element.client.items().filter((item) => item.text !== undefined && wanted.has(item.text)).length;
  }, texts);
}

/**
 * Open loop: post i leaves at start + i / rate whatever the earlier ones are doing, and is
 * acknowledged in the end. A retryable refusal (503 or 429) is retried after its Retry-After
 * with the same clientMessageId, as the SDK does; the retries are counted.
 */
async function postAtRate(
  edgeUrl: string,
  roomId: string,
  tokens: readonly string[],
  texts: readonly string[],
  perSecond: number,
): Promise<number> {
  let retries = 0;
  const post = async (i: number, text: string) => {
    const body = JSON.stringify({ text, clientMessageId: `bench-cpu-${i}-${randomUUID().slice(0, 8)}` });
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${edgeUrl}/v1/rooms/${roomId}/comments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens[i % tokens.length]}`, 'content-type': 'application/json' },
        body,
      });
      if (res.status === 201) return;
      const answer = await res.text();
      if ((res.status !== 503 && res.status !== 429) || attempt >= POST_RETRIES) {
        throw new Error(`Post ${i} answered ${res.status}: ${answer}`);
      }
      retries++;
      const afterSec = Number(res.headers.get('retry-after')) || 1;
      await new Promise((resolve) => setTimeout(resolve, afterSec * 1000));
    }
  };
  const started = performance.now();
  const posts: Promise<void>[] = [];
  for (const [i, text] of texts.entries()) {
    const wait = started + (i * 1000) / perSecond - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    posts.push(post(i, text));
  }
  await Promise.all(posts);
  return retries;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, message: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // A quarter second between checks: each is a small task in the measured page.
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(message);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
