/**
 * The console's screens for README — rooms (light and dark), the settings editor, a stale save, the
 * live view (light and dark), the artist composer and the notices page — taken from the real thing:
 * a local stack with a few rooms and a Japanese audience's chatter, the console in Chromium signed
 * in through its dev sign-in panel. `npm run screenshots` runs it; the browser tests take the other
 * screens' pictures (UPDATE_SCREENSHOTS=1). Japanese glyphs need a CJK font (Debian: fonts-noto-cjk).
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { fromProjectRoot } from '../lib/paths.js';
import { startLocalStack } from '../local/stack.js';
import { launchChromium } from '../test/helpers/browser.js';
import { openConsole } from '../test/helpers/console.js';
import { localAdmin } from '../test/helpers/local-admin.js';
import { CHATTER, postChatter } from './screenshot-chatter.js';

const ROOMS = [
  {
    roomId: 'summer-night-2026',
    channelId: 'hikari-tv',
    title: '夏の夜ライブ 2026 — Summer Night Live',
    schedule: { startsAt: '2026-08-01T10:00:00.000Z', endsAt: '2026-08-01T13:00:00.000Z' },
    expectedViewers: 120_000,
    settings: { slowModeSeconds: 3, ngWords: ['荒らし', 'spam'] },
  },
  {
    roomId: 'talk-session-12',
    channelId: 'hikari-tv',
    title: 'トークセッション #12',
    schedule: { startsAt: '2026-07-20T11:00:00.000Z', endsAt: '2026-07-20T12:00:00.000Z' },
    expectedViewers: 8_000,
  },
  {
    roomId: 'sakura-fm-morning',
    channelId: 'sakura-fm',
    title: 'さくらFM 朝の生放送',
    expectedViewers: 2_500,
    settings: { postingAllowed: 'nobody' },
  },
  {
    roomId: 'launch-keynote',
    channelId: 'default',
    title: 'Product launch keynote',
    schedule: { startsAt: '2026-09-10T16:00:00.000Z' },
    expectedViewers: 40_000,
    settings: { enabled: false },
  },
  {
    roomId: 'rehearsal-0615',
    channelId: 'hikari-tv',
    title: 'リハーサル（関係者のみ）',
    expectedViewers: 50,
  },
];

const stack = await startLocalStack({ seed: false });

const browser = await launchChromium();
try {
  const operator = localAdmin(stack);
  for (const room of ROOMS) await operator('POST', '/rooms', room);
  await operator('POST', '/rooms/rehearsal-0615/close', { version: 1 });
  mkdirSync(fromProjectRoot('docs'), { recursive: true });
  const shot = async (page: Page, name: string) => {
    await page.screenshot({ path: fromProjectRoot(`docs/${name}.png`) });
    console.log(`docs/${name}.png`);
  };

  for (const colorScheme of ['light', 'dark'] as const) {
    const { page } = await openConsole(browser, stack, ['operator'], [], { path: '/rooms', colorScheme });
    await page
      .locator('table.rooms-table tbody tr')
      .nth(ROOMS.length - 1)
      .waitFor();
    await shot(page, colorScheme === 'light' ? 'console-rooms' : 'console-rooms-dark');
    await page.context().close();
  }

  const { page } = await openConsole(browser, stack, ['operator'], [], {
    path: '/rooms/summer-night-2026/settings',
  });
  await page.getByLabel('Slow mode (seconds)').fill('5');
  await page.getByLabel('NG words').fill('荒らし\nspam\n転売');
  await page.evaluate(() => scrollTo(0, 0));
  await shot(page, 'console-room-settings');

  // A stale save: someone changes the room while this form is open.
  await operator('PATCH', '/rooms/summer-night-2026', {
    version: 1,
    title: '夏の夜ライブ 2026 — 追加公演',
    expectedViewers: 150_000,
    settings: { slowModeSeconds: 10 },
  });
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('alert').filter({ hasText: 'Someone saved this room' }).waitFor();
  await page.evaluate(() => scrollTo(0, 0));
  await shot(page, 'console-stale-save');
  await page.context().close();

  // The live view of a room with its audience talking, a ban and a channel block in force.
  const live = 'summer-night-2026';
  const ids = await postChatter(stack, live, [
    ...CHATTER.slice(0, 5),
    ['u6', 'spam_bot_99', '今すぐクリック→ http://example.invalid 無料プレゼント'],
    ...CHATTER.slice(6),
  ]);
  await operator('PUT', `/rooms/${live}/bans/u-flood`, { durationSeconds: 3600, reason: '連投' });
  await operator('PUT', '/channels/hikari-tv/blocks/u-stalker', { reason: 'blocked by the artist' });
  for (const colorScheme of ['light', 'dark'] as const) {
    const moderator = await openConsole(browser, stack, ['moderator'], ['hikari-tv'], {
      path: `/rooms/${live}/live`,
      colorScheme,
    });
    await moderator.page.locator(`li.live-item[data-id="${ids['u9']}"]`).waitFor();
    await moderator.page.locator('.ban-entry').nth(1).waitFor();
    await moderator.page.locator('.live-status[data-realtime="connected"]').waitFor();
    await shot(moderator.page, colorScheme === 'light' ? 'console-live' : 'console-live-dark');
    await moderator.page.context().close();
  }

  const artist = await openConsole(browser, stack, ['artist'], ['hikari-tv'], {
    path: `/rooms/${live}/live`,
  });
  await artist.page.locator(`li.live-item[data-id="${ids['u9']}"]`).waitFor();
  await artist.page
    .getByRole('textbox', { name: 'Your message' })
    .fill('みんな来てくれてありがとう！次の曲いくよ 🎸');
  await artist.page.locator('.player-preview li.artist').waitFor();
  await shot(artist.page, 'console-artist');
  await artist.page.context().close();

  const notices = await openConsole(browser, stack, ['operator'], [], { path: '/notices' });
  await notices.page.getByLabel('Text').fill('まもなく開演します。Doors open in 10 minutes.');
  await notices.page.locator('.player-preview .banner').waitFor();
  await shot(notices.page, 'console-notices');
  await notices.page.context().close();
} finally {
  await browser.close();
  await stack.stop();
}
