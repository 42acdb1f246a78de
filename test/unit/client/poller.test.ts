import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBackoff } from '../../../client/backoff.js';
import type { Fetch } from '../../../client/http.js';
import { Poller } from '../../../client/poller.js';
import type { LiveDocument, SegmentDocument } from '../../../client/types.js';
import { liveWindow, tickOf, tickState } from '../../../lambdas/domain/feed/ticks.js';

const POLL_MS = 3_000;
const SEGMENT_MS = 10_000;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The origin's tick rules (lambdas/domain/feed/ticks.ts) over a clock the test moves: `live`
 * documents for the current, previous and early ticks, 404 `tick_expired` before those, and empty
 * segments that each take `segmentDelayMs` of that clock to answer (a slow origin).
 */
function fakeOrigin(startMs: number, segmentDelayMs: number) {
  let nowMs = startMs;
  const requests: string[] = [];
  const refusals: string[] = [];
  const answer = (status: number, body: unknown) =>
    ({
      ok: status < 300,
      status,
      headers: { get: () => null },
      json: async () => body,
    }) as unknown as Response;
  const live = (tick: number): LiveDocument => {
    const window = liveWindow(tick, POLL_MS, nowMs);
    return {
      room: {} as LiveDocument['room'],
      window: { tick, from: iso(window.fromMs), settledUntil: iso(window.settledUntilMs) },
      segment: { current: Math.floor(nowMs / SEGMENT_MS), lengthSeconds: SEGMENT_MS / 1000 },
      comments: [],
      tombstones: [],
      truncated: false,
      bans: [],
      purges: [],
      pollAfterMs: POLL_MS,
      generatedAt: iso(nowMs),
    };
  };
  const fetch = (async (input: string) => {
    const path = new URL(input).pathname;
    requests.push(path);
    const segment = /\/segments\/(\d+)$/.exec(path);
    if (segment) {
      nowMs += segmentDelayMs;
      const n = Number(segment[1]);
      const body: SegmentDocument = {
        roomId: 'r',
        segment: n,
        startsAt: iso(n * SEGMENT_MS),
        endsAt: iso((n + 1) * SEGMENT_MS),
        closed: (n + 1) * SEGMENT_MS <= nowMs,
        comments: [],
        tombstones: [],
      };
      return answer(200, body);
    }
    const tick = /\/live\/(\d+)$/.exec(path);
    if (!tick) return answer(200, live(tickOf(nowMs, POLL_MS)));
    if (tickState(Number(tick[1]), nowMs, POLL_MS) === 'expired') {
      refusals.push(path);
      return answer(404, { code: 'tick_expired', message: 'expired', retryable: false });
    }
    return answer(200, live(Number(tick[1])));
  }) as unknown as Fetch;
  return { fetch, requests, refusals, now: () => nowMs };
}

const pollers: Poller[] = [];
afterEach(() => {
  for (const poller of pollers.splice(0)) poller.stop();
});

describe('Poller', () => {
  it('asks for the current tick, not an expired one, after a join whose backfill outlasted two ticks', async () => {
    // Prepare: each history segment takes 4 s, so the three of the join take 12 s (four ticks).
    const origin = fakeOrigin(Date.parse('2026-12-07T12:00:05Z'), 4_000);
    const documents: LiveDocument[] = [];
    const poller: Poller = new Poller(
      {
        fetch: origin.fetch,
        roomUrl: 'http://edge.test/v1/rooms/r',
        random: () => 0,
        now: origin.now,
        backoff: createBackoff({ baseMs: 1_000, maxMs: 30_000 }),
        maxBackfillMs: 30 * 60_000,
        history: { items: 50, maxMs: 20_000 },
        paused: () => false,
      },
      {
        document: (live) => {
          documents.push(live);
          if (documents.length === 2) poller.stop();
        },
        state: () => undefined,
        error: () => undefined,
      },
    );
    pollers.push(poller);

    // Act
    poller.start();
    await vi.waitFor(() => expect(documents).toHaveLength(2));

    // Assess: no refused poll; the second document is of the tick current when it was asked for,
    // and its backfill read the segments between the two documents.
    expect(origin.refusals).toEqual([]);
    const [first, second] = documents as [LiveDocument, LiveDocument];
    expect(second.window.tick).toBeGreaterThan(first.window.tick + 2);
    const liveRequests = origin.requests.filter((path) => path.includes('/live'));
    expect(liveRequests).toEqual(['/v1/rooms/r/live', `/v1/rooms/r/live/${second.window.tick}`]);
    const afterSecond = origin.requests.slice(origin.requests.indexOf(liveRequests[1]!) + 1);
    const gapFrom = Math.floor(Date.parse(first.window.settledUntil) / SEGMENT_MS);
    const gapTo = Math.floor(Date.parse(second.window.from) / SEGMENT_MS);
    expect(afterSecond).toEqual(
      Array.from({ length: gapTo - gapFrom + 1 }, (_, i) => `/v1/rooms/r/segments/${gapFrom + i}`),
    );
  });
});
