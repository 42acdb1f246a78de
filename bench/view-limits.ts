/**
 * Figure 11: the view-limit batch (ADR 0038) over one channel of 20 rooms and 100,000 stored
 * records: read units, time and peak live heap against N, beside a baseline measured in the same
 * run — every record of the window read with the same queries and pages, held and sorted in
 * memory (what a sort needs at least, before any intermediate table's writes).
 *
 * `npm run bench` runs it over its stack; `tsx bench/view-limits.ts` alone starts a DynamoDB Local
 * of its own and prints the figure.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import {
  createDynamoClient,
  queryResponses,
  type DynamoClientOptions,
} from '../lambdas/adapters/dynamodb/client.js';
import { DynamoCommentStore } from '../lambdas/adapters/dynamodb/comment-store.js';
import { commentPartition } from '../lambdas/adapters/dynamodb/keys.js';
import { DynamoPlanStore } from '../lambdas/adapters/dynamodb/plan-store.js';
import { DynamoRoomStore } from '../lambdas/adapters/dynamodb/room-store.js';
import { highestIdAt, lowestIdAt } from '../lambdas/domain/feed/ids.js';
import { computeChannelCutoffs, type CutoffDeps } from '../lambdas/domain/limits/compute-cutoffs.js';
import type { CommentStreams } from '../lambdas/domain/limits/ports.js';
import { createRoom, type Room } from '../lambdas/domain/rooms/room.js';
import type { TableNames } from '../local/tables.js';
import { median } from './stats.js';

const DAY_MS = 86_400_000;
const ROOMS = 20;
/** Every fourth room has this many shards (a busy room the scaler grew). */
const BUSY_SHARDS = 3;
const PAGE = 500;
/** One record in ten is a tombstone (a deletion): read, never counted. */
const TOMBSTONE_SHARE = 0.1;
/** Records spread over the last ten days; the plans look back thirty, so every one is in the window. */
const SPREAD_DAYS = 10;
const PLAN_DAYS = 30;

export interface ViewLimitsRow {
  readonly maxComments: number;
  /** Median of the timing rounds. */
  readonly ms: number;
  readonly readUnits: number;
  readonly commentsRead: number;
  readonly taken: number;
  /** Peak live heap above the run's start, MB (a full GC at every page; a separate round). */
  readonly peakHeapMB: number;
  /** Cutoff UpdateItems (rooms whose cutoff moved from the previous N's). */
  readonly cutoffWrites: number;
}

export interface ViewLimitsResult {
  readonly records: number;
  readonly rooms: number;
  readonly streams: number;
  readonly pageSize: number;
  readonly rounds: number;
  readonly rows: readonly ViewLimitsRow[];
  /** Every record of the window read with the same queries, held and sorted. */
  readonly baseline: {
    readonly ms: number;
    readonly readUnits: number;
    readonly read: number;
    readonly peakHeapMB: number;
  };
  readonly ratios: readonly {
    readonly maxComments: number;
    readonly readUnits: number;
    readonly time: number;
    readonly heap: number;
  }[];
}

/** A full garbage collection, for live-heap samples (the flag can be set at run time). */
function gcFunction(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

export async function benchViewLimits(
  target: { readonly dynamo: DynamoClientOptions; readonly tables: TableNames },
  options: {
    readonly sizes: readonly number[];
    readonly records?: number;
    readonly rounds?: number;
    readonly progress?: (line: string) => void;
  },
): Promise<ViewLimitsResult> {
  const records = options.records ?? 100_000;
  const rounds = options.rounds ?? 3;
  const progress = options.progress ?? (() => undefined);
  const db = createDynamoClient({ ...target.dynamo, timeoutMs: 10_000 });
  const rooms = new DynamoRoomStore(db, target.tables.control);
  const comments = new DynamoCommentStore(db, target.tables.comments, target.tables.control);
  const plans = new DynamoPlanStore(db, target.tables.control);
  const gc = gcFunction();

  const now = Date.now();
  const channelId = `bench-limits-${now.toString(36)}`;
  const created: Room[] = [];
  for (let i = 0; i < ROOMS; i++) {
    const room = createRoom(
      {
        roomId: `${channelId}-${i}`,
        channelId,
        title: `View limits ${i}`,
        shards: i % 4 === 0 ? BUSY_SHARDS : 1,
      },
      new Date(now),
    );
    await rooms.create(room);
    created.push(room);
  }
  const streams = created.reduce((sum, room) => sum + room.shards.read, 0);
  progress(`  writing ${records.toLocaleString('en-US')} records into ${ROOMS} rooms (${streams} shards)…`);
  await fill(target, created, records, now);

  // The baseline: every record of the window, the same queries and pages, held, then sorted.
  const fromId = lowestIdAt(now - PLAN_DAYS * DAY_MS);
  const toId = highestIdAt(now);
  const baselineOnce = async (sample?: () => void) => {
    let readUnits = 0;
    const ids: string[] = [];
    await Promise.all(
      created.flatMap((room) =>
        Array.from({ length: room.shards.read }, async (_, shard) => {
          for await (const page of queryResponses(db, {
            TableName: target.tables.comments,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ProjectionExpression: 'sk, #kind, deletedAt',
            ExpressionAttributeNames: { '#kind': 'kind' },
            ExpressionAttributeValues: {
              ':pk': commentPartition(room.roomId, shard),
              ':from': fromId,
              ':to': toId,
            },
            ScanIndexForward: false,
            Limit: PAGE,
            ReturnConsumedCapacity: 'TOTAL',
          })) {
            readUnits += page.ConsumedCapacity?.CapacityUnits ?? 0;
            for (const item of page.Items ?? []) if (item.kind !== 'tombstone') ids.push(String(item.sk));
            sample?.();
          }
        }),
      ),
    );
    ids.sort();
    sample?.();
    return { readUnits, read: ids.length };
  };

  /** Runs `once` with a live-heap sample (a full GC) at every page: the peak above the start, MB. */
  const peakHeap = async (once: (sample: () => void) => Promise<unknown>) => {
    gc();
    const start = process.memoryUsage().heapUsed;
    let peak = start;
    const sample = () => {
      gc();
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    };
    await once(sample);
    return (peak - start) / 2 ** 20;
  };
  const timed = async (once: () => Promise<unknown>) => {
    const times: number[] = [];
    for (let r = 0; r < rounds; r++) {
      gc();
      const started = performance.now();
      await once();
      times.push(performance.now() - started);
    }
    return median(times);
  };

  progress('  baseline: the whole window read and sorted…');
  const baselineRead = await baselineOnce();
  const baseline = {
    ms: await timed(() => baselineOnce()),
    readUnits: baselineRead.readUnits,
    read: baselineRead.read,
    peakHeapMB: await peakHeap((sample) => baselineOnce(sample)),
  };

  const rows: ViewLimitsRow[] = [];
  for (const maxComments of options.sizes) {
    progress(`  N = ${maxComments.toLocaleString('en-US')}…`);
    const existing = await plans.get(channelId);
    await plans.put(
      channelId,
      { maxComments, days: PLAN_DAYS },
      { updatedAt: new Date(now).toISOString(), ...(existing ? { expectedVersion: existing.version } : {}) },
    );
    const deps = (streamsOf: CommentStreams): CutoffDeps => ({
      plans,
      rooms,
      comments: streamsOf,
      clock: () => now,
      pageSize: PAGE,
    });
    const first = await computeChannelCutoffs(deps(comments), {
      channelId,
      reason: 'run-now',
      requestedAt: new Date(now).toISOString(),
    });
    const job = { channelId, reason: 'run-now' as const, requestedAt: new Date(now).toISOString() };
    const ms = await timed(() => computeChannelCutoffs(deps(comments), job));
    const peakHeapMB = await peakHeap((sample) =>
      computeChannelCutoffs(
        deps({
          async *descending(...args) {
            for await (const page of comments.descending(...args)) {
              sample();
              yield page;
            }
          },
        }),
        job,
      ),
    );
    rows.push({
      maxComments,
      ms,
      readUnits: first.readUnits,
      commentsRead: first.commentsRead,
      taken: first.taken,
      peakHeapMB,
      cutoffWrites: first.cutoffs.filter((c) => c.changed).length,
    });
  }
  return {
    records,
    rooms: ROOMS,
    streams,
    pageSize: PAGE,
    rounds,
    rows,
    baseline,
    ratios: rows.map((row) => ({
      maxComments: row.maxComments,
      readUnits: row.readUnits / baseline.readUnits,
      time: row.ms / baseline.ms,
      heap: baseline.peakHeapMB > 0 ? row.peakHeapMB / baseline.peakHeapMB : 0,
    })),
  };
}

/** Writes the records straight into the comments table in the comment store's key shape. */
async function fill(
  target: { readonly dynamo: DynamoClientOptions; readonly tables: TableNames },
  rooms: readonly Room[],
  count: number,
  now: number,
): Promise<void> {
  const doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: target.dynamo.region,
      endpoint: target.dynamo.endpoint,
      credentials: target.dynamo.credentials,
    }),
  );
  // Deterministic spread: room i gets a share falling with i; times evenly over the spread.
  const weights = rooms.map((_, i) => 1 / (i + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const nextId = monotonicFactory();
  const items = Array.from({ length: count }, (_, k) => {
    let pick = ((k * 0.618_033_988_75) % 1) * total;
    let i = 0;
    while (i < rooms.length - 1 && (pick -= weights[i]!) > 0) i++;
    const room = rooms[i]!;
    const atMs = now - SPREAD_DAYS * DAY_MS + Math.floor((k / count) * SPREAD_DAYS * DAY_MS);
    const id = nextId(atMs);
    const base = { pk: commentPartition(room.roomId, k % room.shards.read), sk: id, id, roomId: room.roomId };
    const createdAt = new Date(atMs).toISOString();
    return (k * 7) % 10 < TOMBSTONE_SHARE * 10
      ? { ...base, kind: 'tombstone', commentId: id, deletedAt: createdAt }
      : {
          ...base,
          kind: 'comment',
          userId: `bench-viewer-${k % 1000}`,
          displayName: `Viewer ${k % 1000}`,
          text: `Benchmark comment number ${k}, about forty chars`,
          createdAt,
        };
  });
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      let pending = items.slice(next, (next += 25)).map((Item) => ({ PutRequest: { Item } }));
      while (pending.length > 0) {
        const out = await doc.send(
          new BatchWriteCommand({ RequestItems: { [target.tables.comments]: pending } }),
        );
        pending = (out.UnprocessedItems?.[target.tables.comments] ?? []) as typeof pending;
      }
    }
  };
  await Promise.all(Array.from({ length: 12 }, worker));
  doc.destroy();
}

const n = (value: number) =>
  value.toLocaleString('en-US', Number.isInteger(value) ? {} : { maximumSignificantDigits: 3 });

export function renderViewLimits(result: ViewLimitsResult): string {
  const { baseline: b } = result;
  const lines = [
    `## 11. View-limit batch: one channel, ${n(result.rooms)} rooms (${n(result.streams)} shard streams), ` +
      `${n(result.records)} records, pages of ${n(result.pageSize)}`,
    '',
    `\`computeChannelCutoffs\` over DynamoDB Local with D = ${PLAN_DAYS} days (every record in the window; ` +
      `${TOMBSTONE_SHARE * 100}% are tombstones). Time: median of ${result.rounds} runs. Heap: peak live heap above the ` +
      'start, sampled after a full GC at every page, in a separate run. Baseline in the same run: every record of the ' +
      `window read with the same queries (${n(b.read)} visible ids), held and sorted — ${n(b.ms)} ms, ` +
      `${n(b.readUnits)} RCU, ${n(b.peakHeapMB)} MB. An intermediate table would add at least one write unit per record ` +
      'on top of that read; the batch writes one UpdateItem per room whose cutoff moved.',
    '',
    '| N | ms | RCU | records read | taken | peak heap MB | cutoff writes | **RCU ÷ baseline** | **time ÷ baseline** | **heap ÷ baseline** |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...result.rows.map((row, i) => {
      const r = result.ratios[i]!;
      return `| ${n(row.maxComments)} | ${n(row.ms)} | ${n(row.readUnits)} | ${n(row.commentsRead)} | ${n(row.taken)} | ${n(row.peakHeapMB)} | ${row.cutoffWrites} | **${n(r.readUnits)}×** | **${n(r.time)}×** | **${n(r.heap)}×** |`;
    }),
    '',
  ];
  return lines.join('\n');
}

// Alone: a DynamoDB Local of its own, the figure printed.
if (import.meta.url === `file://${process.argv[1]}`) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const { startDynamoDbLocal } = await import('../local/dynamodb-local.js');
  const { createTables, tableNames } = await import('../local/tables.js');
  const { LOCAL_CREDENTIALS } = await import('../local/appsync/auth.js');
  const { LOCAL_REGION } = await import('../local/composition.js');
  const dynamodb = await startDynamoDbLocal();
  try {
    const tables = tableNames('bench');
    const client = new DynamoDBClient({
      region: LOCAL_REGION,
      endpoint: dynamodb.endpoint,
      credentials: LOCAL_CREDENTIALS,
    });
    await createTables(client, tables);
    client.destroy();
    const result = await benchViewLimits(
      {
        dynamo: { region: LOCAL_REGION, endpoint: dynamodb.endpoint, credentials: LOCAL_CREDENTIALS },
        tables,
      },
      { sizes: [1_000, 5_000, 50_000, 100_000], progress: console.log },
    );
    console.log(JSON.stringify(result, null, 2));
    console.log(renderViewLimits(result));
  } finally {
    await dynamodb.stop();
  }
  process.exit(0);
}
