import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commentPartition, roomKey } from '../../lambdas/adapters/dynamodb/keys.js';
import { lowestIdAt } from '../../lambdas/domain/feed/ids.js';
import { segmentOf } from '../../lambdas/domain/feed/segments.js';
import type { Room } from '../../lambdas/domain/rooms/room.js';
import { localSegmentArchive } from '../../local/composition.js';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { localAdmin } from '../helpers/local-admin.js';
import { seedComment, testStores } from '../helpers/store.js';

/**
 * The segment archive end to end (ADR 0037): DynamoDB Local, s3rver behind the same S3 adapter as
 * in AWS, the archiver's handler, the segments route through the local edge cache.
 */
let stack: LocalStack;
let stores: ReturnType<typeof testStores>;

beforeAll(async () => {
  // No room cache: each read sees the room's purges and cutoff as just written.
  stack = await startLocalStack({ seed: false, settings: { ROOM_CACHE_TTL_MS: 0 } });
  stores = testStores(stack);
});
afterAll(async () => {
  await stack?.stop();
});

const MINUTE = 60_000;
type Doc = {
  comments: { id: string; userId: string }[];
  tombstones: { commentId: string }[];
  closed: boolean;
};
const ids = (doc: Doc) => doc.comments.map((c) => c.id);

/** Through the edge (cached as a closed segment is in CloudFront). */
async function viaEdge(path: string): Promise<Doc> {
  const res = await fetch(`${stack.edgeUrl}${path}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Doc;
}

/** Straight to the origin, past the edge cache. */
async function viaOrigin(path: string): Promise<Doc> {
  const res = await fetch(`${stack.apiUrl}${path}`, {
    headers: { [stack.origin.header.name]: stack.origin.header.value },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Doc;
}

/** A room created 10 minutes ago with three comments in one segment 9 minutes ago; then archived. */
async function archivedRoom() {
  const now = Date.now();
  const room = await stores.room({ createdAt: new Date(now - 10 * MINUTE) });
  const at = now - 9 * MINUTE;
  const n = segmentOf(at, room.settings.segmentSeconds);
  const start = n * room.settings.segmentSeconds * 1000;
  const items = [
    await seedComment(stores, room, start + 1_000),
    await seedComment(stores, room, start + 2_000),
    await seedComment(stores, room, start + 3_000),
  ];
  const path = `/v1/rooms/${room.roomId}/segments/${n}`;
  return { room, n, items, path };
}

/** Deletes a room's items from the comment table, as its TTL would. */
async function expire(room: Room, items: { id: string }[]) {
  for (const item of items) {
    await stores.doc.send(
      new DeleteCommand({
        TableName: stack.tables.comments,
        Key: { pk: commentPartition(room.roomId, 0), sk: item.id },
      }),
    );
  }
}

describe('the segment archive', () => {
  it('writes each closed segment once as the served document and serves it after its items expired', async () => {
    // Prepare
    const { room, n, items, path } = await archivedRoom();
    const fromTable = await viaOrigin(path);

    // Act
    const run = await stack.archive.runNow();
    await expire(room, items);

    // Assess: the object is the document the route served; the route still serves it, edge and origin.
    expect(run.objects).toBeGreaterThanOrEqual(1);
    expect((await stores.rooms.get(room.roomId))?.archivedThrough).toBeGreaterThan(n);
    expect(await stores.commentItems(room.roomId, 1)).toEqual([]);
    // The object is the served document less `vpos`, which is computed when served (ADR 0040).
    const object = await localSegmentArchive(stack.archive).get(room.roomId, n);
    const comments = (fromTable.comments as { vpos?: number }[]).map(({ vpos: _vpos, ...item }) => item);
    expect(object).toEqual({ ...fromTable, comments });
    expect(await viaOrigin(path)).toEqual(fromTable);
    expect(ids(await viaOrigin(path))).toEqual(items.map((c) => c.id));
    expect(ids(await viaEdge(path))).toEqual(items.map((c) => c.id));
  });

  it('lets a deletion after archiving reach the object and the edge’s cached copy, also once the item expired', async () => {
    // Prepare: archived, cached at the edge, then expired from the table.
    const { room, n, items, path } = await archivedRoom();
    await stack.archive.runNow();
    expect(ids(await viaEdge(path))).toHaveLength(3);
    await expire(room, [items[1]!]);
    const admin = localAdmin(stack);

    // Act: one still in the table, one only in the archive.
    const first = await admin<{ outcome: string }>(
      'DELETE',
      `/rooms/${room.roomId}/comments/${items[0]!.id}`,
    );
    const second = await admin<{ outcome: string }>(
      'DELETE',
      `/rooms/${room.roomId}/comments/${items[1]!.id}`,
    );

    // Assess
    expect([first.outcome, second.outcome]).toEqual(['deleted', 'deleted']);
    expect(ids((await localSegmentArchive(stack.archive).get(room.roomId, n))!)).toEqual([items[2]!.id]);
    expect(ids(await viaEdge(path))).toEqual([items[2]!.id]);
  });

  it('hides a user purged after archiving, through the edge', async () => {
    const { room, items, path } = await archivedRoom();
    await stack.archive.runNow();
    expect(ids(await viaEdge(path))).toHaveLength(3);

    await localAdmin(stack)('POST', `/rooms/${room.roomId}/purges`, { userId: items[0]!.userId });

    expect(ids(await viaEdge(path))).toEqual([items[1]!.id, items[2]!.id]);
  });

  it('hides items below the view cutoff in archived and table-served segments, while live shows them', async () => {
    // Prepare: an archived segment, and a comment in the open segment (read from the table) and in `live`.
    const { room, items, path } = await archivedRoom();
    await stack.archive.runNow();
    const fresh = await seedComment(stores, room, Date.now());
    const current = segmentOf(Date.parse(fresh.createdAt), room.settings.segmentSeconds);
    const cutoff = lowestIdAt(Date.now() + MINUTE);
    await stores.doc.send(
      new UpdateCommand({
        TableName: stack.tables.control,
        Key: roomKey(room.roomId),
        UpdateExpression: 'SET viewCutoff = :cutoff',
        ExpressionAttributeValues: { ':cutoff': { id: cutoff, computedAt: new Date().toISOString() } },
      }),
    );
    const livePath = `/v1/rooms/${room.roomId}/live`;

    // Act
    const archived = await viaOrigin(path);
    const fromTable = await viaOrigin(`/v1/rooms/${room.roomId}/segments/${current}`);
    let live = await viaOrigin(livePath);
    for (let i = 0; i < 40 && !ids(live).includes(fresh.id); i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      live = await viaOrigin(livePath);
    }

    // Assess
    expect((await stores.rooms.get(room.roomId))?.archivedThrough).toBeLessThanOrEqual(current);
    expect(items).toHaveLength(3);
    expect(archived.comments).toEqual([]);
    expect(fromTable.closed).toBe(false);
    expect(fromTable.comments).toEqual([]);
    expect(ids(live)).toContain(fresh.id);
  });
});
