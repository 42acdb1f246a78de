import { SignJWT, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEV_USER_POOL_CLIENT_ID, DEV_USER_POOL_ISSUER, DevUserPool } from '../../../local/dev-user-pool.js';
import { principalFromClaims } from '../../../lambdas/domain/access/roles.js';

describe('the local user pool authoriser', () => {
  it('accepts its ID tokens, with or without a Bearer prefix, and passes claims the principal reads', async () => {
    const pool = await DevUserPool.create();
    const { token } = await pool.issue({
      roles: ['moderator', 'artist'],
      channels: ['ch-a', 'ch-b'],
      name: 'Mia',
    });
    for (const header of [token, `Bearer ${token}`]) {
      const claims = await pool.authorize(header);
      expect(claims).toBeDefined();
      const principal = principalFromClaims(claims);
      expect([...principal.roles].sort()).toEqual(['artist', 'moderator']);
      expect([...principal.channels]).toEqual(['ch-a', 'ch-b']);
      expect(principal.displayName).toBe('Mia');
    }
  });

  it('refuses no token, an expired token, a token of another pool and a forged one', async () => {
    const pool = await DevUserPool.create();
    expect(await pool.authorize(undefined)).toBeUndefined();
    expect(await pool.authorize('Bearer ')).toBeUndefined();
    expect(await pool.authorize('not-a-jwt')).toBeUndefined();
    const expired = await pool.issue({ roles: ['operator'], ttlSeconds: -10 });
    expect(await pool.authorize(expired.token)).toBeUndefined();

    const other = await DevUserPool.create();
    const foreign = await other.issue({ roles: ['operator'] });
    expect(await pool.authorize(foreign.token)).toBeUndefined();

    // Signed by someone else but shaped like ours: the signature check must catch it.
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ token_use: 'id', 'cognito:groups': ['operators'] })
      .setProtectedHeader({ alg: 'RS256' })
      .setSubject('x')
      .setIssuer(DEV_USER_POOL_ISSUER)
      .setAudience(DEV_USER_POOL_CLIENT_ID)
      .setExpirationTime('1h')
      .sign(privateKey);
    expect(await pool.authorize(forged)).toBeUndefined();
  });

  it('keeps one id per dev identity, so audit entries of a session line up', async () => {
    const pool = await DevUserPool.create();
    const a = await pool.issue({ roles: ['moderator'], channels: ['ch-a'] });
    const b = await pool.issue({ roles: ['moderator'], channels: ['ch-a'] });
    expect(a.userId).toBe(b.userId);
    expect((await pool.issue({ roles: ['moderator'], channels: ['ch-b'] })).userId).not.toBe(a.userId);
  });
});
