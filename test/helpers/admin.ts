import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { inject } from 'vitest';
import { ROLE_GROUPS, type Role } from '../../lambdas/domain/access/roles.js';
import type { RoomEvent } from '../../lambdas/domain/realtime/room-event.js';
import { adminRoutes } from '../../lambdas/routes.js';
import { ORIGIN_HEADER } from '../../lambdas/routes.js';
import { TEST_ORIGIN_SECRET } from './events.js';
import { testFunctions } from './functions.js';

/** Who calls: roles and bound channels, as the user pool's claims carry them. */
export interface Caller {
  readonly roles: readonly Role[];
  readonly channels?: readonly string[];
  readonly userId?: string;
  readonly name?: string;
}

export const operator: Caller = { roles: ['operator'], userId: 'op-1', name: 'Olga Operator' };
export const moderatorOf = (...channels: string[]): Caller => ({
  roles: ['moderator'],
  channels,
  userId: `mod-${channels.join('-')}`,
  name: 'Mia Moderator',
});
export const artistOf = (...channels: string[]): Caller => ({
  roles: ['artist'],
  channels,
  userId: `artist-${channels.join('-')}`,
  name: 'Aiko Artist',
});
/** Signed in, in no group: may do nothing. */
export const nobody: Caller = { roles: [], userId: 'plain-user', name: 'Plain User' };

/** The claims API Gateway's Cognito authoriser passes on (strings, groups comma-joined). */
export function claimsFor(caller: Caller): Record<string, string> {
  const userId = caller.userId ?? `u-${randomUUID().slice(0, 8)}`;
  return {
    sub: userId,
    token_use: 'id',
    'cognito:username': userId,
    'cognito:groups': caller.roles.map((r) => ROLE_GROUPS[r]).join(','),
    ...(caller.channels?.length ? { 'custom:channels': caller.channels.join(',') } : {}),
    ...(caller.name ? { name: caller.name } : {}),
  };
}

export interface AdminCall {
  readonly method: string;
  /** A concrete path, e.g. `/admin/v1/rooms/r-1/bans/u-2`; the route and its parameters are found from it. */
  readonly path: string;
  readonly caller: Caller;
  readonly body?: unknown;
  readonly query?: Record<string, string>;
  /** Default application/json when there is a body. */
  readonly contentType?: string;
  /** A raw body string instead of JSON (bad-input tests). */
  readonly rawBody?: string;
  /** API Gateway's request id (the correlation id); default a fresh one. */
  readonly requestId?: string;
}

/** Builds the REST API proxy event API Gateway would send for the call, claims included. */
export function adminEvent(call: AdminCall): APIGatewayProxyEvent {
  const [pathOnly] = call.path.split('?');
  const match = adminRoutes
    .filter((r) => r.method === call.method)
    .map((route) => {
      const names: string[] = [];
      const pattern = new RegExp(
        `^${route.path.replace(/\{(\w+)\}/g, (_, n: string) => (names.push(n), '([^/]+)'))}$`,
      );
      const m = pattern.exec(pathOnly!);
      return m
        ? {
            route,
            params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)])),
          }
        : undefined;
    })
    .find((m) => m !== undefined);
  if (!match) throw new Error(`No admin route for ${call.method} ${call.path}`);
  const body = call.rawBody ?? (call.body === undefined ? null : JSON.stringify(call.body));
  const headers: Record<string, string> = {
    [ORIGIN_HEADER]: TEST_ORIGIN_SECRET,
    ...(body !== null ? { 'content-type': call.contentType ?? 'application/json' } : {}),
  };
  return {
    resource: match.route.path,
    path: pathOnly!,
    httpMethod: call.method,
    headers,
    multiValueHeaders: {},
    queryStringParameters: call.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: Object.keys(match.params).length ? match.params : null,
    stageVariables: null,
    body,
    isBase64Encoded: false,
    requestContext: {
      authorizer: { claims: claimsFor(call.caller) },
      resourcePath: match.route.path,
      httpMethod: call.method,
      path: `/test${pathOnly}`,
      stage: 'test',
      requestId: call.requestId ?? randomUUID(),
      requestTimeEpoch: Date.now(),
      accountId: '000000000000',
      apiId: 'test',
      protocol: 'HTTP/1.1',
      resourceId: 'test',
      identity: {} as APIGatewayProxyEvent['requestContext']['identity'],
    },
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read response bodies loosely
export interface AdminResponse<T = any> {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: T;
  readonly text: string;
}

/**
 * Runs the admin function's handler for the call: the suite's (helpers/functions.ts), or the one
 * given (one built with other settings).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function callAdmin<T = any>(
  call: AdminCall,
  handler = testFunctions().handlers.admin,
): Promise<AdminResponse<T>> {
  const result = await handler(adminEvent(call));
  const headers = Object.fromEntries(
    Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
  );
  const isJson = headers['content-type']?.startsWith('application/json') && result.body.length > 0;
  return {
    status: result.statusCode,
    headers,
    body: (isJson ? JSON.parse(result.body) : undefined) as T,
    text: result.body,
  };
}

/** Events the admin function published to the capture server, for one room (or '*'). */
export async function publishedEvents(roomId: string): Promise<RoomEvent[]> {
  const res = await fetch(`${inject('captureUrl')}/captured`);
  const all = (await res.json()) as { kind: string; body: RoomEvent }[];
  return all.filter((c) => c.kind === 'publish' && c.body.roomId === roomId).map((c) => c.body);
}

/** The `x-correlation-id` each event published for a room (or '*') was sent with, by event id. */
export async function publishCorrelations(roomId: string): Promise<Record<string, string | undefined>> {
  const res = await fetch(`${inject('captureUrl')}/captured`);
  const all = (await res.json()) as { kind: string; body: RoomEvent; correlationId?: string }[];
  return Object.fromEntries(
    all
      .filter((c) => c.kind === 'publish' && c.body.roomId === roomId)
      .map((c) => [c.body.id, c.correlationId]),
  );
}

/** Paths the admin function asked the edge to invalidate. */
export async function invalidatedPaths(): Promise<string[]> {
  const res = await fetch(`${inject('captureUrl')}/captured`);
  const all = (await res.json()) as { kind: string; body: { paths: string[] } }[];
  return all.filter((c) => c.kind === 'invalidation').flatMap((c) => c.body.paths);
}

/** Schedule requests (PUT/DELETE) the admin function sent to the capture server, for one room. */
export async function scheduleCalls(
  roomId: string,
): Promise<{ method: 'PUT' | 'DELETE'; name: string; at?: string; request?: unknown }[]> {
  const res = await fetch(`${inject('captureUrl')}/captured`);
  const all = (await res.json()) as { kind: string; body: { name: string } }[];
  return all
    .filter((c) => c.kind === 'schedule' && c.body.name.endsWith(`-${roomId}`))
    .map((c) => c.body as never);
}

/** Scaler invocations the admin function asked for, for one room. */
export async function scalerInvocations(
  roomId: string,
): Promise<{ request: { reason: string; roomId?: string }; invocationType: string }[]> {
  const res = await fetch(`${inject('captureUrl')}/captured`);
  const all = (await res.json()) as {
    kind: string;
    body: { request: { reason: string; roomId?: string }; invocationType: string };
  }[];
  return all.filter((c) => c.kind === 'scaler' && c.body.request.roomId === roomId).map((c) => c.body);
}
