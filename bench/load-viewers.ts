/**
 * One stage of `npm run load`, in a process of its own so the stack's event loop is its own:
 * N virtual viewers running the viewer SDK's own poll loop (client/poller.ts: `live`, then
 * `live/{tick}` at a random phase of each tick, segments for gaps and truncated windows), plus an
 * open-loop schedule of posts from a pool of dev viewer tokens. Viewers are timers sharing one
 * keep-alive agent, not a connection each. Started by load.ts with `fork`; options arrive over
 * IPC (the token pool is too large for argv), the result goes back the same way.
 */
import { Agent, request, type IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { createBackoff } from '../client/backoff.js';
import type { Fetch } from '../client/http.js';
import { POLL_DEFAULTS, Poller } from '../client/poller.js';
import { EventLoopMonitor, type EventLoopDelay } from '../local/event-loop.js';
import { ownCpuSeconds } from './cpu-time.js';
import { summarize, type Summary } from './stats.js';

export interface LoadStageOptions {
  /** The local edge, on loopback. */
  readonly edgeUrl: string;
  readonly roomId: string;
  readonly viewers: number;
  readonly seconds: number;
  readonly postsPerSecond: number;
  /** The room's poll interval: viewers join spread over one. */
  readonly pollIntervalSeconds: number;
  /** Dev viewer tokens; post n uses token n mod length. */
  readonly tokens: readonly string[];
  /** The stage stops early once it has sent this many requests. */
  readonly maxRequests: number;
}

/** What a viewer asks for: the classes the report counts apart. */
export type RequestKind = 'live' | 'liveTick' | 'segment' | 'post';

export interface KindCounts {
  readonly requests: number;
  /** Answers other than 2xx, and requests that got no answer. */
  readonly errors: number;
  /** 2xx answers received before the stage's end (requests still in flight then are answered later). */
  readonly answeredInStage: number;
  /** By the edge's `x-cache` outcome (Hit, Miss, Collapsed); posts pass uncached. */
  readonly outcomes: Record<string, number>;
  /** Request to end of response, ms. */
  readonly latencyMs: Summary;
  /** The same for the edge's misses only: the origin call's time plus the edge's. */
  readonly missLatencyMs: Summary;
  readonly bytes: number;
}

export interface LoadStageResult {
  readonly viewers: number;
  readonly elapsedMs: number;
  /** From the stage's end until the last in-flight request was answered (or DRAIN_MS). */
  readonly drainMs: number;
  /** Requests still unanswered after DRAIN_MS (counted as errors by the report). */
  readonly unanswered: number;
  readonly kinds: Record<RequestKind, KindCounts>;
  /** Error answers and failures by code (`http_<status>:<code>` or the socket error's code). */
  readonly errorCodes: Record<string, number>;
  /** The first message seen for each of those codes. */
  readonly errorMessages: Record<string, string>;
  /**
   * Refusals the SDK takes as part of the protocol, not failures: `segment_before_room` (history
   * reaching back past the room's creation) and `segment_not_started`. Counted here, not as errors.
   */
  readonly handled: Record<string, number>;
  /** How late posts left against their due time (ms): above a few ms the generator fell behind. */
  readonly postLateness: Summary;
  readonly postsOffered: number;
  /** This process's event-loop delay: when high, the generator, not the stack, set the pace. */
  readonly generatorEventLoop: EventLoopDelay;
  /** This process's CPU seconds (user + system) over `elapsedMs`. */
  readonly generatorCpuSeconds: number;
  /** True when `maxRequests` stopped the stage early. */
  readonly capped: boolean;
}

/** Sockets the viewers share (as a CDN edge multiplexes them); posts have their own pool. */
const VIEWER_SOCKETS = 256;
/** Each poster is a client of its own: enough sockets that posts never queue in this process. */
const POST_SOCKETS = 2_048;
/** How long in-flight requests may take to finish after the stage's end (the post function's timeout is shorter). */
const DRAIN_MS = 30_000;
/** Parsed documents kept, by path: viewers of one tick share one cached copy, parsed once. */
const PARSED_KEEP = 64;
/** The argument load.ts forks this file with. */
export const CHILD_FLAG = '--load-stage';
/** What client/poller.ts `segment()` reads as "nothing to read here". */
const HANDLED_REFUSALS = new Set(['segment_before_room', 'segment_not_started']);
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

class KindRecorder {
  requests = 0;
  errors = 0;
  /** 2xx answers that came back before the stage's end: what "achieved" counts. */
  answeredInStage = 0;
  bytes = 0;
  readonly outcomes: Record<string, number> = {};
  readonly latency: number[] = [];
  readonly missLatency: number[] = [];

  result(): KindCounts {
    return {
      requests: this.requests,
      errors: this.errors,
      answeredInStage: this.answeredInStage,
      outcomes: this.outcomes,
      latencyMs: summarize(this.latency),
      missLatencyMs: summarize(this.missLatency),
      bytes: this.bytes,
    };
  }
}

export async function runLoadStage(options: LoadStageOptions): Promise<LoadStageResult> {
  const edge = new URL(options.edgeUrl);
  if (!LOOPBACK.has(edge.hostname)) throw new Error(`The load runs on loopback only, not ${edge.hostname}.`);
  const loop = new EventLoopMonitor();
  const viewerAgent = new Agent({ keepAlive: true, maxSockets: VIEWER_SOCKETS });
  const postAgent = new Agent({ keepAlive: true, maxSockets: POST_SOCKETS });
  const kinds: Record<RequestKind, KindRecorder> = {
    live: new KindRecorder(),
    liveTick: new KindRecorder(),
    segment: new KindRecorder(),
    post: new KindRecorder(),
  };
  const errorCodes: Record<string, number> = {};
  const errorMessages: Record<string, string> = {};
  const handled: Record<string, number> = {};
  const parsed = new Map<string, { body: Buffer; value: unknown }>();
  let sent = 0;
  let inFlight = 0;
  let capped = false;
  let stopping = false;
  const roomPath = `/v1/rooms/${encodeURIComponent(options.roomId)}`;

  const countError = (code: string, message: string) => {
    errorCodes[code] = (errorCodes[code] ?? 0) + 1;
    errorMessages[code] ??= message;
  };

  /** One request over an agent; resolves with the status, headers and whole body, or rejects. */
  const send = (
    agent: Agent,
    method: 'GET' | 'POST',
    path: string,
    headers: Record<string, string>,
    body?: string,
  ) =>
    new Promise<{ response: IncomingMessage; body: Buffer }>((resolve, reject) => {
      const req = request(
        { host: edge.hostname, port: edge.port, method, path, headers, agent },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ response, body: Buffer.concat(chunks) }));
          response.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  /** Records one exchange; returns the response or undefined when none came. */
  const exchange = async (
    kind: RequestKind,
    agent: Agent,
    method: 'GET' | 'POST',
    path: string,
    headers: Record<string, string>,
    body?: string,
  ) => {
    const recorder = kinds[kind];
    recorder.requests++;
    sent++;
    inFlight++;
    const started = performance.now();
    try {
      const result = await send(agent, method, path, headers, body);
      const ms = performance.now() - started;
      const status = result.response.statusCode ?? 0;
      const outcome = String(result.response.headers['x-cache'] ?? 'none').split(' ')[0]!;
      recorder.outcomes[outcome] = (recorder.outcomes[outcome] ?? 0) + 1;
      recorder.latency.push(ms);
      if (outcome === 'Miss') recorder.missLatency.push(ms);
      recorder.bytes += result.body.length;
      if (status >= 200 && status < 300 && !stopping) recorder.answeredInStage++;
      if (status < 200 || status >= 300) {
        const { code, message } = errorBody(result.body);
        if (HANDLED_REFUSALS.has(code)) handled[code] = (handled[code] ?? 0) + 1;
        else {
          recorder.errors++;
          countError(`http_${status}:${code}`, message);
        }
      }
      return result;
    } catch (error) {
      recorder.errors++;
      countError((error as NodeJS.ErrnoException).code ?? 'network', (error as Error).message);
      throw error;
    } finally {
      inFlight--;
      if (sent >= options.maxRequests) capped = true;
    }
  };

  /** The SDK's `fetch`, over the shared agent: only what `requestJson` reads of a Response. */
  const viewerFetch = (async (input: string | URL) => {
    if (stopping || capped) throw new Error('the stage is over');
    const url = new URL(String(input));
    const kind: RequestKind = url.pathname.includes('/segments/')
      ? 'segment'
      : url.pathname.endsWith('/live')
        ? 'live'
        : 'liveTick';
    // As browsers ask (over HTTPS): the edge answers JSON of 1,000 bytes or more compressed.
    const { response, body } = await exchange(kind, viewerAgent, 'GET', url.pathname, {
      'accept-encoding': 'gzip, deflate, br',
    });
    const status = response.statusCode ?? 0;
    return {
      ok: status >= 200 && status < 300,
      status,
      headers: { get: (name: string) => header(response, name) },
      json: async () => parseShared(parsed, url.pathname, body, header(response, 'content-encoding')),
    };
  }) as unknown as Fetch;

  const pollers = Array.from(
    { length: options.viewers },
    () =>
      new Poller(
        {
          fetch: viewerFetch,
          roomUrl: `${options.edgeUrl}${roomPath}`,
          random: Math.random,
          now: Date.now,
          backoff: createBackoff(POLL_DEFAULTS.backoff),
          maxBackfillMs: POLL_DEFAULTS.maxBackfillMs,
          history: POLL_DEFAULTS.history,
          paused: () => false,
        },
        { document: () => undefined, state: () => undefined, error: () => undefined },
      ),
  );

  // Posts: an open-loop schedule, post j due at j / rate seconds, each a distinct message.
  const postsOffered = Math.floor(options.postsPerSecond * options.seconds);
  const postLateness: number[] = [];
  const post = (j: number, due: number) => {
    postLateness.push(performance.now() - due);
    const token = options.tokens[j % options.tokens.length]!;
    const body = JSON.stringify({ text: chatLine(j), clientMessageId: `load-${process.pid}-${j}` });
    void exchange(
      'post',
      postAgent,
      'POST',
      `${roomPath}/comments`,
      { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
    ).catch(() => undefined);
  };

  loop.reset();
  const cpuAtStart = ownCpuSeconds();
  const start = performance.now();
  const joinSpreadMs = options.pollIntervalSeconds * 1000;
  const joins = pollers.map((poller, i) =>
    setTimeout(() => poller.start(), (i / options.viewers) * joinSpreadMs),
  );
  let nextPost = 0;
  const postTimer = setInterval(() => {
    const now = performance.now();
    while (nextPost < postsOffered && start + (nextPost * 1000) / options.postsPerSecond <= now && !capped) {
      post(nextPost, start + (nextPost * 1000) / options.postsPerSecond);
      nextPost++;
    }
  }, 2);

  const deadline = start + options.seconds * 1000;
  while (!capped && performance.now() < deadline) await sleep(50);
  stopping = true;
  const elapsedMs = performance.now() - start;
  const cpuUsed = ownCpuSeconds() - cpuAtStart;
  clearInterval(postTimer);
  for (const timer of joins) clearTimeout(timer);
  for (const poller of pollers) poller.stop();
  const drainDeadline = performance.now() + DRAIN_MS;
  while (inFlight > 0 && performance.now() < drainDeadline) await sleep(20);
  const drainMs = Math.round(performance.now() - start - elapsedMs);
  const unanswered = inFlight;
  const generatorEventLoop = loop.read();
  loop.stop();
  viewerAgent.destroy();
  postAgent.destroy();

  return {
    viewers: options.viewers,
    elapsedMs: Math.round(elapsedMs),
    kinds: {
      live: kinds.live.result(),
      liveTick: kinds.liveTick.result(),
      segment: kinds.segment.result(),
      post: kinds.post.result(),
    },
    drainMs,
    unanswered,
    errorCodes,
    errorMessages,
    handled,
    postLateness: summarize(postLateness),
    postsOffered: nextPost,
    generatorEventLoop,
    generatorCpuSeconds: cpuUsed,
    capped,
  };
}

/**
 * A document many viewers received from one cached copy is decompressed and parsed once: each
 * viewer's device would do that work itself, and it is not the system under test.
 */
function parseShared(
  cache: Map<string, { body: Buffer; value: unknown }>,
  path: string,
  body: Buffer,
  encoding: string | null,
): unknown {
  const hit = cache.get(path);
  if (hit?.body.equals(body)) return hit.value;
  const text = encoding === 'br' ? brotliDecompressSync(body) : encoding === 'gzip' ? gunzipSync(body) : body;
  const value: unknown = JSON.parse(text.toString('utf8'));
  cache.delete(path);
  cache.set(path, { body, value });
  if (cache.size > PARSED_KEEP) cache.delete(cache.keys().next().value!);
  return value;
}

function header(response: IncomingMessage, name: string): string | null {
  const value = response.headers[name.toLowerCase()];
  return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
}

function errorBody(body: Buffer): { code: string; message: string } {
  try {
    const { code, message } = JSON.parse(body.toString('utf8')) as { code?: unknown; message?: unknown };
    return {
      code: typeof code === 'string' ? code : 'unknown',
      message: typeof message === 'string' ? message : '',
    };
  } catch {
    return { code: 'not_json', message: body.toString('utf8').slice(0, 200) };
  }
}

const LINES = [
  '8888888',
  'Encore!',
  'great show tonight',
  'hello from Osaka',
  'this song is the best',
  'wow',
];
/** Short chat lines as an audience writes them, each distinct. */
const chatLine = (j: number) => `${LINES[j % LINES.length]} ${j}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Run as the forked child: options in, result out, over IPC.
if (process.send && process.argv[2] === CHILD_FLAG) {
  process.once('message', (message) => {
    void runLoadStage(message as LoadStageOptions).then(
      (result) => process.send!(result, () => process.exit(0)),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
