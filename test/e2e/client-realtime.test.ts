import { ulid } from 'ulid';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { createBackoff, type Backoff } from '../../client/backoff.js';
import { connectRealtime, type RealtimeConnection, type RealtimeOptions } from '../../client/realtime.js';
import type { WebSocketLike } from '../../client/types.js';
import { AppSyncPublisher } from '../../lambdas/adapters/appsync-publisher.js';
import type { RoomEvent } from '../../lambdas/domain/realtime/room-event.js';
import { GLOBAL_EVENT, ROOM_EVENT } from '../../lambdas/domain/realtime/subscriptions.js';
import { startLocalAppSync, type LocalAppSync } from '../../local/appsync/server.js';
import {
  countingTimers,
  ProtocolServer,
  recorder,
  waitFor,
  type ProtocolConnection,
  type Recorded,
} from '../helpers/realtime-protocol.js';
import { eventsOfEveryKind } from '../helpers/room-events.js';

/**
 * The SDK's realtime client (client/realtime.ts) speaking AppSync's realtime protocol: against the
 * local AppSync endpoint (the same schema and resolvers CDK deploys; events published with SigV4 by
 * the backend's publisher), and against a scripted server for what the endpoint has no switch for.
 */
const WebSocket = NodeWebSocket as unknown as WebSocketLike;
/** Just below 1: every backoff delay at its ceiling. */
const TOP = 1 - Number.EPSILON;
const FAST = { baseMs: 10, maxMs: 40 };

let counter = 0;
const room = () => `client-${++counter}-${Date.now().toString(36)}`;
const ping = (roomId: string): RoomEvent => ({
  id: ulid(),
  roomId,
  kind: 'PING',
  time: new Date().toISOString(),
  payload: { nonce: ulid() },
});
const roomSubscriptions = (roomId: string) => [
  { query: ROOM_EVENT, variables: { roomId } },
  { query: GLOBAL_EVENT, variables: {} },
];

/** A backoff whose delays sit at their ceilings, recording the attempts it was asked about. */
function recordingBackoff({ baseMs, maxMs } = FAST): Backoff & { attempts: number[]; delays: number[] } {
  const inner = createBackoff({ baseMs, maxMs, random: () => TOP });
  const attempts: number[] = [];
  const delays: number[] = [];
  return {
    attempts,
    delays,
    delayMs(attempt, retryAfterMs) {
      const delay = inner.delayMs(attempt, retryAfterMs);
      attempts.push(attempt);
      delays.push(delay);
      return delay;
    },
  };
}

/** Connections opened by a test, closed after it whatever happened. */
const opened: RealtimeConnection[] = [];
afterEach(() => {
  for (const connection of opened.splice(0)) connection.close();
});
function connect(options: Partial<RealtimeOptions> & Pick<RealtimeOptions, 'endpoint'>, recorded: Recorded) {
  const connection = connectRealtime(
    {
      subscriptions: roomSubscriptions(room()),
      WebSocket,
      connectJitterMs: 0,
      backoff: createBackoff(FAST),
      ...options,
    },
    recorded.handlers,
  );
  opened.push(connection);
  return connection;
}
const lastState = (recorded: Recorded) => recorded.states.at(-1);

describe('against the local AppSync endpoint', () => {
  let appsync: LocalAppSync;
  let publisher: AppSyncPublisher;

  beforeAll(async () => {
    appsync = await startLocalAppSync();
    publisher = new AppSyncPublisher({
      graphqlUrl: appsync.httpGraphqlUrl,
      region: appsync.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });
  afterAll(async () => {
    await appsync?.stop();
  });

  const tls = () => ({
    endpoint: { graphqlUrl: appsync.graphqlUrl, realtimeUrl: appsync.realtimeUrl, apiKey: appsync.apiKey },
    // Trusts the endpoint's certificate, and only it: nothing turns TLS verification off.
    WebSocket: class extends NodeWebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { ca: appsync.certificatePem });
      }
    } as unknown as WebSocketLike,
  });
  const plain = () => ({
    endpoint: {
      graphqlUrl: appsync.httpGraphqlUrl,
      realtimeUrl: appsync.httpRealtimeUrl,
      apiKey: appsync.apiKey,
    },
  });

  it('subscribes over wss with the API key and delivers published events of every kind, parsed', async () => {
    const roomId = room();
    const recorded = recorder();
    const connection = connect({ ...tls(), subscriptions: roomSubscriptions(roomId) }, recorded);
    await waitFor(() => lastState(recorded) === 'connected', 'connected');
    const events = [...eventsOfEveryKind(roomId), ...eventsOfEveryKind('*')];

    for (const event of events) await publisher.publish(event);
    await waitFor(() => recorded.events.length >= events.length, 'every event');

    expect(recorded.events).toEqual(events);
    expect(recorded.states).toEqual(['connecting', 'connected']);
    expect(recorded.errors).toEqual([]);
    expect(appsync.countSubscriptions('onRoomEvent', { roomId })).toBe(1);
    expect(connection.stats).toEqual({ connects: 1, reconnects: 0, resubscribes: 0 });
  });

  it('goes off with realtime_unauthorized, and does not retry, when the API key is refused', async () => {
    const recorded = recorder();
    const timers = countingTimers();

    const connection = connect(
      { ...plain(), endpoint: { ...plain().endpoint, apiKey: 'da2-notthekey00000000000000000' }, timers },
      recorded,
    );
    await waitFor(() => lastState(recorded) === 'off', 'off');

    expect(recorded.states).toEqual(['connecting', 'off']);
    expect(recorded.errors).toEqual([
      { code: 'realtime_unauthorized', message: expect.stringMatching(/^UnauthorizedException/) },
    ]);
    expect(connection.stats.connects).toBe(1);
    expect(timers.pending()).toBe(0);
  });

  it('resubscribes on the open socket: the endpoint ends the old subscriptions and delivers to the new ones', async () => {
    const roomId = room();
    const recorded = recorder();
    const connection = connect({ ...plain(), subscriptions: roomSubscriptions(roomId) }, recorded);
    await waitFor(() => lastState(recorded) === 'connected', 'connected');
    const connections = appsync.stats().connections;

    connection.resubscribe();
    await waitFor(() => recorded.reconnected === 1, 'the subscriptions back');
    const event = ping(roomId);
    await publisher.publish(event);
    await waitFor(() => recorded.events.length === 1, 'the event');

    expect(recorded.states).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
    expect(recorded.events).toEqual([event]);
    expect(appsync.countSubscriptions('onRoomEvent', { roomId })).toBe(1);
    expect(appsync.stats().connections).toBe(connections);
    expect(connection.stats).toEqual({ connects: 1, reconnects: 1, resubscribes: 1 });
  });

  it('reconnects with backoff while the endpoint restarts, then receives again and reports the gap', async () => {
    const roomId = room();
    const recorded = recorder();
    const backoff = recordingBackoff({ baseMs: 20, maxMs: 200 });
    const connection = connect({ ...plain(), subscriptions: roomSubscriptions(roomId), backoff }, recorded);
    await waitFor(() => lastState(recorded) === 'connected', 'connected');
    const ports = {
      port: Number(new URL(appsync.httpGraphqlUrl).port),
      tlsPort: Number(new URL(appsync.graphqlUrl).port),
    };

    await appsync.stop();
    await waitFor(() => backoff.attempts.length >= 3, 'attempts against the stopped endpoint');
    appsync = await startLocalAppSync({ ...ports, apiKey: appsync.apiKey });
    await waitFor(() => recorded.reconnected === 1, 'back after the restart');
    const event = ping(roomId);
    await publisher.publish(event);
    await waitFor(() => recorded.events.length === 1, 'the event');

    expect(recorded.states).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
    expect(recorded.events).toEqual([event]);
    expect(backoff.attempts.slice(0, 3)).toEqual([0, 1, 2]);
    expect(connection.stats.connects).toBe(backoff.attempts.length + 1);
  });
});

describe('against a scripted protocol server', () => {
  let server: ProtocolServer;

  beforeAll(async () => {
    server = await ProtocolServer.start();
  });
  afterEach(() => {
    server.answerInit = () => ({ type: 'connection_ack', payload: { connectionTimeoutMs: 300_000 } });
    server.answerStart = () => 'ack';
    server.afterStartAck = () => {};
  });
  afterAll(async () => {
    await server?.stop();
  });
  /** The connections a test made: the server outlives tests. */
  const since = (before: number) => server.connections.slice(before);

  it('sends the documented handshake: graphql-ws, the header and payload parameters, connection_init, a start per subscription', async () => {
    const before = server.connections.length;
    const endpoint = server.endpoint();
    const subscriptions = roomSubscriptions(room());
    const recorded = recorder();

    connect({ endpoint, subscriptions }, recorded);
    await waitFor(() => lastState(recorded) === 'connected', 'connected');

    const [c] = since(before) as [ProtocolConnection];
    const url = new URL(c.request.url!, 'ws://localhost');
    const auth = { host: 'api.example.test', 'x-api-key': endpoint.apiKey };
    expect(c.request.headers['sec-websocket-protocol']).toBe('graphql-ws');
    expect(url.pathname).toBe('/graphql/realtime');
    expect(JSON.parse(Buffer.from(url.searchParams.get('header')!, 'base64').toString())).toEqual(auth);
    expect(url.searchParams.get('payload')).toBe('e30=');
    expect(c.received[0]).toEqual({ type: 'connection_init' });
    expect(
      c.starts().map(({ query, variables, authorization }) => ({ query, variables, authorization })),
    ).toEqual(subscriptions.map((s) => ({ ...s, authorization: auth })));
    expect(new Set(c.starts().map((s) => s.id)).size).toBe(2);
  });

  it('waits a random part of connectJitterMs before the first connect', async () => {
    const recorded = recorder();
    const timers = countingTimers();

    connect({ endpoint: server.endpoint(), connectJitterMs: 400, random: () => 0.25, timers }, recorded);
    await waitFor(() => lastState(recorded) === 'connected', 'connected');

    expect(timers.delays[0]).toBe(100);
  });

  it('closes a socket that stays silent past connectionTimeoutMs and connects again', async () => {
    const before = server.connections.length;
    server.answerInit = (c) => ({
      type: 'connection_ack',
      payload: { connectionTimeoutMs: c === server.connections[before] ? 100 : 300_000 },
    });
    const recorded = recorder();

    connect({ endpoint: server.endpoint() }, recorded);
    await waitFor(() => recorded.reconnected === 1, 'a second connection');

    const [first, second] = since(before) as [ProtocolConnection, ProtocolConnection];
    await waitFor(() => first.closed, 'the silent socket closed');
    expect(second.closed).toBe(false);
    expect(recorded.states).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
    expect(recorded.errors).toEqual([{ code: 'realtime_timeout', message: 'No message for 100 ms.' }]);
  });

  it('keeps a connection whose ka messages come within connectionTimeoutMs', async () => {
    const before = server.connections.length;
    server.answerInit = () => ({ type: 'connection_ack', payload: { connectionTimeoutMs: 1_000 } });
    server.afterStartAck = (c) => {
      if (c.active.size < 2) return;
      const timer = setInterval(() => {
        if (c.closed || kaSent(c) >= 25) clearInterval(timer);
        else c.send({ type: 'ka' });
      }, 50);
    };
    const recorded = recorder();

    connect({ endpoint: server.endpoint() }, recorded);
    await waitFor(() => lastState(recorded) === 'connected', 'connected');
    const [c] = since(before) as [ProtocolConnection];
    // 25 ka 50 ms apart outlast the timeout; the watchdog must not fire in between.
    await waitFor(() => c.closed || kaSent(c) >= 25, '25 ka');

    expect(c.closed).toBe(false);
    expect(since(before)).toHaveLength(1);
    expect(recorded.states).toEqual(['connecting', 'connected']);
    expect(recorded.errors).toEqual([]);
  });

  it('times out a connection_init that is never acknowledged and tries again, still connecting', async () => {
    const before = server.connections.length;
    server.answerInit = (c) =>
      c === server.connections[before]
        ? undefined
        : { type: 'connection_ack', payload: { connectionTimeoutMs: 300_000 } };
    const recorded = recorder();

    const connection = connect({ endpoint: server.endpoint(), ackTimeoutMs: 100 }, recorded);
    await waitFor(() => lastState(recorded) === 'connected', 'connected');

    expect(recorded.states).toEqual(['connecting', 'connected']);
    expect(recorded.errors).toEqual([
      { code: 'realtime_timeout', message: 'No connection_ack within 100 ms.' },
    ]);
    expect(connection.stats).toEqual({ connects: 2, reconnects: 0, resubscribes: 0 });
    await waitFor(() => since(before)[0]!.closed, 'the unacknowledged socket closed');
  });

  it('retries after a connection_error that is not about authorisation', async () => {
    const before = server.connections.length;
    server.answerInit = (c) =>
      c === server.connections[before]
        ? {
            type: 'connection_error',
            payload: { errors: [{ errorType: 'LimitExceededError', message: 'Too many' }] },
          }
        : { type: 'connection_ack', payload: { connectionTimeoutMs: 300_000 } };
    const recorded = recorder();

    connect({ endpoint: server.endpoint() }, recorded);
    await waitFor(() => lastState(recorded) === 'connected', 'connected');

    expect(recorded.errors).toEqual([
      { code: 'realtime_connection_error', message: 'LimitExceededError: Too many' },
    ]);
    expect(since(before)).toHaveLength(2);
  });

  it('backs off with growing delays up to the cap while every connection drops, and reports each return', async () => {
    const before = server.connections.length;
    server.afterStartAck = (c) => {
      if (c.active.size === 2 && since(before).length <= 6) c.ws.close(1001, 'going away');
    };
    const backoff = recordingBackoff();
    const recorded = recorder();

    const connection = connect({ endpoint: server.endpoint(), backoff }, recorded);
    await waitFor(() => recorded.reconnected === 6, 'six returns');

    expect(backoff.attempts).toEqual([0, 1, 2, 3, 4, 5]);
    expect(backoff.delays).toEqual([10, 20, 40, 40, 40, 40].map((ceiling) => TOP * ceiling));
    expect(recorded.states).toEqual([
      'connecting',
      'connected',
      ...Array(6).fill(['reconnecting', 'connected']).flat(),
    ]);
    expect(connection.stats).toEqual({ connects: 7, reconnects: 6, resubscribes: 0 });
    expect(recorded.errors).toEqual([]);
  });

  it('starts the backoff count again after a connection that stayed up 30 s', async () => {
    const before = server.connections.length;
    let clock = 1_000_000;
    const backoff = recordingBackoff();
    const recorded = recorder();
    connect({ endpoint: server.endpoint(), backoff, now: () => clock }, recorded);

    for (const stayedUpMs of [0, 0, 29_999, 30_000]) {
      const n = backoff.attempts.length;
      await waitFor(() => lastState(recorded) === 'connected' && since(before).length === n + 1, 'connected');
      clock += stayedUpMs;
      since(before)[n]!.ws.close(1001, 'going away');
      await waitFor(() => backoff.attempts.length === n + 1, 'the drop noticed');
    }

    expect(backoff.attempts).toEqual([0, 1, 2, 0]);
  });

  it('retries a refused start with backoff on the same socket, and is connected once it is accepted', async () => {
    const before = server.connections.length;
    let refusals = 0;
    server.answerStart = (start) => (start.query === GLOBAL_EVENT && ++refusals <= 2 ? 'error' : 'ack');
    // Retries wait longer than a start may stay unanswered: a refused start is not an unanswered one.
    const backoff = recordingBackoff({ baseMs: 300, maxMs: 600 });
    const recorded = recorder();

    connect({ endpoint: server.endpoint(), backoff, ackTimeoutMs: 150 }, recorded);
    await waitFor(() => lastState(recorded) === 'connected', 'connected');

    const [c] = since(before) as [ProtocolConnection];
    expect(since(before)).toHaveLength(1);
    expect(c.starts().map((s) => s.query)).toEqual([ROOM_EVENT, GLOBAL_EVENT, GLOBAL_EVENT, GLOBAL_EVENT]);
    expect(backoff.attempts).toEqual([0, 1]);
    expect(recorded.errors).toEqual([
      { code: 'realtime_subscription_error', message: 'LimitExceededError: Rate limit exceeded' },
      { code: 'realtime_subscription_error', message: 'LimitExceededError: Rate limit exceeded' },
    ]);
    expect(recorded.states).toEqual(['connecting', 'connected']);
  });

  it('restarts a subscription the server completed on its own', async () => {
    const before = server.connections.length;
    const roomId = room();
    const recorded = recorder();
    connect({ endpoint: server.endpoint(), subscriptions: roomSubscriptions(roomId) }, recorded);
    await waitFor(() => lastState(recorded) === 'connected', 'connected');
    const [c] = since(before) as [ProtocolConnection];
    const roomStart = c.starts()[0]!;

    c.active.delete(roomStart.id);
    c.send({ type: 'complete', id: roomStart.id });
    await waitFor(() => recorded.reconnected === 1, 'the subscription back');
    const event = ping(roomId);
    server.publish(event);
    await waitFor(() => recorded.events.length === 1, 'the event');

    expect(recorded.errors).toEqual([
      { code: 'realtime_subscription_error', message: `The server completed subscription ${roomStart.id}.` },
    ]);
    expect(c.starts().map((s) => s.query)).toEqual([ROOM_EVENT, GLOBAL_EVENT, ROOM_EVENT]);
    expect(recorded.events).toEqual([event]);
    expect(since(before)).toHaveLength(1);
  });

  it('reconnects when a start goes unanswered', async () => {
    const before = server.connections.length;
    server.answerStart = (start, c) =>
      c === server.connections[before] && start.query === GLOBAL_EVENT ? 'ignore' : 'ack';
    const recorded = recorder();

    connect({ endpoint: server.endpoint(), ackTimeoutMs: 100 }, recorded);
    await waitFor(() => lastState(recorded) === 'connected', 'connected');

    expect(recorded.errors).toEqual([{ code: 'realtime_timeout', message: 'No start_ack within 100 ms.' }]);
    expect(since(before)).toHaveLength(2);
    await waitFor(() => since(before)[0]!.closed, 'the first socket closed');
  });

  it('heals a subscription the server stopped feeding: resubscribe() restarts it on the same socket', async () => {
    const before = server.connections.length;
    const roomId = room();
    const recorded = recorder();
    const connection = connect(
      { endpoint: server.endpoint(), subscriptions: roomSubscriptions(roomId) },
      recorded,
    );
    await waitFor(() => lastState(recorded) === 'connected', 'connected');
    const [c] = since(before) as [ProtocolConnection];
    const [roomStart] = c.starts();
    c.muted.add(roomStart!.id);
    const [missed, global] = [ping(roomId), ping('*')];
    server.publish(missed);
    server.publish(global);
    // One socket delivers in order: once the global event is in, the missed one would have been too.
    await waitFor(() => recorded.events.length === 1, 'the global event');

    connection.resubscribe();
    await waitFor(() => recorded.reconnected === 1, 'subscriptions restarted');
    const healed = ping(roomId);
    server.publish(healed);
    await waitFor(() => recorded.events.length === 2, 'the event after healing');

    expect(recorded.events).toEqual([global, healed]);
    expect(since(before)).toHaveLength(1);
    expect(c.received.filter((m) => m.type === 'stop').map((m) => m.id)).toEqual(
      c
        .starts()
        .slice(0, 2)
        .map((s) => s.id),
    );
    expect(
      c
        .starts()
        .slice(2)
        .map((s) => s.query),
    ).toEqual([ROOM_EVENT, GLOBAL_EVENT]);
    expect(recorded.states).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
    expect(connection.stats).toEqual({ connects: 1, reconnects: 1, resubscribes: 1 });
  });

  it('replaces the socket when the same socket needs a second resubscribe', async () => {
    const before = server.connections.length;
    const recorded = recorder();
    const connection = connect({ endpoint: server.endpoint() }, recorded);
    await waitFor(() => lastState(recorded) === 'connected', 'connected');

    connection.resubscribe();
    await waitFor(() => recorded.reconnected === 1, 'restarted on the socket');
    connection.resubscribe();
    await waitFor(() => recorded.reconnected === 2, 'a new socket');

    expect(since(before)).toHaveLength(2);
    await waitFor(() => since(before)[0]!.closed, 'the old socket closed');
    expect(connection.stats).toEqual({ connects: 2, reconnects: 2, resubscribes: 2 });
  });

  it('ignores resubscribe() until connected', async () => {
    const recorded = recorder();
    const connection = connect({ endpoint: server.endpoint() }, recorded);

    connection.resubscribe();
    await waitFor(() => lastState(recorded) === 'connected', 'connected');

    expect(connection.stats.resubscribes).toBe(0);
    expect(recorded.states).toEqual(['connecting', 'connected']);
  });

  it('drops a malformed event, reports it, and delivers the next', async () => {
    const before = server.connections.length;
    const roomId = room();
    const recorded = recorder();
    connect({ endpoint: server.endpoint(), subscriptions: roomSubscriptions(roomId) }, recorded);
    await waitFor(() => lastState(recorded) === 'connected', 'connected');
    const [c] = since(before) as [ProtocolConnection];
    const id = c.starts()[0]!.id;
    const good = ping(roomId);

    c.send({ type: 'data', id, payload: { data: { onRoomEvent: { ...good, payload: '{"nonce":' } } } });
    c.send({ type: 'data', id, payload: { data: { onRoomEvent: { ...good, kind: 'FIREWORKS' } } } });
    c.send({ type: 'error', payload: { errors: [{ errorType: 'MessageParsingError', message: 'bad' }] } });
    server.publish(good);
    await waitFor(() => recorded.events.length === 1, 'the good event');

    expect(recorded.events).toEqual([good]);
    expect(recorded.errors.map((e) => e.code)).toEqual([
      'realtime_bad_message',
      'realtime_bad_message',
      'realtime_bad_message',
    ]);
    expect(recorded.errors[2]!.message).toBe('MessageParsingError: bad');
    expect(recorded.states).toEqual(['connecting', 'connected']);
  });

  describe('close()', () => {
    it('stops while waiting for the connect jitter: no socket, no timer, off', () => {
      const before = server.connections.length;
      const timers = countingTimers();
      const recorded = recorder();
      const connection = connect({ endpoint: server.endpoint(), connectJitterMs: 60_000, timers }, recorded);

      connection.close();

      expect(timers.pending()).toBe(0);
      expect(recorded.states).toEqual(['connecting', 'off']);
      expect(connection.state).toBe('off');
      expect(since(before)).toHaveLength(0);
    });

    it('stops a connected client: the socket closed, no timer left, nothing reported after off', async () => {
      const before = server.connections.length;
      const roomId = room();
      const timers = countingTimers();
      const recorded = recorder();
      const connection = connect(
        { endpoint: server.endpoint(), subscriptions: roomSubscriptions(roomId), timers },
        recorded,
      );
      await waitFor(() => lastState(recorded) === 'connected', 'connected');
      const [c] = since(before) as [ProtocolConnection];

      connection.close();
      server.publish(ping(roomId));
      await waitFor(() => c.closed, 'the socket closed');

      expect(timers.pending()).toBe(0);
      expect(recorded.states).toEqual(['connecting', 'connected', 'off']);
      expect(recorded.events).toEqual([]);
      expect(recorded.errors).toEqual([]);
    });

    it('stops while backing off after a drop: no reconnect, no timer', async () => {
      const before = server.connections.length;
      server.afterStartAck = (c) => {
        if (c.active.size === 2) c.ws.close(1001, 'going away');
      };
      const timers = countingTimers();
      const recorded = recorder();
      const connection = connect(
        { endpoint: server.endpoint(), backoff: createBackoff({ baseMs: 60_000, maxMs: 60_000 }), timers },
        recorded,
      );
      await waitFor(() => lastState(recorded) === 'reconnecting', 'reconnecting');

      connection.close();

      expect(timers.pending()).toBe(0);
      expect(recorded.states).toEqual(['connecting', 'connected', 'reconnecting', 'off']);
      expect(since(before)).toHaveLength(1);
    });

    it('stops while the socket is still opening', async () => {
      const before = server.connections.length;
      server.answerInit = () => undefined;
      const timers = countingTimers();
      const recorded = recorder();
      const connection = connect({ endpoint: server.endpoint(), timers }, recorded);
      await waitFor(() => since(before).length === 1, 'the socket');

      connection.close();
      await waitFor(() => since(before)[0]!.closed, 'the socket closed');

      expect(timers.pending()).toBe(0);
      expect(recorded.states).toEqual(['connecting', 'off']);
    });
  });
});

const kaSent = (c: ProtocolConnection) => c.sent.filter((m) => m.type === 'ka').length;
