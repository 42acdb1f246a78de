import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ORIGIN_HEADER } from '../../lambdas/routes.js';
import { composeLocalFunctions, type LocalFunctions } from '../../local/composition.js';
import { LocalOriginSecrets } from '../../local/adapters/origin-secrets.js';
import { apiEvent, liveEvent, postEvent, roomEvent, segmentEvent } from '../helpers/events.js';
import { integrationOptions, TEST_TOKEN_AUDIENCE, TEST_TOKEN_ISSUER } from '../helpers/functions.js';
import { testStores } from '../helpers/store.js';
import { signToken } from '../helpers/tokens.js';

/**
 * The functions in front of a pass-through proxy to DynamoDB Local that counts requests: a refused
 * request must not reach the tables at all, not even for a read.
 */
let proxy: Server;
let dynamoRequests = 0;
let functions: LocalFunctions;
const secrets = new LocalOriginSecrets('first-value');
const stores = testStores();

beforeAll(async () => {
  const target = new URL(inject('dynamodbEndpoint'));
  proxy = createServer((req, res) => {
    dynamoRequests++;
    const upstream = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  functions = composeLocalFunctions(
    integrationOptions({
      dynamodbEndpoint: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
      originSecrets: secrets,
      // A short interval, so the test waits on it for real rather than faking a clock.
      originCheck: { refreshAfterMs: 200 },
    }),
  );
});

afterAll(async () => {
  await new Promise((resolve) => proxy.close(resolve));
});

const auth = async () => ({
  Authorization: `Bearer ${await signToken(inject('signingKey'), {
    sub: 'origin-user',
    name: 'Ada',
    issuer: TEST_TOKEN_ISSUER,
    audience: TEST_TOKEN_AUDIENCE,
  })}`,
});
const withOrigin = <T extends { headers: Record<string, unknown> | null }>(
  event: T,
  value: string | null,
): T => {
  const headers = { ...event.headers } as Record<string, string>;
  delete headers[ORIGIN_HEADER];
  if (value !== null) headers[ORIGIN_HEADER] = value;
  return { ...event, headers };
};

describe('the origin lock (ADR 0030)', () => {
  it('answers 403 origin_only to every route without the header or with a wrong one, touching no table', async () => {
    // Prepare
    const room = await stores.room();
    const post = postEvent(room.roomId, { text: 'hello', clientMessageId: 'o-1' }, await auth());
    const requests = [
      ['postComment', post],
      ['getLive', liveEvent(room.roomId)],
      ['getSegment', segmentEvent(room.roomId, 1)],
      ['getRoom', roomEvent(room.roomId)],
      ['admin', apiEvent({ resource: '/admin/v1/me', pathParameters: {} })],
    ] as const;
    const before = dynamoRequests;

    for (const presented of [null, 'wrong-value', 'first-valu', 'first-value-']) {
      for (const [name, event] of requests) {
        // Act
        const result = await functions.handlers[name](withOrigin(event, presented));

        // Assess
        expect(result.statusCode, `${name} with ${presented}`).toBe(403);
        expect(JSON.parse(result.body)).toEqual({
          code: 'origin_only',
          message: expect.any(String),
          retryable: false,
        });
        expect(result.headers?.['Cache-Control']).toBe('no-store');
      }
    }
    expect(dynamoRequests - before).toBe(0);
    expect(await stores.commentItems(room.roomId, 1)).toEqual([]);
  });

  it('admits the current value, then the rotated one after the refresh, and still the previous one', async () => {
    // Prepare
    const room = await stores.room();
    const read = (value: string) => functions.handlers.getRoom(withOrigin(roomEvent(room.roomId), value));
    expect((await read('first-value')).statusCode).toBe(200);

    // Act: rotate; the new value's first request comes after the refresh interval (unit tests pin
    // the interval itself with a clock)
    secrets.rotate('second-value');
    await new Promise((resolve) => setTimeout(resolve, 250));
    const rotated = await read('second-value');

    // Assess
    expect(rotated.statusCode).toBe(200);
    expect((await read('first-value')).statusCode).toBe(200);
    expect((await read('never-issued')).statusCode).toBe(403);
  });

  it('stores a post that carries the header', async () => {
    const room = await stores.room();
    const post = postEvent(room.roomId, { text: 'through the CDN', clientMessageId: 'o-2' }, await auth());

    const result = await functions.handlers.postComment(withOrigin(post, secrets.value));

    expect(result.statusCode).toBe(201);
    expect(await stores.commentItems(room.roomId, 1)).toHaveLength(1);
  });
});
