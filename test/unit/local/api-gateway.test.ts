import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../lambdas/adapters/logger.js';
import { json } from '../../../lambdas/handlers/http.js';
import type { ApiEvent } from '../../../lambdas/handlers/http.js';
import { isBinaryMediaType, LocalApiGateway, type Handlers } from '../../../local/api-gateway.js';
import type { DevUserPool } from '../../../local/dev-user-pool.js';

createLogger({ logLevel: 'SILENT' });

/** A gateway whose post function only records the event it was given. */
function recordingGateway() {
  const events: ApiEvent[] = [];
  const record = (event: ApiEvent) => {
    events.push(event);
    return Promise.resolve(json(200, {}));
  };
  const handlers = {
    postComment: record,
    getLive: record,
    getSegment: record,
    getRoom: record,
    admin: record,
  };
  const gateway = new LocalApiGateway(handlers as Handlers, {} as DevUserPool);
  return { gateway, events };
}

const post = (headers: Record<string, string>, rawBody: Buffer) => ({
  method: 'POST',
  path: '/v1/rooms/r-1/comments',
  query: new URLSearchParams(),
  headers,
  body: rawBody.toString('utf8'),
  rawBody,
  sourceIp: '127.0.0.1',
});

describe('the local API gateway', () => {
  it('passes a JSON body as its exact bytes, base64-encoded, as API Gateway does for binary media types', async () => {
    const { gateway, events } = recordingGateway();
    const bytes = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]);

    await gateway.invoke(post({ 'content-type': 'application/json; charset=utf-8' }, bytes));

    expect(events[0]!.isBase64Encoded).toBe(true);
    expect(Buffer.from(events[0]!.body!, 'base64')).toEqual(bytes);
  });

  it('passes a body of another media type as text, as API Gateway does', async () => {
    const { gateway, events } = recordingGateway();

    await gateway.invoke(post({ 'content-type': 'text/plain' }, Buffer.from('hé')));

    expect(events[0]).toMatchObject({ isBase64Encoded: false, body: 'hé' });
  });

  it('passes no body as null, not encoded', async () => {
    const { gateway, events } = recordingGateway();

    await gateway.invoke(post({ 'content-type': 'application/json' }, Buffer.alloc(0)));

    expect(events[0]).toMatchObject({ isBase64Encoded: false, body: null });
  });
});

describe('isBinaryMediaType', () => {
  it.each([
    ['application/json', true],
    ['application/json; charset=utf-8', true],
    ['Application/JSON', true],
    ['text/plain', false],
    ['application/jsonp', false],
    [undefined, false],
  ])('%s → %s', (contentType, expected) => {
    expect(isBinaryMediaType(contentType)).toBe(expected);
  });
});
