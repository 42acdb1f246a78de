import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { connectRealtime, readRoomEvent } from '../../../client/realtime.js';
import type { WebSocketLike } from '../../../client/types.js';
import { readWireEvent } from '../../../lambdas/domain/realtime/room-event.js';
import { countingTimers, recorder, waitFor } from '../../helpers/realtime-protocol.js';
import { eventsOfEveryKind, wireEvent } from '../../helpers/room-events.js';

describe('readRoomEvent', () => {
  it('reads every kind the server’s schema accepts exactly as the server’s reader does', () => {
    const wires = [...eventsOfEveryKind('room-1'), ...eventsOfEveryKind('*')].map(wireEvent);

    const read = wires.map(readRoomEvent);

    expect(read).toEqual(wires.map(readWireEvent));
  });

  const [notice] = eventsOfEveryKind('room-1')
    .filter((e) => e.kind === 'NOTICE')
    .map(wireEvent);
  const settings = eventsOfEveryKind('room-1').find((e) => e.kind === 'SETTINGS_CHANGED')!;
  const withPayload = (payload: unknown) => ({ ...wireEvent(settings), payload: JSON.stringify(payload) });

  it.each([
    ['not an object', 'NOTICE'],
    ['null', null],
    ['an array', [notice]],
    ['an unknown kind', { ...notice, kind: 'FIREWORKS' }],
    ['a kind inherited from Object', { ...notice, kind: 'toString' }],
    ['no id', { ...notice, id: undefined }],
    ['a numeric roomId', { ...notice, roomId: 7 }],
    ['no time', { ...notice, time: undefined }],
    ['a payload that is not AWSJSON text', { ...notice, payload: { text: 'hi' } }],
    ['a payload that is not JSON', { ...notice, payload: '{"text":' }],
    ['a payload that is a JSON array', { ...notice, payload: '[]' }],
    [
      'a payload without a required field',
      { ...notice, payload: JSON.stringify({ itemId: 'i', level: 'info' }) },
    ],
    ['a required field of the wrong type', withPayload({ ...settings.payload, version: '2' })],
    ['settings that are null', withPayload({ ...settings.payload, settings: null })],
  ])('drops an event with %s', (_what, wire) => {
    expect(readRoomEvent(wire)).toBeUndefined();
  });
});

describe('connectRealtime without a usable WebSocket', () => {
  const original = (globalThis as { WebSocket?: unknown }).WebSocket;
  afterEach(() => {
    (globalThis as { WebSocket?: unknown }).WebSocket = original;
  });
  const endpoint = {
    graphqlUrl: 'https://api.example.test/graphql',
    realtimeUrl: 'wss://rt.example.test/graphql/realtime',
    apiKey: 'da2-x',
  };

  it('is off at once, with realtime_unavailable, when the runtime has no WebSocket', () => {
    delete (globalThis as { WebSocket?: unknown }).WebSocket;
    const recorded = recorder();
    const timers = countingTimers();

    const connection = connectRealtime({ endpoint, subscriptions: [], timers }, recorded.handlers);

    expect(recorded.states).toEqual(['off']);
    expect(recorded.errors).toEqual([
      { code: 'realtime_unavailable', message: expect.stringContaining('No WebSocket') },
    ]);
    expect(connection.state).toBe('off');
    expect(timers.pending()).toBe(0);
  });

  it('goes off with realtime_unavailable when the endpoint cannot be dialled', async () => {
    const recorded = recorder();
    const timers = countingTimers();

    const connection = connectRealtime(
      {
        endpoint: { ...endpoint, realtimeUrl: 'not a url' },
        subscriptions: [],
        WebSocket: NodeWebSocket as unknown as WebSocketLike,
        connectJitterMs: 0,
        timers,
      },
      recorded.handlers,
    );
    await waitFor(() => connection.state === 'off', 'off');

    expect(recorded.states).toEqual(['connecting', 'off']);
    expect(recorded.errors).toEqual([
      { code: 'realtime_unavailable', message: expect.stringContaining('Cannot open not a url') },
    ]);
    expect(connection.stats.connects).toBe(1);
    expect(timers.pending()).toBe(0);
  });
});
