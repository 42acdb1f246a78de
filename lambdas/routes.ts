/**
 * The HTTP route table, defined once. CDK builds API Gateway resources and
 * CloudFront behaviours from it; the local runtime routes requests with it.
 */
import { MAX_POST_DURATION_MS } from './domain/segments.js';

/** `edge`: cacheable by path alone, served through the CDN. `none`: never cached, `Authorization` forwarded. */
export type CacheClass = 'edge' | 'none';
export type HttpMethod = 'GET' | 'POST';

export type FunctionName = 'postComment' | 'getLive' | 'getSegment' | 'getRoom';

export interface FunctionDefinition {
  /** Handler module, relative to the project root; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly timeoutMs: number;
  /** What the function may do with the tables: its IAM grants in AWS. */
  readonly access: {
    readonly comments: 'write' | 'query';
    readonly control: 'write' | 'read';
  };
}

export const functions: Record<FunctionName, FunctionDefinition> = {
  postComment: {
    entry: 'lambdas/handlers/post-comment.ts',
    description: 'POST a viewer comment',
    timeoutMs: MAX_POST_DURATION_MS,
    access: { comments: 'write', control: 'write' },
  },
  getLive: {
    entry: 'lambdas/handlers/get-live.ts',
    description: 'GET the live edge of a room',
    timeoutMs: 5_000,
    access: { comments: 'query', control: 'read' },
  },
  getSegment: {
    entry: 'lambdas/handlers/get-segment.ts',
    description: 'GET one time segment of a room',
    timeoutMs: 10_000,
    access: { comments: 'query', control: 'read' },
  },
  getRoom: {
    entry: 'lambdas/handlers/get-room.ts',
    description: 'GET public room info',
    timeoutMs: 5_000,
    access: { comments: 'query', control: 'read' },
  },
};

export interface Route {
  readonly method: HttpMethod;
  /** API Gateway path syntax: `{name}` is a path parameter. */
  readonly path: string;
  readonly function: FunctionName;
  readonly cache: CacheClass;
}

export const routes: readonly Route[] = [
  { method: 'POST', path: '/v1/rooms/{roomId}/comments', function: 'postComment', cache: 'none' },
  { method: 'GET', path: '/v1/rooms/{roomId}/live', function: 'getLive', cache: 'edge' },
  { method: 'GET', path: '/v1/rooms/{roomId}/segments/{n}', function: 'getSegment', cache: 'edge' },
  { method: 'GET', path: '/v1/rooms/{roomId}', function: 'getRoom', cache: 'edge' },
];

/** CORS for browsers on any origin: public reads, and posts with a bearer token (no cookies). */
export const cors = {
  allowOrigin: '*',
  allowMethods: ['GET', 'POST', 'OPTIONS'],
  allowHeaders: ['Authorization', 'Content-Type'],
  exposeHeaders: ['Retry-After', 'Idempotent-Replayed'],
  maxAgeSeconds: 600,
} as const;

/**
 * Answers the API gateway gives by itself, before any function runs, in the
 * API's JSON error shape. CDK sets them as API Gateway gateway responses; the
 * local runtime answers with the same ones.
 */
export const gatewayResponses = {
  /** API Gateway's MISSING_AUTHENTICATION_TOKEN: no route matches the method and path. */
  routeNotFound: { status: 404, code: 'route_not_found', message: 'No such route.', retryable: false },
  /** REQUEST_TOO_LARGE */
  bodyTooLarge: {
    status: 413,
    code: 'payload_too_large',
    message: 'The request is too large.',
    retryable: false,
  },
  /** THROTTLED */
  throttled: {
    status: 429,
    code: 'throttled',
    message: 'Too many requests; retry shortly.',
    retryable: true,
  },
  /** DEFAULT_5XX: the function failed or timed out. */
  serverError: {
    status: 502,
    code: 'bad_gateway',
    message: 'The service failed to answer.',
    retryable: true,
  },
} as const;
