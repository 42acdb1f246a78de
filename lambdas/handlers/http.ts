import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { safeParse } from 'zod/mini';
import type { $ZodType } from 'zod/v4/core';
import {
  BadRequestError,
  ChatError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from '../domain/errors.js';
import { cors, ORIGIN_HEADER } from '../routes.js';
import { invocation } from './invocation.js';
import type { OriginGuard } from './origin-guard.js';

export type ApiEvent = APIGatewayProxyEvent;
export type ApiResult = APIGatewayProxyResult;
/** What a route function exports as `handler`; the context is optional so tests may leave it out. */
export type HttpHandler = (event: ApiEvent, context?: Context) => Promise<ApiResult>;

/** `fatal`: a byte sequence that is not UTF-8 throws instead of decoding to U+FFFD. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Posts are small: text is at most 1,000 code points. */
export const MAX_BODY_BYTES = 8 * 1024;

const BASE_HEADERS = {
  'Content-Type': 'application/json; charset=utf-8',
  'Access-Control-Allow-Origin': cors.allowOrigin,
  'Access-Control-Expose-Headers': cors.exposeHeaders.join(', '),
  'X-Content-Type-Options': 'nosniff',
};

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiResult {
  return { statusCode, headers: { ...BASE_HEADERS, ...headers }, body: JSON.stringify(body) };
}

/**
 * The one place errors become responses. Known errors keep their status and
 * code; anything else is a 500 whose details go to the log, never the client.
 * `cacheable`: on the edge routes a deterministic 4xx may be cached for one
 * second, so a flood of requests for a missing room cannot reach the origin.
 */
export function errorResult(
  error: unknown,
  cacheable: boolean,
  logger: Pick<Logger, 'error' | 'warn'>,
): ApiResult {
  const known = error instanceof ChatError;
  if (!known) logger.error('unhandled error', { error: error as Error });
  else if (error.status >= 500) logger.warn('request failed', { code: error.code, error: error as Error });
  const status = known ? error.status : 500;
  const body = {
    code: known ? error.code : 'internal_error',
    message: known ? error.message : 'Something went wrong on our side.',
    retryable: known ? error.retryable : true,
    ...(known && error.retryAfterSec !== undefined ? { retryAfterSec: error.retryAfterSec } : {}),
  };
  const keep = cacheable && status < 500 && status !== 429 && (!known || error.cacheable);
  const cacheControl = keep ? 'public, max-age=1' : 'no-store';
  return json(status, body, {
    'Cache-Control': cacheControl,
    ...(body.retryAfterSec !== undefined ? { 'Retry-After': String(body.retryAfterSec) } : {}),
  });
}

export function header(event: ApiEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

export function pathParam<T>(event: ApiEvent, name: string, schema: $ZodType<T>): T {
  const parsed = safeParse(schema, event.pathParameters?.[name]);
  if (!parsed.success) {
    throw new BadRequestError(
      `invalid_${name.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase())}`,
      `Invalid ${name}: ${parsed.error.issues[0]?.message}.`,
    );
  }
  return parsed.data;
}

/**
 * A JSON body: the right media type, not too large, well-formed, and exactly the schema's fields.
 * `maxBytes` raises the limit for the few admin bodies that are lists (the global NG words).
 */
export function jsonBody<T>(event: ApiEvent, schema: $ZodType<T>, maxBytes = MAX_BODY_BYTES): T {
  const mediaType = header(event, 'content-type')?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw new UnsupportedMediaTypeError('Send the body as Content-Type: application/json.');
  }
  // API Gateway hands JSON bodies over as the exact bytes, base64-encoded (ADR 0036): decoded
  // strictly, so bytes that are not UTF-8 are refused instead of becoming U+FFFD.
  const bytes = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64')
    : Buffer.from(event.body ?? '', 'utf8');
  if (bytes.byteLength > maxBytes) {
    throw new PayloadTooLargeError(`The body is larger than ${maxBytes} bytes.`);
  }
  let raw: string;
  try {
    raw = STRICT_UTF8.decode(bytes);
  } catch (error) {
    throw new BadRequestError('invalid_utf8', 'The body is not valid UTF-8 text.', error);
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new BadRequestError('invalid_json', 'The body is not valid JSON.', error);
  }
  const parsed = safeParse(schema, value);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
      .join('; ');
    throw new BadRequestError('invalid_body', `Invalid body: ${problems}.`);
  }
  return parsed.data;
}

export interface HttpHandlerOptions {
  /** Whether a deterministic 4xx may be cached for a second (the edge routes). */
  readonly cacheableErrors: boolean;
  readonly logger: Logger;
  /** Refuses, before any work, a request that did not come through the CDN (ADR 0030). */
  readonly origin: OriginGuard;
}

/**
 * Wraps a route's logic: each invocation is logged with its Lambda context and
 * API Gateway's request id as correlation id (handlers/invocation.ts), the
 * origin header is checked before the route's logic runs, and every thrown
 * error becomes the JSON error shape.
 */
export function httpHandler(
  run: (event: ApiEvent) => Promise<ApiResult>,
  options: HttpHandlerOptions,
): HttpHandler {
  const { logger, cacheableErrors, origin } = options;
  return (event, context) =>
    invocation(logger, context, event.requestContext?.requestId, async () => {
      try {
        await origin.check(header(event, ORIGIN_HEADER));
        return await run(event);
      } catch (error) {
        return errorResult(error, cacheableErrors, logger);
      }
    });
}
