import { request, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRoomCli } from '../../bin/room-cli.js';
import { segmentOf } from '../../lambdas/domain/feed/segments.js';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { cliEnv } from '../helpers/cli.js';
import { testStores } from '../helpers/store.js';

/**
 * The whole product as `npm start` runs it — DynamoDB Local, the handlers
 * behind the shared routes, the edge cache — driven over real HTTP.
 */
let stack: LocalStack;
let stores: ReturnType<typeof testStores>;
let roomCount = 0;

beforeAll(async () => {
  stack = await startLocalStack({ seed: true });
  stores = testStores(stack);
});
afterAll(async () => {
  await stack?.stop();
});

interface Comment {
  id: string;
  text: string;
  userId: string;
}

async function newRoom(...options: string[]): Promise<string> {
  const roomId = `e2e-${++roomCount}-${Date.now().toString(36)}`;
  await runRoomCli(['create', roomId, ...options], cliEnv(stack));
  return roomId;
}

async function tokenFor(userId: string, ttlSeconds?: number): Promise<string> {
  const res = await fetch(`${stack.edgeUrl}/local/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      userId,
      displayName: `Viewer ${userId}`,
      ...(ttlSeconds !== undefined ? { ttlSeconds } : {}),
    }),
  });
  return ((await res.json()) as { token: string }).token;
}

function post(
  roomId: string,
  token: string | undefined,
  body: unknown,
  headers: Record<string, string> = {},
) {
  return fetch(`${stack.edgeUrl}/v1/rooms/${roomId}/comments`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function getJson<T = Record<string, unknown>>(
  path: string,
): Promise<{ status: number; headers: Headers; body: T }> {
  const res = await fetch(`${stack.edgeUrl}${path}`);
  return { status: res.status, headers: res.headers, body: (await res.json()) as T };
}

/** Waits until `ready()` holds, checking every 50 ms (at most 15 s). */
async function until(ready: () => boolean): Promise<void> {
  for (let waited = 0; !ready(); waited += 50) {
    if (waited > 15_000) throw new Error('condition not met within 15 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A GET whose body arrives as sent (fetch would decompress it), with or without Accept-Encoding. */
function rawGet(
  path: string,
  acceptEncoding?: string,
): Promise<{ headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${stack.edgeUrl}${path}`,
      { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const edgeStats = async () =>
  (await getJson<{ originCalls: number; hits: number; collapsed: number }>('/local/edge')).body;

describe('local stack, end to end', () => {
  it('serves the seeded demo room', async () => {
    const { status, body } = await getJson<{ room: { roomId: string } }>('/v1/rooms/demo');

    expect(status).toBe(200);
    expect(body.room.roomId).toBe('demo');
  });

  it('shows a posted comment exactly once in live and in its segment', async () => {
    const roomId = await newRoom('--title', 'Once');
    const token = await tokenFor('alice');

    const res = await post(roomId, token, { text: 'hello, world', clientMessageId: 'c-1' });
    expect(res.status).toBe(201);
    const { comment } = (await res.json()) as { comment: Comment & { createdAt: string } };

    const live = await getJson<{ comments: Comment[] }>(`/v1/rooms/${roomId}/live`);
    expect(live.body.comments.filter((c) => c.id === comment.id)).toHaveLength(1);
    expect(live.body.comments[0]).toMatchObject({ text: 'hello, world', userId: 'alice' });

    const n = segmentOf(Date.parse(comment.createdAt), 10);
    const own = await getJson<{ comments: Comment[] }>(`/v1/rooms/${roomId}/segments/${n}`);
    const neighbours = await Promise.all(
      [n - 1, n + 1].map((m) => getJson<{ comments?: Comment[] }>(`/v1/rooms/${roomId}/segments/${m}`)),
    );
    expect(own.body.comments.filter((c) => c.id === comment.id)).toHaveLength(1);
    for (const other of neighbours)
      expect(other.body.comments ?? []).not.toContainEqual(expect.objectContaining({ id: comment.id }));
  });

  it('reaches the live handler once for 1,000 concurrent polls inside one poll interval', async () => {
    const roomId = await newRoom('--poll-seconds', '15');
    const before = await edgeStats();

    const responses = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        // Query strings are not part of the cache key, so they cannot bust the cache either.
        fetch(`${stack.edgeUrl}/v1/rooms/${roomId}/live${i % 2 ? `?nocache=${i}` : ''}`).then(async (r) => ({
          status: r.status,
          body: await r.text(),
        })),
      ),
    );

    const after = await edgeStats();
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(new Set(responses.map((r) => r.body)).size).toBe(1);
    expect(after.originCalls - before.originCalls).toBe(1);
  });

  it('caches live/{tick} per tick: one origin call per tick asked, however many viewers ask', async () => {
    // Prepare: a 15 s tick with at least 3 s of it left, so the current and previous ticks stay answered.
    const roomId = await newRoom('--poll-seconds', '15');
    await until(() => 15_000 - (Date.now() % 15_000) > 3_000);
    const tick = Math.floor(Date.now() / 15_000);
    const before = await edgeStats();

    // Act: 200 concurrent viewers on the current tick, then 200 on the previous one.
    const ask = (t: number) =>
      Promise.all(
        Array.from({ length: 200 }, () =>
          fetch(`${stack.edgeUrl}/v1/rooms/${roomId}/live/${t}`).then(async (r) => ({
            status: r.status,
            cacheControl: r.headers.get('cache-control'),
            body: await r.text(),
          })),
        ),
      );
    const current = await ask(tick);
    const previous = await ask(tick - 1);

    // Assess: one document per tick, each made once.
    const after = await edgeStats();
    for (const [answers, t] of [
      [current, tick],
      [previous, tick - 1],
    ] as const) {
      expect(answers.every((a) => a.status === 200)).toBe(true);
      expect(new Set(answers.map((a) => a.body)).size).toBe(1);
      expect((JSON.parse(answers[0]!.body) as { window: { tick: number } }).window.tick).toBe(t);
      expect(answers[0]!.cacheControl).toMatch(/^public, max-age=15, s-maxage=\d+$/);
    }
    expect(after.originCalls - before.originCalls).toBe(2);
  });

  it('compresses a document as CloudFront does: Brotli or gzip as the viewer accepts, the same bytes for every viewer', async () => {
    // Prepare: a room whose document is over CloudFront's 1,000-byte floor, on a 15 s tick.
    const roomId = await newRoom('--poll-seconds', '15');
    const token = await tokenFor('compress-viewer');
    for (let i = 0; i < 12; i++) {
      const res = await post(roomId, token, {
        text: `a comment long enough to count ${i}`,
        clientMessageId: `z-${i}`,
      });
      expect(res.status).toBe(201);
    }
    await until(() => 15_000 - (Date.now() % 15_000) > 3_000);
    const path = `/v1/rooms/${roomId}/live/${Math.floor(Date.now() / 15_000)}`;

    // Act: one viewer without Accept-Encoding, two asking for Brotli, one for gzip only.
    const plain = await rawGet(path);
    const [br1, br2] = [await rawGet(path, 'gzip, deflate, br'), await rawGet(path, 'gzip, deflate, br')];
    const gzip = await rawGet(path, 'gzip');

    // Assess
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.byteLength).toBeGreaterThan(1_000);
    expect(br1.headers['content-encoding']).toBe('br');
    expect(br1.headers.vary).toMatch(/Accept-Encoding/);
    expect(brotliDecompressSync(br1.body).equals(plain.body)).toBe(true);
    expect(br2.body.equals(br1.body)).toBe(true);
    expect(br1.body.byteLength).toBeLessThan(plain.body.byteLength / 2);
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).equals(plain.body)).toBe(true);
  });

  it('refuses a tick that has not started at the origin every time, never from the cache', async () => {
    const roomId = await newRoom('--poll-seconds', '15');
    const future = Math.floor(Date.now() / 15_000) + 5;
    const before = await edgeStats();

    const answers = [];
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${stack.edgeUrl}/v1/rooms/${roomId}/live/${future}`);
      answers.push({
        status: res.status,
        cacheControl: res.headers.get('cache-control'),
        body: await res.json(),
      });
    }

    const after = await edgeStats();
    for (const answer of answers) {
      expect(answer).toMatchObject({
        status: 404,
        cacheControl: 'no-store',
        body: { code: 'tick_not_started', retryable: false },
      });
    }
    expect(after.originCalls - before.originCalls).toBe(5);
  });

  it('creates one comment from 20 concurrent retries of one clientMessageId', async () => {
    const roomId = await newRoom('--shards', '4');
    const token = await tokenFor('bob');

    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        post(roomId, token, { text: 'only once', clientMessageId: 'retry-me' }),
      ),
    );

    const bodies = (await Promise.all(responses.map((r) => r.json()))) as { comment: Comment }[];
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(bodies.map((b) => b.comment.id)).size).toBe(1);
    expect(await stores.commentItems(roomId, 4)).toHaveLength(1);
  });

  it('answers 429 with Retry-After inside the slow-mode window', async () => {
    const roomId = await newRoom('--slow-mode', '20');
    const token = await tokenFor('carol');
    expect((await post(roomId, token, { text: 'first', clientMessageId: 'a' })).status).toBe(201);

    const second = await post(roomId, token, { text: 'second', clientMessageId: 'b' });

    expect(second.status).toBe(429);
    const retryAfter = Number(second.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(19);
    expect(retryAfter).toBeLessThanOrEqual(20);
    expect(await second.json()).toMatchObject({
      code: 'slow_mode',
      retryable: true,
      retryAfterSec: retryAfter,
    });
    expect(await stores.commentItems(roomId, 1)).toHaveLength(1);
  });

  describe('refuses bad requests with the right error and writes nothing', () => {
    const cases: [string, (roomId: string, token: string) => Promise<Response>, number, string][] = [
      ['invalid JSON', (r, t) => post(r, t, '{"text":'), 400, 'invalid_json'],
      [
        'an unknown field',
        (r, t) => post(r, t, { text: 'x', clientMessageId: 'm', displayName: 'Admin' }),
        400,
        'invalid_body',
      ],
      [
        'a wrong media type',
        (r, t) => post(r, t, 'x', { 'content-type': 'text/plain' }),
        415,
        'unsupported_media_type',
      ],
      [
        'an oversized body',
        (r, t) => post(r, t, { text: 'x'.repeat(20_000), clientMessageId: 'm' }),
        413,
        'payload_too_large',
      ],
      [
        'a body over the gateway limit',
        (r, t) => post(r, t, { text: 'x'.repeat(11 * 1024 * 1024), clientMessageId: 'm' }),
        413,
        'payload_too_large',
      ],
      [
        'a text over the room limit',
        (r, t) => post(r, t, { text: 'y'.repeat(201), clientMessageId: 'm' }),
        422,
        'text_too_long',
      ],
      ['no token', (r) => post(r, undefined, { text: 'x', clientMessageId: 'm' }), 401, 'unauthorized'],
      [
        'a forged token',
        (r, t) => post(r, t.slice(0, -4) + 'AAAA', { text: 'x', clientMessageId: 'm' }),
        401,
        'unauthorized',
      ],
      [
        'an expired token',
        async (r) => post(r, await tokenFor('late', -120), { text: 'x', clientMessageId: 'm' }),
        401,
        'unauthorized',
      ],
    ];
    it.each(cases)('%s', async (_, send, status, code) => {
      const roomId = await newRoom();
      const token = await tokenFor('dave');

      const res = await send(roomId, token);

      expect(res.status).toBe(status);
      expect(await res.json()).toMatchObject({ code, retryable: false });
      expect(await stores.commentItems(roomId, 1)).toEqual([]);
      expect(await stores.controlItems(roomId)).toEqual([]);
    });

    it('an unknown room', async () => {
      const res = await post('no-such-room', await tokenFor('erin'), { text: 'x', clientMessageId: 'm' });

      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ code: 'room_not_found', retryable: false });
      expect(await stores.commentItems('no-such-room', 1)).toEqual([]);
      expect(await stores.controlItems('no-such-room')).toEqual([]);
      expect((await getJson('/v1/rooms/no-such-room/live')).status).toBe(404);
    });
  });

  it('returns all of 500 posts over 4 shards in id order, none twice, from segments and live', async () => {
    const roomId = await newRoom('--shards', '4');
    const tokens = await Promise.all(Array.from({ length: 10 }, (_, i) => tokenFor(`poster-${i}`)));
    const posted: Comment[] = [];
    for (let batch = 0; batch < 50; batch++) {
      const responses = await Promise.all(
        tokens.map((token, i) =>
          post(roomId, token, { text: `comment ${batch}-${i}`, clientMessageId: `b${batch}` }),
        ),
      );
      for (const res of responses) {
        expect(res.status).toBe(201);
        posted.push(((await res.json()) as { comment: Comment }).comment);
      }
    }
    const expectedIds = posted.map((c) => c.id).sort();
    const shardsUsed = new Set((await stores.commentItems(roomId, 4)).map((i) => i.pk));
    expect(shardsUsed.size).toBe(4);

    // `live` holds every post of its window (a poll interval and 1.5 s back from its tick), in id
    // order, once each: the last batch at least, posted a moment ago.
    const live = await getJson<{ comments: Comment[]; truncated: boolean; window: { from: string } }>(
      `/v1/rooms/${roomId}/live`,
    );
    const times = posted.map((c) => Date.parse((c as Comment & { createdAt: string }).createdAt));
    const inWindow = posted
      .filter((_, i) => times[i]! >= Date.parse(live.body.window.from))
      .map((c) => c.id)
      .sort();
    expect(inWindow.length).toBeGreaterThanOrEqual(10);
    expect(live.body.truncated).toBe(false);
    expect(live.body.comments.map((c) => c.id)).toEqual(inWindow);

    const first = segmentOf(Math.min(...times), 10);
    const last = segmentOf(Math.max(...times), 10);
    const fromSegments: string[] = [];
    for (let n = first; n <= last; n++) {
      const segment = await getJson<{ comments: Comment[] }>(`/v1/rooms/${roomId}/segments/${n}`);
      expect(segment.status).toBe(200);
      fromSegments.push(...segment.body.comments.map((c) => c.id));
    }
    expect(fromSegments).toEqual(expectedIds);
  });

  it('shows a new comment on the first poll after the cached live document expires', async () => {
    const roomId = await newRoom('--poll-seconds', '1');
    const token = await tokenFor('frank');
    const cached = await getJson<{ comments: Comment[]; pollAfterMs: number }>(`/v1/rooms/${roomId}/live`);
    expect(cached.body.comments).toEqual([]);

    await post(roomId, token, { text: 'fresh', clientMessageId: 'f' });
    await new Promise((resolve) => setTimeout(resolve, cached.body.pollAfterMs + 50));

    const next = await getJson<{ comments: Comment[] }>(`/v1/rooms/${roomId}/live`);
    expect(next.body.comments.map((c) => c.text)).toEqual(['fresh']);
  });

  it('refuses a comment with one of the room’s NG words, however it is written, and writes nothing', async () => {
    const roomId = await newRoom('--ng-words', 'spoiler, ネタバレ');
    const token = await tokenFor('gina');

    const refused = await post(roomId, token, {
      text: 'ｓｐｏｉｌ ｅｒ: the drummer leaves',
      clientMessageId: 'n1',
    });
    const clean = await post(roomId, token, { text: 'what a show', clientMessageId: 'n2' });

    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ code: 'ng_word', retryable: false });
    expect(clean.status).toBe(201);
    expect((await stores.commentItems(roomId, 1)).map((i) => i.text)).toEqual(['what a show']);
  });

  it('answers CORS preflights and unknown routes like the gateway in AWS', async () => {
    const preflight = await fetch(`${stack.edgeUrl}/v1/rooms/demo/comments`, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Authorization');

    const missing = await getJson('/v1/nowhere');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ code: 'route_not_found', message: 'No such route.', retryable: false });
  });

  it('serves the OpenAPI document at /openapi.json, and a posted comment has the shape it documents', async () => {
    const roomId = await newRoom('--title', 'Documented');
    const posted = await post(roomId, await tokenFor('dora'), {
      text: 'as documented',
      clientMessageId: 'd-1',
    });

    const res = await fetch(`${stack.edgeUrl}/openapi.json`);

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const document = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, { required: string[]; properties: Record<string, unknown> }> };
    };
    expect(document.openapi).toMatch(/^3\.1\./);
    expect(document.paths['/v1/rooms/{roomId}/comments']?.post).toBeDefined();
    const { CommentCreated, Comment } = document.components.schemas;
    const body = (await posted.json()) as { comment: Record<string, unknown> };
    expect(Object.keys(body)).toEqual(CommentCreated!.required);
    expect(Object.keys(body.comment)).toEqual(expect.arrayContaining(Comment!.required));
    expect(Object.keys(Comment!.properties)).toEqual(expect.arrayContaining(Object.keys(body.comment)));
  });
});

describe('the locked origin (ADR 0030)', () => {
  it('refuses requests to the origin port without the edge’s header, and serves them through the edge', async () => {
    // Prepare
    const roomId = await newRoom();
    const { name, value } = stack.origin.header;

    // Act
    const direct = await fetch(`${stack.apiUrl}/v1/rooms/${roomId}`);
    const guessed = await fetch(`${stack.apiUrl}/v1/rooms/${roomId}`, { headers: { [name]: 'guess' } });
    const withHeader = await fetch(`${stack.apiUrl}/v1/rooms/${roomId}`, { headers: { [name]: value } });
    // A viewer's own copy of the header is replaced by the edge's, as CloudFront replaces it.
    const throughEdge = await fetch(`${stack.edgeUrl}/v1/rooms/${roomId}`, { headers: { [name]: 'guess' } });

    // Assess
    for (const refused of [direct, guessed]) {
      expect(refused.status).toBe(403);
      expect(refused.headers.get('cache-control')).toBe('no-store');
      expect(await refused.json()).toMatchObject({ code: 'origin_only', retryable: false });
    }
    expect(withHeader.status).toBe(200);
    expect(throughEdge.status).toBe(200);
  });

  it('keeps the edge working across a rotation, and still admits the previous value at the origin', async () => {
    const roomId = await newRoom();
    const previous = stack.origin.header.value;

    stack.origin.secrets.rotate();
    const post = await fetch(`${stack.edgeUrl}/v1/rooms/${roomId}/comments`, { method: 'POST' });
    const old = await fetch(`${stack.apiUrl}/v1/rooms/${roomId}`, {
      headers: { [stack.origin.header.name]: previous },
    });

    // Not 403: the request reached the post function (which wants a token).
    expect(post.status).toBe(401);
    expect(old.status).toBe(200);
    expect(stack.origin.header.value).not.toBe(previous);
  });
});
