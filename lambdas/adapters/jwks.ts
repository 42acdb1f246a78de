import type { IncomingMessage } from 'node:http';
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';

/**
 * The host service's signing keys, fetched with Node's `http`/`https` and
 * verified with jose's local key set (ADR 0022). jose's own remote key set
 * builds a `Headers` and calls `fetch`, and the first use of either loads
 * Node's fetch stack — about 55 ms of every post function's cold start on
 * this machine, before any network. Same behaviour otherwise: keys cached for
 * `maxAgeMs`, refetched at once for a token whose key is unknown (a rotation),
 * at most once per `cooldownMs`.
 */
export interface JwksOptions {
  /** Default 2,000 ms. */
  readonly timeoutMs?: number;
  /** Default 10 minutes. */
  readonly maxAgeMs?: number;
  /** Default 30 s. */
  readonly cooldownMs?: number;
}

/** The key set could not be fetched: the token may be fine, so the caller should retry. */
export class JwksUnavailableError extends Error {
  override readonly name = 'JwksUnavailableError';
}

/** A key set larger than this is not a key set. */
const MAX_JWKS_BYTES = 256 * 1024;

export function remoteJwks(url: URL, options: JwksOptions = {}): JWTVerifyGetKey {
  const timeoutMs = options.timeoutMs ?? 2_000;
  const maxAgeMs = options.maxAgeMs ?? 600_000;
  const cooldownMs = options.cooldownMs ?? 30_000;
  let keys: JWTVerifyGetKey | undefined;
  let fetchedAt = -Infinity;
  let pending: Promise<JWTVerifyGetKey> | undefined;

  const reload = () =>
    (pending ??= getJson(url, timeoutMs)
      .then((jwks) => {
        keys = createLocalJWKSet(jwks as JSONWebKeySet);
        fetchedAt = Date.now();
        return keys;
      })
      .finally(() => (pending = undefined)));

  return async (header, token) => {
    const current = keys && Date.now() - fetchedAt < maxAgeMs ? keys : await reload();
    try {
      return await current(header, token);
    } catch (error) {
      // An unknown key id may be a rotation: look again, but not more often than the cooldown.
      if (!(error instanceof errors.JWKSNoMatchingKey) || Date.now() - fetchedAt < cooldownMs) throw error;
      return (await reload())(header, token);
    }
  };
}

async function getJson(url: URL, timeoutMs: number): Promise<unknown> {
  // Loaded on first use, and only the one needed: `https` brings TLS with it.
  const { get } = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  return new Promise((resolve, reject) => {
    const fail = (message: string, cause?: unknown) =>
      reject(new JwksUnavailableError(`JWKS ${url.href}: ${message}`, { cause }));
    const request = get(url, { headers: { accept: 'application/json' }, timeout: timeoutMs }, (response) =>
      readBody(response).then(
        (body) => {
          if (response.statusCode !== 200) return fail(`answered ${response.statusCode}`);
          try {
            resolve(JSON.parse(body));
          } catch (error) {
            fail('is not JSON', error);
          }
        },
        fail.bind(undefined, 'could not be read'),
      ),
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', (error) => fail(error.message, error));
  });
}

async function readBody(response: IncomingMessage): Promise<string> {
  let bytes = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of response as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > MAX_JWKS_BYTES) throw new Error(`larger than ${MAX_JWKS_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
