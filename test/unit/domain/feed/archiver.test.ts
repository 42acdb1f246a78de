import { describe, expect, it } from 'vitest';
import {
  archiveRoom,
  closedBefore,
  planArchive,
  runArchiver,
  type ArchiverDeps,
} from '../../../../lambdas/domain/feed/archiver.js';
import type { CommentReader } from '../../../../lambdas/domain/feed/ports.js';
import { getSegment } from '../../../../lambdas/domain/feed/read-feed.js';
import {
  SEGMENT_CLOSE_GRACE_MS,
  segmentBounds,
  segmentOf,
} from '../../../../lambdas/domain/feed/segments.js';
import { GLOBAL_ROOM_ID } from '../../../../lambdas/domain/paths.js';
import type { Room } from '../../../../lambdas/domain/rooms/room.js';
import { ArchiverRooms, InMemoryArchive } from '../../archive-fakes.js';
import { aComment, aRoom, InMemoryComments, manualClock } from '../../fakes.js';

const CREATED = Date.UTC(2030, 0, 1, 12, 0, 0);
const SECONDS = 10;
const FIRST = segmentOf(CREATED, SECONDS);
const startOf = (n: number) => segmentBounds(n, SECONDS).startMs;
/** The moment segment `n` closes. */
const closesAt = (n: number) => segmentBounds(n, SECONDS).endMs + SEGMENT_CLOSE_GRACE_MS;

const room = (overrides: Partial<Room> = {}): Room => ({
  ...aRoom({ createdAt: new Date(CREATED), settings: { segmentSeconds: SECONDS } }),
  ...overrides,
});

function setup(nowMs: number, rooms: Room[] = [room()], options: Partial<ArchiverDeps> = {}) {
  const store = new ArchiverRooms(...rooms);
  const comments = new InMemoryComments();
  const archive = new InMemoryArchive();
  const clock = manualClock(nowMs);
  const deps: ArchiverDeps = { rooms: store, comments, archive, clock, ...options };
  return { store, comments, archive, clock, deps };
}

describe('planArchive', () => {
  it('plans from the room’s first segment up to the newest closed one, in bounded steps', () => {
    // Prepare: segments FIRST … FIRST + 69 are closed, FIRST + 70 is not yet.
    const nowMs = closesAt(FIRST + 69);

    // Act
    const steps = planArchive(room(), nowMs, 30, 1_000);

    // Assess
    expect(closedBefore(nowMs, SECONDS)).toBe(FIRST + 70);
    expect(steps).toEqual([
      { from: FIRST, to: FIRST + 30 },
      { from: FIRST + 30, to: FIRST + 60 },
      { from: FIRST + 60, to: FIRST + 70 },
    ]);
  });

  it('starts at the watermark and stops at the run’s limit', () => {
    const steps = planArchive(room({ archivedThrough: FIRST + 100 }), closesAt(FIRST + 10_000), 30, 45);

    expect(steps).toEqual([
      { from: FIRST + 100, to: FIRST + 130 },
      { from: FIRST + 130, to: FIRST + 145 },
    ]);
  });

  it('plans nothing while the next segment is still open', () => {
    // One millisecond before segment FIRST + 5 closes, FIRST … FIRST + 4 are archived already.
    expect(planArchive(room({ archivedThrough: FIRST + 5 }), closesAt(FIRST + 5) - 1)).toEqual([]);
  });
});

describe('archiveRoom', () => {
  it('writes one object per non-empty segment, the served document, and moves the watermark', async () => {
    // Prepare: items in segments FIRST and FIRST + 2, a global notice in FIRST + 2, FIRST + 1 empty.
    const { comments, archive, store, deps } = setup(closesAt(FIRST + 2));
    const r = room();
    const a = comments.seed(aComment(r.roomId, startOf(FIRST) + 1_000));
    const b = comments.seed(aComment(r.roomId, startOf(FIRST + 2) + 1_000), 0);
    const notice = comments.seed(aComment(GLOBAL_ROOM_ID, startOf(FIRST + 2) + 2_000, { kind: 'notice' }));
    const served = await getSegment(
      { rooms: store, comments, clock: deps.clock, liveLimit: 50 },
      r.roomId,
      String(FIRST + 2),
    );

    // Act
    const done = await archiveRoom(deps, r);

    // Assess
    expect(done).toEqual({ segments: 3, objects: 2, stale: false });
    expect(archive.ids(r.roomId, FIRST)).toEqual([a.id]);
    expect(archive.ids(r.roomId, FIRST + 1)).toBeUndefined();
    expect(archive.ids(r.roomId, FIRST + 2)).toEqual([b.id, notice.id]);
    // The object is the served document less `vpos`, which is computed when served (ADR 0040).
    expect(served.state).toBe('closed');
    const document = served.state === 'closed' ? served.document : undefined;
    expect({
      ...document,
      comments: document?.comments.map(({ vpos: _vpos, ...item }) => item),
    }).toEqual(archive.objects.get(`${r.roomId}/${FIRST + 2}`));
    expect((await store.get(r.roomId))?.archivedThrough).toBe(FIRST + 3);
  });

  it('leaves deleted items out and keeps each tombstone in the segment of its deletion', async () => {
    const { comments, archive, deps } = setup(closesAt(FIRST + 1));
    const r = room();
    const gone = comments.seed(aComment(r.roomId, startOf(FIRST) + 1_000));
    const kept = comments.seed(aComment(r.roomId, startOf(FIRST) + 2_000));
    await comments.markDeleted(r.roomId, 1, gone.id, {
      id: aComment(r.roomId, startOf(FIRST + 1) + 500).id,
      deletedAt: new Date(startOf(FIRST + 1) + 500).toISOString(),
    });

    await archiveRoom(deps, r);

    expect(archive.ids(r.roomId, FIRST)).toEqual([kept.id]);
    expect(archive.objects.get(`${r.roomId}/${FIRST + 1}`)?.tombstones).toEqual([
      { commentId: gone.id, deletedAt: new Date(startOf(FIRST + 1) + 500).toISOString() },
    ]);
  });

  it('rewrites a segment whose item was deleted between its read and its write', async () => {
    // Prepare: the first read sees the item; a deletion lands before the second read.
    const { comments, archive, deps } = setup(closesAt(FIRST));
    const r = room();
    const item = comments.seed(aComment(r.roomId, startOf(FIRST) + 1_000));
    let reads = 0;
    const racing: CommentReader = {
      newest: (...args) => comments.newest(...args),
      range: async (...args) => {
        const out = await comments.range(...args);
        if (args[0] === r.roomId && ++reads === 1) {
          await comments.markDeleted(r.roomId, 1, item.id, {
            id: aComment(r.roomId, closesAt(FIRST)).id,
            deletedAt: new Date(closesAt(FIRST)).toISOString(),
          });
        }
        return out;
      },
    };

    // Act
    await archiveRoom({ ...deps, comments: racing }, r);

    // Assess: written with the item, then rewritten without it.
    expect(archive.puts.map((p) => p.segment)).toEqual([FIRST, FIRST]);
    expect(archive.ids(r.roomId, FIRST)).toEqual([]);
  });

  it('is idempotent: a repeated run writes nothing new and a stale watermark stops the room', async () => {
    const { comments, archive, store, deps } = setup(closesAt(FIRST + 1));
    const r = room();
    comments.seed(aComment(r.roomId, startOf(FIRST) + 1_000));
    await archiveRoom(deps, r);
    const writes = archive.puts.length;

    // Act: the same run again, with the room as it was read before the first run (a retry).
    const again = await archiveRoom(deps, r);
    const fresh = await archiveRoom(deps, (await store.get(r.roomId))!);

    // Assess
    expect(again).toEqual({ segments: 0, objects: 1, stale: true });
    expect(fresh).toEqual({ segments: 0, objects: 0, stale: false });
    expect(archive.puts.length).toBe(writes + 1); // the retry rewrote the same object once
    expect((await store.get(r.roomId))?.archivedThrough).toBe(FIRST + 2);
  });
});

describe('runArchiver', () => {
  it('archives every room’s due segments, page by page', async () => {
    const rooms = Array.from({ length: 130 }, (_, i) => room({ roomId: `room-${i}` }));
    const { comments, archive, store, deps } = setup(closesAt(FIRST), rooms);
    comments.seed(aComment('room-129', startOf(FIRST) + 1));

    const run = await runArchiver(deps);

    expect(run).toEqual({ rooms: 130, segments: 130, objects: 1, stale: 0 });
    expect(archive.ids('room-129', FIRST)).toHaveLength(1);
    expect((await store.get('room-0'))?.archivedThrough).toBe(FIRST + 1);
  });
});
