import { describe, expect, it } from 'vitest';
import {
  deleteComment,
  postNotice,
  type FeedEventDeps,
} from '../../../../lambdas/domain/realtime/feed-events.js';
import type { RealtimePublisher } from '../../../../lambdas/domain/realtime/ports.js';
import { getLive, getSegment } from '../../../../lambdas/domain/feed/read-feed.js';
import type { RoomEvent } from '../../../../lambdas/domain/realtime/room-event.js';
import { segmentOf } from '../../../../lambdas/domain/feed/segments.js';
import { aComment, aRoom, InMemoryComments, InMemoryRooms, manualClock } from '../../fakes.js';
import { eventStartMs, vposOf } from '../../../../lambdas/domain/feed/vpos.js';

/**
 * Global notices reach every room, so they are tested here, in memory, where
 * they cannot leak into other tests' rooms; the DynamoDB side of the feed
 * events is in test/integration/feed-events.test.ts.
 */
function setup() {
  const start = Date.now();
  const rooms = [
    aRoom({ createdAt: new Date(start - 60_000) }),
    aRoom({ createdAt: new Date(start - 60_000) }),
  ];
  const comments = new InMemoryComments();
  const published: RoomEvent[] = [];
  const publisher: RealtimePublisher = { publish: async (e) => void published.push(e) };
  const clock = manualClock(start);
  const deps: FeedEventDeps = {
    rooms: new InMemoryRooms(...rooms),
    feed: comments,
    publisher,
    clock,
    retentionDays: 30,
  };
  const read = { rooms: deps.rooms, comments, clock, liveLimit: 50 };
  return { rooms, comments, published, deps, read };
}

describe('a global notice', () => {
  it('appears in the live document and the segment of every room, and is pushed once with roomId "*"', async () => {
    const { rooms, deps, read, published } = setup();

    const { value: notice } = await postNotice(
      deps,
      '*',
      { userId: 'op', displayName: 'Ops' },
      'critical',
      'Fire drill',
    );

    for (const room of rooms) {
      // Each room times it from its own start (ADR 0040).
      const served = { ...notice, vpos: vposOf(notice.createdAt, eventStartMs(room)) };
      expect((await getLive(read, room.roomId)).comments).toEqual([served]);
      const segment = await getSegment(
        read,
        room.roomId,
        String(segmentOf(Date.parse(notice.createdAt), 10)),
      );
      expect(segment.state === 'future' ? [] : segment.document.comments).toEqual([served]);
    }
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ roomId: '*', kind: 'NOTICE', payload: { level: 'critical' } });
  });

  it('does not need a room called "*"', async () => {
    const { deps } = setup();

    await expect(
      postNotice(deps, '*', { userId: 'op', displayName: 'Ops' }, 'info', 'hi'),
    ).resolves.toBeDefined();
  });
});

describe('a deleted comment', () => {
  it('leaves live and its segment, and its tombstone stays in live’s window', async () => {
    const { rooms, comments, deps, read } = setup();
    const room = rooms[0]!;
    const comment = comments.seed(aComment(room.roomId, Date.now() - 100));

    await deleteComment(deps, room.roomId, comment.id);

    const live = await getLive(read, room.roomId);
    expect(live.comments).toEqual([]);
    expect(live.tombstones).toEqual([{ commentId: comment.id, deletedAt: expect.any(String) }]);
    const segment = await getSegment(read, room.roomId, String(segmentOf(Date.parse(comment.createdAt), 10)));
    expect(segment.state === 'future' ? [] : segment.document.comments).toEqual([]);
  });

  describe('a banned user’s comments', () => {
    it('are hidden from live and segments while the ban lasts, artist messages under the same id are not', async () => {
      const { rooms, comments, read } = setup();
      const room = rooms[0]!;
      const now = Date.now();
      const troll = comments.seed(aComment(room.roomId, now - 200, { userId: 'troll' }));
      const other = comments.seed(aComment(room.roomId, now - 100));
      const announcement = comments.seed(
        aComment(room.roomId, now - 50, { userId: 'troll', kind: 'artist_message' }),
      );
      const banned = {
        ...room,
        bans: {
          troll: { bannedAt: new Date(now).toISOString(), until: new Date(now + 2_000).toISOString() },
        },
      };
      (read.rooms as InMemoryRooms).put(banned);

      const live = await getLive(read, room.roomId);
      const segment = await getSegment(read, room.roomId, String(segmentOf(now - 200, 10)));
      // Past the ban, with the comments still inside `live`'s window (P + 1.5 s back at least).
      read.clock.set(now + 2_001);
      const afterBan = await getLive(read, room.roomId);

      expect(live.comments.map((c) => c.id)).toEqual([other.id, announcement.id]);
      expect(segment.state === 'future' ? [] : segment.document.comments.map((c) => c.id)).not.toContain(
        troll.id,
      );
      expect(afterBan.comments.map((c) => c.id)).toContain(troll.id);
    });
  });
});

describe('deleting from an earlier segment', () => {
  function withEdge(failing = false) {
    const context = setup();
    const invalidated: { paths: readonly string[]; reference: string }[] = [];
    const failures: (readonly string[])[] = [];
    const deps = {
      ...context.deps,
      edge: {
        invalidate: async (paths: readonly string[], reference: string) => {
          if (failing) throw new Error('CloudFront unreachable');
          invalidated.push({ paths, reference });
        },
      },
      onInvalidateFailed: (paths: readonly string[]) => void failures.push(paths),
    };
    return { ...context, deps, invalidated, failures };
  }

  it('invalidates that segment at the CDN, with the tombstone id as the reference', async () => {
    const { rooms, comments, deps, invalidated, published } = withEdge();
    const room = rooms[0]!;
    const old = comments.seed(aComment(room.roomId, Date.now() - 30_000));

    await deleteComment(deps, room.roomId, old.id);

    const n = segmentOf(Date.parse(old.createdAt), 10);
    expect(invalidated).toEqual([
      { paths: [`/v1/rooms/${room.roomId}/segments/${n}`], reference: published[0]!.id },
    ]);
  });

  it('leaves the current segment alone: its short cache heals by itself', async () => {
    const { rooms, comments, deps, invalidated } = withEdge();
    const room = rooms[0]!;
    const now = comments.seed(aComment(room.roomId, Date.now()));

    await deleteComment(deps, room.roomId, now.id);

    expect(invalidated).toEqual([]);
  });

  it('reports a failed invalidation and still deletes', async () => {
    const { rooms, comments, deps, failures, read } = withEdge(true);
    const room = rooms[0]!;
    const old = comments.seed(aComment(room.roomId, Date.now() - 30_000));

    const result = await deleteComment(deps, room.roomId, old.id);

    expect(result.value).toBe('deleted');
    expect(failures).toHaveLength(1);
    const segment = await getSegment(read, room.roomId, String(segmentOf(Date.parse(old.createdAt), 10)));
    expect(segment.state === 'future' ? ['?'] : segment.document.comments).toEqual([]);
  });
});
