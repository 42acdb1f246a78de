import { randomUUID } from 'node:crypto';
import {
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';
import { ROLE_GROUPS, type Role } from '../lambdas/domain/access/roles.js';

export const DEV_USER_POOL_ISSUER = 'https://cognito-idp.local/local_devpool';
export const DEV_USER_POOL_CLIENT_ID = 'local-admin-console';

export interface DevAdmin {
  /** Becomes `sub`. Default: derived from the roles and channels, so the same dev identity keeps its id. */
  readonly userId?: string;
  readonly name?: string;
  readonly roles: readonly Role[];
  /** Bound channels (`custom:channels`). */
  readonly channels?: readonly string[];
  /** Default one hour; negative issues an expired token. */
  readonly ttlSeconds?: number;
}

/**
 * Stands in for the Cognito user pool: issues ID tokens shaped like
 * Cognito's (`token_use: id`, `cognito:groups`, `custom:channels`), and
 * verifies them the way API Gateway's user pool authoriser does, handing the
 * admin function the same claims. The role checks after that are the
 * product's own code, the same in AWS and here.
 */
export class DevUserPool {
  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly publicKey: CryptoKey,
    private readonly publicJwk: JWK,
  ) {}

  static async create(): Promise<DevUserPool> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: randomUUID(), alg: 'RS256', use: 'sig' };
    return new DevUserPool(privateKey, publicKey, jwk);
  }

  jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk] };
  }

  async issue(admin: DevAdmin): Promise<{ token: string; expiresAt: string; userId: string }> {
    const nowSec = Math.floor(Date.now() / 1000);
    const exp = nowSec + (admin.ttlSeconds ?? 3600);
    const channels = [...(admin.channels ?? [])];
    const userId =
      admin.userId ??
      `dev-${[...admin.roles].sort().join('-')}${channels.length ? `-${channels.join('-')}` : ''}`;
    const token = await new SignJWT({
      token_use: 'id',
      'cognito:username': userId,
      'cognito:groups': admin.roles.map((role) => ROLE_GROUPS[role]),
      ...(channels.length ? { 'custom:channels': channels.join(',') } : {}),
      name: admin.name ?? userId,
      auth_time: nowSec,
    })
      .setProtectedHeader({ alg: 'RS256', kid: this.publicJwk.kid! })
      .setSubject(userId)
      .setIssuer(DEV_USER_POOL_ISSUER)
      .setAudience(DEV_USER_POOL_CLIENT_ID)
      .setIssuedAt(nowSec)
      .setExpirationTime(exp)
      .sign(this.privateKey);
    return { token, expiresAt: new Date(exp * 1000).toISOString(), userId };
  }

  /**
   * API Gateway's COGNITO_USER_POOLS authoriser: the `Authorization` header
   * holds an ID token (a `Bearer ` prefix is tolerated); signature, issuer,
   * audience, expiry and `token_use` are checked. Returns the claims as
   * strings, as the authoriser passes them, or undefined for a 401.
   */
  async authorize(authorization: string | undefined): Promise<Record<string, string> | undefined> {
    const token = authorization?.replace(/^Bearer\s+/i, '').trim();
    if (!token) return undefined;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.publicKey, {
        issuer: DEV_USER_POOL_ISSUER,
        audience: DEV_USER_POOL_CLIENT_ID,
        algorithms: ['RS256'],
      }));
    } catch {
      return undefined;
    }
    if (payload.token_use !== 'id') return undefined;
    return Object.fromEntries(
      Object.entries(payload).map(([key, value]) => [
        key,
        Array.isArray(value) ? value.join(',') : typeof value === 'string' ? value : JSON.stringify(value),
      ]),
    );
  }
}
