import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAppSyncSchema } from '../../../graphql/appsync-schema.js';
import { AppSyncEngine } from '../../../local/appsync/engine.js';
import { loadResolvers, type ResolverMap } from '../../../local/appsync/resolvers.js';
import { loadAppSyncSchema } from '../../../local/appsync/schema.js';

/**
 * The engine behind the local AppSync endpoint, driven directly: the schema
 * file and resolver bundles CDK deploys, requests authenticated as the HTTP
 * and realtime paths authenticate them.
 */
const API_KEY = 'da2-localkey00000000000000000';
const HOST = '127.0.0.1:4001';
let resolvers: ResolverMap;
let engine: AppSyncEngine;

beforeAll(async () => {
  resolvers = await loadResolvers();
  engine = new AppSyncEngine(loadAppSyncSchema(), resolvers, { auth: { apiKey: API_KEY } });
});

const event = (roomId: string, id = '01JD2Y3K4M5N6P7Q8R9S0T1V2W') => ({
  id,
  roomId,
  kind: 'PING',
  time: '2030-01-01T00:00:00.000Z',
  payload: '{"nonce":"n"}',
});

/** A POST /graphql signed with the local credentials, as the backend publisher sends it. */
async function signedRequest(body: string) {
  const signer = new SignatureV4({
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    region: 'us-east-1',
    service: 'appsync',
    sha256: Sha256,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 4001,
      path: '/graphql',
      headers: { host: HOST, 'content-type': 'application/json' },
      body,
    }),
  );
  const headers = Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    method: 'POST',
    path: '/graphql',
    query: new URLSearchParams(),
    headers,
    body,
    sourceIp: '127.0.0.1',
  };
}

async function publish(value: Record<string, unknown>, selection = '{ id roomId kind time payload }') {
  const query = `mutation ($event: RoomEventInput!) { publish(event: $event) ${selection} }`;
  return engine.executeHttp(await signedRequest(JSON.stringify({ query, variables: { event: value } })));
}

/** Starts a subscription with the API key; its data messages' payloads are collected in `received`. */
async function subscribe(query: string, variables: Record<string, unknown> = {}, on = engine) {
  const data = JSON.stringify({ query, variables });
  const result = await on.prepareSubscription(data, { host: HOST, 'x-api-key': API_KEY });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const received: string[] = [];
  const stop = on.register(result.subscription, (payload) => received.push(payload));
  return { received, stop, subscription: result.subscription };
}

const ROOM_EVENT = `subscription ($roomId: ID!) { onRoomEvent(roomId: $roomId) { id roomId kind time payload } }`;

describe('fan-out', () => {
  it('serializes one payload for subscribers of the same request and delivers it to each', async () => {
    const first = await subscribe(ROOM_EVENT, { roomId: 'share' });
    const second = await subscribe(ROOM_EVENT, { roomId: 'share' });
    const before = engine.stats();

    await publish(event('share'));

    expect(first.received).toHaveLength(1);
    expect(second.received[0]).toBe(first.received[0]);
    expect(JSON.parse(first.received[0]!)).toEqual({ data: { onRoomEvent: event('share') } });
    expect(engine.stats()).toMatchObject({
      published: before.published + 1,
      delivered: before.delivered + 2,
    });
    first.stop();
    second.stop();
  });

  it('projects the event onto each selection: aliases, fragments, @include, __typename, null where the mutation did not select', async () => {
    const query = `
      subscription ($roomId: ID!, $withTime: Boolean!) {
        ev: onRoomEvent(roomId: $roomId) { ...Fields at: time @include(if: $withTime) __typename }
      }
      fragment Fields on RoomEvent { eventId: id kind payload }`;
    const withTime = await subscribe(query, { roomId: 'shape', withTime: true });
    const withoutTime = await subscribe(query, { roomId: 'shape', withTime: false });

    await publish(event('shape'), '{ roomId identifier: id kind t: time }');

    expect(JSON.parse(withTime.received[0]!)).toEqual({
      data: {
        ev: {
          eventId: event('shape').id,
          kind: 'PING',
          payload: null,
          at: '2030-01-01T00:00:00.000Z',
          __typename: 'RoomEvent',
        },
      },
    });
    expect(JSON.parse(withoutTime.received[0]!)).toEqual({
      data: { ev: { eventId: event('shape').id, kind: 'PING', payload: null, __typename: 'RoomEvent' } },
    });
    withTime.stop();
    withoutTime.stop();
  });

  it('filters by the room argument and by the enhanced filter the resolver set', async () => {
    const roomA = await subscribe(ROOM_EVENT, { roomId: 'filter-a' });
    const global = await subscribe(`subscription { onGlobalEvent { id roomId } }`, {});

    await publish(event('filter-b', '01JD2Y3K4M5N6P7Q8R9S0T1V2A'));
    await publish(event('filter-a', '01JD2Y3K4M5N6P7Q8R9S0T1V2B'));
    await publish(event('*', '01JD2Y3K4M5N6P7Q8R9S0T1V2C'));

    expect(roomA.received.map((p) => JSON.parse(p).data.onRoomEvent.id)).toEqual([
      '01JD2Y3K4M5N6P7Q8R9S0T1V2B',
    ]);
    expect(global.received.map((p) => JSON.parse(p).data.onGlobalEvent)).toEqual([
      { id: '01JD2Y3K4M5N6P7Q8R9S0T1V2C', roomId: '*' },
    ]);
    expect(global.subscription.filter).toBeDefined();
    roomA.stop();
    global.stop();
  });

  it('stops delivering once unregistered, and counts open subscriptions by field and arguments', async () => {
    const kept = await subscribe(ROOM_EVENT, { roomId: 'count' });
    const stopped = await subscribe(ROOM_EVENT, { roomId: 'count' });
    const other = await subscribe(ROOM_EVENT, { roomId: 'count-other' });

    expect(engine.countSubscriptions('onRoomEvent', { roomId: 'count' })).toBe(2);
    stopped.stop();
    stopped.stop();
    await publish(event('count'));

    expect(engine.countSubscriptions('onRoomEvent', { roomId: 'count' })).toBe(1);
    expect(kept.received).toHaveLength(1);
    expect(stopped.received).toEqual([]);
    kept.stop();
    other.stop();
    expect(engine.countSubscriptions('onRoomEvent')).toBe(0);
  });

  it('sends nothing when the mutation fails', async () => {
    const sub = await subscribe(ROOM_EVENT, { roomId: 'failing' });

    const result = await publish({ ...event('failing'), roomId: 'not a room id!' });

    expect(result.body.data).toEqual({ publish: null });
    expect(result.body.errors?.[0]).toMatchObject({ errorType: 'BadRequest', path: ['publish'] });
    expect(sub.received).toEqual([]);
    sub.stop();
  });
});

describe('starts', () => {
  it('refuses a selection the caller’s mode may not read, naming the field', async () => {
    const schema = parseAppSyncSchema(`
      type Secretive @aws_api_key @aws_iam { id: ID! secret: String @aws_iam }
      type Query { version: String }
      type Mutation { tell(id: ID!): Secretive @aws_iam }
      type Subscription { onTell: Secretive @aws_subscribe(mutations: ["tell"]) @aws_api_key @aws_iam }
    `);
    const strict = new AppSyncEngine(schema, new Map(), { auth: { apiKey: API_KEY } });
    const data = JSON.stringify({ query: 'subscription { onTell { id secret } }' });

    const refused = await strict.prepareSubscription(data, { host: HOST, 'x-api-key': API_KEY });
    const allowed = await subscribe('subscription { onTell { id } }', {}, strict);

    expect(refused).toEqual({
      ok: false,
      errors: [{ errorType: 'Unauthorized', message: 'Not Authorized to access secret on type Secretive' }],
    });
    expect(allowed.subscription.fieldName).toBe('onTell');
  });

  it('reports variables graphql-js cannot coerce as validation errors', async () => {
    const data = JSON.stringify({ query: ROOM_EVENT, variables: {} });

    const result = await engine.prepareSubscription(data, { host: HOST, 'x-api-key': API_KEY });

    expect(result).toEqual({
      ok: false,
      errors: [{ errorType: 'ValidationError', message: expect.stringContaining('$roomId') }],
    });
  });

  it('keys subscriptions by request text and filter, so equal requests share a group', async () => {
    const a = await subscribe(ROOM_EVENT, { roomId: 'key-a' });
    const b = await subscribe(ROOM_EVENT, { roomId: 'key-a' });
    const c = await subscribe(ROOM_EVENT, { roomId: 'key-b' });

    expect(b.subscription.key).toBe(a.subscription.key);
    expect(c.subscription.key).not.toBe(a.subscription.key);
    for (const s of [a, b, c]) s.stop();
  });
});
