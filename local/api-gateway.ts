import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import {
  binaryMediaTypes,
  cors,
  functions,
  gatewayResponses,
  routes,
  type FunctionName,
  type Route,
} from '../lambdas/routes.js';
import type { DevUserPool } from './dev-user-pool.js';
import type { EdgeResponse } from './edge-cache.js';

type LambdaHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
/** The route functions by name, as the local composition root builds them (local/composition.ts). */
export type Handlers = Readonly<Record<FunctionName, LambdaHandler>>;

export interface GatewayRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Record<string, string>;
  /** The body as UTF-8 text, for the local endpoints that read JSON. */
  readonly body: string;
  /** The exact bytes received; when absent, `body`'s UTF-8 bytes. */
  readonly rawBody?: Buffer;
  readonly sourceIp: string;
}

interface CompiledRoute {
  readonly route: Route;
  readonly pattern: RegExp;
  readonly params: string[];
}

const compiled: CompiledRoute[] = routes.map((route) => {
  const params: string[] = [];
  const source = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    params.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}$`), params };
});

export interface RouteMatch {
  readonly route: Route;
  readonly pathParameters: Record<string, string>;
}

/** The route for a method and path, as API Gateway resolves resources. */
export function matchRoute(method: string, path: string): RouteMatch | undefined {
  for (const { route, pattern, params } of compiled) {
    if (route.method !== method) continue;
    const m = pattern.exec(path);
    if (!m) continue;
    const pathParameters: Record<string, string> = {};
    params.forEach((name, i) => (pathParameters[name] = decodeURIComponent(m[i + 1]!)));
    return { route, pathParameters };
  }
  return undefined;
}

const pathExists = (path: string) => compiled.some(({ pattern }) => pattern.test(path));

export function gatewayError(kind: keyof typeof gatewayResponses): EdgeResponse {
  const { status, code, message, retryable } = gatewayResponses[kind];
  return {
    status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'access-control-allow-origin': cors.allowOrigin,
      'cache-control': 'no-store',
    },
    body: JSON.stringify({ code, message, retryable }),
  };
}

/**
 * API Gateway's part, locally: route by the shared table, turn the request
 * into a REST API (v1) Lambda proxy event, run the handler within its timeout,
 * and turn its result back into an HTTP response.
 */
export class LocalApiGateway {
  constructor(
    private readonly handlers: Handlers,
    /** The user pool authoriser of `admin` routes. */
    private readonly userPool: DevUserPool,
    private readonly stage = 'local',
  ) {}

  async invoke(request: GatewayRequest): Promise<EdgeResponse> {
    if (request.method === 'OPTIONS' && pathExists(request.path)) return preflight();
    const match = matchRoute(request.method === 'HEAD' ? 'GET' : request.method, request.path);
    if (!match) return gatewayError('routeNotFound');

    let claims: Record<string, string> | undefined;
    if (match.route.auth === 'admin') {
      claims = await this.userPool.authorize(request.headers.authorization);
      if (!claims) return gatewayError('unauthorized');
    }

    const definition = functions[match.route.function];
    const event = this.toEvent(request, match, claims);
    const context = lambdaContext(match.route.function, definition.timeoutMs);
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('function timed out')), definition.timeoutMs);
      });
      const result = await Promise.race([this.handlers[match.route.function](event, context), timeout]);
      return {
        status: result.statusCode,
        headers: Object.fromEntries(
          Object.entries(result.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]),
        ),
        body: result.isBase64Encoded ? Buffer.from(result.body, 'base64').toString('utf8') : result.body,
      };
    } catch (error) {
      console.error(`[local api] ${match.route.function} failed:`, error);
      return gatewayError('serverError');
    } finally {
      clearTimeout(timer);
    }
  }

  private toEvent(
    request: GatewayRequest,
    match: RouteMatch,
    claims: Record<string, string> | undefined,
  ): APIGatewayProxyEvent {
    const query = [...request.query.keys()].length ? Object.fromEntries(request.query.entries()) : null;
    const multiQuery = query
      ? Object.fromEntries([...new Set(request.query.keys())].map((k) => [k, request.query.getAll(k)]))
      : null;
    const now = Date.now();
    const bytes = request.rawBody ?? Buffer.from(request.body, 'utf8');
    const binary = bytes.length > 0 && isBinaryMediaType(request.headers['content-type']);
    return {
      resource: match.route.path,
      path: request.path,
      httpMethod: match.route.method,
      headers: request.headers,
      multiValueHeaders: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, [v]])),
      queryStringParameters: query,
      multiValueQueryStringParameters: multiQuery,
      pathParameters: match.pathParameters,
      stageVariables: null,
      // A binary media type's bytes are passed base64-encoded; any other body as text, where API
      // Gateway's own decoding turns bytes that are not UTF-8 into U+FFFD, as Node's does here.
      body: bytes.length === 0 ? null : bytes.toString(binary ? 'base64' : 'utf8'),
      isBase64Encoded: binary,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        authorizer: claims ? { claims } : null,
        protocol: 'HTTP/1.1',
        httpMethod: match.route.method,
        identity: localIdentity(request.sourceIp, request.headers['user-agent'] ?? null),
        path: `/${this.stage}${request.path}`,
        stage: this.stage,
        requestId: randomUUID(),
        requestTimeEpoch: now,
        resourceId: 'local',
        resourcePath: match.route.path,
      },
    };
  }
}

/**
 * Whether API Gateway treats a request body of this Content-Type as binary: its media type, without
 * parameters, is one of `binaryMediaTypes` or matches a `type/*` or `*\/*` entry.
 */
export function isBinaryMediaType(contentType: string | undefined): boolean {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (!mediaType) return false;
  const [type] = mediaType.split('/');
  return binaryMediaTypes.some((entry) => entry === mediaType || entry === '*/*' || entry === `${type}/*`);
}

function preflight(): EdgeResponse {
  return {
    status: 204,
    headers: {
      'access-control-allow-origin': cors.allowOrigin,
      'access-control-allow-methods': cors.allowMethods.join(','),
      'access-control-allow-headers': cors.allowHeaders.join(','),
      'access-control-max-age': String(cors.maxAgeSeconds),
    },
    body: '',
  };
}

/** The caller identity API Gateway puts in a proxy event for an unauthenticated caller. */
export function localIdentity(
  sourceIp: string,
  userAgent: string | null,
): APIGatewayProxyEvent['requestContext']['identity'] {
  return {
    accessKey: null,
    accountId: null,
    apiKey: null,
    apiKeyId: null,
    caller: null,
    clientCert: null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    sourceIp,
    user: null,
    userAgent,
    userArn: null,
  };
}

export function lambdaContext(name: string, timeoutMs: number): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${name}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
