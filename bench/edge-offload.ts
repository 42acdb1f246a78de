import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LocalStack } from '../local/stack.js';
import { benchStores, createBenchRoom, fillRoom } from './fixtures.js';
import type { PollLoadOptions, PollLoadResult } from './poll-load.js';
import { ratio } from './stats.js';

/**
 * Figure 1: N viewers poll one room's `live/{tick}` through the local edge
 * (ADR 0019: each asks for the tick of the moment it sends), once per poll
 * interval each, phases spread evenly (an open-loop schedule, not
 * autocannon: autocannon's connections start together and send back to back,
 * which is neither a uniform load nor viewers). The edge may call the origin
 * at most once per cache lifetime — the interval — so the physical floor is
 * one origin call per interval, i.e. 1 ÷ N of the viewers' requests.
 */
export interface EdgeOffloadResult {
  readonly viewers: number;
  readonly intervalSeconds: number;
  /** viewers ÷ interval: the aggregate rate the schedule asks for. */
  readonly plannedPerSecond: number;
  readonly load: PollLoadResult;
  /** Origin calls the edge made in the window (its own counter). */
  readonly originCalls: number;
  readonly intervalsElapsed: number;
  /** originCalls ÷ intervals: 1 is one call per cache lifetime. */
  readonly originCallsPerInterval: number;
  /** originCalls ÷ viewer requests answered. */
  readonly originCallsPerRequest: number;
  /** Viewer requests the edge answered per origin call: the offload factor. */
  readonly requestsPerOriginCall: number;
  /** The floor: one call per interval over the requests of that interval, ≈ 1 ÷ N. */
  readonly floorPerRequest: number;
  /** originCallsPerRequest ÷ floorPerRequest. */
  readonly ratio: number;
}

const ROOM_ID = 'bench-edge';
/** A small room (20 comments; they leave the window within seconds): the figure is about request counts, not bytes. */
const EDGE_ROOM_COMMENTS = 20;
const MAX_SOCKETS = 256;

export async function benchEdgeOffload(
  stack: LocalStack,
  options: {
    readonly viewers: number;
    readonly intervalSeconds: number;
    readonly durationSeconds: number;
    readonly progress: (line: string) => void;
  },
): Promise<EdgeOffloadResult> {
  const { rooms, comments } = benchStores(stack);
  const room = await createBenchRoom(rooms, ROOM_ID, 1, {
    pollIntervalSeconds: options.intervalSeconds,
    segmentSeconds: 300,
  });
  await fillRoom(comments, room, EDGE_ROOM_COMMENTS);

  options.progress(
    `  ${options.viewers} viewers polling every ${options.intervalSeconds} s for ${options.durationSeconds} s…`,
  );
  const before = stack.edge.stats();
  const load = await runChild({
    url: `${stack.edgeUrl}/v1/rooms/${ROOM_ID}/live`,
    viewers: options.viewers,
    intervalMs: options.intervalSeconds * 1000,
    durationMs: options.durationSeconds * 1000,
    maxSockets: MAX_SOCKETS,
    tickMs: options.intervalSeconds * 1000,
  });
  const after = stack.edge.stats();
  // Every answer must be a 200. A request lost in transport (a reset socket on this loaded loopback)
  // is reported, not fatal, as long as it stays a rare event: it says nothing about the cache.
  const answered = load.statuses['200'] ?? 0;
  if (
    answered !== load.responses ||
    load.responses + load.errors !== load.requests ||
    load.errors > load.requests / 1_000
  ) {
    throw new Error(
      `The viewers' polls did not all succeed: ${JSON.stringify(load.statuses)}, ${load.errors} errors ${JSON.stringify(load.errorCodes)}.`,
    );
  }
  const originCalls = after.originCalls - before.originCalls;
  const intervalsElapsed = load.elapsedMs / (options.intervalSeconds * 1000);
  const originCallsPerRequest = originCalls / load.responses;
  const floorPerRequest = intervalsElapsed / load.responses;
  return {
    viewers: options.viewers,
    intervalSeconds: options.intervalSeconds,
    plannedPerSecond: Math.round(options.viewers / options.intervalSeconds),
    load,
    originCalls,
    intervalsElapsed: round(intervalsElapsed),
    originCallsPerInterval: ratio(originCalls, intervalsElapsed),
    originCallsPerRequest: Number(originCallsPerRequest.toPrecision(3)),
    requestsPerOriginCall: Math.round(load.responses / originCalls),
    floorPerRequest: Number(floorPerRequest.toPrecision(3)),
    ratio: ratio(originCallsPerRequest, floorPerRequest),
  };
}

function runChild(options: PollLoadOptions): Promise<PollLoadResult> {
  const child = fork(fileURLToPath(new URL('./poll-load.ts', import.meta.url)), [JSON.stringify(options)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let result: PollLoadResult | undefined;
    child.on('message', (message) => (result = message as PollLoadResult));
    child.on('error', reject);
    child.on('exit', (code) =>
      result
        ? resolve(result)
        : reject(new Error(`The poll load process exited with ${code} and no result.`)),
    );
  });
}

const round = (n: number) => Math.round(n * 100) / 100;
