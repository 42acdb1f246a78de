import { describe, expect, it } from 'vitest';
import { GLOBAL_ROOM_ID } from '../../../../lambdas/domain/paths.js';
import {
  parseRoomEvent,
  readWireEvent,
  type RoomEvent,
} from '../../../../lambdas/domain/realtime/room-event.js';

const base = { id: '01JTESTEVENT0000000000000A', time: '2026-11-21T12:00:00.000Z' };

describe('parseRoomEvent', () => {
  it('accepts each kind with its own payload', () => {
    const events: RoomEvent[] = [
      {
        ...base,
        roomId: 'r1',
        kind: 'ARTIST_MESSAGE',
        payload: { itemId: 'i', artistId: 'a', displayName: 'A', text: 'hi' },
      },
      {
        ...base,
        roomId: GLOBAL_ROOM_ID,
        kind: 'NOTICE',
        payload: { itemId: 'n', level: 'critical', text: 'Evacuate' },
      },
      { ...base, roomId: 'r1', kind: 'COMMENT_DELETED', payload: { commentId: 'c' } },
      {
        ...base,
        roomId: 'r1',
        kind: 'USER_BANNED',
        payload: { userId: 'u', scope: 'room', until: base.time },
      },
      { ...base, roomId: 'r1', kind: 'USER_UNBANNED', payload: { userId: 'u', scope: 'channel' } },
      { ...base, roomId: 'r1', kind: 'PING', payload: { nonce: 'n-1' } },
    ];

    for (const event of events) expect(parseRoomEvent(event)).toEqual(event);
  });

  it('refuses a payload that belongs to another kind', () => {
    const wrong = {
      ...base,
      roomId: 'r1',
      kind: 'COMMENT_DELETED',
      payload: { nonce: 'n' },
    } as unknown as RoomEvent;

    expect(() => parseRoomEvent(wrong)).toThrow(/commentId/);
  });

  it('refuses unknown payload fields, bad room ids and bad times', () => {
    const ping = { ...base, roomId: 'r1', kind: 'PING' as const, payload: { nonce: 'n' } };

    expect(() => parseRoomEvent({ ...ping, payload: { nonce: 'n', extra: 1 } as never })).toThrow();
    expect(() => parseRoomEvent({ ...ping, roomId: 'room#1' })).toThrow(/room id/);
    expect(() => parseRoomEvent({ ...ping, time: 'yesterday' })).toThrow();
  });
});

describe('readWireEvent', () => {
  it('parses the AWSJSON payload against its kind', () => {
    const wire = { ...base, roomId: 'r1', kind: 'COMMENT_DELETED', payload: '{"commentId":"c-9"}' };

    expect(readWireEvent(wire)).toEqual({ ...wire, payload: { commentId: 'c-9' } });
  });

  it('refuses a payload that does not match its kind', () => {
    expect(() =>
      readWireEvent({ ...base, roomId: 'r1', kind: 'PING', payload: '{"commentId":"c"}' }),
    ).toThrow();
  });
});
