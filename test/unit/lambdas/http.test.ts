import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { currentCorrelationId } from '../../../lambdas/adapters/correlation.js';
import { createLogger } from '../../../lambdas/adapters/logger.js';
import { PostCommentBody } from '../../../lambdas/domain/feed/comment.js';
import {
  BadRequestError,
  ChatError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  UnauthorizedError,
  UnavailableError,
  UnprocessableError,
  UnsupportedMediaTypeError,
} from '../../../lambdas/domain/errors.js';
import { RoomId } from '../../../lambdas/domain/rooms/room.js';
import {
  errorResult,
  header,
  httpHandler,
  json,
  jsonBody,
  MAX_BODY_BYTES,
  pathParam,
  type ApiEvent,
} from '../../../lambdas/handlers/http.js';
import { apiEvent, testOriginGuard } from '../../helpers/events.js';

const logger = createLogger({ logLevel: 'SILENT' });

const postWith = (
  body: string | null,
  headers: Record<string, string> = { 'Content-Type': 'application/json' },
) =>
  apiEvent({
    method: 'POST',
    resource: '/v1/rooms/{roomId}/comments',
    pathParameters: { roomId: 'r' },
    headers,
    body,
  });

/** The ChatError `run` throws, or a failure if it does not throw one. */
function thrown(run: () => unknown): ChatError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ChatError);
    return error as ChatError;
  }
  throw new Error('expected a ChatError');
}

const TextOnly = z.strictObject({ text: z.string() });
/** A JSON body of exactly `bytes` UTF-8 bytes, made of the two-byte character é. */
const bodyOfBytes = (bytes: number) => {
  const frame = JSON.stringify({ text: '' }).length;
  const free = bytes - frame;
  return JSON.stringify({ text: '\u00E9'.repeat(Math.floor(free / 2)) + 'a'.repeat(free % 2) });
};

describe('jsonBody', () => {
  it('parses a JSON body that matches the schema', () => {
    const event = postWith(JSON.stringify({ text: 'hi', clientMessageId: 'm-1' }));

    expect(jsonBody(event, PostCommentBody)).toEqual({ text: 'hi', clientMessageId: 'm-1' });
  });

  it.each([
    ['no Content-Type', {}],
    ['text/plain', { 'Content-Type': 'text/plain' }],
    ['form data', { 'Content-Type': 'application/x-www-form-urlencoded' }],
    ['a JSON look-alike', { 'Content-Type': 'application/jsonp' }],
  ])('returns 415 for %s', (_name, headers) => {
    const error = thrown(() => jsonBody(postWith('{"text":"hi"}', headers), TextOnly));

    expect(error).toBeInstanceOf(UnsupportedMediaTypeError);
    expect(error).toMatchObject({ status: 415, code: 'unsupported_media_type' });
  });

  it.each([
    ['a charset parameter', { 'Content-Type': 'application/json; charset=utf-8' }],
    ['upper case', { 'Content-Type': 'Application/JSON' }],
    ['a lower-case header name', { 'content-type': 'application/json' }],
    ['surrounding spaces', { 'Content-Type': ' application/json ;charset=UTF-8' }],
  ])('accepts application/json with %s', (_name, headers) => {
    expect(jsonBody(postWith('{"text":"hi"}', headers), TextOnly)).toEqual({ text: 'hi' });
  });

  it('accepts a body of exactly MAX_BODY_BYTES bytes', () => {
    const raw = bodyOfBytes(MAX_BODY_BYTES);
    expect(Buffer.byteLength(raw)).toBe(MAX_BODY_BYTES);

    expect(jsonBody(postWith(raw), TextOnly).text.length).toBeGreaterThan(0);
  });

  it('returns 413 for a body one byte over MAX_BODY_BYTES', () => {
    const raw = bodyOfBytes(MAX_BODY_BYTES + 1);

    const error = thrown(() => jsonBody(postWith(raw), TextOnly));

    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect(error).toMatchObject({ status: 413, code: 'payload_too_large' });
  });

  it('counts UTF-8 bytes, not characters', () => {
    // Prepare: fewer characters than the limit, but more bytes.
    const raw = JSON.stringify({ text: '\u00E9'.repeat(MAX_BODY_BYTES / 2) });
    expect(raw.length).toBeLessThan(MAX_BODY_BYTES);

    // Act
    const error = thrown(() => jsonBody(postWith(raw), TextOnly));

    // Assess
    expect(error.status).toBe(413);
  });

  it('decodes a base64-encoded body, as API Gateway passes a binary media type', () => {
    const text = 'h\u00E9 \u{1F600}';
    const event = {
      ...postWith(Buffer.from(JSON.stringify({ text }), 'utf8').toString('base64')),
      isBase64Encoded: true,
    };

    expect(jsonBody(event, TextOnly)).toEqual({ text });
  });

  it.each([
    ['a lone continuation byte', [0x80]],
    ['a truncated two-byte sequence', [0xc3]],
    ['an overlong encoding of "/"', [0xc0, 0xaf]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['a byte that never occurs in UTF-8', [0xff]],
  ])('returns 400 invalid_utf8 for a body with %s', (_name, bad) => {
    // Prepare: valid JSON around the bad bytes, so only the decoding can refuse it.
    const bytes = Buffer.concat([Buffer.from('{"text":"a'), Buffer.from(bad), Buffer.from('b"}')]);
    const event = { ...postWith(bytes.toString('base64')), isBase64Encoded: true };

    const error = thrown(() => jsonBody(event, TextOnly));

    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ status: 400, code: 'invalid_utf8', retryable: false });
  });

  it('counts the decoded bytes of a base64-encoded body against the limit', () => {
    const raw = bodyOfBytes(MAX_BODY_BYTES + 1);
    const event = { ...postWith(Buffer.from(raw).toString('base64')), isBase64Encoded: true };

    expect(thrown(() => jsonBody(event, TextOnly)).status).toBe(413);
  });

  it.each([
    ['an empty body', ''],
    ['a missing body', null],
    ['truncated JSON', '{"text":"hi"'],
    ['single quotes', "{'text':'hi'}"],
  ])('returns 400 invalid_json for %s', (_name, raw) => {
    const error = thrown(() => jsonBody(postWith(raw), TextOnly));

    expect(error).toMatchObject({ status: 400, code: 'invalid_json' });
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('returns 400 invalid_body naming a missing field', () => {
    const error = thrown(() => jsonBody(postWith('{"text":"hi"}'), PostCommentBody));

    expect(error).toMatchObject({ status: 400, code: 'invalid_body' });
    expect(error.message).toContain('clientMessageId');
  });

  it('returns 400 invalid_body naming a field of the wrong type', () => {
    const error = thrown(() => jsonBody(postWith('{"text":5,"clientMessageId":"m"}'), PostCommentBody));

    expect(error.code).toBe('invalid_body');
    expect(error.message).toContain('text');
  });

  it('returns 400 invalid_body naming an unknown field', () => {
    const raw = JSON.stringify({ text: 'hi', clientMessageId: 'm', userId: 'someone-else' });

    const error = thrown(() => jsonBody(postWith(raw), PostCommentBody));

    expect(error.code).toBe('invalid_body');
    expect(error.message).toContain('userId');
  });

  it('returns 400 invalid_body for JSON that is not an object', () => {
    const error = thrown(() => jsonBody(postWith('"just a string"'), PostCommentBody));

    expect(error.code).toBe('invalid_body');
  });

  it('decodes a base64 body', () => {
    // Prepare
    const raw = JSON.stringify({ text: 'h\u00E9llo \u{1F600}' });
    const event: ApiEvent = { ...postWith(Buffer.from(raw).toString('base64')), isBase64Encoded: true };

    // Act
    const body = jsonBody(event, TextOnly);

    // Assess
    expect(body).toEqual({ text: 'h\u00E9llo \u{1F600}' });
  });

  it('applies the size limit to the decoded base64 body', () => {
    const raw = bodyOfBytes(MAX_BODY_BYTES);
    const event: ApiEvent = { ...postWith(Buffer.from(raw).toString('base64')), isBase64Encoded: true };
    expect(event.body!.length).toBeGreaterThan(MAX_BODY_BYTES);

    expect(jsonBody(event, TextOnly).text.length).toBeGreaterThan(0);
  });
});

describe('header', () => {
  const event = apiEvent({
    resource: '/x',
    pathParameters: {},
    headers: { 'Content-Type': 'application/json', authorization: 'Bearer t' },
  });

  it('finds a header whatever the case of its name', () => {
    expect(header(event, 'content-type')).toBe('application/json');
    expect(header(event, 'CONTENT-TYPE')).toBe('application/json');
    expect(header(event, 'Authorization')).toBe('Bearer t');
  });

  it('returns undefined for a missing header', () => {
    expect(header(event, 'x-missing')).toBeUndefined();
  });

  it('returns undefined when the event has no headers', () => {
    const bare = { ...event, headers: null } as unknown as ApiEvent;

    expect(header(bare, 'content-type')).toBeUndefined();
  });
});

describe('pathParam', () => {
  const event = (roomId: string) => apiEvent({ resource: '/v1/rooms/{roomId}', pathParameters: { roomId } });

  it('returns a valid parameter', () => {
    expect(pathParam(event('room-1'), 'roomId', RoomId)).toBe('room-1');
  });

  it('returns 400 invalid_<snake_name> for an invalid parameter', () => {
    const error = thrown(() => pathParam(event('a#b'), 'roomId', RoomId));

    expect(error).toMatchObject({ status: 400, code: 'invalid_room_id' });
  });
});

describe('errorResult', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const parse = (result: { body: string }) => JSON.parse(result.body);

  it.each([
    ['BadRequestError', 400, 'invalid_json', false, new BadRequestError('invalid_json', 'bad')],
    ['UnauthorizedError', 401, 'unauthorized', false, new UnauthorizedError('no token')],
    ['ForbiddenError', 403, 'room_closed', false, new ForbiddenError('room_closed', 'closed')],
    ['NotFoundError', 404, 'room_not_found', false, new NotFoundError('room_not_found', 'missing')],
    ['ConflictError', 409, 'busy', true, new ConflictError('busy', 'conflict', true)],
    ['PayloadTooLargeError', 413, 'payload_too_large', false, new PayloadTooLargeError('big')],
    [
      'UnsupportedMediaTypeError',
      415,
      'unsupported_media_type',
      false,
      new UnsupportedMediaTypeError('type'),
    ],
    ['UnprocessableError', 422, 'empty_text', false, new UnprocessableError('empty_text', 'empty')],
  ])('maps a %s to status %i, code %s, retryable %s', (_name, status, code, retryable, error) => {
    // Act
    const result = errorResult(error, false, logger);

    // Assess
    expect(result.statusCode).toBe(status);
    expect(parse(result)).toEqual({ code, message: error.message, retryable });
    expect(result.headers).not.toHaveProperty('Retry-After');
  });

  it('carries retryAfterSec and a Retry-After header for 429', () => {
    const result = errorResult(new RateLimitedError('slow_mode', 'wait', 7), false, logger);

    expect(result.statusCode).toBe(429);
    expect(parse(result)).toEqual({ code: 'slow_mode', message: 'wait', retryable: true, retryAfterSec: 7 });
    expect(result.headers?.['Retry-After']).toBe('7');
  });

  it('carries retryAfterSec and a Retry-After header for 503', () => {
    vi.spyOn(logger, 'warn').mockImplementation(() => undefined);

    const result = errorResult(new UnavailableError('try later', new Error('throttled')), false, logger);

    expect(result.statusCode).toBe(503);
    expect(parse(result)).toEqual({
      code: 'unavailable',
      message: 'try later',
      retryable: true,
      retryAfterSec: 1,
    });
    expect(result.headers?.['Retry-After']).toBe('1');
  });

  it('answers an unknown error with 500 internal_error, keeping its details out of the response', () => {
    // Prepare
    const spy = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const error = new Error('ResourceNotFoundException: table prod-comments-7f3a');

    // Act
    const result = errorResult(error, true, logger);

    // Assess
    expect(result.statusCode).toBe(500);
    expect(parse(result)).toMatchObject({ code: 'internal_error', retryable: true });
    expect(result.body).not.toContain('prod-comments-7f3a');
    expect(result.body).not.toContain('ResourceNotFoundException');
    expect(result.headers?.['Cache-Control']).toBe('no-store');
    expect(spy).toHaveBeenCalledWith(expect.any(String), { error });
  });

  it('answers a thrown non-Error with 500 too', () => {
    vi.spyOn(logger, 'error').mockImplementation(() => undefined);

    const result = errorResult('a string', false, logger);

    expect(result.statusCode).toBe(500);
    expect(parse(result).code).toBe('internal_error');
  });

  it.each([
    ['a 400', 'public, max-age=1', new BadRequestError('invalid_segment', 'bad')],
    ['a 404', 'public, max-age=1', new NotFoundError('room_not_found', 'missing')],
    ['a 429', 'no-store', new RateLimitedError('throttled', 'slow down', 1)],
    ['a 503', 'no-store', new UnavailableError('down')],
    ['a 502', 'no-store', new ChatError(502, 'bad_gateway', 'upstream')],
    [
      'a 404 that stops holding within the second',
      'no-store',
      new ChatError(404, 'tick_not_started', 'soon', { cacheable: false }),
    ],
  ])('lets the edge routes cache %s as %s', (_name, cacheControl, error) => {
    vi.spyOn(logger, 'warn').mockImplementation(() => undefined);

    expect(errorResult(error, true, logger).headers?.['Cache-Control']).toBe(cacheControl);
  });

  it('never lets a 4xx be cached off the edge routes', () => {
    expect(
      errorResult(new NotFoundError('room_not_found', 'missing'), false, logger).headers?.['Cache-Control'],
    ).toBe('no-store');
  });

  it('sends the JSON content type, CORS and nosniff headers', () => {
    const result = errorResult(new NotFoundError('room_not_found', 'missing'), false, logger);

    expect(result.headers).toMatchObject({
      'Content-Type': 'application/json; charset=utf-8',
      'Access-Control-Allow-Origin': '*',
      'X-Content-Type-Options': 'nosniff',
    });
    expect(String(result.headers?.['Access-Control-Expose-Headers'])).toContain('Retry-After');
  });
});

describe('json', () => {
  it('serialises the body and lets given headers override the base ones', () => {
    const result = json(201, { ok: true }, { 'Cache-Control': 'no-store', 'Content-Type': 'text/plain' });

    expect(result).toMatchObject({ statusCode: 201, body: '{"ok":true}' });
    expect(result.headers).toMatchObject({ 'Cache-Control': 'no-store', 'Content-Type': 'text/plain' });
  });
});

describe('httpHandler', () => {
  it('passes a result through', async () => {
    const handler = httpHandler(async () => json(200, { ok: true }), {
      cacheableErrors: false,
      logger,
      origin: testOriginGuard(),
    });

    const result = await handler(apiEvent({ resource: '/x', pathParameters: {} }));

    expect(result.statusCode).toBe(200);
  });

  it('turns a thrown error into the error response, cacheable as configured', async () => {
    const handler = httpHandler(
      async () => {
        throw new NotFoundError('room_not_found', 'missing');
      },
      { cacheableErrors: true, logger, origin: testOriginGuard() },
    );

    const result = await handler(apiEvent({ resource: '/x', pathParameters: {} }));

    expect(result.statusCode).toBe(404);
    expect(JSON.parse(result.body).code).toBe('room_not_found');
    expect(result.headers?.['Cache-Control']).toBe('public, max-age=1');
  });

  describe('each invocation', () => {
    afterEach(() => {
      vi.restoreAllMocks();
      vi.unstubAllEnvs();
    });

    const context = (awsRequestId: string): Context => ({
      callbackWaitsForEmptyEventLoop: false,
      functionName: 'chat-getLive',
      functionVersion: '7',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:chat-getLive:live',
      memoryLimitInMB: '512',
      awsRequestId,
      logGroupName: '/aws/lambda/chat-getLive',
      logStreamName: 'stream',
      getRemainingTimeInMillis: () => 5_000,
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    });
    const withRequestId = (requestId: string): ApiEvent => {
      const event = apiEvent({ resource: '/x', pathParameters: {} });
      return { ...event, requestContext: { ...event.requestContext, requestId } };
    };

    it('logs with the Lambda context, the cold start and API Gateway’s request id as correlation id', async () => {
      // Prepare: a fresh instance as Lambda starts it, its log lines captured.
      vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
      const logged = createLogger({ logLevel: 'INFO' });
      const lines: string[] = [];
      vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
        lines.push(String(chunk));
        return true;
      });
      const seen: (string | undefined)[] = [];
      const handler = httpHandler(
        async () => {
          logged.info('handling');
          seen.push(currentCorrelationId());
          return json(200, {});
        },
        { cacheableErrors: false, logger: logged, origin: testOriginGuard() },
      );

      // Act
      await handler(withRequestId('api-req-1'), context('lambda-req-1'));
      await handler(apiEvent({ resource: '/x', pathParameters: {} }), context('lambda-req-2'));

      // Assess
      const [first, second] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(first).toMatchObject({
        message: 'handling',
        correlation_id: 'api-req-1',
        function_request_id: 'lambda-req-1',
        function_name: 'chat-getLive',
        cold_start: true,
        service: 'hybrid-live-chat',
      });
      // The next invocation starts clean: no id of the one before, and no longer a cold start.
      expect(second).toMatchObject({ function_request_id: 'lambda-req-2', cold_start: false });
      expect(second).not.toHaveProperty('correlation_id');
      // The adapters that call out read the same id while the request is handled.
      expect(seen).toEqual(['api-req-1', undefined]);
    });

    it('logs an unknown error under the request’s correlation id', async () => {
      const logged = createLogger({ logLevel: 'ERROR' });
      const lines: string[] = [];
      // Powertools writes errors to stderr.
      vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
        lines.push(String(chunk));
        return true;
      });
      const handler = httpHandler(
        async () => {
          throw new Error('boom');
        },
        { cacheableErrors: false, logger: logged, origin: testOriginGuard() },
      );

      const result = await handler(withRequestId('api-req-9'), context('lambda-req-9'));

      expect(result.statusCode).toBe(500);
      expect(JSON.parse(lines.join(''))).toMatchObject({
        level: 'ERROR',
        correlation_id: 'api-req-9',
        function_request_id: 'lambda-req-9',
        error: { name: 'Error', message: 'boom' },
      });
    });
  });
});
