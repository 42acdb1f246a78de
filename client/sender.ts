import type { Backoff } from './backoff.js';
import { ChatClientError, isTransient, requestJson, type Fetch } from './http.js';
import type { FeedItem } from './types.js';

/** Asked for the viewer's token before each post; `forceRefresh` after the server refused one (401). */
/**
 * The host's source of the viewer's token (a JWT its site signs). `forceRefresh` after a 401: get a
 * new one. Return undefined (or '') while no viewer is signed in: the client stays read-only.
 */
export type TokenProvider = (options: {
  forceRefresh: boolean;
}) => string | undefined | Promise<string | undefined>;

export interface SenderOptions {
  readonly fetch: Fetch;
  /** `<base>/v1/rooms/<roomId>/comments`. */
  readonly postUrl: string;
  readonly getToken: (options: { forceRefresh: boolean }) => Promise<string>;
  readonly backoff: Backoff;
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
}

/**
 * Posts one comment. Network failures, 5xx and 429 (but slow mode, a
 * refusal) are retried after a backoff that honours Retry-After, always with
 * the same clientMessageId: the server answers a repeat with the comment it
 * stored, so a retry never makes a second one. A 401 asks the token provider
 * again, once. Throws the server's refusal as a ChatClientError.
 */
export async function sendComment(
  options: SenderOptions,
  text: string,
  clientMessageId: string,
): Promise<FeedItem> {
  let refreshed = false;
  for (let attempt = 0; ; attempt++) {
    const token = await options.getToken({ forceRefresh: refreshed });
    const result = await requestJson<{ comment: FeedItem }>(options.fetch, options.postUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ text, clientMessageId }),
    });
    if (result.ok) return result.body.comment;
    const { error } = result;
    if (error.status === 401 && !refreshed) {
      refreshed = true;
      continue;
    }
    const retry = isTransient(error) && error.code !== 'slow_mode' && attempt + 1 < options.maxAttempts;
    if (!retry) throw error;
    const retryAfterMs = (error.retryAfterSec ?? 0) * 1000;
    await sleep(options.backoff.delayMs(attempt, retryAfterMs));
  }
}

/** A clientMessageId: 128 random bits, base64url (crypto.randomUUID needs a secure context; this does not). */
export function newClientMessageId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export { ChatClientError };
