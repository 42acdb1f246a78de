import { describe, expect, it } from 'vitest';
import { commentStream } from '../../../bench/comment-stream.js';
import {
  benchLiveBytes,
  compressedBytes,
  fitDocuments,
  type LiveBytesResult,
} from '../../../bench/live-bytes.js';
import { aRoom, InMemoryComments, InMemoryRooms } from '../fakes.js';

/** Figure 8 over the in-memory stores: the same simulation the benchmark runs over DynamoDB Local. */
async function simulate(): Promise<LiveBytesResult> {
  const rooms = new InMemoryRooms();
  return benchLiveBytes(
    { rooms, comments: new InMemoryComments() },
    {
      roomIdPrefix: 'bytes',
      rates: [5, 50],
      pollSeconds: 3,
      simulatedSeconds: 15,
      liveLimit: 500,
      edgeViewers: 20,
      loneViewers: 2,
      maxCommitLatencyMs: 100,
      seed: 7,
      createRoom: async (roomId, pollIntervalSeconds) => {
        rooms.put(aRoom({ roomId, settings: { pollIntervalSeconds } }));
      },
    },
  );
}

describe('benchLiveBytes', () => {
  it('keeps a viewer polling live/{tick} under 2× the bytes of each comment once, and missing nothing', async () => {
    const result = await simulate();

    for (const rate of result.rates) {
      const byScenario = new Map(rate.rows.map((r) => [r.scenario, r]));
      const edge = byScenario.get('ticks-edge')!;
      expect(edge.ratio.gzip, `${rate.perSecond}/s gzip`).toBeLessThanOrEqual(2);
      expect(edge.ratio.brotli, `${rate.perSecond}/s brotli`).toBeLessThanOrEqual(2);
      // Everything is counted: a document repeats comments, the baseline does not.
      expect(edge.ratio.gzip).toBeGreaterThan(1);
      for (const scenario of ['ticks-edge', 'ticks-lone'] as const) {
        expect(byScenario.get(scenario)).toMatchObject({ missed: 0, gaps: 0, truncatedDocuments: 0 });
      }
      // One request per viewer per tick, and one origin call per tick at the busy edge: no more than today.
      expect(edge.requestsPerViewerPerTick).toBe(1);
      expect(edge.originCallsPerEdgePerTick).toBe(1);
      expect(byScenario.get('plain-edge')!.originCallsPerEdgePerTick).toBeLessThanOrEqual(1);
      expect(edge.delivered).toBeGreaterThan(rate.perSecond * 3 * (edge.deliveries - 1));
    }
  });

  it('fits document bytes to an overhead and a size per comment, and sizes a quiet room’s document', async () => {
    const result = await simulate();

    expect(result.documentFit.documents).toBe(2 * 5);
    expect(result.documentFit.perComment.brotli).toBeGreaterThan(10);
    expect(result.documentFit.overhead.brotli).toBeGreaterThan(result.quietRoom.documentBytes.brotli / 2);
    expect(result.commentItemBytes).toBeGreaterThan(100);
    expect(result.quietRoom.savedShareOfPollCost).toBeGreaterThan(0);
    expect(result.quietRoom.savedShareOfPollCost).toBeLessThan(0.1);
  });
});

describe('fitDocuments', () => {
  it('recovers a straight line', () => {
    const points = [10, 20, 200, 220].map((comments) => ({
      comments,
      bytes: { gzip: 700 + 35 * comments, brotli: 650 + 33.5 * comments },
    }));

    expect(fitDocuments(points)).toEqual({
      overhead: { gzip: 700, brotli: 650 },
      perComment: { gzip: 35, brotli: 33.5 },
      documents: 4,
    });
  });
});

describe('compressedBytes', () => {
  it('compresses repetitive JSON with both codecs', () => {
    const text = JSON.stringify(Array.from({ length: 100 }, (_, i) => ({ id: i, text: 'かわいい' })));

    const bytes = compressedBytes(text);

    expect(bytes.gzip).toBeLessThan(Buffer.byteLength(text) / 4);
    expect(bytes.brotli).toBeLessThan(Buffer.byteLength(text) / 4);
  });
});

describe('commentStream', () => {
  it('is the same for the same seed, in id order, at about the rate asked', () => {
    const options = {
      roomId: 'r',
      perSecond: 50,
      fromMs: Date.UTC(2030, 0, 1),
      toMs: Date.UTC(2030, 0, 1) + 60_000,
      seed: 3,
      maxCommitLatencyMs: 100,
    };

    const a = commentStream(options);
    const b = commentStream(options);

    expect(a).toEqual(b);
    expect(a.length).toBeGreaterThan(2_700);
    expect(a.length).toBeLessThan(3_300);
    const ids = a.map((s) => s.comment.id);
    expect([...ids].sort()).toEqual(ids);
    for (const { comment, visibleAtMs } of a) {
      const at = Date.parse(comment.createdAt);
      expect(visibleAtMs - at).toBeGreaterThanOrEqual(0);
      expect(visibleAtMs - at).toBeLessThan(100);
    }
  });
});
