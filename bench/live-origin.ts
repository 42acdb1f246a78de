import { performance } from 'node:perf_hooks';
import type { DynamoClient } from '../lambdas/adapters/dynamodb/client.js';
import { commentPartition } from '../lambdas/adapters/dynamodb/keys.js';
import { lowestIdAt } from '../lambdas/domain/feed/ids.js';
import type { Room } from '../lambdas/domain/rooms/room.js';
import { liveWindow, tickOf } from '../lambdas/domain/feed/ticks.js';
import type { LocalStack } from '../local/stack.js';
import { benchStores, createBenchRoom, fillRoom, lambdaContext, liveEvent, throughEdge } from './fixtures.js';
import { summarize, summaryRatio, type Summary } from './stats.js';

/**
 * Figure 3: the `live` function's handler at the origin (what the CDN calls
 * once per interval), for rooms of S shards whose every shard holds a full
 * window of comments, beside the S parallel Query calls of the same key
 * ranges that any design reading S shards must make. The handler also reads
 * the global feed (one more, here empty, Query), the cached room and channel,
 * merges, filters and serialises: that is what the ratio measures.
 */
export const LIVE_SHARD_COUNTS = [1, 4] as const;

/**
 * `live` covers a poll interval and a second and a half back (ADR 0019): the fill is dated an
 * hour ahead, so it stays inside every window for the whole run however long that takes.
 */
const LIVE_FILL_AHEAD_MS = 3_600_000;
/** Comments beyond the live limit on every shard: each shard's query returns a full page. */
const FILL_BEYOND_LIMIT = 20;
const WARMUP_CALLS = 10;

export interface LiveRoom {
  readonly room: Room;
  readonly comments: number;
}

export interface LiveOriginRow {
  readonly shards: number;
  readonly comments: number;
  readonly handler: Summary;
  readonly bareQueries: Summary;
  readonly ratio: { readonly p50: number; readonly p99: number };
}

export interface LiveOriginResult {
  readonly invokedWith: string;
  readonly liveLimit: number;
  readonly calls: number;
  readonly rows: LiveOriginRow[];
}

/** The most comments the stack's `live` function serves (its LIVE_COMMENT_LIMIT). */
export function liveLimit(stack: LocalStack): number {
  return stack.functions.settings.LIVE_COMMENT_LIMIT;
}

/** One room per shard count, every shard filled past the live limit. */
export async function prepareLiveRooms(
  stack: LocalStack,
  progress: (line: string) => void,
): Promise<LiveRoom[]> {
  const { rooms, comments } = benchStores(stack);
  const out: LiveRoom[] = [];
  for (const shards of LIVE_SHARD_COUNTS) {
    const room = await createBenchRoom(rooms, `bench-live-${shards}`, shards, {});
    const filled = await fillRoom(
      comments,
      room,
      liveLimit(stack) + FILL_BEYOND_LIMIT,
      progress,
      LIVE_FILL_AHEAD_MS,
    );
    out.push({ room, comments: filled });
  }
  return out;
}

/** The key ranges `getLive` reads: each shard, newest first, from the current tick's window start. */
export function bareLiveQueries(
  db: DynamoClient,
  tableName: string,
  room: Room,
  limit: number,
): Promise<unknown[]> {
  const pollMs = room.settings.pollIntervalSeconds * 1000;
  const now = Date.now();
  const fromId = lowestIdAt(liveWindow(tickOf(now, pollMs), pollMs, now).fromMs);
  return Promise.all(
    Array.from({ length: room.shards.read }, (_, shard) =>
      db.query({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND sk >= :from',
        ExpressionAttributeValues: { ':pk': commentPartition(room.roomId, shard), ':from': fromId },
        ScanIndexForward: false,
        Limit: limit,
      }),
    ),
  );
}

export async function benchLiveOrigin(
  stack: LocalStack,
  liveRooms: readonly LiveRoom[],
  options: { readonly calls: number; readonly progress: (line: string) => void },
): Promise<LiveOriginResult> {
  // The very handler the local gateway runs: the same caches and clients.
  const handler = stack.functions.handlers.getLive;
  const { db } = benchStores(stack);
  const limit = liveLimit(stack);
  const rows: LiveOriginRow[] = [];
  for (const { room, comments } of liveRooms) {
    options.progress(`  getLive, ${room.shards.read} shard(s), ${options.calls} calls…`);
    const viaHandler = async (): Promise<number> => {
      const started = performance.now();
      const result = await handler(
        throughEdge(liveEvent(room.roomId), stack.origin.header),
        lambdaContext('getLive'),
      );
      const elapsed = performance.now() - started;
      if (result.statusCode !== 200) throw new Error(`getLive answered ${result.statusCode}: ${result.body}`);
      const served = (JSON.parse(result.body) as { comments: unknown[] }).comments.length;
      if (served !== limit) throw new Error(`getLive served ${served} comments, expected a full ${limit}.`);
      return elapsed;
    };
    const bare = async (): Promise<number> => {
      const started = performance.now();
      await bareLiveQueries(db, stack.tables.comments, room, limit + 1);
      return performance.now() - started;
    };
    for (let i = 0; i < WARMUP_CALLS; i++) {
      await viaHandler();
      await bare();
    }
    const handlerMs: number[] = [];
    const bareMs: number[] = [];
    for (let i = 0; i < options.calls; i++) {
      if (i % 2 === 0) {
        handlerMs.push(await viaHandler());
        bareMs.push(await bare());
      } else {
        bareMs.push(await bare());
        handlerMs.push(await viaHandler());
      }
    }
    const handlerSummary = summarize(handlerMs);
    const bareSummary = summarize(bareMs);
    rows.push({
      shards: room.shards.read,
      comments,
      handler: handlerSummary,
      bareQueries: bareSummary,
      ratio: summaryRatio(handlerSummary, bareSummary),
    });
  }
  return {
    invokedWith:
      'The getLive handler, called directly with API Gateway proxy events (the origin call the CDN makes)',
    liveLimit: limit,
    calls: options.calls,
    rows,
  };
}
