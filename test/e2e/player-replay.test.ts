import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { launchChromium, pageErrors } from '../helpers/browser.js';
import { seedComment, testStores } from '../helpers/store.js';
import type { Room } from '../../lambdas/domain/rooms/room.js';

/**
 * Replay of a recorded event in real Chromium against the local stack (ADR 0040): the demo page
 * `/player/?room=…&replay=1` plays a silent track of the event's length in a real <video>, and the
 * player shows each comment when the media reaches its offset. The event was recorded an hour
 * ago: its comments are written with chosen times through the post path's own store.
 */
let stack: LocalStack;
let browser: Browser;
const contexts: BrowserContext[] = [];

/** Offsets from the event's start (ms) and texts of the recorded comments; one before the start. */
const RECORDED = [
  { offset: -3_000, text: 'before the start' },
  { offset: 1_200, text: 'こんばんは！' },
  { offset: 2_500, text: 'first song 🎵' },
  { offset: 4_000, text: '8888888' },
  { offset: 6_800, text: 'かわいい' },
  { offset: 9_100, text: 'encore!' },
  { offset: 12_400, text: '最高でした' },
  { offset: 15_000, text: 'thank you' },
] as const;
const EVENT_SECONDS = 30;
/**
 * How late a comment may appear after media time reached its offset: a timer, a frame and the
 * observer's callback on two shared cores. It may never appear before its offset.
 */
const LATE_SECONDS = 0.5;

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

/** A room whose event ran an hour ago, with the recorded comments at their offsets. */
async function recordedEvent(): Promise<Room> {
  const stores = testStores(stack);
  const startsAtMs = Date.now() - 3_600_000;
  const room = await stores.room({
    createdAt: new Date(startsAtMs - 600_000),
    schedule: {
      startsAt: new Date(startsAtMs).toISOString(),
      endsAt: new Date(startsAtMs + EVENT_SECONDS * 1000).toISOString(),
    },
    settings: { segmentSeconds: 10, pollIntervalSeconds: 1 },
  });
  for (const { offset, text } of RECORDED) await seedComment(stores, room, startsAtMs + offset, 0, text);
  return room;
}

interface Appearance {
  readonly text: string;
  /** The media's currentTime when the comment appeared in the list. */
  readonly at: number;
  /** performance.now() then. */
  readonly wallMs: number;
}

async function openReplay(
  roomId: string,
  lang = 'en',
  options: { theme?: 'light' | 'dark'; bypassCSP?: boolean } = {},
) {
  const context = await browser.newContext({
    viewport: { width: 1000, height: 640 },
    ...(options.theme ? { colorScheme: options.theme } : {}),
    ...(options.bypassCSP ? { bypassCSP: true } : {}),
  });
  contexts.push(context);
  const page = await context.newPage();
  const errors = pageErrors(page);
  const query = new URLSearchParams({
    room: roomId,
    replay: '1',
    lang,
    ...(options.theme ? { theme: options.theme } : {}),
  });
  await page.goto(`${stack.edgeUrl}/player/?${query}`);
  await page.locator('hybrid-live-chat header h2').filter({ hasText: /\S/ }).waitFor();
  await page.waitForFunction(() => (document.querySelector('video')?.readyState ?? 0) >= 1);
  // Every comment the list gains, with the media's time at that moment.
  await page.evaluate(() => {
    const w = window as unknown as { appearances: Appearance[] };
    w.appearances = [];
    const video = document.querySelector('video')!;
    const root = document.querySelector('hybrid-live-chat')!.shadowRoot!;
    new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (node instanceof HTMLLIElement) {
            w.appearances.push({
              text: node.querySelector('.text')?.textContent ?? '',
              at: video.currentTime,
              wallMs: performance.now(),
            });
          }
        }
      }
    }).observe(root, { childList: true, subtree: true });
  });
  return { page, errors };
}

const appearances = (page: Page) =>
  page.evaluate(() => (window as unknown as { appearances: Appearance[] }).appearances.splice(0));
const shownTexts = (page: Page) => page.locator('hybrid-live-chat li .text').allTextContents();

/** Collects appearances until `text` appeared (the media playing), at most `timeoutMs`. */
async function until(page: Page, text: string, timeoutMs: number): Promise<Appearance[]> {
  const seen: Appearance[] = [];
  await expect
    .poll(
      async () => {
        seen.push(...(await appearances(page)));
        return seen.some((a) => a.text === text);
      },
      { timeout: timeoutMs, interval: 100 },
    )
    .toBe(true);
  return seen;
}

const media = {
  play: (page: Page, rate = 1) =>
    page.evaluate(async (r) => {
      const video = document.querySelector('video')!;
      video.muted = true; // muted media may play without a gesture
      video.playbackRate = r;
      await video.play();
    }, rate),
  pause: (page: Page) => page.evaluate(() => document.querySelector('video')!.pause()),
  seek: (page: Page, seconds: number) =>
    page.evaluate(async (s) => {
      const video = document.querySelector('video')!;
      const seeked = new Promise((resolve) => video.addEventListener('seeked', resolve, { once: true }));
      video.currentTime = s;
      await seeked;
    }, seconds),
};

/** Asserts each comment appeared at its offset: never before, at most `late` seconds after. */
function expectAtOffsets(seen: readonly Appearance[], late: number) {
  for (const { offset, text } of RECORDED.filter((r) => r.offset > 0)) {
    const appearance = seen.find((a) => a.text === text);
    expect(appearance, text).toBeDefined();
    expect(appearance!.at, text).toBeGreaterThanOrEqual(offset / 1000 - 0.01);
    expect(appearance!.at - offset / 1000, text).toBeLessThanOrEqual(late);
  }
}

describe('player replay', () => {
  it('shows each comment at its offset, the earlier ones again after a seek back, and at the same offsets at 2×', async () => {
    // Prepare
    const room = await recordedEvent();
    const { page, errors } = await openReplay(room.roomId);

    // The start: what was said in the 10 s before it (the pre-start chat), and no post box.
    await expect.poll(() => shownTexts(page)).toEqual(['before the start']);
    expect(await page.locator('hybrid-live-chat form').isHidden()).toBe(true);
    await appearances(page);

    // Act 1: play at 1× to past the last comment.
    await media.play(page);
    const atNormalSpeed = await until(page, 'thank you', 30_000);
    await media.pause(page);

    // Assess 1
    expect(atNormalSpeed.map((a) => a.text)).toEqual(RECORDED.filter((r) => r.offset > 0).map((r) => r.text));
    expectAtOffsets(atNormalSpeed, LATE_SECONDS);

    // Act 2: seek back to 3 s.
    await media.seek(page, 3);

    // Assess 2: the list is what was said in the 10 s before 3 s.
    await expect.poll(() => shownTexts(page)).toEqual(['before the start', 'こんばんは！', 'first song 🎵']);

    // Act 3: from the start again at twice the speed.
    await media.seek(page, 0);
    await expect.poll(() => shownTexts(page)).toEqual(['before the start']);
    await appearances(page);
    await media.play(page, 2);
    const atDoubleSpeed = await until(page, 'thank you', 20_000);
    await media.pause(page);

    // Assess 3: the same media offsets (a frame's lateness is twice the media time at 2×), in half the wall time.
    expectAtOffsets(atDoubleSpeed, 2 * LATE_SECONDS);
    const first = atDoubleSpeed.find((a) => a.text === 'こんばんは！')!;
    const last = atDoubleSpeed.find((a) => a.text === 'thank you')!;
    const wallSeconds = (last.wallMs - first.wallMs) / 1000;
    expect(wallSeconds).toBeLessThan(((last.at - first.at) / 2) * 1.25);
    expect(errors).toEqual([]);
  });

  it('says there are no comments at a quiet moment, in Japanese', async () => {
    const room = await recordedEvent();
    const { page, errors } = await openReplay(room.roomId, 'ja');

    await media.seek(page, 28);

    await expect.poll(() => shownTexts(page)).toEqual([]);
    await expect
      .poll(() => page.locator('hybrid-live-chat .empty').textContent())
      .toBe('この時点のコメントはありません。');
    expect(await page.locator('hybrid-live-chat .empty').isVisible()).toBe(true);
    expect(errors).toEqual([]);
  });

  it.each(['light', 'dark'] as const)(
    'passes an accessibility scan (axe-core) with no serious or critical violation in replay, %s theme',
    async (theme) => {
      // axe is injected as an inline script, which the page's CSP would refuse: this context skips it.
      const room = await recordedEvent();
      const { page } = await openReplay(room.roomId, 'ja', { theme, bypassCSP: true });
      await media.seek(page, 13);
      await expect.poll(() => shownTexts(page)).toContain('最高でした');

      await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
      const violations = await page.evaluate(async () => {
        interface Violation {
          id: string;
          impact?: string | null;
          help: string;
          nodes: { html: string; failureSummary?: string }[];
        }
        const axe = (
          window as unknown as { axe: { run: (c: Element) => Promise<{ violations: Violation[] }> } }
        ).axe;
        const results = await axe.run(document.querySelector('hybrid-live-chat')!);
        return results.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.failureSummary ?? n.html).join(' | ')}`);
      });

      expect(violations).toEqual([]);
    },
  );

  it('says when the room does not exist', async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();

    await page.goto(`${stack.edgeUrl}/player/?room=no-such-room&replay=1&lang=en&duration=10`);

    await expect.poll(() => page.locator('hybrid-live-chat .status-text').textContent()).toBe('No such room');
    expect(await page.locator('hybrid-live-chat .empty').textContent()).toBe(
      'This chat room does not exist. Check the link.',
    );
  });
});
