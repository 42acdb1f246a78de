import { randomUUID } from 'node:crypto';
import { request as httpRequest, type Server } from 'node:http';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Room } from '../../../lambdas/domain/rooms/room.js';
import { LocalApiGateway } from '../../../local/api-gateway.js';
import type { DevUserPool } from '../../../local/dev-user-pool.js';
import { createOriginServer, type LocalServices } from '../../../local/server.js';
import { expectErrorShape, tablesSnapshot } from '../../helpers/bad-input.js';
import { ORIGIN_HEADER } from '../../../lambdas/routes.js';
import { postEvent, TEST_ORIGIN_SECRET } from '../../helpers/events.js';
import { TEST_TOKEN_AUDIENCE, TEST_TOKEN_ISSUER, testFunctions } from '../../helpers/functions.js';
import { testStores } from '../../helpers/store.js';
import { signToken, type TokenOptions } from '../../helpers/tokens.js';

/**
 * Bad input to the viewer POST (`POST /v1/rooms/{roomId}/comments`), as a table: the handler runs
 * in-process against DynamoDB Local; the bodies that only exist as bytes on the wire go through
 * the local API gateway over real HTTP. Every case gets its 4xx in the `{ code, message,
 * retryable }` shape, and both tables hold exactly what they held before.
 */
const { postComment: handler } = testFunctions().handlers;
const stores = testStores();
/** Every id this file makes carries it, so the tables' snapshot is this file's alone. */
const MARKER = `bi${randomUUID().slice(0, 8)}`;

let open: Room;
let closed: Room;

beforeAll(async () => {
  open = await stores.room({ roomId: `${MARKER}-open` });
  closed = await stores.room({ roomId: `${MARKER}-closed`, status: 'closed' });
});

const viewer = (overrides: TokenOptions = {}) =>
  signToken(inject('signingKey'), {
    sub: `${MARKER}-viewer`,
    name: 'Ada',
    issuer: TEST_TOKEN_ISSUER,
    audience: TEST_TOKEN_AUDIENCE,
    ...overrides,
  });
const bearer = async (token: string | Promise<string>) => ({ Authorization: `Bearer ${await token}` });
const good = () => ({ text: 'hello', clientMessageId: `m-${randomUUID().slice(0, 8)}` });

/** A token whose signature is real but was made for another payload. */
async function tamperedToken(): Promise<string> {
  const [header, , signature] = (await viewer()).split('.');
  const payload = Buffer.from(
    JSON.stringify({ sub: 'admin', name: 'Ada', iss: TEST_TOKEN_ISSUER, aud: TEST_TOKEN_AUDIENCE, exp: 9e9 }),
  ).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

interface Case {
  readonly name: string;
  /** Default the open room. */
  readonly roomId?: () => string;
  /** Default a good viewer token. */
  readonly headers?: () => Promise<Record<string, string>>;
  /** A string is sent as is; anything else as JSON. Default a good body. */
  readonly body?: unknown;
  readonly status: number;
  readonly code: string;
  /** What the message must say, where it matters. */
  readonly message?: RegExp;
}

const cases: Case[] = [
  // Forged, replayed or misaddressed tokens
  { name: 'no Authorization header', headers: async () => ({}), status: 401, code: 'unauthorized' },
  {
    name: 'a Basic scheme',
    headers: async () => ({ Authorization: `Basic ${await viewer()}` }),
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'an unsigned token (alg none)',
    headers: () => bearer(unsignedToken()),
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'a token signed with a shared secret (HS256)',
    headers: () => bearer(hmacToken()),
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'a token signed by another key under the trusted key id',
    headers: () =>
      bearer(
        signToken(inject('otherSigningKey'), {
          sub: 'x',
          name: 'Ada',
          issuer: TEST_TOKEN_ISSUER,
          audience: TEST_TOKEN_AUDIENCE,
        }),
      ),
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'a token whose payload was swapped under its signature',
    headers: () => bearer(tamperedToken()),
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'a token from another issuer',
    headers: () => bearer(viewer({ issuer: 'https://evil.test/' })),
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'a token for another audience',
    headers: () => bearer(viewer({ audience: 'another-app' })),
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'an expired token replayed',
    headers: () => bearer(viewer({ expiresIn: -120 })),
    status: 401,
    code: 'unauthorized',
  },
  // Authentic tokens whose display name breaks the rule: the host must fix it, so 422, not 401 (ADR 0005).
  {
    name: 'a display name with a bidi override',
    headers: () => bearer(viewer({ name: 'Ada\u202Eevil' })),
    status: 422,
    code: 'invalid_display_name',
    message: /bidi control characters.*host service/,
  },
  {
    name: 'a display name with a control character',
    headers: () => bearer(viewer({ name: 'Ada\u0007' })),
    status: 422,
    code: 'invalid_display_name',
    message: /control characters.*host service/,
  },
  {
    name: 'a display name with a line break',
    headers: () => bearer(viewer({ name: 'Ada\nOperator' })),
    status: 422,
    code: 'invalid_display_name',
    message: /line breaks.*host service/,
  },
  {
    name: 'a display name of zero-width characters only',
    headers: () => bearer(viewer({ name: '\u200B\u2060' })),
    status: 422,
    code: 'invalid_display_name',
    message: /empty.*host service/,
  },
  {
    name: 'a display name of 65 characters',
    headers: () => bearer(viewer({ name: 'A'.repeat(65) })),
    status: 422,
    code: 'invalid_display_name',
    message: /65 characters long; at most 64.*host service/,
  },
  { name: 'malformed JSON', body: '{"text": "hi",', status: 400, code: 'invalid_json' },
  { name: 'an empty body', body: '', status: 400, code: 'invalid_json' },
  { name: 'a JSON null', body: 'null', status: 400, code: 'invalid_body' },
  { name: 'a JSON array', body: '[{"text":"hi","clientMessageId":"m"}]', status: 400, code: 'invalid_body' },
  {
    name: 'a text that is a number',
    body: { text: 42, clientMessageId: 'm-1' },
    status: 400,
    code: 'invalid_body',
  },
  {
    name: 'a clientMessageId that is an object',
    body: { text: 'hi', clientMessageId: { id: 1 } },
    status: 400,
    code: 'invalid_body',
  },
  { name: 'a missing text', body: { clientMessageId: 'm-1' }, status: 400, code: 'invalid_body' },
  {
    name: 'an unknown field naming another user',
    body: { ...good(), userId: 'someone-else' },
    status: 400,
    code: 'invalid_body',
  },
  {
    name: 'an unknown field setting a display name',
    body: { ...good(), displayName: 'Operator' },
    status: 400,
    code: 'invalid_body',
  },
  {
    name: 'a __proto__ field',
    body: '{"text":"hi","clientMessageId":"m-1","__proto__":{"admin":true}}',
    status: 400,
    code: 'invalid_body',
  },
  {
    name: 'a clientMessageId with a key delimiter',
    body: { text: 'hi', clientMessageId: `${MARKER}#x` },
    status: 400,
    code: 'invalid_body',
  },
  {
    name: 'a form body',
    body: 'text=hi&clientMessageId=m-1',
    headers: async () => ({
      ...(await bearer(viewer())),
      'Content-Type': 'application/x-www-form-urlencoded',
    }),
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'JSON sent as text/plain',
    headers: async () => ({ ...(await bearer(viewer())), 'Content-Type': 'text/plain' }),
    status: 415,
    code: 'unsupported_media_type',
  },
  // Oversize and unwanted characters
  {
    name: 'a body over 8 KiB',
    body: { text: 'x'.repeat(9000), clientMessageId: 'm-1' },
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: 'a text over the room limit',
    body: { text: 'あ'.repeat(201), clientMessageId: 'm-1' },
    status: 422,
    code: 'text_too_long',
  },
  {
    name: 'a control character in the text',
    body: { text: 'hi\u001B[31m', clientMessageId: 'm-1' },
    status: 422,
    code: 'invalid_characters',
  },
  {
    name: 'a NUL in the text',
    body: { text: 'hi\u0000', clientMessageId: 'm-1' },
    status: 422,
    code: 'invalid_characters',
  },
  {
    name: 'a text of bidi controls only',
    body: { text: '\u202E\u2066\u200F', clientMessageId: 'm-1' },
    status: 422,
    code: 'empty_text',
  },
  {
    name: 'an unpaired surrogate in the text',
    body: '{"text":"hi \\ud800","clientMessageId":"m-1"}',
    status: 422,
    code: 'invalid_text',
  },
  // Rooms that cannot take the post
  { name: 'a room id that cannot exist', roomId: () => '../admin', status: 400, code: 'invalid_room_id' },
  {
    name: 'a room id with a bidi override',
    roomId: () => `${MARKER}\u202Eopen`,
    status: 400,
    code: 'invalid_room_id',
  },
  {
    name: 'a room that does not exist',
    roomId: () => `${MARKER}-missing`,
    status: 404,
    code: 'room_not_found',
  },
  { name: 'a closed room', roomId: () => closed.roomId, status: 403, code: 'room_closed' },
];

function unsignedToken(): string {
  return new UnsecuredJWT({ name: 'Ada' })
    .setSubject(`${MARKER}-viewer`)
    .setIssuer(TEST_TOKEN_ISSUER)
    .setAudience(TEST_TOKEN_AUDIENCE)
    .setExpirationTime('10m')
    .encode();
}

function hmacToken(): Promise<string> {
  return new SignJWT({ name: 'Ada' })
    .setProtectedHeader({ alg: 'HS256', kid: 'test-key' })
    .setSubject(`${MARKER}-viewer`)
    .setIssuer(TEST_TOKEN_ISSUER)
    .setAudience(TEST_TOKEN_AUDIENCE)
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode('a secret anyone could guess'));
}

describe('POST /v1/rooms/{roomId}/comments refuses bad input and writes nothing', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const headers = await (c.headers ?? (() => bearer(viewer())))();
    const before = await tablesSnapshot(stores, MARKER);

    const result = await handler(postEvent(c.roomId?.() ?? open.roomId, c.body ?? good(), headers));

    expect(result.statusCode).toBe(c.status);
    expectErrorShape(JSON.parse(result.body), c.code);
    if (c.message) expect(JSON.parse(result.body).message).toMatch(c.message);
    expect(await tablesSnapshot(stores, MARKER)).toEqual(before);
  });
});

describe('POST /v1/rooms/{roomId}/comments over HTTP through the local API gateway', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    const gateway = new LocalApiGateway(testFunctions().handlers, {} as DevUserPool);
    // The origin server reads nothing of the services but the gateway.
    server = createOriginServer({ gateway } as unknown as LocalServices);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** POSTs the exact bytes given, as a client with a broken encoder would. */
  async function postBytes(bytes: Buffer, roomId = open.roomId) {
    const token = await viewer();
    return new Promise<{ status: number; body: unknown }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: `/v1/rooms/${roomId}/comments`,
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'content-length': bytes.length,
            authorization: `Bearer ${token}`,
            // What CloudFront (locally, the edge) adds: the origin answers nothing without it (ADR 0030).
            [ORIGIN_HEADER]: TEST_ORIGIN_SECRET,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(bytes);
    });
  }

  const json = (before: string, bad: number[], after: string) =>
    Buffer.concat([Buffer.from(before, 'utf8'), Buffer.from(bad), Buffer.from(after, 'utf8')]);

  it.each([
    ['Latin-1 text (0xE9 for é)', [0xe9]],
    ['a byte that never occurs in UTF-8 (0xFF)', [0xff]],
    ['an overlong encoding of "<" (0xC0 0xBC)', [0xc0, 0xbc]],
    ['an encoded surrogate half (0xED 0xA0 0x80)', [0xed, 0xa0, 0x80]],
    ['a truncated four-byte sequence (0xF0 0x9F 0x98)', [0xf0, 0x9f, 0x98]],
  ])('returns 400 invalid_utf8 for a body with %s and writes nothing', async (_, bad) => {
    const before = await tablesSnapshot(stores, MARKER);

    const result = await postBytes(json('{"text":"caf', bad, `","clientMessageId":"${MARKER}-utf8"}`));

    expect(result.status).toBe(400);
    expectErrorShape(result.body, 'invalid_utf8');
    expect(await tablesSnapshot(stores, MARKER)).toEqual(before);
  });

  it('stores a body of valid multi-byte UTF-8 sent the same way, as sent', async () => {
    const room = await stores.room({ roomId: `${MARKER}-utf8-ok` });
    const text = 'café 😀 日本語';

    const result = await postBytes(
      Buffer.from(JSON.stringify({ text, clientMessageId: `${MARKER}-ok` }), 'utf8'),
      room.roomId,
    );

    expect(result.status).toBe(201);
    expect((await stores.commentItems(room.roomId, 1)).map((i) => i.text)).toEqual([text]);
  });
});
