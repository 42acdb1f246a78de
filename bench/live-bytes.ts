import { compress, EDGE_COMPRESSION_LEVELS } from '../local/edge-compression.js';
import { commentPartition } from '../lambdas/adapters/dynamodb/keys.js';
import { pollCacheControl, tickCacheControl } from '../lambdas/cache-control.js';
import type { Comment } from '../lambdas/domain/feed/comment.js';
import { commentIdTime } from '../lambdas/domain/feed/ids.js';
import type { CommentReader, FeedWriter } from '../lambdas/domain/feed/ports.js';
import { getLive, getLiveTick, type LiveDocument } from '../lambdas/domain/feed/read-feed.js';
import { SETTLE_MS, TICK_EARLY_MS } from '../lambdas/domain/feed/ticks.js';
import { livePath, liveTickPath } from '../lambdas/domain/paths.js';
import type { RoomReader } from '../lambdas/domain/rooms/ports.js';
import { PRICES } from '../lambdas/domain/cost/prices.js';
import { EdgeCache, type EdgeResponse } from '../local/edge-cache.js';
import { commentStream, seededRandom, type StreamedComment } from './comment-stream.js';
import { itemSize } from './dynamo-units.js';
import { ratio } from './stats.js';

/**
 * Figure 8: bytes per delivered comment. A room receives comments at 5 and at
 * 50 per second (P = 3 s); viewers poll it through a model of one CDN edge
 * location (the local edge cache, honouring the origin's Cache-Control), and
 * the real `getLive` / `getLiveTick` over DynamoDB Local produce every
 * document the origin serves. Time is simulated: the read functions take an
 * injected clock, and every comment is written through the comment store
 * before the first origin call that may see it.
 *
 * Each viewer's downloaded bytes (each document compressed as a CDN sends it)
 * are divided by what receiving each comment once would cost: per delivery, a
 * JSON array of the comments new to that viewer, compressed the same way.
 * The first delivery of each viewer is left out of both (it has nothing to
 * repeat); headers are left out of both (the same number of responses).
 */

export const CODECS = ['gzip', 'brotli'] as const;
export type Codec = (typeof CODECS)[number];
export type Bytes = Readonly<Record<Codec, number>>;

/** CloudFront's levels as the local edge assumes them (local/edge-compression.ts says why these). */
export const LEVELS = EDGE_COMPRESSION_LEVELS;

export function compressedBytes(text: string): Bytes {
  return { gzip: compress(text, 'gzip').length, brotli: compress(text, 'br').length };
}

/**
 * - `ticks-edge`: viewers poll `live/{tick}` at random phases through one busy edge location: the
 *   tick's document is made at the first request of the tick, right after it starts. The bar.
 * - `ticks-lone`: a viewer alone at its edge location, at a random phase: each document is made at
 *   its own request, up to a poll interval into the tick.
 * - `plain-edge`, `plain-lone`: a naive poller of plain `live` every P, at a busy edge and alone.
 */
export const SCENARIOS = ['ticks-edge', 'ticks-lone', 'plain-edge', 'plain-lone'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface LiveBytesRow {
  readonly scenario: Scenario;
  readonly viewers: number;
  readonly edges: number;
  /** Deliveries counted per viewer (the first one left out). */
  readonly deliveries: number;
  /** Comments new to the viewer in those deliveries, per viewer. */
  readonly delivered: number;
  /** Compressed document bytes per viewer. */
  readonly bytes: Bytes;
  /** The same comments, each sent once in the same deliveries. */
  readonly baseline: Bytes;
  readonly ratio: Bytes;
  /** Comments readable before a viewer's last document's `settledUntil` that it never received, all viewers. */
  readonly missed: number;
  /** Consecutive documents whose windows do not join (`from` after the previous `settledUntil`), all viewers. */
  readonly gaps: number;
  readonly requestsPerViewerPerTick: number;
  readonly originCallsPerEdgePerTick: number;
  readonly truncatedDocuments: number;
}

export interface LiveBytesRate {
  readonly perSecond: number;
  readonly comments: number;
  readonly rows: LiveBytesRow[];
}

export interface LiveBytesResult {
  readonly pollSeconds: number;
  readonly simulatedSeconds: number;
  readonly settleMs: number;
  readonly earlyMs: number;
  readonly liveLimit: number;
  readonly maxCommitLatencyMs: number;
  readonly levels: typeof LEVELS;
  readonly rates: LiveBytesRate[];
  /**
   * Least squares over the busy edge's documents at both rates: document bytes ≈
   * overhead + perComment × comments. The cost model's response size (calibration).
   */
  readonly documentFit: { readonly overhead: Bytes; readonly perComment: Bytes; readonly documents: number };
  /** Mean stored size of the comments written (DynamoDB's item size rules): the plan's read units. */
  readonly commentItemBytes: number;
  readonly quietRoom: QuietRoomFigure;
}

/**
 * Conditional requests in a quiet room: a 304 carries no body, where a 200 carries the document.
 * Measured as body bytes; headers are about the same either way (an ETag on both).
 */
export interface QuietRoomFigure {
  readonly documentBytes: Bytes;
  /** Per poll, with `ETag` / `If-None-Match` answered by 304: the ETag header instead of the body. */
  readonly notModifiedBytes: number;
  /** Of one quiet poll's CloudFront cost (Tokyo: request + brotli body), the share a 304 would save. */
  readonly savedShareOfPollCost: number;
}

/** What the figure reads and writes: the product's own stores (DynamoDB Local in the bench, fakes in tests). */
export interface LiveBytesFeed {
  readonly rooms: RoomReader;
  readonly comments: CommentReader & FeedWriter;
}

export interface LiveBytesOptions {
  readonly roomIdPrefix: string;
  readonly rates: readonly number[];
  readonly pollSeconds: number;
  readonly simulatedSeconds: number;
  readonly liveLimit: number;
  /** Viewers at the busy edge, and lone viewers (each at an edge of its own). */
  readonly edgeViewers: number;
  readonly loneViewers: number;
  readonly maxCommitLatencyMs: number;
  readonly seed: number;
  /** Makes the room (P, one shard) the figure writes to. */
  readonly createRoom: (roomId: string, pollSeconds: number) => Promise<void>;
  readonly progress?: (line: string) => void;
}

/** The simulation starts at a whole tick: 2030-01-01T00:00:00Z. */
const START_MS = Date.UTC(2030, 0, 1);
/** Comments start this long before the first poll, so the first documents are full. */
const LEAD_IN_MS = 5_000;
const WRITE_CONCURRENCY = 32;
const RETENTION_SEC = 30 * 86_400;
/** A strong ETag header line, as a 304 would carry: `ETag: "<27 characters>"`. */
const ETAG_HEADER_BYTES = 'ETag: ""\r\n'.length + 27;

export async function benchLiveBytes(
  feed: LiveBytesFeed,
  options: LiveBytesOptions,
): Promise<LiveBytesResult> {
  const rates: LiveBytesRate[] = [];
  const fitPoints: { comments: number; bytes: Bytes }[] = [];
  let itemBytes = 0;
  let items = 0;
  for (const [i, perSecond] of options.rates.entries()) {
    const roomId = `${options.roomIdPrefix}-${perSecond}`;
    await options.createRoom(roomId, options.pollSeconds);
    const stream = commentStream({
      roomId,
      perSecond,
      fromMs: START_MS - LEAD_IN_MS,
      toMs: START_MS + options.simulatedSeconds * 1000,
      seed: options.seed + i,
      maxCommitLatencyMs: options.maxCommitLatencyMs,
    });
    options.progress?.(
      `  ${perSecond} comments/s: ${stream.length} comments, ${options.simulatedSeconds} s simulated…`,
    );
    const simulation = await simulate(feed, roomId, stream, options);
    rates.push({ perSecond, comments: stream.length, rows: simulation.rows });
    fitPoints.push(...simulation.edgeDocuments);
    for (const { comment } of stream) {
      itemBytes += itemSize({ pk: commentPartition(roomId, 0), sk: comment.id, ...comment, expiresAt: 2e9 });
      items++;
    }
  }
  const quietRoomId = `${options.roomIdPrefix}-quiet`;
  await options.createRoom(quietRoomId, options.pollSeconds);
  const quiet = await getLive(
    readDeps(feed, options.liveLimit, () => START_MS),
    quietRoomId,
  );
  return {
    pollSeconds: options.pollSeconds,
    simulatedSeconds: options.simulatedSeconds,
    settleMs: SETTLE_MS,
    earlyMs: TICK_EARLY_MS,
    liveLimit: options.liveLimit,
    maxCommitLatencyMs: options.maxCommitLatencyMs,
    levels: LEVELS,
    rates,
    documentFit: fitDocuments(fitPoints),
    commentItemBytes: Math.round(itemBytes / Math.max(1, items)),
    quietRoom: quietRoomFigure(
      compressedBytes(JSON.stringify(quiet)).brotli,
      compressedBytes(JSON.stringify(quiet)),
    ),
  };
}

const readDeps = (feed: LiveBytesFeed, liveLimit: number, clock: () => number) => ({
  rooms: feed.rooms,
  comments: feed.comments,
  clock,
  liveLimit,
});

function quietRoomFigure(brotliBody: number, documentBytes: Bytes): QuietRoomFigure {
  const tokyo = PRICES['ap-northeast-1'].cloudFront;
  const request = tokyo.httpsRequests.usd / tokyo.httpsRequests.per;
  const perByte = tokyo.dataOut.tiers[0]!.usd / 1024 ** 3;
  const saved = (brotliBody - ETAG_HEADER_BYTES) * perByte;
  return {
    documentBytes,
    notModifiedBytes: ETAG_HEADER_BYTES,
    savedShareOfPollCost: Number((saved / (request + brotliBody * perByte)).toPrecision(3)),
  };
}

interface Viewer {
  readonly scenario: Scenario;
  readonly edge: EdgeCache;
  readonly phaseMs: number;
  readonly received: Set<string>;
  readonly bytes: Record<Codec, number>;
  readonly baseline: Record<Codec, number>;
  firstFromMs?: number;
  lastSettledMs?: number;
  deliveries: number;
  delivered: number;
  requests: number;
  gaps: number;
}

interface Served {
  readonly document: LiveDocument;
  readonly bytes: Bytes;
}

/** One room's run: every scenario's viewers polling the same feed on one simulated clock. */
async function simulate(
  feed: LiveBytesFeed,
  roomId: string,
  stream: readonly StreamedComment[],
  options: LiveBytesOptions,
): Promise<{ rows: LiveBytesRow[]; edgeDocuments: { comments: number; bytes: Bytes }[] }> {
  const pollMs = options.pollSeconds * 1000;
  const ticks = Math.floor((options.simulatedSeconds * 1000) / pollMs);
  const firstTick = START_MS / pollMs;
  let now = START_MS;
  const clock = () => now;
  const deps = readDeps(feed, options.liveLimit, clock);
  const random = seededRandom(options.seed * 7 + stream.length);

  // Writes land in the order they become readable, before the first origin call after that moment.
  const pending = [...stream].sort((a, b) => a.visibleAtMs - b.visibleAtMs);
  let written = 0;
  const writeReadable = async () => {
    let end = written;
    while (end < pending.length && pending[end]!.visibleAtMs <= now) end++;
    const batch = pending.slice(written, end);
    written = end;
    await runLimited(
      batch.map(
        ({ comment }) =>
          () =>
            write(feed.comments, comment),
      ),
      WRITE_CONCURRENCY,
    );
  };

  const served = new WeakMap<EdgeResponse, Served>();
  const edgeDocuments: { comments: number; bytes: Bytes }[] = [];
  const truncated: Record<Scenario, number> = {
    'ticks-edge': 0,
    'ticks-lone': 0,
    'plain-edge': 0,
    'plain-lone': 0,
  };
  const origin = (scenario: Scenario, tick: number | undefined) => async (): Promise<EdgeResponse> => {
    await writeReadable();
    let document: LiveDocument;
    let cacheControl: string;
    if (tick === undefined) {
      document = await getLive(deps, roomId);
      cacheControl = pollCacheControl(options.pollSeconds);
    } else {
      const result = await getLiveTick(deps, roomId, String(tick));
      document = result.document;
      cacheControl = tickCacheControl(options.pollSeconds, now, result.expiresAtMs);
    }
    const response = {
      status: 200,
      headers: { 'cache-control': cacheControl },
      body: JSON.stringify(document),
    };
    const bytes = compressedBytes(response.body);
    served.set(response, { document, bytes });
    if (document.truncated) truncated[scenario]++;
    if (scenario === 'ticks-edge') edgeDocuments.push({ comments: document.comments.length, bytes });
    return response;
  };

  const viewer = (scenario: Scenario, edge: EdgeCache): Viewer => ({
    scenario,
    edge,
    phaseMs: random() * pollMs,
    received: new Set(),
    bytes: { gzip: 0, brotli: 0 },
    baseline: { gzip: 0, brotli: 0 },
    deliveries: 0,
    delivered: 0,
    requests: 0,
    gaps: 0,
  });
  const edgeFor = () => new EdgeCache(clock);
  const busyTicks = edgeFor();
  const busyPlain = edgeFor();
  const viewers = [
    ...Array.from({ length: options.edgeViewers }, () => viewer('ticks-edge', busyTicks)),
    ...Array.from({ length: options.loneViewers }, () => viewer('ticks-lone', edgeFor())),
    ...Array.from({ length: options.edgeViewers }, () => viewer('plain-edge', busyPlain)),
    ...Array.from({ length: options.loneViewers }, () => viewer('plain-lone', edgeFor())),
  ];
  // Tick pollers ask for tick t at t × P + their phase. Naive pollers wait P after each answer, as
  // `setTimeout(poll, pollAfterMs)` does: their requests drift by a round trip each time.
  const endMs = START_MS + ticks * pollMs;
  const polls = viewers
    .flatMap((v) => {
      if (v.scenario.startsWith('ticks')) {
        return Array.from({ length: ticks }, (_, k) => ({
          v,
          tick: firstTick + k,
          atMs: (firstTick + k) * pollMs + v.phaseMs,
        }));
      }
      const times = [];
      for (let at = START_MS + v.phaseMs; at < endMs; at += pollMs + roundTripMs(random)) times.push(at);
      return times.map((atMs) => ({ v, tick: Math.floor(atMs / pollMs), atMs }));
    })
    .sort((a, b) => a.atMs - b.atMs);

  const baselineMemo = new Map<string, Bytes>();
  for (const { v, tick, atMs } of polls) {
    now = atMs;
    const byTick = v.scenario.startsWith('ticks');
    const path = byTick ? liveTickPath(roomId, tick) : livePath(roomId);
    const { response } = await v.edge.fetch(path, origin(v.scenario, byTick ? tick : undefined));
    const { document, bytes } = served.get(response)!;
    v.requests++;
    const fresh = document.comments.filter((c) => !v.received.has(c.id));
    const fromMs = Date.parse(document.window.from);
    if (v.lastSettledMs === undefined) {
      v.firstFromMs = fromMs;
    } else {
      if (fromMs > v.lastSettledMs) v.gaps++;
      const key = `${fresh.length}:${fresh[0]?.id}:${fresh.at(-1)?.id}`;
      let sent = baselineMemo.get(key);
      if (!sent) baselineMemo.set(key, (sent = compressedBytes(JSON.stringify(fresh))));
      for (const codec of CODECS) {
        v.bytes[codec] += bytes[codec];
        v.baseline[codec] += sent[codec];
      }
      v.deliveries++;
      v.delivered += fresh.length;
    }
    v.lastSettledMs = Math.max(v.lastSettledMs ?? -Infinity, Date.parse(document.window.settledUntil));
    for (const c of fresh) v.received.add(c.id);
  }

  const rows = SCENARIOS.map((scenario): LiveBytesRow => {
    const group = viewers.filter((v) => v.scenario === scenario);
    const edges = new Set(group.map((v) => v.edge));
    const sum = (f: (v: Viewer) => number) => group.reduce((total, v) => total + f(v), 0);
    const mean = (f: (v: Viewer) => number) => sum(f) / group.length;
    const bytes = perCodec((codec) => Math.round(mean((v) => v.bytes[codec])));
    const baseline = perCodec((codec) => Math.round(mean((v) => v.baseline[codec])));
    const originCalls = [...edges].reduce((total, edge) => total + edge.stats().originCalls, 0);
    return {
      scenario,
      viewers: group.length,
      edges: edges.size,
      deliveries: Math.round(mean((v) => v.deliveries)),
      delivered: Math.round(mean((v) => v.delivered)),
      bytes,
      baseline,
      ratio: perCodec((codec) => ratio(bytes[codec], baseline[codec])),
      missed: sum((v) => missedBy(v, stream)),
      gaps: sum((v) => v.gaps),
      requestsPerViewerPerTick: ratio(
        sum((v) => v.requests),
        group.length * ticks,
      ),
      originCallsPerEdgePerTick: ratio(originCalls, edges.size * ticks),
      truncatedDocuments: truncated[scenario],
    };
  });
  return { rows, edgeDocuments };
}

/** One poll's round trip for a naive poller: 20–150 ms. */
const roundTripMs = (random: () => number) => 20 + random() * 130;

/** Comments whose id time lies inside what the viewer's documents covered, and that it never received. */
function missedBy(v: Viewer, stream: readonly StreamedComment[]): number {
  if (v.firstFromMs === undefined || v.lastSettledMs === undefined) return 0;
  let missed = 0;
  for (const { comment } of stream) {
    const at = commentIdTime(comment.id);
    if (at >= v.firstFromMs && at < v.lastSettledMs && !v.received.has(comment.id)) missed++;
  }
  return missed;
}

/**
 * The comment store's append: the same comment item the post path's transaction writes (the
 * idempotency record beside it is not read by `live`, and would double the figure's write time).
 */
function write(comments: FeedWriter, comment: Comment): Promise<void> {
  return comments.append(comment, 0, Math.ceil(Date.parse(comment.createdAt) / 1000) + RETENTION_SEC);
}

const perCodec = (f: (codec: Codec) => number): Bytes =>
  Object.fromEntries(CODECS.map((codec) => [codec, f(codec)])) as Record<Codec, number>;

/** Ordinary least squares of bytes on the comment count, per codec. */
export function fitDocuments(
  points: readonly { comments: number; bytes: Bytes }[],
): LiveBytesResult['documentFit'] {
  const n = points.length;
  const meanX = points.reduce((s, p) => s + p.comments, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.comments - meanX) ** 2, 0);
  const fit = (codec: Codec) => {
    const meanY = points.reduce((s, p) => s + p.bytes[codec], 0) / n;
    const slope =
      sxx === 0 ? 0 : points.reduce((s, p) => s + (p.comments - meanX) * (p.bytes[codec] - meanY), 0) / sxx;
    return { slope, intercept: meanY - slope * meanX };
  };
  const fits = perCodec((codec) => fit(codec).slope);
  return {
    overhead: perCodec((codec) => Math.round(fit(codec).intercept)),
    perComment: perCodec((codec) => Number(fits[codec].toPrecision(3))),
    documents: n,
  };
}

async function runLimited(jobs: readonly (() => Promise<void>)[], concurrency: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, jobs.length) }, async () => {
      while (next < jobs.length) await jobs[next++]!();
    }),
  );
}
