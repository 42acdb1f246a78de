import { describe, expect, it } from 'vitest';
import { archiveRoom } from '../../../../lambdas/domain/feed/archiver.js';
import { getLive, getSegment, type ReadFeedDeps } from '../../../../lambdas/domain/feed/read-feed.js';
import {
  SEGMENT_CLOSE_GRACE_MS,
  segmentBounds,
  segmentOf,
} from '../../../../lambdas/domain/feed/segments.js';
import { deleteComment, type FeedEventDeps } from '../../../../lambdas/domain/realtime/feed-events.js';
import type { RoomEvent } from '../../../../lambdas/domain/realtime/room-event.js';
import { ArchiverRooms, InMemoryArchive } from '../../archive-fakes.js';
import { aComment, aRoom, InMemoryComments, manualClock, rejection } from '../../fakes.js';

const CREATED = Date.UTC(2030, 0, 1, 12, 0, 0);
const SECONDS = 10;
const FIRST = segmentOf(CREATED, SECONDS);
const startOf = (n: number) => segmentBounds(n, SECONDS).startMs;
const closesAt = (n: number) => segmentBounds(n, SECONDS).endMs + SEGMENT_CLOSE_GRACE_MS;

/** A room with items in segments FIRST and FIRST + 1, both archived; the table then emptied (TTL). */
async function archivedRoom() {
  const room = aRoom({
    createdAt: new Date(CREATED),
    settings: { segmentSeconds: SECONDS, pollIntervalSeconds: 2 },
  });
  const rooms = new ArchiverRooms(room);
  const table = new InMemoryComments();
  const archive = new InMemoryArchive();
  const clock = manualClock(closesAt(FIRST + 1));
  const early = table.seed(aComment(room.roomId, startOf(FIRST) + 1_000, { userId: 'u-early' }));
  const late = table.seed(aComment(room.roomId, startOf(FIRST) + 5_000, { userId: 'u-late' }));
  const next = table.seed(aComment(room.roomId, startOf(FIRST + 1) + 1_000, { userId: 'u-late' }));
  await archiveRoom({ rooms, comments: table, archive, clock }, room);
  const expired = new InMemoryComments();
  const read: ReadFeedDeps = { rooms, comments: expired, archive, clock, liveLimit: 50 };
  const current = async () => (await rooms.get(room.roomId))!;
  const segment = async (n: number) => {
    const result = await getSegment(read, room.roomId, String(n));
    if (result.state === 'future') throw new Error('future');
    return result.document;
  };
  return { room, rooms, table, expired, archive, clock, read, current, segment, early, late, next };
}

const ids = (items: { id: string }[]) => items.map((c) => c.id);

describe('an archived segment', () => {
  it('is served from the archive without a table read after its items expired', async () => {
    const { expired, segment, early, late, archive } = await archivedRoom();

    const document = await segment(FIRST);

    expect(ids(document.comments)).toEqual([early.id, late.id]);
    expect(document.closed).toBe(true);
    expect(expired.queries).toEqual([]);
    expect(archive.gets).toBe(1);
  });

  it('reads as empty when the archived range has no object for it', async () => {
    const { rooms, current, segment, clock } = await archivedRoom();
    clock.set(closesAt(FIRST + 5));
    rooms.put({ ...(await current()), archivedThrough: FIRST + 5 });

    expect((await segment(FIRST + 3)).comments).toEqual([]);
  });

  it('hides a purged user’s items at read time', async () => {
    const { rooms, current, segment, early } = await archivedRoom();
    rooms.put({ ...(await current()), purges: { 'u-late': new Date(closesAt(FIRST + 1)).toISOString() } });

    expect(ids((await segment(FIRST)).comments)).toEqual([early.id]);
    expect((await segment(FIRST + 1)).comments).toEqual([]);
  });

  it('hides items below the view cutoff, archived or not, while live still shows them', async () => {
    // Prepare: the cutoff at `late`; a new item in the open segment, below the cutoff too.
    const { rooms, current, segment, late, next, clock, read, expired, room } = await archivedRoom();
    const fresh = expired.seed(aComment(room.roomId, clock() - 2_000));
    rooms.put({
      ...(await current()),
      viewCutoff: { id: aComment(room.roomId, clock()).id, computedAt: new Date(clock()).toISOString() },
    });
    const cutAtLate = {
      ...(await current()),
      viewCutoff: { id: late.id, computedAt: new Date(clock()).toISOString() },
    };

    // Act
    const everythingHidden = await segment(segmentOf(clock() - 2_000, SECONDS));
    const liveDocument = await getLive(read, room.roomId);
    rooms.put(cutAtLate);
    const archivedPart = await segment(FIRST);
    const archivedNext = await segment(FIRST + 1);

    // Assess
    expect(everythingHidden.comments).toEqual([]);
    expect(ids(liveDocument.comments)).toEqual([fresh.id]);
    expect(ids(archivedPart.comments)).toEqual([late.id]);
    expect(ids(archivedNext.comments)).toEqual([next.id]);
  });
});

describe('deleting an archived item', () => {
  function deleteDeps(setup: Awaited<ReturnType<typeof archivedRoom>>, comments: InMemoryComments) {
    const published: RoomEvent[] = [];
    const invalidated: string[][] = [];
    const deps: FeedEventDeps = {
      rooms: setup.rooms,
      feed: comments,
      archive: setup.archive,
      edge: { invalidate: async (paths) => void invalidated.push([...paths]) },
      publisher: { publish: async (e) => void published.push(e) },
      clock: setup.clock,
      retentionDays: 30,
    };
    return { deps, published, invalidated };
  }

  it('rewrites the object without the item while the item is still in the table', async () => {
    const setup = await archivedRoom();
    const { deps, published, invalidated } = deleteDeps(setup, setup.table);

    const result = await deleteComment(deps, setup.room.roomId, setup.early.id);

    expect(result.value).toBe('deleted');
    expect(setup.archive.ids(setup.room.roomId, FIRST)).toEqual([setup.late.id]);
    expect(published.map((e) => e.kind)).toEqual(['COMMENT_DELETED']);
    expect(invalidated).toEqual([[`/v1/rooms/${setup.room.roomId}/segments/${FIRST}`]]);
  });

  it('finds an item that expired from the table in the archive, by its id’s time', async () => {
    const setup = await archivedRoom();
    const { deps, invalidated } = deleteDeps(setup, setup.expired);

    const result = await deleteComment(deps, setup.room.roomId, setup.late.id);

    expect(result.value).toBe('deleted');
    expect(ids((await setup.segment(FIRST)).comments)).toEqual([setup.early.id]);
    expect(invalidated).toHaveLength(1);
  });

  it('still answers 404 for an id in neither the table nor the archive', async () => {
    const setup = await archivedRoom();
    const { deps } = deleteDeps(setup, setup.expired);

    const error = await rejection(
      deleteComment(deps, setup.room.roomId, aComment(setup.room.roomId, startOf(FIRST) + 2_000).id),
    );

    expect(error.status).toBe(404);
  });

  it('fixes the object on a retry after the table write succeeded, without a second push', async () => {
    const setup = await archivedRoom();
    const { deps, published } = deleteDeps(setup, setup.table);
    await deleteComment({ ...deps, archive: undefined }, setup.room.roomId, setup.early.id);

    const retry = await deleteComment(deps, setup.room.roomId, setup.early.id);

    expect(retry.value).toBe('already-deleted');
    expect(setup.archive.ids(setup.room.roomId, FIRST)).toEqual([setup.late.id]);
    expect(published).toHaveLength(1);
  });
});
