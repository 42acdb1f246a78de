import { describe, expect, it } from 'vitest';
import {
  deleteComment,
  postArtistMessage,
  postNotice,
  type FeedEventDeps,
} from '../../lambdas/domain/realtime/feed-events.js';
import type { RealtimePublisher } from '../../lambdas/domain/realtime/ports.js';
import { getLive, getSegment } from '../../lambdas/domain/feed/read-feed.js';
import type { RoomEvent } from '../../lambdas/domain/realtime/room-event.js';
import { segmentOf } from '../../lambdas/domain/feed/segments.js';
import { seedComment, testStores } from '../helpers/store.js';
import { eventStartMs, vposOf } from '../../lambdas/domain/feed/vpos.js';

const stores = testStores();

/** Records what would be pushed; can be told to fail like an unreachable AppSync. */
class RecordingPublisher implements RealtimePublisher {
  readonly events: RoomEvent[] = [];
  failing = false;
  async publish(event: RoomEvent): Promise<void> {
    if (this.failing) throw new Error('AppSync unreachable');
    this.events.push(event);
  }
}

function deps(clock: () => number = Date.now) {
  const publisher = new RecordingPublisher();
  const failures: RoomEvent[] = [];
  const feedDeps: FeedEventDeps = {
    rooms: stores.rooms,
    feed: stores.comments,
    publisher,
    clock,
    retentionDays: 30,
    onPublishFailed: (event) => failures.push(event),
  };
  const readDeps = { rooms: stores.rooms, comments: stores.comments, clock, liveLimit: 50 };
  return { feedDeps, readDeps, publisher, failures };
}

const artist = { userId: 'artist-1', displayName: 'The Band' };
const operator = { userId: 'op-1', displayName: 'Operator' };

describe('artist messages', () => {
  it('are stored in the feed, shown by live marked as artist messages, and pushed with the item id', async () => {
    const room = await stores.room({ shards: 2 });
    const { feedDeps, readDeps, publisher } = deps();

    const { value: item, pushed } = await postArtistMessage(
      feedDeps,
      room.roomId,
      artist,
      'Thank you Tokyo!',
    );

    expect(pushed).toBe(true);
    const live = await getLive(readDeps, room.roomId);
    expect(live.comments).toEqual([{ ...item, vpos: vposOf(item.createdAt, eventStartMs(room)) }]);
    expect(item).toMatchObject({ kind: 'artist_message', userId: 'artist-1', text: 'Thank you Tokyo!' });
    expect(publisher.events).toEqual([
      {
        id: item.id,
        roomId: room.roomId,
        kind: 'ARTIST_MESSAGE',
        time: item.createdAt,
        payload: { itemId: item.id, artistId: 'artist-1', displayName: 'The Band', text: 'Thank you Tokyo!' },
      },
    ]);
  });

  it('stay in the feed when the push fails, and the failure is reported', async () => {
    const room = await stores.room();
    const { feedDeps, readDeps, publisher, failures } = deps();
    publisher.failing = true;

    const { value: item, pushed } = await postArtistMessage(feedDeps, room.roomId, artist, 'Still here');

    expect(pushed).toBe(false);
    expect(failures.map((e) => e.id)).toEqual([item.id]);
    expect((await getLive(readDeps, room.roomId)).comments.map((c) => c.id)).toEqual([item.id]);
  });

  it('refuse an unknown room and store nothing', async () => {
    const { feedDeps, publisher } = deps();

    await expect(postArtistMessage(feedDeps, 'no-such-room', artist, 'hi')).rejects.toMatchObject({
      status: 404,
      code: 'room_not_found',
    });
    expect(publisher.events).toEqual([]);
  });
});

describe('notices', () => {
  it('to one room carry their level into the feed and the event', async () => {
    const room = await stores.room();
    const { feedDeps, readDeps, publisher } = deps();

    const { value: item } = await postNotice(feedDeps, room.roomId, operator, 'warning', 'Slow down, please');

    expect((await getLive(readDeps, room.roomId)).comments).toEqual([
      { ...item, vpos: vposOf(item.createdAt, eventStartMs(room)) },
    ]);
    expect(item).toMatchObject({ kind: 'notice', level: 'warning' });
    expect(publisher.events[0]).toMatchObject({
      roomId: room.roomId,
      kind: 'NOTICE',
      payload: { itemId: item.id, level: 'warning', text: 'Slow down, please' },
    });
  });
});

describe('deleting a comment', () => {
  it('removes it from live and its segment, leaves a tombstone in live, and pushes the deletion', async () => {
    const room = await stores.room({ shards: 4, createdAt: new Date(Date.now() - 60_000) });
    const kept = await seedComment(stores, room, Date.now() - 500, 0);
    const doomed = await seedComment(stores, room, Date.now() - 400, 3);
    const { feedDeps, readDeps, publisher } = deps();

    const { value, pushed } = await deleteComment(feedDeps, room.roomId, doomed.id);

    expect([value, pushed]).toEqual(['deleted', true]);
    const live = await getLive(readDeps, room.roomId);
    expect(live.comments.map((c) => c.id)).toEqual([kept.id]);
    expect(live.tombstones).toEqual([{ commentId: doomed.id, deletedAt: publisher.events[0]!.time }]);
    const segment = await getSegment(
      readDeps,
      room.roomId,
      String(segmentOf(Date.parse(doomed.createdAt), 10)),
    );
    expect(segment.state === 'future' ? [] : segment.document.comments.map((c) => c.id)).not.toContain(
      doomed.id,
    );
    expect(publisher.events).toEqual([
      expect.objectContaining({
        roomId: room.roomId,
        kind: 'COMMENT_DELETED',
        payload: { commentId: doomed.id },
      }),
    ]);
  });

  it('twice is harmless and pushes once', async () => {
    const room = await stores.room();
    const comment = await seedComment(stores, room, Date.now());
    const { feedDeps, readDeps, publisher } = deps();
    await deleteComment(feedDeps, room.roomId, comment.id);

    const again = await deleteComment(feedDeps, room.roomId, comment.id);

    expect(again).toEqual({ value: 'already-deleted', pushed: false });
    expect(publisher.events).toHaveLength(1);
    expect((await getLive(readDeps, room.roomId)).tombstones).toHaveLength(1);
  });

  it('answers 404 for a comment the room does not have, and pushes nothing', async () => {
    const room = await stores.room();
    const other = await stores.room();
    const elsewhere = await seedComment(stores, other, Date.now());
    const { feedDeps, publisher } = deps();

    await expect(deleteComment(feedDeps, room.roomId, elsewhere.id)).rejects.toMatchObject({
      status: 404,
      code: 'comment_not_found',
    });
    expect(publisher.events).toEqual([]);
  });
});
