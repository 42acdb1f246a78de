/**
 * `npm run screenshots`: the player's pictures in README (docs/player-light.png,
 * docs/player-dark.png), taken from the real thing — a local stack, a room with
 * a Japanese audience's chatter, an artist message, a notice and decorated
 * comments, and the demo page in Chromium. Japanese glyphs need a CJK font
 * (Debian: fonts-noto-cjk); without one they render as boxes.
 */
import { mkdirSync } from 'node:fs';
import { startLocalStack } from '../local/stack.js';
import { fromProjectRoot } from '../lib/paths.js';
import { launchChromium } from '../test/helpers/browser.js';
import { localAdmin } from '../test/helpers/local-admin.js';
import { CHATTER, postChatter } from './screenshot-chatter.js';

const ROOM = 'screenshot-live';
const stack = await startLocalStack({ seed: false });
const browser = await launchChromium();
try {
  const operator = localAdmin(stack);
  await operator('POST', '/rooms', {
    roomId: ROOM,
    channelId: 'default',
    title: '夏の夜ライブ 2026 — Summer Night Live',
    settings: { pollIntervalSeconds: 1 },
  });
  await postChatter(stack, ROOM, CHATTER.slice(0, 5));
  const artist = await stack.adminTokens.issue({ roles: ['artist'], channels: ['default'], name: 'MIKA' });
  const sent = await fetch(`${stack.edgeUrl}/admin/v1/rooms/${ROOM}/artist-messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${artist.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ text: 'みんなありがとう！次はあの曲いくよ〜' }),
  });
  if (sent.status !== 201) throw new Error(`artist message: ${sent.status} ${await sent.text()}`);
  await postChatter(stack, ROOM, CHATTER.slice(5));
  await operator('POST', '/notices', {
    roomId: ROOM,
    level: 'info',
    text: 'このあと 21:00 から物販の案内があります',
    displaySeconds: 3_600,
  });

  mkdirSync(fromProjectRoot('docs'), { recursive: true });
  for (const theme of ['light', 'dark'] as const) {
    const page = await browser.newPage({ viewport: { width: 1100, height: 620 }, colorScheme: theme });
    const query = new URLSearchParams({ room: ROOM, user: 'viewer-screenshot', lang: 'ja', theme });
    await page.goto(`${stack.edgeUrl}/player/?${query}`);
    const player = page.locator('hybrid-live-chat');
    await player.locator('li', { hasText: '初見です' }).waitFor();
    await player.locator('.banner').waitFor();
    await player.locator('.status[data-realtime="connected"]').waitFor();
    await player.locator('input').fill('一緒に歌おう！');
    await page.screenshot({ path: fromProjectRoot(`docs/player-${theme}.png`) });
    await page.close();
    console.log(`docs/player-${theme}.png`);
  }
} finally {
  await browser.close();
  await stack.stop();
}
