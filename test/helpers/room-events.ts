import { ulid } from 'ulid';
import type { RoomEvent } from '../../lambdas/domain/realtime/room-event.js';

/** One valid event of every kind, for `roomId`: what the server's schema accepts. */
export function eventsOfEveryKind(roomId: string): RoomEvent[] {
  const time = new Date().toISOString();
  const until = new Date(Date.now() + 3_600_000).toISOString();
  const event = <K extends RoomEvent['kind']>(kind: K, payload: RoomEvent<K>['payload']): RoomEvent =>
    ({ id: ulid(), roomId, kind, time, payload }) as RoomEvent;
  return [
    event('ARTIST_MESSAGE', {
      itemId: ulid(),
      artistId: 'artist-1',
      displayName: 'Mika',
      text: 'Thank you all!',
    }),
    event('NOTICE', {
      itemId: ulid(),
      level: 'warning',
      text: 'Doors close in 5 minutes',
      displayUntil: until,
    }),
    event('COMMENT_DELETED', { commentId: ulid() }),
    event('USER_BANNED', { userId: 'viewer-9', scope: 'room', until }),
    event('USER_UNBANNED', { userId: 'viewer-9', scope: 'channel' }),
    event('COMMENTS_PURGED', { userId: 'viewer-9', before: time }),
    event('SETTINGS_CHANGED', {
      settings: {
        slowModeSeconds: 5,
        maxCommentLength: 140,
        pollIntervalSeconds: 3,
        segmentSeconds: 10,
        enabled: true,
        postingAllowed: 'everyone',
        commentStyles: ['gold', 'sakura'],
      },
      version: 2,
      status: 'open',
    }),
    event('PING', { nonce: ulid() }),
  ];
}

/** The event as the wire carries it: `payload` as AWSJSON. */
export const wireEvent = (event: RoomEvent) => ({ ...event, payload: JSON.stringify(event.payload) });
