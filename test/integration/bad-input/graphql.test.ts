import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLISH_MUTATION } from '../../../lambdas/adapters/appsync-publisher.js';
import { GLOBAL_EVENT, ROOM_EVENT } from '../../../lambdas/domain/realtime/subscriptions.js';
import { AppSyncEngine } from '../../../local/appsync/engine.js';
import { loadResolvers } from '../../../local/appsync/resolvers.js';
import { loadAppSyncSchema } from '../../../local/appsync/schema.js';
import { sigV4 } from '../../helpers/appsync.js';

/**
 * Bad input to the GraphQL endpoint, as a table: the local AppSync engine with the schema and the
 * resolver bundles CDK deploys, driven in-process. `publish` is IAM-only; subscriptions take the
 * API key. Each case gets AppSync's error shape, and nothing is published: a subscriber of the room
 * and one of every room receive nothing, and the engine counts no publish.
 */
const API_KEY = 'da2-badinput0000000000000000';
const HOST = '127.0.0.1:4001';
const ROOM = 'bad-input-room';
let engine: AppSyncEngine;
const received: string[] = [];
const stops: (() => void)[] = [];

beforeAll(async () => {
  engine = new AppSyncEngine(loadAppSyncSchema(), await loadResolvers(), { auth: { apiKey: API_KEY } });
  for (const [query, variables] of [
    [ROOM_EVENT, { roomId: ROOM }],
    [GLOBAL_EVENT, {}],
  ] as const) {
    const started = await engine.prepareSubscription(JSON.stringify({ query, variables }), {
      host: HOST,
      'x-api-key': API_KEY,
    });
    if (!started.ok) throw new Error(JSON.stringify(started.errors));
    stops.push(engine.register(started.subscription, (payload) => received.push(payload)));
  }
});
afterAll(() => stops.forEach((stop) => stop()));

const goodEvent = (overrides: Record<string, unknown> = {}) => ({
  id: ulid(),
  roomId: ROOM,
  kind: 'PING',
  time: new Date().toISOString(),
  payload: '{"nonce":"n"}',
  ...overrides,
});
const publishBody = (event: unknown, query = PUBLISH_MUTATION) =>
  JSON.stringify({ query, variables: { event } });

interface SigningOptions {
  readonly secretAccessKey?: string;
  readonly signingDate?: Date;
}

/** A POST /graphql as the engine sees it; signed with SigV4 unless `headers` are given. */
async function request(body: string, signing: SigningOptions | { headers: Record<string, string> } = {}) {
  let headers: Record<string, string>;
  if ('headers' in signing) headers = { host: HOST, 'content-type': 'application/json', ...signing.headers };
  else {
    const signed = await sigV4(`http://${HOST}/graphql`, body, signing.secretAccessKey, signing.signingDate);
    headers = Object.fromEntries(Object.entries(signed).map(([k, v]) => [k.toLowerCase(), v]));
  }
  return {
    method: 'POST',
    path: '/graphql',
    query: new URLSearchParams(),
    headers,
    body,
    sourceIp: '127.0.0.1',
  };
}

interface PublishCase {
  readonly name: string;
  readonly send: () => ReturnType<typeof request>;
  readonly status: number;
  /** The local engine reports variables graphql-js cannot coerce as `Code` errors. */
  readonly errorType: string;
  /** What the message must name, where the error is about one field. */
  readonly names?: string;
}

const signedBody = (body: string) => () => request(body);
const publishCases: PublishCase[] = [
  {
    name: 'the API key instead of IAM on the IAM-only publish',
    send: () => request(publishBody(goodEvent()), { headers: { 'x-api-key': API_KEY } }),
    status: 200,
    errorType: 'Unauthorized',
  },
  {
    name: 'no credentials at all',
    send: () => request(publishBody(goodEvent()), { headers: {} }),
    status: 401,
    errorType: 'UnauthorizedException',
  },
  {
    name: 'a wrong API key',
    send: () => request(publishBody(goodEvent()), { headers: { 'x-api-key': 'da2-forged' } }),
    status: 401,
    errorType: 'UnauthorizedException',
  },
  {
    name: 'a signature made with another secret key',
    send: () => request(publishBody(goodEvent()), { secretAccessKey: 'not-the-secret' }),
    status: 401,
    errorType: 'UnauthorizedException',
  },
  {
    name: 'a signed request replayed after its signature expired',
    send: () => request(publishBody(goodEvent()), { signingDate: new Date(Date.now() - 20 * 60_000) }),
    status: 401,
    errorType: 'UnauthorizedException',
  },
  {
    name: 'a signed request whose body was changed after signing',
    send: async () => {
      const signed = await request(publishBody(goodEvent()));
      return { ...signed, body: publishBody(goodEvent({ kind: 'NOTICE' })) };
    },
    status: 401,
    errorType: 'UnauthorizedException',
  },
  {
    name: 'a body that is not JSON',
    send: signedBody('{"query": '),
    status: 400,
    errorType: 'MalformedHttpRequestException',
  },
  {
    name: 'a body with no query',
    send: signedBody('{"variables":{}}'),
    status: 400,
    errorType: 'MalformedHttpRequestException',
  },
  {
    name: 'a query that does not parse',
    send: signedBody('{"query":"mutation { publish("}'),
    status: 200,
    errorType: 'ValidationError',
  },
  {
    name: 'a room id that cannot exist',
    send: signedBody(publishBody(goodEvent({ roomId: 'not a room id!' }))),
    status: 200,
    errorType: 'BadRequest',
  },
  {
    name: 'a room id with a bidi override character',
    send: signedBody(publishBody(goodEvent({ roomId: `${ROOM}\u202E` }))),
    status: 200,
    errorType: 'BadRequest',
  },
  {
    name: 'a room id with a control character',
    send: signedBody(publishBody(goodEvent({ roomId: `${ROOM}\u0000` }))),
    status: 200,
    errorType: 'BadRequest',
  },
  {
    name: 'a kind outside the enum',
    send: signedBody(publishBody(goodEvent({ kind: 'SELF_DESTRUCT' }))),
    status: 200,
    errorType: 'Code',
    names: 'event.kind',
  },
  {
    name: 'a time that is not an AWSDateTime',
    send: signedBody(publishBody(goodEvent({ time: 'yesterday' }))),
    status: 200,
    errorType: 'Code',
    names: 'event.time',
  },
  {
    name: 'a payload that is not JSON',
    send: signedBody(publishBody(goodEvent({ payload: '{not json' }))),
    status: 200,
    errorType: 'Code',
    names: 'event.payload',
  },
  {
    name: 'an unknown input field',
    send: signedBody(publishBody(goodEvent({ sender: 'operator' }))),
    status: 200,
    errorType: 'Code',
    names: 'sender',
  },
  {
    name: 'a missing id',
    send: signedBody(publishBody({ ...goodEvent(), id: undefined })),
    status: 200,
    errorType: 'Code',
    names: '"id"',
  },
  {
    name: 'a room id of the wrong type',
    send: signedBody(publishBody(goodEvent({ roomId: { $ne: null } }))),
    status: 200,
    errorType: 'Code',
    names: 'event.roomId',
  },
];

describe('the GraphQL endpoint refuses bad publishes and publishes nothing', () => {
  it.each(publishCases.map((c) => [c.name, c] as const))(
    '%s',
    async (_, { send, status, errorType, names }) => {
      const before = engine.stats().published;

      const result = await engine.executeHttp(await send());

      expect(result.status).toBe(status);
      expect(result.body.errors?.[0]).toMatchObject({ errorType, message: expect.any(String) });
      if (names) expect(result.body.errors?.[0]?.message).toContain(names);
      expect((result.body.data as { publish?: unknown } | null | undefined)?.publish ?? null).toBeNull();
      expect(engine.stats().published).toBe(before);
      expect(received).toEqual([]);
    },
  );
});

interface StartCase {
  readonly name: string;
  readonly query: string;
  readonly variables: Record<string, unknown>;
  readonly headers: Record<string, string>;
  readonly errorType: string;
}

const withKey = { host: HOST, 'x-api-key': API_KEY };
const startCases: StartCase[] = [
  {
    name: 'no API key',
    query: ROOM_EVENT,
    variables: { roomId: ROOM },
    headers: { host: HOST },
    errorType: 'UnauthorizedException',
  },
  {
    name: 'a wrong API key',
    query: ROOM_EVENT,
    variables: { roomId: ROOM },
    headers: { host: HOST, 'x-api-key': 'da2-forged' },
    errorType: 'UnauthorizedException',
  },
  {
    name: 'a room id that cannot exist',
    query: ROOM_EVENT,
    variables: { roomId: '../other' },
    headers: withKey,
    errorType: 'BadRequest',
  },
  {
    name: 'a room id with a bidi override',
    query: ROOM_EVENT,
    variables: { roomId: `\u202E${ROOM}` },
    headers: withKey,
    errorType: 'BadRequest',
  },
  {
    name: 'a missing room id',
    query: ROOM_EVENT,
    variables: {},
    headers: withKey,
    errorType: 'ValidationError',
  },
  {
    name: 'an unknown field in the selection',
    query: 'subscription ($roomId: ID!) { onRoomEvent(roomId: $roomId) { id secret } }',
    variables: { roomId: ROOM },
    headers: withKey,
    errorType: 'ValidationError',
  },
  {
    name: 'the publish mutation over the subscription path',
    query: PUBLISH_MUTATION,
    variables: { event: goodEvent() },
    headers: withKey,
    errorType: 'UnsupportedOperation',
  },
];

describe('the GraphQL endpoint refuses bad subscriptions and opens none', () => {
  it.each(startCases.map((c) => [c.name, c] as const))(
    '%s',
    async (_, { query, variables, headers, errorType }) => {
      const open = engine.stats().subscriptions;
      const before = engine.stats().published;

      const result = await engine.prepareSubscription(JSON.stringify({ query, variables }), headers);

      expect(result.ok).toBe(false);
      expect(result.ok ? [] : result.errors[0]).toMatchObject({ errorType, message: expect.any(String) });
      expect(engine.stats()).toMatchObject({ subscriptions: open, published: before });
      expect(received).toEqual([]);
    },
  );
});
