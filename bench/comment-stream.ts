/**
 * A seeded, reproducible stream of viewers' comments for the bytes figure:
 * Poisson arrivals at a given rate, a pool of viewers, and short chat
 * phrases in Japanese and English as live chats are (reactions, laughter,
 * clapping, a few sentences) — so compression sees text about as repetitive
 * as a real room's, not one sentence repeated.
 */
import { monotonicFactory } from 'ulid';
import type { Comment } from '../lambdas/domain/feed/comment.js';

/** A small, fast seeded generator (mulberry32): the same seed gives the same stream. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const PHRASES = [
  'かわいい',
  '草',
  'www',
  'ｗｗｗｗｗ',
  '888888',
  'きたああああ',
  'こんばんは！',
  '神曲',
  'ありがとう！！',
  '泣いた',
  'え、まって',
  'すごい',
  'やばい',
  '初見です',
  'おつかれさま',
  'アンコール！',
  '声きれい',
  'この曲好き',
  '待ってました',
  '今日も最高',
  '音ズレしてる？',
  'ギターソロ最高',
  '会場どこ？',
  '次の曲なに？',
  'おめでとう🎉',
  '🔥🔥🔥',
  '👏👏👏',
  '❤️',
  '✨',
  'lol',
  'LET’S GO',
  'hello from Brazil!',
  'first time here',
  'this song is so good',
  'love this part',
  'who else is watching from Europe?',
  'the drummer is insane',
  'encore!',
  'goosebumps',
  'chat is moving so fast',
  'W',
  'so cute',
  'PogChamp',
  'audio is a bit quiet',
  'best concert ever',
  'hi mom',
  'can you play the old songs?',
  'sound check went well',
];

const NAMES = [
  'Aoi',
  'Haru',
  'Yuki',
  'Ren',
  'Sora',
  'Mika',
  'Kai',
  'Nana',
  'Leo',
  'Mia',
  'Sam',
  'Ana',
  'Tom',
];

export interface StreamedComment {
  readonly comment: Comment;
  /** When its write has committed and `live` can read it: the id time plus a commit latency. */
  readonly visibleAtMs: number;
}

export interface CommentStreamOptions {
  readonly roomId: string;
  readonly perSecond: number;
  readonly fromMs: number;
  readonly toMs: number;
  readonly seed: number;
  /** Commit latency is drawn uniformly below this (DynamoDB transactions take tens of ms). */
  readonly maxCommitLatencyMs: number;
  /** Distinct viewers who comment. */
  readonly posters?: number;
}

/** Comments in id order, as the post path would store them (server-set identity and time). */
export function commentStream(options: CommentStreamOptions): StreamedComment[] {
  const random = seededRandom(options.seed);
  const nextId = monotonicFactory(random);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const posters = Array.from({ length: options.posters ?? 2_000 }, (_, i) => ({
    userId: `v${Math.floor(random() * 2 ** 40).toString(36)}`,
    displayName: `${pick(NAMES)}${random() < 0.6 ? Math.floor(random() * 1000) : ''}`,
    index: i,
  }));

  const out: StreamedComment[] = [];
  for (let at = options.fromMs; ;) {
    // Poisson arrivals: exponential gaps with mean 1/rate.
    at += (-Math.log(1 - random()) * 1000) / options.perSecond;
    const ms = Math.floor(at);
    if (ms >= options.toMs) break;
    const parts = 1 + Math.floor(random() * random() * 3);
    const text = Array.from({ length: parts }, () => pick(PHRASES)).join(' ');
    const poster = pick(posters);
    const id = nextId(ms);
    out.push({
      comment: {
        id,
        roomId: options.roomId,
        kind: 'comment',
        userId: poster.userId,
        displayName: poster.displayName,
        text,
        createdAt: new Date(ms).toISOString(),
      },
      visibleAtMs: ms + random() * options.maxCommitLatencyMs,
    });
  }
  return out;
}
