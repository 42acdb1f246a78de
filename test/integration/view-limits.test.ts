import { randomUUID } from 'node:crypto';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { decodeTime, ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { commentPartition } from '../../lambdas/adapters/dynamodb/keys.js';
import { DynamoPlanStore } from '../../lambdas/adapters/dynamodb/plan-store.js';
import { highestIdAt, lowestIdAt } from '../../lambdas/domain/feed/ids.js';
import { computeChannelCutoffs, type CutoffDeps } from '../../lambdas/domain/limits/compute-cutoffs.js';
import type { LimitJob } from '../../lambdas/domain/limits/job.js';
import type { Room } from '../../lambdas/domain/rooms/room.js';
import { LOCAL_CREDENTIALS } from '../../local/appsync/auth.js';
import { LOCAL_REGION } from '../../local/composition.js';
import { createTables, tableNames } from '../../local/tables.js';
import { integrationTarget, testStores } from '../helpers/store.js';
import { mulberry32 } from '../unit/fakes.js';

/**
 * The view-limit batch against DynamoDB Local (ADR 0038): a channel of 20 rooms and 100,000
 * stored records, written in the comment store's key shape, gets the cutoffs a brute-force
 * pass over the same records gives.
 */
// Tables of its own in the suite's DynamoDB Local: 100,000 records in the shared ones would slow
// every test that scans them (the bad-input files' snapshots scan both tables per case).
const target = {
  dynamodbEndpoint: integrationTarget().dynamodbEndpoint,
  tables: tableNames(`limits-${randomUUID().slice(0, 8)}`),
};
const client = new DynamoDBClient({
  region: LOCAL_REGION,
  endpoint: target.dynamodbEndpoint,
  credentials: LOCAL_CREDENTIALS,
});
const stores = testStores(target);
const plans = new DynamoPlanStore(stores.db, stores.tables.control);

const DAY = 86_400_000;
const NOW = Date.now();
const PAGE = 500;
const ROOMS = 20;
const RECORDS = 100_000;

interface Seeded {
  readonly roomId: string;
  readonly shard: number;
  readonly id: string;
  readonly visible: boolean;
}

/** Writes records straight into the comments table, 25 per BatchWriteItem, several batches at once. */
async function writeRecords(records: readonly Seeded[]): Promise<void> {
  const requests = records.map((r) => {
    const createdAt = new Date(decodeTime(r.id)).toISOString();
    const base = { pk: commentPartition(r.roomId, r.shard), sk: r.id, id: r.id, roomId: r.roomId };
    const Item = r.visible
      ? { ...base, kind: 'comment', userId: 'u', displayName: 'Viewer', text: 'hello', createdAt }
      : { ...base, kind: 'tombstone', commentId: r.id, deletedAt: createdAt };
    return { PutRequest: { Item } };
  });
  const batches: (typeof requests)[] = [];
  for (let i = 0; i < requests.length; i += 25) batches.push(requests.slice(i, i + 25));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let pending: typeof requests = batches[next++]!;
      while (pending.length > 0) {
        const out = await stores.doc.send(
          new BatchWriteCommand({ RequestItems: { [stores.tables.comments]: pending } }),
        );
        pending = (out.UnprocessedItems?.[stores.tables.comments] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: 12 }, worker));
}

/** The oracle: every visible record in the window, newest first, the first N; per room the oldest taken. */
function expectedCutoffs(records: readonly Seeded[], rooms: readonly Room[], n: number, days: number) {
  const from = lowestIdAt(NOW - days * DAY);
  const to = highestIdAt(NOW);
  const inWindow = records.filter((r) => r.visible && r.id >= from && r.id <= to);
  inWindow.sort((a, b) => (a.id < b.id ? 1 : -1));
  if (inWindow.length < n) return new Map(rooms.map((room) => [room.roomId, from]));
  const taken = inWindow.slice(0, n);
  return new Map(
    rooms.map((room) => {
      const mine = taken.filter((r) => r.roomId === room.roomId);
      return [room.roomId, mine.at(-1)?.id ?? lowestIdAt(NOW)];
    }),
  );
}

const channelId = `limits-${randomUUID().slice(0, 8)}`;
const otherChannel = `limits-other-${randomUUID().slice(0, 8)}`;
const job = (reason: LimitJob['reason'], channel = channelId): LimitJob => ({
  channelId: channel,
  reason,
  requestedAt: new Date(NOW).toISOString(),
});
const invalidated: string[] = [];
const deps: CutoffDeps = {
  plans,
  rooms: stores.rooms,
  comments: stores.comments,
  clock: () => NOW,
  pageSize: PAGE,
  edge: {
    invalidate: async (paths) => {
      invalidated.push(...paths);
    },
  },
};

let rooms: Room[] = [];
let others: Room[] = [];
const records: Seeded[] = [];
const otherCutoff = { id: lowestIdAt(NOW - DAY), computedAt: new Date(NOW - DAY).toISOString() };

afterAll(async () => {
  for (const table of [target.tables.comments, target.tables.control]) {
    await client.send(new DeleteTableCommand({ TableName: table }));
  }
  client.destroy();
});

beforeAll(async () => {
  await createTables(client, target.tables);
  // Prepare: 20 rooms (every fourth with three shards), and a room of another channel with a cutoff.
  const next = mulberry32(13);
  rooms = await Promise.all(
    Array.from({ length: ROOMS }, (_, i) =>
      stores.room({ roomId: `${channelId}-${i}`, channelId, shards: i % 4 === 0 ? 3 : 1 }),
    ),
  );
  others = [await stores.room({ roomId: `${otherChannel}-0`, channelId: otherChannel })];
  await stores.rooms.setViewCutoff(others[0]!.roomId, otherCutoff);
  // Busier rooms first: room i gets a share falling with i; ten days back, one in ten a tombstone.
  const weights = rooms.map((_, i) => 1 / (i + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  for (let k = 0; k < RECORDS; k++) {
    let pick = next() * total;
    let i = 0;
    while (i < rooms.length - 1 && (pick -= weights[i]!) > 0) i++;
    const room = rooms[i]!;
    const atMs = NOW - Math.floor(next() * 10 * DAY);
    records.push({
      roomId: room.roomId,
      shard: Math.floor(next() * room.shards.read),
      id: ulid(atMs),
      visible: next() >= 0.1,
    });
  }
  // And the other channel's room: newer than everything, so a leak into the merge would show.
  const otherRecords = Array.from({ length: 50 }, (_, k) => ({
    roomId: others[0]!.roomId,
    shard: 0,
    id: ulid(NOW - k),
    visible: true,
  }));
  await writeRecords([...records, ...otherRecords]);
}, 180_000);

describe('computeChannelCutoffs against DynamoDB Local', () => {
  it('gives a channel of 20 rooms and 100,000 records the oracle’s cutoffs, reading about N', async () => {
    // Prepare
    await plans.put(channelId, { maxComments: 5_000, days: 7 }, { updatedAt: new Date(NOW).toISOString() });

    // Act
    const run = await computeChannelCutoffs(deps, job('plan-changed'));

    // Assess
    const expected = expectedCutoffs(records, rooms, 5_000, 7);
    expect(new Map(run.cutoffs.map((c) => [c.roomId, c.cutoff]))).toEqual(expected);
    for (const room of rooms) {
      expect((await stores.rooms.get(room.roomId))!.viewCutoff).toEqual({
        id: expected.get(room.roomId),
        computedAt: new Date(NOW).toISOString(),
      });
    }
    expect(run.taken).toBe(5_000);
    const streams = rooms.reduce((sum, room) => sum + room.shards.read, 0);
    // N visible, the tombstones among them (about one in ten), and at most a page per stream beyond.
    expect(run.commentsRead).toBeGreaterThanOrEqual(5_000);
    expect(run.commentsRead).toBeLessThanOrEqual(Math.ceil(5_000 / 0.85) + streams * PAGE);
    expect(run.readUnits).toBeGreaterThan(0);
    expect((await plans.get(channelId))!.lastRun).toEqual(run);
    expect(invalidated).toEqual(expect.arrayContaining(rooms.map((r) => `/v1/rooms/${r.roomId}/segments/*`)));
    // Another channel's room keeps its cutoff, and its newer comments took no share of N.
    expect((await stores.rooms.get(others[0]!.roomId))!.viewCutoff).toEqual(otherCutoff);
  });

  it('changes the cutoffs when the plan changes', async () => {
    const before = (await plans.get(channelId))!;
    await plans.put(
      channelId,
      { maxComments: 50_000, days: 3 },
      { expectedVersion: before.version, updatedAt: new Date(NOW).toISOString() },
    );

    const run = await computeChannelCutoffs(deps, job('plan-changed'));

    const expected = expectedCutoffs(records, rooms, 50_000, 3);
    expect(new Map(run.cutoffs.map((c) => [c.roomId, c.cutoff]))).toEqual(expected);
    expect(run.cutoffs.some((c) => c.changed)).toBe(true);
    // Three days hold fewer than 50,000 visible records: every room is cut at the window's start.
    expect(new Set(expected.values())).toEqual(new Set([lowestIdAt(NOW - 3 * DAY)]));
    expect(run).toMatchObject({ planVersion: before.version + 1, maxComments: 50_000, days: 3 });
    expect((await stores.rooms.get(rooms[0]!.roomId))!.viewCutoff?.id).toBe(lowestIdAt(NOW - 3 * DAY));
  });

  it('removes every cutoff of the channel once its plan is removed', async () => {
    await plans.remove(channelId);

    const run = await computeChannelCutoffs(deps, job('plan-changed'));

    expect(run.outcome).toBe('cleared');
    for (const room of rooms) expect((await stores.rooms.get(room.roomId))!.viewCutoff).toBeUndefined();
    expect((await stores.rooms.get(others[0]!.roomId))!.viewCutoff).toEqual(otherCutoff);
  });
});
