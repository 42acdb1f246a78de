import type { ApiErrorBody } from './types.js';

/** Any failure the SDK reports: the server's refusal, or a client-side one with the same shape. */
export class ChatClientError extends Error implements ApiErrorBody {
  override readonly name = 'ChatClientError';
  readonly code: string;
  readonly retryable: boolean;
  readonly retryAfterSec?: number;
  /** HTTP status; absent for network failures and checks made before sending. */
  readonly status?: number;
  /** Bans and blocks: until when (absent: permanent). */
  readonly until?: string;

  constructor(body: ApiErrorBody & { status?: number; until?: string }) {
    super(body.message);
    this.code = body.code;
    this.retryable = body.retryable;
    if (body.retryAfterSec !== undefined) this.retryAfterSec = body.retryAfterSec;
    if (body.status !== undefined) this.status = body.status;
    if (body.until !== undefined) this.until = body.until;
  }
}

export type Fetch = typeof fetch;

export type JsonResult<T> =
  | { readonly ok: true; readonly status: number; readonly body: T }
  | { readonly ok: false; readonly error: ChatClientError };

/**
 * One request, never throwing: a JSON body, or the error it stands for.
 * Network failures and bodies that are not JSON become retryable errors;
 * Retry-After (seconds) is read from the header when the body lacks it.
 */
export async function requestJson<T>(
  fetchFn: Fetch,
  url: string,
  init?: RequestInit,
): Promise<JsonResult<T>> {
  let response: Response;
  try {
    response = await fetchFn(url, init);
  } catch (error) {
    return { ok: false, error: networkError(error) };
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    if (response.ok) return { ok: false, error: networkError(error) };
    body = undefined;
  }
  if (response.ok) return { ok: true, status: response.status, body: body as T };
  const known = body as Partial<ApiErrorBody> | undefined;
  const header = Number(response.headers.get('retry-after'));
  const retryAfterSec = known?.retryAfterSec ?? (header > 0 ? header : undefined);
  return {
    ok: false,
    error: new ChatClientError({
      code: typeof known?.code === 'string' ? known.code : `http_${response.status}`,
      message: typeof known?.message === 'string' ? known.message : `The server answered ${response.status}.`,
      retryable: known?.retryable ?? (response.status >= 500 || response.status === 429),
      status: response.status,
      ...(retryAfterSec !== undefined ? { retryAfterSec } : {}),
    }),
  };
}

function networkError(cause: unknown): ChatClientError {
  const error = new ChatClientError({
    code: 'network',
    message: 'The chat server could not be reached.',
    retryable: true,
  });
  error.cause = cause;
  return error;
}

/** Worth another try: network failures, 5xx and 429 — the server's `retryable` decides the rest. */
export const isTransient = (error: ChatClientError) =>
  error.status === undefined || error.status >= 500 || error.status === 429;
