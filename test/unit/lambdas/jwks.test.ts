import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JwksUnavailableError, remoteJwks } from '../../../lambdas/adapters/jwks.js';
import { ViewerTokenVerifier } from '../../../lambdas/adapters/viewer-tokens.js';
import { UnavailableError } from '../../../lambdas/domain/errors.js';

/** The host service's key set over real HTTP, and tokens signed with real keys. */
let server: Server;
let baseUrl: string;
let published: JWK[] = [];
let requests = 0;
let answer: 'keys' | 'error' | 'not-json' | 'silent' = 'keys';

const issuer = 'https://host.test/';
const audience = 'hybrid-live-chat';
const keyPairs = await Promise.all([generateKeyPair('ES256'), generateKeyPair('ES256')]);
const jwks = await Promise.all(
  keyPairs.map(async ({ publicKey }, i) => ({ ...(await exportJWK(publicKey)), kid: `k${i}`, alg: 'ES256' })),
);

const sign = (key: 0 | 1, claims: Record<string, unknown> = { sub: 'u-1', name: 'Ada' }) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: `k${key}` })
    .setIssuer(issuer)
    .setAudience(audience)
    .setExpirationTime('5m')
    .sign(keyPairs[key]!.privateKey);

beforeAll(async () => {
  server = createServer((_, res) => {
    requests++;
    if (answer === 'silent') return; // never answers: the client's timeout must end it
    if (answer === 'error') return void res.writeHead(500).end('nope');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(answer === 'not-json' ? '<html>' : JSON.stringify({ keys: published }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  published = [jwks[0]!];
  requests = 0;
  answer = 'keys';
});

const verifyWith = (keys: ReturnType<typeof remoteJwks>, token: string) =>
  jwtVerify(token, keys, { issuer, audience });

describe('remoteJwks', () => {
  it('fetches the key set once and verifies every token with it while it is fresh', async () => {
    const keys = remoteJwks(new URL(baseUrl));

    await verifyWith(keys, await sign(0));
    await verifyWith(keys, await sign(0));
    const { payload } = await verifyWith(keys, await sign(0));

    expect(payload.sub).toBe('u-1');
    expect(requests).toBe(1);
  });

  it('fetches again once the cached set is older than maxAgeMs', async () => {
    const keys = remoteJwks(new URL(baseUrl), { maxAgeMs: 0 });

    await verifyWith(keys, await sign(0));
    await verifyWith(keys, await sign(0));

    expect(requests).toBe(2);
  });

  it('refetches for a key it does not know (a rotation) and then accepts the new key', async () => {
    const keys = remoteJwks(new URL(baseUrl), { cooldownMs: 0 });
    await verifyWith(keys, await sign(0));
    published = [jwks[0]!, jwks[1]!];

    await expect(verifyWith(keys, await sign(1))).resolves.toBeDefined();
    expect(requests).toBe(2);
  });

  it('does not refetch for unknown keys more often than the cooldown', async () => {
    const keys = remoteJwks(new URL(baseUrl), { cooldownMs: 60_000 });
    await verifyWith(keys, await sign(0));
    published = [jwks[0]!, jwks[1]!];

    await expect(verifyWith(keys, await sign(1))).rejects.toThrow(/no applicable key/i);
    await expect(verifyWith(keys, await sign(1))).rejects.toThrow(/no applicable key/i);
    expect(requests).toBe(1);
  });

  it.each([
    ['answers 500', 'error' as const, /answered 500/],
    ['answers something that is not JSON', 'not-json' as const, /not JSON/],
    ['does not answer within the timeout', 'silent' as const, /no answer within 200 ms/],
  ])('fails as unavailable when the host %s', async (_, how, message) => {
    answer = how;
    const keys = remoteJwks(new URL(baseUrl), { timeoutMs: 200 });

    const failure = verifyWith(keys, await sign(0));

    await expect(failure).rejects.toBeInstanceOf(JwksUnavailableError);
    await expect(failure).rejects.toThrow(message);
  });

  it('fails as unavailable when nothing listens at the URL', async () => {
    const keys = remoteJwks(new URL('http://127.0.0.1:1/jwks.json'));

    await expect(verifyWith(keys, await sign(0))).rejects.toBeInstanceOf(JwksUnavailableError);
  });
});

describe('ViewerTokenVerifier over a remote key set', () => {
  it('reads the viewer from a valid token', async () => {
    const verifier = ViewerTokenVerifier.fromJwksUrl(baseUrl, issuer, audience);

    await expect(verifier.verify(`Bearer ${await sign(0)}`)).resolves.toEqual({
      userId: 'u-1',
      displayName: 'Ada',
    });
  });

  it('answers 503, retryable, when the keys cannot be fetched', async () => {
    answer = 'error';
    const verifier = ViewerTokenVerifier.fromJwksUrl(baseUrl, issuer, audience);

    const failure = verifier.verify(`Bearer ${await sign(0)}`);

    await expect(failure).rejects.toBeInstanceOf(UnavailableError);
    await expect(failure).rejects.toMatchObject({ status: 503, retryable: true });
  });
});
