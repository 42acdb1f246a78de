import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createReplay, type ReplayOptions } from '../../../client/replay.js';
import type { ReplayItem } from '../../../client/types.js';
import type { ChatError } from '../../../lambdas/domain/errors.js';
import { getRoom, getSegment, type ReadFeedDeps } from '../../../lambdas/domain/feed/read-feed.js';
import { aComment, aRoom, InMemoryComments, InMemoryRooms, manualClock } from '../fakes.js';

/**
 * The replay core against the read path's own domain functions (getRoom, getSegment) behind a
 * fetch that answers as the handlers do, on vitest's fake timers: the media position moves only
 * when the test moves the clock.
 */

const SEGMENT_MS = 10_000;
/** The event starts 3 s into a segment, so offsets and segment bounds differ. */
const STARTS = Date.UTC(2030, 0, 1, 12, 0, 3);
/** The server's clock: 40 s after the start, so the recording ends with the segment after it (12:00:50). */
const SERVER_NOW = STARTS + 40_000;
const END_SECONDS = 47;
/** Offsets (ms from the start) of the recorded comments; one before the start. */
const OFFSETS = [-4_000, 1_500, 2_000, 9_000, 12_340, 25_000, 31_000];

interface Shown {
  readonly text: string;
  readonly vpos: number;
  /** The media time when it was emitted. */
  readonly at: number;
}

function recordedEvent(
  fail: (path: string) => { status: number; body: unknown } | undefined = () => undefined,
) {
  const room = {
    ...aRoom({ createdAt: new Date(STARTS - 3_600_000), settings: { segmentSeconds: SEGMENT_MS / 1000 } }),
    schedule: { startsAt: new Date(STARTS).toISOString() },
  };
  const comments = new InMemoryComments();
  for (const offset of OFFSETS) {
    comments.seed(aComment(room.roomId, STARTS + offset, { text: `at ${offset}` }), 0);
  }
  const deps: ReadFeedDeps = {
    rooms: new InMemoryRooms(room),
    comments,
    clock: manualClock(SERVER_NOW),
    liveLimit: 50,
  };
  const requested: string[] = [];
  const fetch = async (input: string | URL | Request): Promise<Response> => {
    const path = new URL(String(input)).pathname;
    requested.push(path);
    const failure = fail(path);
    if (failure) return Response.json(failure.body, { status: failure.status });
    const segment = /\/segments\/(\d+)$/.exec(path)?.[1];
    try {
      if (segment === undefined) return Response.json(await getRoom(deps, room.roomId));
      const result = await getSegment(deps, room.roomId, segment);
      if (result.state === 'future') {
        return Response.json(
          { code: 'segment_not_started', message: 'not yet', retryable: true, retryAfterSec: 1 },
          { status: 404 },
        );
      }
      return Response.json(result.document);
    } catch (error) {
      const e = error as ChatError;
      return Response.json(
        { code: e.code, message: e.message, retryable: e.retryable },
        { status: e.status },
      );
    }
  };
  const segmentsRequested = () =>
    requested.flatMap((p) => {
      const n = /\/segments\/(\d+)$/.exec(p)?.[1];
      return n === undefined ? [] : [Number(n) - Math.floor(STARTS / SEGMENT_MS)];
    });
  return { room, fetch, requested, segmentsRequested };
}

async function startReplay(options: Partial<ReplayOptions> = {}, event = recordedEvent()) {
  const replay = createReplay({
    baseUrl: 'https://cdn.example',
    roomId: event.room.roomId,
    fetch: event.fetch,
    random: () => 0.5,
    ...options,
  });
  const shown: Shown[] = [];
  const log: string[] = [];
  replay.on('items', (items: readonly ReplayItem[]) => {
    for (const item of items) shown.push({ text: item.text, vpos: item.vpos, at: replay.time });
  });
  replay.on('reset', ({ time }) => log.push(`reset ${time}`));
  replay.on('ended', ({ time }) => log.push(`ended ${time}`));
  const errors: string[] = [];
  replay.on('error', (error) => errors.push(error.code));
  replay.start();
  await vi.waitFor(() => expect(replay.room).toBeDefined());
  return { replay, shown, log, errors, event };
}

const texts = (shown: readonly Shown[]) => shown.map((s) => s.text);
/** Moves the clock by `ms` in steps, so fetches resolve between timers. */
const play = (ms: number) => vi.advanceTimersByTimeAsync(ms);

beforeEach(() => {
  vi.useFakeTimers({ now: SERVER_NOW + 3_600_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('replay', () => {
  it('reads the segments from the context before the position to two ahead of it', async () => {
    const event = recordedEvent();

    await startReplay({}, event);
    await play(0);

    // Segment 0 holds the start (12:00:00–10); the 10 s of context before it reach into segment −1.
    expect(event.segmentsRequested().sort((a, b) => a - b)).toEqual([-1, 0, 1, 2]);
  });

  it('shows the items of the seconds before the first position at once, the pre-start chat among them', async () => {
    const { shown, log } = await startReplay();

    await play(0);

    expect(log).toEqual(['reset 0']);
    expect(shown).toEqual([{ text: 'at -4000', vpos: -400, at: 0 }]);
  });

  it('shows each item once, when media time reaches its offset', async () => {
    // Prepare
    const { replay, shown } = await startReplay();
    await play(0);

    // Act
    replay.setPlaying(true);
    await play(35_000);

    // Assess
    expect(texts(shown)).toEqual(OFFSETS.map((o) => `at ${o}`));
    for (const item of shown.slice(1)) {
      expect(item.at).toBeGreaterThanOrEqual(item.vpos / 100);
      expect(item.at - item.vpos / 100).toBeLessThan(0.01);
    }
  });

  it('reads ahead as time advances, each segment once', async () => {
    const { replay, event } = await startReplay();
    await play(0);

    replay.setPlaying(true);
    await play(25_000);

    // At 25 s (12:00:28, segment 2) the reads reach two segments further.
    expect(event.segmentsRequested()).toEqual([-1, 0, 1, 2, 3, 4]);
  });

  it('holds still while paused and goes on from there', async () => {
    const { replay, shown } = await startReplay();
    replay.setPlaying(true);
    await play(5_000);

    replay.setPlaying(false);
    await play(60_000);
    const whilePaused = texts(shown);
    replay.setPlaying(true);
    await play(5_000);

    expect(whilePaused).toEqual(['at -4000', 'at 1500', 'at 2000']);
    expect(texts(shown).slice(3)).toEqual(['at 9000']);
    expect(shown[3]!.at).toBeCloseTo(9, 2);
  });

  it('shows the earlier items again after a seek back, then goes on from there', async () => {
    // Prepare: played to 30 s.
    const { replay, shown, log } = await startReplay();
    replay.setPlaying(true);
    await play(30_000);
    shown.length = 0;

    // Act
    replay.seek(10);
    await play(0);
    const atSeek = texts(shown);
    await play(3_000);

    // Assess: the 10 s before the position at once, then the next item at its offset.
    expect(log).toEqual(['reset 0', 'reset 10']);
    expect(atSeek).toEqual(['at 1500', 'at 2000', 'at 9000']);
    expect(shown.at(-1)).toMatchObject({ text: 'at 12340' });
    expect(shown.at(-1)!.at).toBeCloseTo(12.34, 2);
  });

  it('treats a position behind what was shown, or far ahead of it, as a seek; a small step as play', async () => {
    const { replay, shown, log } = await startReplay();
    await play(0);

    replay.setTime(2.5); // a small step: the items passed show, no reset
    replay.setTime(26); // a jump forward
    await play(0);
    const afterJump = texts(shown);
    replay.setTime(1); // back
    await play(0);

    expect(log).toEqual(['reset 0', 'reset 26', 'reset 1']);
    expect(afterJump).toEqual(['at -4000', 'at 1500', 'at 2000', 'at 25000']);
    expect(texts(shown).slice(4)).toEqual(['at -4000']);
  });

  it('shows items at the same media offsets at twice the speed, in half the wall time', async () => {
    const { replay, shown } = await startReplay();
    await play(0);

    replay.setRate(2);
    replay.setPlaying(true);
    await play(12_600);

    expect(texts(shown)).toEqual(OFFSETS.slice(0, 6).map((o) => `at ${o}`));
    for (const item of shown.slice(1)) expect(item.at - item.vpos / 100).toBeLessThan(0.02);
    expect(replay.time).toBeCloseTo(25.2, 2);
  });

  it('says when media time passes the end of the recording, once', async () => {
    const { replay, shown, log } = await startReplay();
    replay.setPlaying(true);

    await play(60_000);

    expect(log).toEqual(['reset 0', `ended ${END_SECONDS}`]);
    expect(shown).toHaveLength(OFFSETS.length);
  });

  it('retries a segment that failed with a retryable error, and shows its items late rather than never', async () => {
    // Prepare: segment 1 (12:00:10–20) answers 503 twice.
    let failures = 2;
    const event = recordedEvent((path) =>
      path.endsWith(`/segments/${Math.floor(STARTS / SEGMENT_MS) + 1}`) && failures-- > 0
        ? { status: 503, body: { code: 'unavailable', message: 'try again', retryable: true } }
        : undefined,
    );
    const { replay, shown, errors } = await startReplay({}, event);

    // Act
    replay.setPlaying(true);
    await play(20_000);

    // Assess
    expect(errors).toEqual(['unavailable', 'unavailable']);
    expect(texts(shown)).toContain('at 12340');
    expect(shown.findIndex((s) => s.text === 'at 12340')).toBe(4);
  });

  it('holds items back while their segment is being read, and says it is waiting', async () => {
    // Prepare: segment 1 fails until the test lets it through.
    let down = true;
    const event = recordedEvent((path) =>
      down && path.endsWith(`/segments/${Math.floor(STARTS / SEGMENT_MS) + 1}`)
        ? { status: 503, body: { code: 'unavailable', message: 'down', retryable: true } }
        : undefined,
    );
    const { replay, shown } = await startReplay({}, event);
    const waits: boolean[] = [];
    replay.on('waiting', (w) => waits.push(w));
    replay.setPlaying(true);

    // Act
    await play(14_000);
    const whileDown = texts(shown);
    down = false;
    await play(40_000);

    // Assess: nothing of segment 1 (offsets 7–17 s) or later skipped.
    expect(whileDown).toEqual(['at -4000', 'at 1500', 'at 2000']);
    expect(waits[0]).toBe(true);
    expect(waits.at(-1)).toBe(false);
    expect(texts(shown)).toEqual(OFFSETS.map((o) => `at ${o}`));
  });

  it('keeps a bounded number of segments: an evicted one is read again after a seek back', async () => {
    const bounded = await startReplay({ maxCachedSegments: 4, aheadSegments: 1 });
    const roomy = await startReplay({ aheadSegments: 1 });
    for (const { replay } of [bounded, roomy]) replay.setPlaying(true);
    await play(40_000);

    for (const { replay } of [bounded, roomy]) replay.seek(5);
    await play(0);

    const reads = (r: typeof bounded) => r.event.segmentsRequested().filter((n) => n === 0).length;
    expect([reads(bounded), reads(roomy)]).toEqual([2, 1]);
    expect(texts(bounded.shown).slice(-3)).toEqual(['at -4000', 'at 1500', 'at 2000']);
  });

  it('follows a media element: play, pause, rate and seeking', async () => {
    // Prepare: a media element stand-in whose time the test moves.
    const listeners = new Map<string, Set<() => void>>();
    const media = {
      currentTime: 0,
      paused: true,
      playbackRate: 1,
      addEventListener: (type: string, l: () => void) => {
        if (!listeners.has(type)) listeners.set(type, new Set());
        listeners.get(type)!.add(l);
      },
      removeEventListener: (type: string, l: () => void) => listeners.get(type)?.delete(l),
    };
    const fire = (type: string) => listeners.get(type)?.forEach((l) => l());
    const { replay, shown, log } = await startReplay();
    const detach = replay.attach(media);
    await play(0);

    // Act: timeupdate at 2.1 s while playing; a seek to 24 s; then detach.
    media.paused = false;
    fire('play');
    media.currentTime = 2.1;
    fire('timeupdate');
    media.currentTime = 24;
    fire('seeking');
    await play(0);
    media.currentTime = 25.2;
    fire('timeupdate');
    detach();

    // Assess
    // Attaching is a seek to the media's position: the context before 0 shows again.
    expect(texts(shown)).toEqual(['at -4000', 'at -4000', 'at 1500', 'at 2000', 'at 25000']);
    expect(log).toEqual(['reset 0', 'reset 0', 'reset 24']);
    expect([...listeners.values()].every((set) => set.size === 0)).toBe(true);
  });
});
