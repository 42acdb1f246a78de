/**
 * `npm run screenshots`: the player's pictures in README (docs/player-light.png,
 * docs/player-dark.png), taken from the real thing — a local stack, a room with
 * a Japanese audience's chatter, an artist message, a notice and decorated
 * comments, and the demo page in Chromium. Japanese glyphs need a CJK font
 * (Debian: fonts-noto-cjk); without one they render as boxes.
 */
import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { startLocalStack, type LocalStack } from '../local/stack.js';
import { fromProjectRoot } from '../lib/paths.js';
import { launchChromium } from '../test/helpers/browser.js';
import { localAdmin } from '../test/helpers/local-admin.js';

const ROOM = 'screenshot-live';
const CHATTER: readonly [user: string, name: string, text: string, style?: string][] = [
  ['u1', 'はるか', 'こんばんは！今日も楽しみにしてました 🎉'],
  ['u2', 'Kenji', 'Hello from Osaka!'],
  ['u3', 'みお', '新曲きたー！！'],
  ['u4', 'さくら推し', 'この衣装かわいすぎる', 'sakura'],
  ['u5', 'Alex', 'The sound is amazing tonight'],
  ['u6', 'たくみ', '888888'],
  ['u7', 'ゆうき', 'サビの振り付け覚えた！', 'gold'],
  ['u8', 'Mina', 'アンコール！アンコール！'],
  ['u9', 'そら', '初見です、よろしくお願いします'],
];

async function post(stack: LocalStack, roomId: string, [user, name, text, style]: (typeof CHATTER)[number]) {
  const { token } = await stack.tokens.issue({
    userId: user,
    displayName: name,
    ...(style ? { style } : {}),
  });
  const res = await fetch(`${stack.edgeUrl}/v1/rooms/${roomId}/comments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ text, clientMessageId: randomUUID() }),
  });
  if (res.status !== 201) throw new Error(`post: ${res.status} ${await res.text()}`);
}

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
  for (const line of CHATTER.slice(0, 5)) await post(stack, ROOM, line);
  const artist = await stack.adminTokens.issue({ roles: ['artist'], channels: ['default'], name: 'MIKA' });
  const sent = await fetch(`${stack.edgeUrl}/admin/v1/rooms/${ROOM}/artist-messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${artist.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ text: 'みんなありがとう！次はあの曲いくよ〜' }),
  });
  if (sent.status !== 201) throw new Error(`artist message: ${sent.status} ${await sent.text()}`);
  for (const line of CHATTER.slice(5)) await post(stack, ROOM, line);
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
