import type { APIGatewayProxyEvent } from 'aws-lambda';
import { OriginGuard } from '../../lambdas/handlers/origin-guard.js';
import { ORIGIN_HEADER } from '../../lambdas/routes.js';

/** The origin header value the test functions accept (ADR 0030); `apiEvent` sends it unless told not to. */
export const TEST_ORIGIN_SECRET = 'test-origin-secret-0123456789abcdef';

/** An origin check that accepts `TEST_ORIGIN_SECRET` only, for handlers built in unit tests. */
export const testOriginGuard = () => new OriginGuard({ read: async () => [TEST_ORIGIN_SECRET] });

export interface EventOptions {
  readonly method?: 'GET' | 'POST';
  readonly resource: string;
  readonly pathParameters: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly body?: string | null;
  /** The origin header's value; `null` leaves the header out. Default `TEST_ORIGIN_SECRET`. */
  readonly origin?: string | null;
}

/** A REST API (v1) proxy event, as API Gateway sends it. */
export function apiEvent(options: EventOptions): APIGatewayProxyEvent {
  const path = options.resource.replace(
    /\{(\w+)\}/g,
    (_, name: string) => options.pathParameters[name] ?? '',
  );
  const origin = options.origin === undefined ? TEST_ORIGIN_SECRET : options.origin;
  const headers = { ...(origin === null ? {} : { [ORIGIN_HEADER]: origin }), ...options.headers };
  return {
    resource: options.resource,
    path,
    httpMethod: options.method ?? 'GET',
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: options.pathParameters,
    stageVariables: null,
    body: options.body ?? null,
    isBase64Encoded: false,
    requestContext: {
      resourcePath: options.resource,
      httpMethod: options.method ?? 'GET',
      path,
      stage: 'test',
    } as APIGatewayProxyEvent['requestContext'],
  };
}

export const postEvent = (roomId: string, body: unknown, headers: Record<string, string> = {}) =>
  apiEvent({
    method: 'POST',
    resource: '/v1/rooms/{roomId}/comments',
    pathParameters: { roomId },
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

export const liveEvent = (roomId: string) =>
  apiEvent({ resource: '/v1/rooms/{roomId}/live', pathParameters: { roomId } });

export const liveTickEvent = (roomId: string, tick: string | number) =>
  apiEvent({ resource: '/v1/rooms/{roomId}/live/{tick}', pathParameters: { roomId, tick: String(tick) } });

export const segmentEvent = (roomId: string, n: string | number) =>
  apiEvent({ resource: '/v1/rooms/{roomId}/segments/{n}', pathParameters: { roomId, n: String(n) } });

export const roomEvent = (roomId: string) =>
  apiEvent({ resource: '/v1/rooms/{roomId}', pathParameters: { roomId } });
