import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTVerifyGetKey } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../lambdas/adapters/logger.js';
import { COMMENT_STYLE_CLAIM, ViewerTokenVerifier } from '../../../lambdas/adapters/viewer-tokens.js';
import { UnauthorizedError } from '../../../lambdas/domain/errors.js';
import { manualClock } from '../fakes.js';

/** Real keys and signatures; a key set that counts how often a signature had to be checked. */
const issuer = 'https://host.test/';
const audience = 'hybrid-live-chat';
const { publicKey, privateKey } = await generateKeyPair('ES256');
const localKeys = createLocalJWKSet({
  keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' }],
});
const START_MS = Date.UTC(2030, 0, 1);

function setUp(cacheSize?: number) {
  const clock = manualClock(START_MS);
  const logger = createLogger({ logLevel: 'SILENT' });
  const warn = vi.spyOn(logger, 'warn');
  let lookups = 0;
  const keys: JWTVerifyGetKey = (header, token) => {
    lookups++;
    return localKeys(header, token);
  };
  const verifier = new ViewerTokenVerifier({
    issuer,
    audience,
    keys,
    clock,
    logger,
    ...(cacheSize !== undefined ? { cacheSize } : {}),
  });
  return { verifier, clock, lookups: () => lookups, warnings: () => warn.mock.calls };
}

const sign = (sub: string, expiresInSec = 3_600, claims: Record<string, unknown> = {}) =>
  new SignJWT({ sub, name: `Viewer ${sub}`, ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt(START_MS / 1000)
    .setExpirationTime(START_MS / 1000 + expiresInSec)
    .sign(privateKey);

describe('ViewerTokenVerifier, verified tokens remembered', () => {
  it('checks a token’s signature once and answers its later posts from memory', async () => {
    const { verifier, lookups } = setUp();
    const token = await sign('u-1');

    const first = await verifier.verify(`Bearer ${token}`);
    const again = await verifier.verify(`Bearer ${token}`);

    expect(first).toEqual({ userId: 'u-1', displayName: 'Viewer u-1' });
    expect(again).toEqual(first);
    expect(lookups()).toBe(1);
  });

  it('refuses a remembered token once it has expired', async () => {
    const { verifier, clock } = setUp();
    const token = await sign('u-1', 60);
    await verifier.verify(`Bearer ${token}`);

    clock.advance(66_000);

    await expect(verifier.verify(`Bearer ${token}`)).rejects.toThrow(/expired/);
  });

  it('checks the signature again after ten minutes, however long the token lives', async () => {
    const { verifier, clock, lookups } = setUp();
    const token = await sign('u-1');
    await verifier.verify(`Bearer ${token}`);

    clock.advance(600_000);
    await verifier.verify(`Bearer ${token}`);

    expect(lookups()).toBe(2);
  });

  it('verifies a token that differs from a remembered one only in its signature, and refuses it', async () => {
    const { verifier } = setUp();
    const token = await sign('u-1');
    await verifier.verify(`Bearer ${token}`);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const forged = `${header}.${payload}.${signature.slice(0, -4)}AAAA`;

    const failure = verifier.verify(`Bearer ${forged}`);

    await expect(failure).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(failure).rejects.toThrow(/not valid/);
  });

  it('remembers at most cacheSize tokens, forgetting the oldest first', async () => {
    const { verifier, lookups } = setUp(2);
    const tokens = await Promise.all(['a', 'b', 'c'].map((sub) => sign(sub)));
    for (const token of tokens) await verifier.verify(`Bearer ${token}`);

    await verifier.verify(`Bearer ${tokens[2]}`); // still remembered
    await verifier.verify(`Bearer ${tokens[0]}`); // forgotten: checked again

    expect(lookups()).toBe(4);
  });
});

describe('ViewerTokenVerifier, the comment_style claim', () => {
  const styled = (sub: string, style: unknown) => sign(sub, 3_600, { [COMMENT_STYLE_CLAIM]: style });

  it('gives the viewer the palette style the claim names', async () => {
    const { verifier, warnings } = setUp();

    const viewer = await verifier.verify(`Bearer ${await styled('u-1', 'gold')}`);

    expect(viewer).toEqual({ userId: 'u-1', displayName: 'Viewer u-1', style: 'gold' });
    expect(warnings()).toEqual([]);
  });

  it('gives no style when the token has no claim, and warns of nothing', async () => {
    const { verifier, warnings } = setUp();

    const viewer = await verifier.verify(`Bearer ${await sign('u-1')}`);

    expect(viewer).not.toHaveProperty('style');
    expect(warnings()).toEqual([]);
  });

  it.each([
    ['an id the palette lacks', 'neon', 'neon'],
    ['an inherited property name', 'constructor', 'constructor'],
    ['a number', 7, '(number)'],
    ['null', null, '(null)'],
    ['an object', { color: '#FF0000' }, '(object)'],
  ])('accepts a token whose claim is %s, drops the style and warns once', async (_, claim, logged) => {
    const { verifier, warnings } = setUp();

    const viewer = await verifier.verify(`Bearer ${await styled('u-1', claim)}`);

    expect(viewer).toEqual({ userId: 'u-1', displayName: 'Viewer u-1' });
    expect(warnings()).toEqual([[expect.stringContaining(COMMENT_STYLE_CLAIM), { claim: logged }]]);
  });

  it('warns once per distinct ignored value, however many tokens carry it', async () => {
    const { verifier, warnings } = setUp();
    const tokens = await Promise.all([
      styled('u-1', 'neon'),
      styled('u-2', 'neon'),
      styled('u-3', 'plaid'),
      styled('u-4', 'neon'),
      styled('u-5', 'plaid'),
    ]);

    const viewers = [];
    for (const token of tokens) viewers.push(await verifier.verify(`Bearer ${token}`));

    expect(viewers.every((v) => v.style === undefined)).toBe(true);
    expect(warnings().map(([, extra]) => extra)).toEqual([{ claim: 'neon' }, { claim: 'plaid' }]);
  });
});

describe('ViewerTokenVerifier, the name claim', () => {
  const named = (name: unknown) => sign('u-1', 3_600, { name });

  it('reads the display name composed to NFC', async () => {
    const { verifier } = setUp();

    const viewer = await verifier.verify(`Bearer ${await named('Zoe\u0308')}`);

    expect(viewer.displayName).toBe('Zo\u00EB');
  });

  it('refuses an authentic token whose name breaks the display-name rule with 422 invalid_display_name, not 401', async () => {
    const { verifier } = setUp();

    const failure = verifier.verify(`Bearer ${await named('Ada\u202Eevil')}`);

    await expect(failure).rejects.not.toBeInstanceOf(UnauthorizedError);
    await expect(failure).rejects.toMatchObject({
      status: 422,
      code: 'invalid_display_name',
      retryable: false,
      message: expect.stringMatching(/"name" claim\) contains bidi control characters.*host service/),
    });
  });

  it('still answers 401 for a token without a name claim, or with one that is not a string', async () => {
    const { verifier } = setUp();

    for (const name of [undefined, 42]) {
      const failure = verifier.verify(`Bearer ${await named(name)}`);
      await expect(failure).rejects.toBeInstanceOf(UnauthorizedError);
      await expect(failure).rejects.toThrow(/must carry "sub" \(user id\) and "name"/);
    }
  });
});
