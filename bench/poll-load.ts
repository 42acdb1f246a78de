/**
 * The viewers of figure 1, in a process of their own (so they do not share
 * the edge's CPU): fires the poll plan's requests at their due times over
 * keep-alive sockets and reports what came back. Started by edge-offload.ts
 * with `fork`; takes its options as one JSON argument, answers over IPC.
 */
import { Agent, get } from 'node:http';
import { performance } from 'node:perf_hooks';
import { dueAtMs, pollPlan, type PollPlan } from './poll-schedule.js';
import { summarize, type Summary } from './stats.js';

export interface PollLoadOptions {
  readonly url: string;
  readonly viewers: number;
  readonly intervalMs: number;
  readonly durationMs: number;
  /** Sockets the viewers share (a CDN edge multiplexes them likewise); requests queue beyond it. */
  readonly maxSockets: number;
  /**
   * Poll by tick (ADR 0019): each request asks for `url/{tick}`, the tick its due time falls in,
   * as a player schedules "tick t + 1 at this moment" (a request sent a little late still asks for it).
   */
  readonly tickMs?: number;
}

export interface PollLoadResult {
  readonly requests: number;
  readonly responses: number;
  readonly errors: number;
  /** Failed requests by error code. */
  readonly errorCodes: Record<string, number>;
  readonly statuses: Record<string, number>;
  /** By the edge's `x-cache` outcome: Hit, Miss, Collapsed. */
  readonly outcomes: Record<string, number>;
  /** How late each request left against its due time (ms): the load's uniformity. */
  readonly sendLateness: Summary;
  /** From each request's due time to the end of its response (ms). */
  readonly responseMs: Summary;
  /** From the first due time to the last response. */
  readonly elapsedMs: number;
  readonly achievedPerSecond: number;
}

/** Leeway before the first request, so the loop is running when it falls due. */
const START_DELAY_MS = 100;
/** Opens the sockets before the clock starts (a path outside the edge cache and its counters). */
const WARMUP_PATH = '/local/health';

export async function runPollLoad(options: PollLoadOptions): Promise<PollLoadResult> {
  const plan = pollPlan(options);
  const target = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets });
  await Promise.all(Array.from({ length: options.maxSockets }, () => fetchOnce(target, WARMUP_PATH, agent)));
  return schedule(plan, target, agent, options.tickMs);
}

function fetchOnce(target: URL, path: string, agent: Agent): Promise<void> {
  return new Promise((resolve, reject) => {
    get({ host: target.hostname, port: target.port, path, agent }, (response) => {
      response.resume();
      response.on('end', resolve);
    }).on('error', reject);
  });
}

function schedule(plan: PollPlan, target: URL, agent: Agent, tickMs?: number): Promise<PollLoadResult> {
  const lateness = new Float64Array(plan.requests);
  const responseMs: number[] = [];
  const statuses: Record<string, number> = {};
  const outcomes: Record<string, number> = {};
  let errors = 0;
  const errorCodes: Record<string, number> = {};
  let done = 0;
  let next = 0;
  let lastEnd = 0;
  // By tick, the schedule starts on a tick's start, so its intervals are whole ticks.
  const aligned = tickMs ? tickMs - ((Date.now() + START_DELAY_MS) % tickMs) : 0;
  const start = performance.now() + START_DELAY_MS + aligned;
  const startEpochMs = Date.now() + START_DELAY_MS + aligned;

  return new Promise((resolve) => {
    const finish = () => {
      agent.destroy();
      const elapsedMs = lastEnd - start;
      resolve({
        requests: plan.requests,
        responses: responseMs.length,
        errors,
        errorCodes,
        statuses,
        outcomes,
        sendLateness: summarize(Array.from(lateness)),
        responseMs: summarize(responseMs),
        elapsedMs: Math.round(elapsedMs),
        achievedPerSecond: Math.round((responseMs.length / elapsedMs) * 1000),
      });
    };
    const settle = () => {
      lastEnd = performance.now();
      if (++done === plan.requests) finish();
    };
    const fire = (j: number, now: number) => {
      const due = start + dueAtMs(plan, j);
      lateness[j] = now - due;
      const tick = tickMs && Math.floor((startEpochMs + dueAtMs(plan, j)) / tickMs);
      const path = tickMs ? `${target.pathname}/${tick}` : target.pathname;
      const request = get({ host: target.hostname, port: target.port, path, agent }, (response) => {
        statuses[response.statusCode ?? 0] = (statuses[response.statusCode ?? 0] ?? 0) + 1;
        const outcome = String(response.headers['x-cache'] ?? 'none').split(' ')[0]!;
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        response.resume();
        response.on('end', () => {
          responseMs.push(performance.now() - due);
          settle();
        });
      });
      request.on('error', (error: NodeJS.ErrnoException) => {
        errors++;
        errorCodes[error.code ?? error.message] = (errorCodes[error.code ?? error.message] ?? 0) + 1;
        settle();
      });
    };
    const tick = () => {
      const now = performance.now();
      while (next < plan.requests && start + dueAtMs(plan, next) <= now) fire(next++, now);
      if (next < plan.requests) setTimeout(tick, 1);
    };
    setTimeout(tick, 1);
  });
}

// Run as the forked child: options in, result out.
if (process.send && process.argv[2]) {
  const result = await runPollLoad(JSON.parse(process.argv[2]) as PollLoadOptions);
  process.send(result, () => process.exit(0));
}
