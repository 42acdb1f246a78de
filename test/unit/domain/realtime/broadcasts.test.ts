import { describe, expect, it } from 'vitest';
import { sendArtistMessage, sendNotice } from '../../../../lambdas/domain/realtime/broadcasts.js';
import type { FeedEventDeps } from '../../../../lambdas/domain/realtime/feed-events.js';
import { getLive } from '../../../../lambdas/domain/feed/read-feed.js';
import type { Principal, Role } from '../../../../lambdas/domain/access/roles.js';
import type { RoomEvent } from '../../../../lambdas/domain/realtime/room-event.js';
import { aRoom, InMemoryComments, InMemoryRooms, manualClock, rejection } from '../../fakes.js';

/**
 * The admin API's broadcasts in memory — notices to every room ("*") among
 * them, which integration tests never send (they would reach every room).
 */
function principal(roles: Role[], channels: string[] = []): Principal {
  return {
    userId: `${roles.join('-') || 'none'}-1`,
    displayName: 'Someone',
    roles: new Set(roles),
    channels: new Set(channels),
  };
}
const operator = principal(['operator']);

function setup() {
  const start = Date.UTC(2030, 0, 1, 12);
  const rooms = [
    { ...aRoom({ roomId: 'r1', createdAt: new Date(start - 60_000) }), channelId: 'ch-1' },
    { ...aRoom({ roomId: 'r2', createdAt: new Date(start - 60_000) }), channelId: 'ch-2' },
  ];
  const roomStore = new InMemoryRooms(...rooms);
  const comments = new InMemoryComments();
  const published: RoomEvent[] = [];
  const clock = manualClock(start);
  const deps: FeedEventDeps = {
    rooms: roomStore,
    feed: comments,
    publisher: { publish: async (e) => void published.push(e) },
    clock,
    retentionDays: 30,
  };
  const read = { rooms: roomStore, comments, clock, liveLimit: 50 };
  return { deps, read, published, comments, roomStore, start };
}

describe('sendNotice', () => {
  it('sends a notice to every room, kept in the global feed every room’s live merges, with its display time', async () => {
    const { deps, read, published, start } = setup();

    const { value: item, channelId } = await sendNotice(deps, operator, {
      roomId: '*',
      level: 'critical',
      text: 'Maintenance at 13:00',
      displaySeconds: 600,
    });

    expect(channelId).toBeUndefined();
    expect(item).toMatchObject({
      roomId: '*',
      kind: 'notice',
      level: 'critical',
      userId: operator.userId,
      displayUntil: new Date(start + 600_000).toISOString(),
    });
    for (const roomId of ['r1', 'r2']) {
      expect((await getLive(read, roomId)).comments).toEqual([{ ...item, vpos: expect.any(Number) }]);
    }
    expect(published).toEqual([
      expect.objectContaining({
        roomId: '*',
        kind: 'NOTICE',
        payload: {
          itemId: item.id,
          level: 'critical',
          text: 'Maintenance at 13:00',
          displayUntil: item.displayUntil,
        },
      }),
    ]);
  });

  it.each([
    ['a moderator', principal(['moderator'], ['ch-1'])],
    ['an artist', principal(['artist'], ['ch-1'])],
    ['a user in no group', principal([])],
  ])('refuses %s a notice to every room, storing and pushing nothing', async (_, who) => {
    const { deps, comments, published } = setup();

    const error = await rejection(sendNotice(deps, who, { roomId: '*', level: 'info', text: 'hi' }));

    expect(error.status).toBe(403);
    expect(comments.stored('*')).toEqual([]);
    expect(published).toEqual([]);
  });

  it('refuses a display time out of range before storing anything', async () => {
    const { deps, comments } = setup();

    for (const displaySeconds of [0, 86_401, 2.5]) {
      const error = await rejection(
        sendNotice(deps, operator, { roomId: '*', level: 'info', text: 'hi', displaySeconds }),
      );
      expect(error.status).toBe(400);
    }
    expect(comments.stored('*')).toEqual([]);
  });

  it('reads the room once, and names its channel for the audit log', async () => {
    const { deps, roomStore } = setup();

    const { channelId } = await sendNotice(deps, operator, { roomId: 'r2', level: 'info', text: 'hi' });

    expect(channelId).toBe('ch-2');
    expect(roomStore.reads).toEqual(['r2']);
  });
});

describe('sendArtistMessage', () => {
  it('posts as the artist, to a room of the artist’s channel only', async () => {
    const { deps, read, roomStore } = setup();
    const artist = principal(['artist'], ['ch-1']);

    const { value: item, channelId } = await sendArtistMessage(deps, artist, 'r1', 'Hello!');

    expect(item).toMatchObject({ kind: 'artist_message', userId: artist.userId, displayName: 'Someone' });
    expect(channelId).toBe('ch-1');
    expect(roomStore.reads).toEqual(['r1']);
    expect((await getLive(read, 'r1')).comments).toEqual([{ ...item, vpos: expect.any(Number) }]);
    expect((await rejection(sendArtistMessage(deps, artist, 'r2', 'Hello!'))).status).toBe(403);
  });

  it('refuses an operator: the message would speak as the artist', async () => {
    const { deps, comments } = setup();

    const error = await rejection(sendArtistMessage(deps, operator, 'r1', 'Hello!'));

    expect(error.status).toBe(403);
    expect(comments.stored('r1')).toEqual([]);
  });
});
