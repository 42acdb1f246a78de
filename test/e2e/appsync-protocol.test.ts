import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AppSyncPublisher } from '../../lambdas/adapters/appsync-publisher.js';
import { readWireEvent, type RoomEvent } from '../../lambdas/domain/realtime/room-event.js';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import {
  apiKeyHeaders,
  base64,
  errorOf,
  eventOf,
  GLOBAL_EVENT,
  graphql,
  ping,
  publish,
  RawClient,
  room,
  ROOM_EVENT,
  sigV4,
  useRealtime,
  WAIT_MS,
  wire,
  PUBLISH,
} from '../helpers/appsync.js';

/**
 * AppSync's realtime protocol as documented ("Building a real-time WebSocket
 * client in AWS AppSync"), spoken by raw `ws` clients to the local stack's
 * AppSync stand-in; events published with SigV4-signed `publish` mutations.
 */
let stack: LocalStack;
const KEEP_ALIVE_MS = 100;

beforeAll(async () => {
  stack = await startLocalStack({ seed: false, realtimeKeepAliveMs: KEEP_ALIVE_MS });
  useRealtime(stack.realtime);
});
afterAll(async () => {
  await stack?.stop();
});

describe('realtime handshake', () => {
  it('accepts the header and payload query parameters and acknowledges with connectionTimeoutMs', async () => {
    const client = await RawClient.open({ auth: 'query' });

    client.send({ type: 'connection_init' });
    const ack = await client.next((m) => m.type === 'connection_ack');

    expect(client.ws.protocol).toBe('graphql-ws');
    expect(ack).toEqual({ type: 'connection_ack', payload: { connectionTimeoutMs: 300_000 } });
    client.close();
  });

  it('accepts the header- subprotocol (aws-amplify v6) over TLS with the certificate trusted explicitly', async () => {
    const client = await RawClient.open({ auth: 'subprotocol', tls: true });

    client.send({ type: 'connection_init' });
    const ack = await client.next((m) => m.type === 'connection_ack');

    expect(client.ws.protocol).toBe('graphql-ws');
    expect(ack.payload?.connectionTimeoutMs).toBe(300_000);
    client.close();
  });

  it('refuses an upgrade that does not offer the graphql-ws subprotocol', async () => {
    const ws = new WebSocket(
      `${stack.realtime.httpRealtimeUrl}?header=${base64(apiKeyHeaders())}&payload=e30=`,
    );

    const outcome = await new Promise<string>((resolve) => {
      ws.once('open', () => resolve('open'));
      ws.once('error', (error) => resolve(error.message));
    });

    expect(outcome).toMatch(/400/);
  });

  it('sends ka keep-alives, repeatedly, after the ack', async () => {
    const client = await RawClient.connect();
    const ackIndex = client.messages.findIndex((m) => m.type === 'connection_ack');

    const first = await client.next((m) => m.type === 'ka', ackIndex + 1);
    const second = await client.next((m) => m.type === 'ka', client.messages.indexOf(first) + 1);

    expect(first).toEqual({ type: 'ka' });
    expect(second).toEqual({ type: 'ka' });
    client.close();
  });

  it('refuses a connection without auth: connection_error with UnauthorizedException, then closes', async () => {
    const client = await RawClient.open({ auth: 'none' });

    client.send({ type: 'connection_init' });
    const error = await client.next((m) => m.type === 'connection_error');

    expect(errorOf(error)).toMatchObject({ errorType: 'UnauthorizedException', errorCode: 401 });
    await client.closed();
    expect(client.messages.some((m) => m.type === 'connection_ack')).toBe(false);
  });

  it('refuses a connection with a wrong API key', async () => {
    const client = await RawClient.open({ headers: apiKeyHeaders('da2-notthekey00000000000000000') });

    client.send({ type: 'connection_init' });
    const error = await client.next((m) => m.type === 'connection_error');

    expect(errorOf(error)?.errorType).toBe('UnauthorizedException');
  });

  it('accepts an IAM (SigV4) connection signed for /graphql/connect and refuses a forged one', async () => {
    const good = await sigV4(stack.realtime.graphqlUrl.replace(/\/graphql$/, '/graphql/connect'), '{}');
    const forged = await sigV4(
      stack.realtime.graphqlUrl.replace(/\/graphql$/, '/graphql/connect'),
      '{}',
      'guess',
    );

    const accepted = await RawClient.connect({ auth: 'subprotocol', headers: good, tls: true });
    const refused = await RawClient.open({ auth: 'subprotocol', headers: forged, tls: true });
    refused.send({ type: 'connection_init' });
    const error = await refused.next((m) => m.type === 'connection_error');

    expect(accepted.messages.some((m) => m.type === 'connection_ack')).toBe(true);
    expect(errorOf(error)?.errorType).toBe('UnauthorizedException');
    accepted.close();
  });
});

describe('subscriptions', () => {
  it('acknowledges a start with start_ack and delivers a published event as data', async () => {
    const roomId = room();
    const client = await RawClient.connect();
    const id = await client.subscribe(ROOM_EVENT, { roomId });
    const event = ping(roomId);

    await publish(event);
    const received = await client.received(id, event.id);

    expect(received).toEqual(wire(event));
    expect(readWireEvent(received)).toEqual(event);
    client.close();
  });

  it('isolates rooms: a subscriber of room A never gets room B’s event', async () => {
    const [roomA, roomB] = [room(), room()];
    const viewerA = await RawClient.connect();
    const viewerB = await RawClient.connect();
    const subA = await viewerA.subscribe(ROOM_EVENT, { roomId: roomA });
    const subB = await viewerB.subscribe(ROOM_EVENT, { roomId: roomB });
    const forB = ping(roomB);
    const forA = ping(roomA);
    const laterForB = ping(roomB);

    await publish(forB);
    await publish(forA);
    await publish(laterForB);
    // Delivery on one socket is in publish order: once each viewer has its room's later event,
    // the other room's earlier event would have arrived before it.
    await viewerA.received(subA, forA.id);
    await viewerB.received(subB, laterForB.id);

    expect(viewerA.data(subA).map((m) => eventOf(m)?.id)).toEqual([forA.id]);
    expect(viewerB.data(subB).map((m) => eventOf(m)?.id)).toEqual([forB.id, laterForB.id]);
    viewerA.close();
    viewerB.close();
  });

  it('delivers a global event ("*") to onGlobalEvent subscribers of every room, and not on onRoomEvent', async () => {
    const [roomA, roomB] = [room(), room()];
    const viewerA = await RawClient.connect();
    const viewerB = await RawClient.connect();
    const roomSubA = await viewerA.subscribe(ROOM_EVENT, { roomId: roomA });
    const globalSubA = await viewerA.subscribe(GLOBAL_EVENT);
    const roomSubB = await viewerB.subscribe(ROOM_EVENT, { roomId: roomB });
    const globalSubB = await viewerB.subscribe(GLOBAL_EVENT);
    const notice = ping('*');
    const laterForA = ping(roomA);
    const laterForB = ping(roomB);

    await publish(notice);
    await publish(laterForA);
    await publish(laterForB);
    const atA = await viewerA.received(globalSubA, notice.id);
    const atB = await viewerB.received(globalSubB, notice.id);
    // Delivery is in publish order: once the later room events are in, the notice would have come before them.
    await viewerA.received(roomSubA, laterForA.id);
    await viewerB.received(roomSubB, laterForB.id);

    expect(atA).toEqual(wire(notice));
    expect(atB).toEqual(wire(notice));
    expect(viewerA.data(roomSubA).map((m) => eventOf(m)?.id)).toEqual([laterForA.id]);
    expect(viewerB.data(roomSubB).map((m) => eventOf(m)?.id)).toEqual([laterForB.id]);
    expect(viewerA.data(globalSubA).map((m) => eventOf(m)?.id)).toEqual([notice.id]);
    expect(viewerB.data(globalSubB).map((m) => eventOf(m)?.id)).toEqual([notice.id]);
    viewerA.close();
    viewerB.close();
  });

  it('sends the fields the subscriber selected, under its alias, and null for fields the mutation did not select', async () => {
    const roomId = room();
    const client = await RawClient.connect();
    const id = await client.subscribe(
      `subscription ($roomId: ID!) { event: onRoomEvent(roomId: $roomId) { kind id payload __typename } }`,
      { roomId },
    );
    const event = ping(roomId);

    await publish(event, `mutation ($event: RoomEventInput!) { publish(event: $event) { id roomId kind } }`);
    const message = await client.next((m) => m.type === 'data' && m.id === id);

    expect(message.payload).toEqual({
      data: { event: { kind: 'PING', id: event.id, payload: null, __typename: 'RoomEvent' } },
    });
    client.close();
  });

  it('sends one data message per subscription, each with its own id, when many subscribe alike', async () => {
    const roomId = room();
    const one = await RawClient.connect();
    const other = await RawClient.connect();
    const first = await one.subscribe(ROOM_EVENT, { roomId });
    const second = await one.subscribe(ROOM_EVENT, { roomId });
    const onOther = await other.subscribe(ROOM_EVENT, { roomId });
    const [event, later] = [ping(roomId), ping(roomId)];

    await publish(event);
    await publish(later);
    // Delivery on one socket is in publish order: once the later event is in, so is everything before it.
    for (const [client, id] of [
      [one, first],
      [one, second],
      [other, onOther],
    ] as const) {
      await client.received(id, later.id);
      expect(client.data(id).map((m) => m.payload)).toEqual([
        { data: { onRoomEvent: wire(event) } },
        { data: { onRoomEvent: wire(later) } },
      ]);
    }
    expect(second).not.toBe(first);
    one.close();
    other.close();
  });

  it('ends delivery on stop with complete', async () => {
    const roomId = room();
    const client = await RawClient.connect();
    const stopped = await client.subscribe(ROOM_EVENT, { roomId });
    const kept = await client.subscribe(ROOM_EVENT, { roomId });

    client.send({ type: 'stop', id: stopped });
    const complete = await client.next((m) => m.type === 'complete');
    const [event, later] = [ping(roomId), ping(roomId)];
    await publish(event);
    await publish(later);
    // Everything the first publish sent on this socket has arrived once the second one's data has.
    await client.received(kept, later.id);

    expect(complete).toEqual({ type: 'complete', id: stopped });
    expect(client.data(stopped)).toEqual([]);
    client.close();
  });

  it('lets a dropped socket reconnect, resubscribe and receive again', async () => {
    const roomId = room();
    const first = await RawClient.connect();
    await first.subscribe(ROOM_EVENT, { roomId });
    const before = stack.realtime.stats().subscriptions;

    first.ws.terminate();
    await first.closed();
    await waitUntil(() => stack.realtime.stats().subscriptions === before - 1);
    const second = await RawClient.connect();
    const id = await second.subscribe(ROOM_EVENT, { roomId });
    const event = ping(roomId);
    await publish(event);

    expect(await second.received(id, event.id)).toEqual(wire(event));
    second.close();
  });

  it('accepts an IAM-signed start (SigV4 over the data string)', async () => {
    const roomId = room();
    const client = await RawClient.connect();
    const data = JSON.stringify({ query: ROOM_EVENT, variables: { roomId } });

    client.send({
      id: 'iam-1',
      type: 'start',
      payload: { data, extensions: { authorization: await sigV4(stack.realtime.graphqlUrl, data) } },
    });
    const answer = await client.next((m) => m.id === 'iam-1');

    expect(answer).toEqual({ type: 'start_ack', id: 'iam-1' });
    client.close();
  });
});

describe('refusals', () => {
  it('refuses publish with the API key over HTTP: Unauthorized, nothing published', async () => {
    const before = stack.realtime.publishedCount;
    const body = JSON.stringify({ query: PUBLISH, variables: { event: wire(ping(room())) } });

    const { status, body: result } = await graphql(body, { 'x-api-key': stack.realtime.apiKey });

    expect(status).toBe(200);
    expect(result.data).toEqual({ publish: null });
    expect(result.errors?.[0]).toMatchObject({
      errorType: 'Unauthorized',
      message: 'Not Authorized to access publish on type Mutation',
      path: ['publish'],
    });
    expect(stack.realtime.publishedCount).toBe(before);
  });

  it('answers a query with the API key', async () => {
    const { status, body } = await graphql(JSON.stringify({ query: '{ apiVersion }' }), {
      'x-api-key': stack.realtime.apiKey,
    });

    expect(status).toBe(200);
    expect(body).toEqual({ data: { apiVersion: '1' } });
  });

  it.each([
    ['no auth', {}],
    ['a wrong API key', { 'x-api-key': 'da2-wrong' }],
  ])('refuses HTTP with %s: 401 UnauthorizedException', async (_name, headers) => {
    const { status, body } = await graphql(JSON.stringify({ query: '{ apiVersion }' }), headers);

    expect(status).toBe(401);
    expect(body.errors?.[0]?.errorType).toBe('UnauthorizedException');
  });

  it('refuses a forged SigV4 signature and a body changed after signing', async () => {
    const body = JSON.stringify({ query: PUBLISH, variables: { event: wire(ping(room())) } });
    const forged = await sigV4(stack.realtime.httpGraphqlUrl, body, 'not-the-secret');
    const signed = await sigV4(stack.realtime.httpGraphqlUrl, body);
    const tampered = body.replace('"PING"', '"NOTICE"');

    const withForged = await graphql(body, forged);
    const withTampered = await graphql(tampered, signed);

    expect(withForged.status).toBe(401);
    expect(withForged.body.errors?.[0]?.errorType).toBe('UnauthorizedException');
    expect(withTampered.status).toBe(401);
  });

  it('refuses a start without authorization, with a wrong API key, and a forged signature', async () => {
    const client = await RawClient.connect();
    const data = JSON.stringify({ query: ROOM_EVENT, variables: { roomId: room() } });

    const missing = await client.start(ROOM_EVENT, { roomId: room() }, null);
    const wrongKey = await client.start(ROOM_EVENT, { roomId: room() }, apiKeyHeaders('da2-wrong'));
    client.send({
      id: 'forged',
      type: 'start',
      payload: { data, extensions: { authorization: await sigV4(stack.realtime.graphqlUrl, data, 'guess') } },
    });
    const forged = await client.next((m) => m.id === 'forged');

    for (const answer of [missing.answer, wrongKey.answer, forged]) {
      expect(answer.type).toBe('error');
      expect(errorOf(answer)?.errorType).toBe('UnauthorizedException');
    }
    client.close();
  });

  it('answers bad starts with error messages in AppSync’s shape', async () => {
    const client = await RawClient.connect();

    const unknownField = await client.start('subscription { onNothing { id } }');
    const invalid = await client.start('subscription {');
    const query = await client.start('query { apiVersion }');
    const resolverError = await client.start(ROOM_EVENT, { roomId: '*' });

    expect(errorOf(unknownField.answer)).toMatchObject({ errorType: 'ValidationError' });
    expect(errorOf(invalid.answer)).toMatchObject({ errorType: 'ValidationError' });
    expect(errorOf(query.answer)).toEqual({
      errorType: 'UnsupportedOperation',
      message: 'query not supported through the realtime channel',
    });
    expect(errorOf(resolverError.answer)).toMatchObject({ errorType: 'BadRequest' });
    for (const { answer } of [unknownField, invalid, query, resolverError]) expect(answer.type).toBe('error');
    client.close();
  });

  it('answers an unknown message type with an error', async () => {
    const client = await RawClient.connect();

    client.send({ type: 'subscribe', id: 'x' });
    const error = await client.next((m) => m.type === 'error');

    expect(error).toEqual({
      type: 'error',
      id: 'x',
      payload: {
        errors: [
          {
            errorType: 'UnsupportedOperation',
            message: 'subscribe not supported through the realtime channel',
          },
        ],
      },
    });
    client.close();
  });
});

describe('the backend publisher adapter', () => {
  it('publishes through the same endpoint (plain HTTP URL) and subscribers receive the event', async () => {
    const roomId = room();
    const client = await RawClient.connect();
    const id = await client.subscribe(ROOM_EVENT, { roomId });
    const publisher = new AppSyncPublisher({
      graphqlUrl: stack.realtime.httpGraphqlUrl,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const event: RoomEvent<'NOTICE'> = {
      id: ulid(),
      roomId,
      kind: 'NOTICE',
      time: new Date().toISOString(),
      payload: { itemId: ulid(), level: 'warning', text: 'Doors close in 5 minutes' },
    };

    await publisher.publish(event);

    expect(readWireEvent(await client.received(id, event.id))).toEqual(event);
    client.close();
  });

  it('is what the in-process functions publish to', async () => {
    const before = stack.realtime.publishedCount;
    const { token } = await stack.adminTokens.issue({ roles: ['operator'] });

    const res = await fetch(`${stack.apiUrl}/admin/v1/notices`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        [stack.origin.header.name]: stack.origin.header.value,
      },
      body: JSON.stringify({ roomId: '*', level: 'info', text: 'Published by the admin function' }),
    });

    expect(res.status).toBe(201);
    expect(((await res.json()) as { pushed: boolean }).pushed).toBe(true);
    expect(stack.realtime.publishedCount).toBe(before + 1);
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('Condition not met in time.');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
