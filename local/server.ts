import { roomPath } from '../lambdas/domain/paths.js';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import * as z from 'zod';
import { gatewayError, matchRoute, type GatewayRequest, type LocalApiGateway } from './api-gateway.js';
import type { DevTokenIssuer } from './dev-tokens.js';
import type { DevUserPool } from './dev-user-pool.js';
import { CognitoError } from './cognito/errors.js';
import { handleCognitoRequest, LOCAL_COGNITO_PATH } from './cognito/protocol.js';
import type { LocalUserPool } from './cognito/user-pool.js';
import { ROLES } from '../lambdas/domain/access/roles.js';
import { openApiDocument } from '../lambdas/openapi.js';
import { RoomId } from '../lambdas/domain/rooms/room.js';
import type { LocalStats } from './adapters/traffic-metrics.js';
import type { EdgeCache, EdgeResponse } from './edge-cache.js';
import { compressForViewer } from './edge-compression.js';
import type { EventLoopMonitor } from './event-loop.js';
import type { LocalCapacity } from './capacity.js';
import type { LocalCanary } from './canary.js';
import type { LocalLimits } from './limits.js';
import type { LocalWebApps } from './web-apps.js';
import { CallsRequest, LocalControlPlaneError } from './control-plane.js';

/** API Gateway's own payload limit. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

export interface LocalServices {
  /** Set once the handlers are loaded; until then requests get 503. */
  gateway?: LocalApiGateway;
  /**
   * The origin custom header the edge adds to every request it passes to the API, as CloudFront
   * does (ADR 0030): the origin refuses requests without it.
   */
  readonly originHeader: () => { readonly name: string; readonly value: string };
  readonly edge: EdgeCache;
  readonly tokens: DevTokenIssuer;
  readonly userPool: DevUserPool;
  /** The console's sign-in: Cognito's protocol at `/local/cognito/`, users from `/local/admin-users`. */
  readonly cognito: LocalUserPool;
  /** The AppSync stand-in's counters, for `/local/stats`; set once it runs. */
  realtime?: LocalRealtimeCounters;
  /** The scaler's control plane, schedules and runs; set once the functions' environment is. */
  capacity?: LocalCapacity;
  /** The web apps (`/player/`); set once built. */
  web?: LocalWebApps;
  /** This process's event-loop delay (`GET /local/event-loop`; `npm run load` reads it per stage). */
  eventLoop?: EventLoopMonitor;
  /** The canary and its recent runs; set once the functions are. */
  canary?: LocalCanary;
  /** The view-limit batch (ADR 0039); set once the functions are. */
  limits?: LocalLimits;
}

export interface LocalRealtimeCounters {
  stats(): { readonly connections: number };
  countSubscriptions(fieldName: string, args?: Record<string, unknown>): number;
}

/** Where the edge serves the API's OpenAPI document (lambdas/openapi.ts): outside `/v1` and `/admin/v1`. */
export const OPENAPI_PATH = '/openapi.json';

/**
 * The CloudFront stand-in: `edge` routes (GET/HEAD) go through the edge cache
 * keyed by path alone; everything else passes straight to the API. Also
 * serves the local-only endpoints under `/local/`, the web apps and the OpenAPI document.
 */
export function createEdgeServer(services: LocalServices): Server {
  return createServer((req, res) => {
    void handle(req, res, async (request) => {
      if (request.path.startsWith('/local/')) return localEndpoint(services, request);
      return edgeResponse(services, request);
    });
  });
}

/**
 * What the distribution answers: web files, cached reads through the edge cache, the rest passed
 * on. Every behaviour compresses (`compress: true`): a cached object once per encoding, so this
 * compresses what the cache holds, before adding the per-request headers.
 */
async function edgeResponse(services: LocalServices, request: GatewayRequest): Promise<EdgeResponse> {
  const compressed = (response: EdgeResponse) =>
    compressForViewer(response, request.headers['accept-encoding']);
  if (request.method === 'GET' || request.method === 'HEAD') {
    if (request.path === OPENAPI_PATH) return compressed(openApi());
    const file = services.web?.serve(request.path);
    if (file) return compressed(file);
  }
  const gateway = services.gateway;
  if (!gateway) return notReady();
  const origin = services.originHeader();
  const match = matchRoute(request.method === 'HEAD' ? 'GET' : request.method, request.path);
  if (match?.route.cache !== 'edge' || (request.method !== 'GET' && request.method !== 'HEAD')) {
    // Like CloudFront's origin custom headers: added, replacing any the viewer sent.
    return compressed(
      await gateway.invoke({ ...request, headers: { ...request.headers, [origin.name]: origin.value } }),
    );
  }
  // The cache key is the path only: no query string, headers or cookies reach the origin.
  const originRequest: GatewayRequest = {
    ...request,
    method: 'GET',
    query: new URLSearchParams(),
    headers: {
      ...pick(request.headers, ['host', 'user-agent', 'accept-encoding']),
      [origin.name]: origin.value,
    },
    body: '',
    rawBody: Buffer.alloc(0),
  };
  const { response, outcome, ageSeconds } = await services.edge.fetch(request.path, () =>
    gateway.invoke(originRequest),
  );
  const sent = compressed(response);
  return {
    ...sent,
    headers: { ...sent.headers, 'x-cache': `${outcome} from local-edge`, age: String(ageSeconds) },
  };
}

/**
 * The API Gateway stand-in: the origin, with no cache in front. Like API Gateway behind CloudFront,
 * its functions answer 403 `origin_only` unless the request carries the edge's origin header.
 */
export function createOriginServer(services: LocalServices): Server {
  return createServer((req, res) => {
    void handle(req, res, async (request) =>
      services.gateway ? services.gateway.invoke(request) : notReady(),
    );
  });
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  respond: (request: GatewayRequest) => Promise<EdgeResponse>,
): Promise<void> {
  let response: EdgeResponse;
  try {
    const body = await readBody(req);
    if (body === undefined) {
      response = gatewayError('bodyTooLarge');
    } else {
      const url = new URL(req.url ?? '/', 'http://local');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      response = await respond({
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers,
        body: body.toString('utf8'),
        rawBody: body,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      });
    }
  } catch (error) {
    console.error('[local] request failed:', error);
    response = gatewayError('serverError');
  }
  res.writeHead(response.status, response.headers);
  res.end(req.method === 'HEAD' ? undefined : response.body);
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function pick(headers: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(names.filter((n) => headers[n] !== undefined).map((n) => [n, headers[n]!]));
}

function notReady(): EdgeResponse {
  return jsonResponse(503, {
    code: 'starting',
    message: 'The local stack is still starting.',
    retryable: true,
  });
}

let openApiJson: string | undefined;
/** Built on first request (the document is the same for the process's life); any origin may read it. */
function openApi(): EdgeResponse {
  openApiJson ??= JSON.stringify(openApiDocument(), null, 2);
  return {
    status: 200,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-cache',
      'access-control-allow-origin': '*',
    },
    body: openApiJson,
  };
}

function jsonResponse(status: number, body: unknown): EdgeResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: JSON.stringify(body),
  };
}

const Channels = z
  .array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/))
  .max(50)
  .optional();
const TokenRequest = z.strictObject({
  userId: z.string().min(1).max(128),
  displayName: z.string().min(1).max(64),
  ttlSeconds: z.number().int().min(-3600).max(86_400).optional(),
  /** A comment decoration (palette id); like a host's claim, not checked against the palette. */
  style: z.string().min(1).max(64).optional(),
});
const AdminTokenRequest = z.strictObject({
  roles: z.array(z.enum(ROLES)).max(3),
  channels: Channels,
  userId: z.string().min(1).max(128).optional(),
  name: z.string().min(1).max(64).optional(),
  ttlSeconds: z.number().int().min(-3600).max(86_400).optional(),
});
const AdminUserRequest = z
  .strictObject({
    email: z.email().max(254),
    name: z.string().min(1).max(64).optional(),
    roles: z.array(z.enum(ROLES)).max(3),
    channels: Channels,
    /** A permanent password; without either password one is generated and returned. */
    password: z.string().min(1).max(256).optional(),
    /** The user must choose a new password at the first sign-in (Cognito's FORCE_CHANGE_PASSWORD). */
    temporaryPassword: z.string().min(1).max(256).optional(),
    /** TOTP like the AWS pool: enrolment at the next sign-in, a code at every one after. Default false. */
    mfa: z.boolean().optional(),
  })
  .refine((body) => body.password === undefined || body.temporaryPassword === undefined, {
    message: 'give a password or a temporary password, not both',
  });
const ScheduleName = z
  .string()
  .regex(/^[0-9A-Za-z_.-]{1,64}$/, 'a schedule name is 1–64 of 0-9 A-Z a-z - _ .');
const ScheduleRequest = z.strictObject({ at: z.iso.datetime(), request: z.record(z.string(), z.unknown()) });
const InvocationRequest = z.strictObject({
  request: z.record(z.string(), z.unknown()),
  invocationType: z.enum(['Event', 'RequestResponse']),
});
const InvalidationRequest = z.strictObject({ paths: z.array(z.string().startsWith('/')).min(1).max(100) });

/**
 * Local-only endpoints: dev identities (viewer tokens, admin tokens, console accounts and the user
 * pool they sign in to), the JWKS that verifies viewer tokens, and edge cache diagnostics.
 */
async function localEndpoint(services: LocalServices, request: GatewayRequest): Promise<EdgeResponse> {
  const route = `${request.method} ${request.path}`;
  if (request.path === LOCAL_COGNITO_PATH) return handleCognitoRequest(services.cognito, request);
  if (request.path.startsWith('/local/schedules/') || route.startsWith('GET /local/capacity')) {
    return capacityEndpoint(services, request);
  }
  switch (route) {
    case 'GET /local/health':
      return jsonResponse(services.gateway ? 200 : 503, { ready: Boolean(services.gateway) });
    case 'GET /local/jwks.json':
      return jsonResponse(200, services.tokens.jwks());
    case 'POST /local/tokens': {
      const parsed = TokenRequest.safeParse(parseJson(request.body));
      if (!parsed.success) return invalid(parsed.error);
      return jsonResponse(201, await services.tokens.issue(parsed.data));
    }
    case 'POST /local/admin-tokens': {
      const parsed = AdminTokenRequest.safeParse(parseJson(request.body));
      if (!parsed.success) return invalid(parsed.error);
      return jsonResponse(201, await services.userPool.issue(parsed.data));
    }
    case 'POST /local/admin-users': {
      const parsed = AdminUserRequest.safeParse(parseJson(request.body));
      if (!parsed.success) return invalid(parsed.error);
      return createAdminUser(services.cognito, parsed.data);
    }
    case 'GET /local/edge':
      return jsonResponse(200, services.edge.stats());
    case 'GET /local/event-loop':
      return services.eventLoop ? jsonResponse(200, services.eventLoop.read()) : notReady();
    case 'POST /local/event-loop/reset':
      return services.eventLoop ? jsonResponse(200, services.eventLoop.reset()) : notReady();
    case 'GET /local/stats': {
      const roomId = RoomId.safeParse(request.query.get('roomId'));
      if (!roomId.success) return invalid(roomId.error, 'invalid_room_id');
      return jsonResponse(200, roomStats(services, roomId.data));
    }
    case 'POST /local/edge/invalidations': {
      const parsed = InvalidationRequest.safeParse(parseJson(request.body));
      if (!parsed.success) return invalid(parsed.error);
      return jsonResponse(201, { dropped: services.edge.invalidate(parsed.data.paths) });
    }
    case 'GET /local/control-plane/state':
    case 'POST /local/control-plane/calls':
    case 'POST /local/scaler/invocations':
      return capacityEndpoint(services, request);
    case 'GET /local/canary': {
      const canary = services.canary;
      if (!canary) return notReady();
      return jsonResponse(200, {
        roomId: canary.roomId,
        intervalMs: canary.intervalMs,
        runs: canary.recent(),
      });
    }
    case 'POST /local/canary/runs':
      if (!services.canary) return notReady();
      return jsonResponse(201, await services.canary.runNow());
    case 'GET /local/limits':
      if (!services.limits) return notReady();
      return jsonResponse(200, services.limits.state());
    case 'POST /local/limits/runs':
      if (!services.limits) return notReady();
      return jsonResponse(201, await services.limits.runNow());
    default:
      return gatewayError('routeNotFound');
  }
}

/**
 * A console account in the local user pool, as an administrator would create it in AWS: 201 with
 * its id and status (and the password, when one was generated), 409 when the e-mail is taken,
 * 400 when the password breaks the pool's policy (Cognito's message says which rule).
 */
function createAdminUser(pool: LocalUserPool, body: z.infer<typeof AdminUserRequest>): EdgeResponse {
  const generated = body.password === undefined && body.temporaryPassword === undefined;
  const password = generated ? generatePassword() : body.password;
  try {
    const user = pool.createUser({
      ...body,
      ...(password !== undefined ? { password } : {}),
    });
    return jsonResponse(201, {
      ...user,
      roles: body.roles,
      channels: body.channels ?? [],
      ...(generated ? { password } : {}),
    });
  } catch (error) {
    if (error instanceof CognitoError && error.type === 'UsernameExistsException') {
      return jsonResponse(409, { code: 'user_exists', message: error.message, retryable: false });
    }
    if (error instanceof CognitoError && error.type === 'InvalidPasswordException') {
      return jsonResponse(400, { code: 'invalid_password', message: error.message, retryable: false });
    }
    throw error;
  }
}

/** A random password the pool's policy accepts: 24 base64url characters, then one of each class. */
function generatePassword(): string {
  return `${randomBytes(18).toString('base64url')}aA1!`;
}

/**
 * The scaler's AWS control plane, schedules and Lambda invoke, standing in
 * (protocol: local/adapters/control-plane-client.ts), and
 * `GET /local/capacity`: what the scaler asked for, the capacity now, the
 * schedules pending and fired, and every scaler run.
 */
async function capacityEndpoint(services: LocalServices, request: GatewayRequest): Promise<EdgeResponse> {
  const capacity = services.capacity;
  if (!capacity) return notReady();
  const route = `${request.method} ${request.path}`;
  if (request.path === LOCAL_COGNITO_PATH) return handleCognitoRequest(services.cognito, request);
  if (request.path.startsWith('/local/schedules/')) {
    const name = ScheduleName.safeParse(decodeURIComponent(request.path.slice('/local/schedules/'.length)));
    if (!name.success) return invalid(name.error, 'invalid_schedule_name');
    if (request.method === 'DELETE') {
      return capacity.schedules.delete(name.data)
        ? { status: 204, headers: { 'cache-control': 'no-store' }, body: '' }
        : jsonResponse(404, {
            code: 'schedule_not_found',
            message: `No schedule ${name.data}.`,
            retryable: false,
          });
    }
    if (request.method !== 'PUT') return gatewayError('routeNotFound');
    const parsed = ScheduleRequest.safeParse(parseJson(request.body));
    if (!parsed.success) return invalid(parsed.error);
    const outcome = capacity.schedules.put(name.data, parsed.data.at, parsed.data.request);
    return jsonResponse(outcome === 'created' ? 201 : 200, { name: name.data, at: parsed.data.at });
  }
  switch (route) {
    case 'GET /local/capacity':
      return jsonResponse(200, capacity.report());
    case 'GET /local/control-plane/state':
      return jsonResponse(200, capacity.controlPlane.state());
    case 'POST /local/control-plane/calls': {
      const parsed = CallsRequest.safeParse(parseJson(request.body));
      if (!parsed.success) return invalid(parsed.error);
      try {
        return jsonResponse(200, { state: capacity.controlPlane.apply(parsed.data.calls) });
      } catch (error) {
        if (!(error instanceof LocalControlPlaneError)) throw error;
        return jsonResponse(400, { code: 'validation_error', message: error.message, retryable: false });
      }
    }
    case 'POST /local/scaler/invocations': {
      const parsed = InvocationRequest.safeParse(parseJson(request.body));
      if (!parsed.success) return invalid(parsed.error);
      const { request: input, invocationType } = parsed.data;
      if (invocationType === 'Event') {
        await capacity.invoke(input, 'Event');
        return { status: 202, headers: { 'cache-control': 'no-store' }, body: '' };
      }
      try {
        return jsonResponse(200, await capacity.invoke(input, 'RequestResponse'));
      } catch (error) {
        // Lambda's answer for a function error: 200 with FunctionError; the stand-in says it plainly.
        return jsonResponse(500, { errorMessage: (error as Error).message });
      }
    }
    default:
      return gatewayError('routeNotFound');
  }
}

/**
 * A room's traffic as the admin API's statistics read it locally (LocalTrafficMetrics):
 * the edge's requests for its `live` and segments, the realtime endpoint's counts now.
 */
function roomStats(services: LocalServices, roomId: string): LocalStats {
  const realtime = services.realtime;
  return {
    roomId,
    edge: {
      perMinute: services.edge
        .requestsPerMinute(`${roomPath(roomId)}/`)
        .map(({ minuteMs, count }) => ({ minute: new Date(minuteMs).toISOString(), count })),
    },
    realtime: realtime
      ? {
          connections: realtime.stats().connections,
          roomSubscriptions: realtime.countSubscriptions('onRoomEvent', { roomId }),
          globalSubscriptions: realtime.countSubscriptions('onGlobalEvent'),
        }
      : null,
  };
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function invalid(error: z.core.$ZodError, code = 'invalid_body'): EdgeResponse {
  const message = error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
  return jsonResponse(400, { code, message, retryable: false });
}
