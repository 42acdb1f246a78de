import type { LocalStack } from '../local/stack.js';
import { postAsViewer } from '../test/helpers/local-admin.js';

/** A Japanese audience's chatter for README's pictures (the player's and the console's). */
export const CHATTER: readonly (readonly [user: string, name: string, text: string, style?: string])[] = [
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

/** Posts lines of chatter in order; returns each comment's id by user. */
export async function postChatter(
  stack: LocalStack,
  roomId: string,
  lines: readonly (readonly [string, string, string, string?])[],
): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const [userId, displayName, text, style] of lines) {
    ids[userId] = (
      await postAsViewer(stack, roomId, { userId, displayName, ...(style ? { style } : {}) }, text)
    ).id;
  }
  return ids;
}
