/**
 * The console's admin API client, typed by the API's own contract (lambdas/admin-api.ts): a route
 * key names the call, its params, query and body are checked against the same zod schemas the
 * handlers use before anything is sent, and the response has the type the domain builds.
 */
import { ADMIN_REQUEST_BODIES, type AdminApi, type AdminRouteKey } from '../../lambdas/admin-api.js';

export type { AdminApi, AdminRouteKey };
export type Response<K extends AdminRouteKey> = AdminApi[K]['response'];

type Field<K extends AdminRouteKey, F extends string> = F extends keyof AdminApi[K] ? AdminApi[K][F] : never;
type WithParams<K extends AdminRouteKey> =
  Field<K, 'params'> extends never ? unknown : { params: Field<K, 'params'> };
type WithQuery<K extends AdminRouteKey> =
  Field<K, 'query'> extends never ? unknown : { query?: Field<K, 'query'> };
type WithBody<K extends AdminRouteKey> = 'body' extends keyof AdminApi[K]
  ? undefined extends AdminApi[K][keyof AdminApi[K] & 'body']
    ? { body?: Field<K, 'body'> }
    : { body: Field<K, 'body'> }
  : unknown;
export type CallOptions<K extends AdminRouteKey> = WithParams<K> &
  WithQuery<K> &
  WithBody<K> & {
    signal?: AbortSignal;
  };

/** An admin API error as the API reports it (`{ code, message, retryable }`), or the network's. */
export class ApiError extends Error {
  constructor(
    /** 0: the request never got an answer (network, or refused before sending). */
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    readonly retryAfterSec?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface AdminClientOptions {
  /** The API's origin; empty for the console's own. */
  readonly baseUrl: string;
  /** The current ID token, refreshed when near expiry; undefined once signed out. */
  readonly idToken: () => Promise<string | undefined>;
  /** The API refused the token (401): the session has ended. */
  readonly onUnauthorized?: () => void;
  readonly fetch?: typeof fetch;
}

export type AdminClient = <K extends AdminRouteKey>(key: K, options?: CallOptions<K>) => Promise<Response<K>>;

export function createAdminClient(options: AdminClientOptions): AdminClient {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  return async function call<K extends AdminRouteKey>(key: K, callOptions?: CallOptions<K>) {
    const { params, query, body, signal } = (callOptions ?? {}) as {
      params?: Record<string, string>;
      query?: Record<string, string | undefined>;
      body?: unknown;
      signal?: AbortSignal;
    };
    const [method, template] = key.split(' ') as [string, string];
    const schema = (
      ADMIN_REQUEST_BODIES as Partial<Record<AdminRouteKey, { safeParse(v: unknown): unknown }>>
    )[key];
    if (schema && body !== undefined) {
      const checked = schema.safeParse(body) as { success: boolean; error?: { issues: Issue[] } };
      if (!checked.success)
        throw new ApiError(0, 'invalid_input', describeIssues(checked.error!.issues), false);
    }
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = params?.[name];
      if (value === undefined) throw new Error(`${key}: missing path parameter ${name}`);
      return encodeURIComponent(value);
    });
    const search = new URLSearchParams(
      Object.entries(query ?? {}).filter(
        (entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '',
      ),
    ).toString();
    const token = await options.idToken();
    if (!token) {
      options.onUnauthorized?.();
      throw new ApiError(401, 'signed_out', 'You are signed out. Sign in again.', false);
    }
    let response: globalThis.Response;
    try {
      response = await fetchImpl(`${options.baseUrl}${path}${search ? `?${search}` : ''}`, {
        method,
        headers: {
          authorization: token,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new ApiError(0, 'network', 'The admin API could not be reached.', true);
    }
    const text = await response.text();
    // JSON, or a `+json` type; not JSON lines (`application/x-ndjson`: the audit export), which is text.
    const isJson = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i.test(
      response.headers.get('content-type') ?? '',
    );
    if (!response.ok) {
      if (response.status === 401) options.onUnauthorized?.();
      const error = isJson ? safeJson(text) : undefined;
      const retryAfter = Number(response.headers.get('retry-after')) || undefined;
      throw new ApiError(
        response.status,
        typeof error?.code === 'string' ? error.code : `http_${response.status}`,
        typeof error?.message === 'string' ? error.message : `The admin API answered ${response.status}.`,
        typeof error?.retryable === 'boolean' ? error.retryable : response.status >= 500,
        typeof error?.retryAfterSec === 'number' ? error.retryAfterSec : retryAfter,
      );
    }
    return (isJson ? JSON.parse(text) : text) as Response<K>;
  };
}

interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** zod's issues as one sentence a person can act on: `settings.slowModeSeconds: …`. */
export function describeIssues(issues: readonly Issue[]): string {
  return issues
    .map((issue) =>
      issue.path.length ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message,
    )
    .join('; ');
}

function safeJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
