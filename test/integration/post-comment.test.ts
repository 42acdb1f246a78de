import { describe, expect, inject, it } from 'vitest';
import { testFunctions } from '../helpers/functions.js';
import { postEvent } from '../helpers/events.js';
import { testStores } from '../helpers/store.js';
import { signToken } from '../helpers/tokens.js';

const { postComment: handler } = testFunctions().handlers;

const stores = testStores();
const ISSUER = 'https://host.test/';
const AUDIENCE = 'hybrid-live-chat';

const token = (overrides: Parameters<typeof signToken>[1] = {}) =>
  signToken(inject('signingKey'), {
    sub: 'user-1',
    name: 'Ada',
    issuer: ISSUER,
    audience: AUDIENCE,
    ...overrides,
  });
const auth = async (overrides: Parameters<typeof signToken>[1] = {}) => ({
  Authorization: `Bearer ${await token(overrides)}`,
});
const body = (result: { body: string }) => JSON.parse(result.body);

async function expectNothingWritten(roomId: string) {
  expect(await stores.commentItems(roomId, 1)).toEqual([]);
  expect(await stores.controlItems(roomId)).toEqual([]);
}

describe('POST /v1/rooms/{roomId}/comments', () => {
  it('stores the comment with the identity from the token and answers 201', async () => {
    const room = await stores.room();

    const result = await handler(
      postEvent(room.roomId, { text: '  hello\r\n\r\n\r\nworld  ', clientMessageId: 'm1' }, await auth()),
    );

    expect(result.statusCode).toBe(201);
    const { comment } = body(result);
    expect(comment).toMatchObject({
      roomId: room.roomId,
      userId: 'user-1',
      displayName: 'Ada',
      text: 'hello\nworld',
    });
    expect(result.headers?.['Cache-Control']).toBe('no-store');
    const items = await stores.commentItems(room.roomId, 1);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ sk: comment.id, text: 'hello\nworld', userId: 'user-1' });
    expect(Number(items[0]!.expiresAt)).toBeGreaterThan(Date.now() / 1000 + 29 * 86_400);
  });

  it('returns the first comment again when the same clientMessageId is retried', async () => {
    const room = await stores.room();
    const first = await handler(
      postEvent(room.roomId, { text: 'once', clientMessageId: 'retry-1' }, await auth()),
    );

    const again = await handler(
      postEvent(room.roomId, { text: 'once', clientMessageId: 'retry-1' }, await auth()),
    );

    expect(again.statusCode).toBe(201);
    expect(again.headers?.['Idempotent-Replayed']).toBe('true');
    expect(body(again).comment).toEqual(body(first).comment);
    expect(await stores.commentItems(room.roomId, 1)).toHaveLength(1);
  });

  it('creates exactly one comment from 20 concurrent copies of one request', async () => {
    const room = await stores.room({ shards: 4 });
    const headers = await auth();

    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        handler(postEvent(room.roomId, { text: 'race', clientMessageId: 'dup' }, headers)),
      ),
    );

    expect(results.map((r) => r.statusCode)).toEqual(Array(20).fill(201));
    expect(new Set(results.map((r) => body(r).comment.id)).size).toBe(1);
    expect(await stores.commentItems(room.roomId, 4)).toHaveLength(1);
  });

  it('refuses a clientMessageId reused for a different text with 422 and stores nothing new', async () => {
    const room = await stores.room();
    await handler(postEvent(room.roomId, { text: 'first', clientMessageId: 'same' }, await auth()));

    const result = await handler(
      postEvent(room.roomId, { text: 'second', clientMessageId: 'same' }, await auth()),
    );

    expect(result.statusCode).toBe(422);
    expect(body(result)).toMatchObject({ code: 'client_message_id_reused', retryable: false });
    expect((await stores.commentItems(room.roomId, 1)).map((i) => i.text)).toEqual(['first']);
  });

  it('lets two users use the same clientMessageId independently', async () => {
    const room = await stores.room();

    const a = await handler(
      postEvent(room.roomId, { text: 'hi', clientMessageId: 'c1' }, await auth({ sub: 'a' })),
    );
    const b = await handler(
      postEvent(room.roomId, { text: 'hi', clientMessageId: 'c1' }, await auth({ sub: 'b' })),
    );

    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(body(a).comment.id).not.toBe(body(b).comment.id);
  });

  it('returns 429 with Retry-After when the user posts inside the slow-mode window', async () => {
    const room = await stores.room({ settings: { slowModeSeconds: 30 } });
    const headers = await auth();
    await handler(postEvent(room.roomId, { text: 'one', clientMessageId: 's1' }, headers));

    const second = await handler(postEvent(room.roomId, { text: 'two', clientMessageId: 's2' }, headers));

    expect(second.statusCode).toBe(429);
    expect(body(second)).toMatchObject({ code: 'slow_mode', retryable: true });
    expect(body(second).retryAfterSec).toBeGreaterThanOrEqual(29);
    expect(body(second).retryAfterSec).toBeLessThanOrEqual(30);
    expect(second.headers?.['Retry-After']).toBe(String(body(second).retryAfterSec));
    expect((await stores.commentItems(room.roomId, 1)).map((i) => i.text)).toEqual(['one']);
  });

  it('replays a retry inside the slow-mode window instead of refusing it', async () => {
    const room = await stores.room({ settings: { slowModeSeconds: 30 } });
    const headers = await auth();
    const first = await handler(postEvent(room.roomId, { text: 'one', clientMessageId: 's1' }, headers));

    const retry = await handler(postEvent(room.roomId, { text: 'one', clientMessageId: 's1' }, headers));

    expect(retry.statusCode).toBe(201);
    expect(body(retry).comment.id).toBe(body(first).comment.id);
  });

  it('slows each user down separately', async () => {
    const room = await stores.room({ settings: { slowModeSeconds: 30 } });

    const a = await handler(
      postEvent(room.roomId, { text: 'a', clientMessageId: 'x' }, await auth({ sub: 'a' })),
    );
    const b = await handler(
      postEvent(room.roomId, { text: 'b', clientMessageId: 'x' }, await auth({ sub: 'b' })),
    );

    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
  });

  describe('refuses bad tokens with 401 and writes nothing', () => {
    const cases: [string, () => Promise<Record<string, string>>][] = [
      ['no Authorization header', async () => ({})],
      ['a scheme other than Bearer', async () => ({ Authorization: `Basic ${await token()}` })],
      ['a malformed token', async () => ({ Authorization: 'Bearer not.a.jwt' })],
      ['an expired token', () => auth({ expiresIn: -60 })],
      ['another audience', () => auth({ audience: 'someone-else' })],
      ['another issuer', () => auth({ issuer: 'https://evil.test/' })],
      [
        'a token signed by an unknown key',
        async () => ({
          Authorization: `Bearer ${await signToken(inject('otherSigningKey'), { sub: 'user-1', name: 'Ada', issuer: ISSUER, audience: AUDIENCE })}`,
        }),
      ],
      ['no display name claim', () => auth({ name: undefined as unknown as string })],
      ['no subject claim', () => auth({ sub: undefined as unknown as string })],
    ];
    it.each(cases)('%s', async (_, headers) => {
      const room = await stores.room();

      const result = await handler(
        postEvent(room.roomId, { text: 'hi', clientMessageId: 'm' }, await headers()),
      );

      expect(result.statusCode).toBe(401);
      expect(body(result)).toMatchObject({ code: 'unauthorized', retryable: false });
      await expectNothingWritten(room.roomId);
    });
  });

  describe('refuses bad requests and writes nothing', () => {
    const cases: [string, unknown, Record<string, string>, number, string][] = [
      ['invalid JSON', '{"text": ', {}, 400, 'invalid_json'],
      ['an unknown field', { text: 'hi', clientMessageId: 'm', userId: 'admin' }, {}, 400, 'invalid_body'],
      ['a missing clientMessageId', { text: 'hi' }, {}, 400, 'invalid_body'],
      ['a text of the wrong type', { text: 42, clientMessageId: 'm' }, {}, 400, 'invalid_body'],
      [
        'a clientMessageId with a key delimiter',
        { text: 'hi', clientMessageId: 'a#b' },
        {},
        400,
        'invalid_body',
      ],
      ['a body that is not an object', '[1,2]', {}, 400, 'invalid_body'],
      [
        'another media type',
        'text=hi',
        { 'Content-Type': 'application/x-www-form-urlencoded' },
        415,
        'unsupported_media_type',
      ],
      ['a body over 8 KiB', { text: 'x'.repeat(9000), clientMessageId: 'm' }, {}, 413, 'payload_too_large'],
      [
        'text over the room limit',
        { text: 'あ'.repeat(201), clientMessageId: 'm' },
        {},
        422,
        'text_too_long',
      ],
      [
        'only invisible characters',
        { text: ' \u200B\u3000\u2800 ', clientMessageId: 'm' },
        {},
        422,
        'empty_text',
      ],
      ['control characters', { text: 'bell\u0007', clientMessageId: 'm' }, {}, 422, 'invalid_characters'],
    ];
    it.each(cases)('%s', async (_, payload, extraHeaders, status, code) => {
      const room = await stores.room();

      const result = await handler(postEvent(room.roomId, payload, { ...(await auth()), ...extraHeaders }));

      expect(result.statusCode).toBe(status);
      expect(body(result)).toMatchObject({ code, retryable: false });
      expect(typeof body(result).message).toBe('string');
      await expectNothingWritten(room.roomId);
    });
  });

  it('counts the length limit in code points, per room', async () => {
    const room = await stores.room({ settings: { maxCommentLength: 5 } });

    const emoji = await handler(
      postEvent(room.roomId, { text: '😀😀😀😀😀', clientMessageId: 'e' }, await auth()),
    );
    const long = await handler(
      postEvent(room.roomId, { text: 'abcdef', clientMessageId: 'f' }, await auth()),
    );

    expect(emoji.statusCode).toBe(201);
    expect(long.statusCode).toBe(422);
  });

  it('returns 404 for a room that does not exist', async () => {
    const result = await handler(
      postEvent('no-such-room', { text: 'hi', clientMessageId: 'm' }, await auth()),
    );

    expect(result.statusCode).toBe(404);
    expect(body(result)).toMatchObject({ code: 'room_not_found' });
    await expectNothingWritten('no-such-room');
  });

  it('returns 400 for a room id that cannot exist', async () => {
    const result = await handler(postEvent('bad#id', { text: 'hi', clientMessageId: 'm' }, await auth()));

    expect(result.statusCode).toBe(400);
    expect(body(result).code).toBe('invalid_room_id');
  });

  it('returns 403 for a closed room and writes nothing', async () => {
    const room = await stores.room({ status: 'closed' });

    const result = await handler(postEvent(room.roomId, { text: 'hi', clientMessageId: 'm' }, await auth()));

    expect(result.statusCode).toBe(403);
    expect(body(result)).toMatchObject({ code: 'room_closed', retryable: false });
    await expectNothingWritten(room.roomId);
  });

  it('still answers a retry of a comment accepted before the room closed', async () => {
    const room = await stores.room();
    const first = await handler(
      postEvent(room.roomId, { text: 'last', clientMessageId: 'late' }, await auth()),
    );
    await stores.setStatus(room.roomId, 'closed');

    const retry = await handler(
      postEvent(room.roomId, { text: 'last', clientMessageId: 'late' }, await auth()),
    );

    expect(retry.statusCode).toBe(201);
    expect(body(retry).comment.id).toBe(body(first).comment.id);
  });
});
