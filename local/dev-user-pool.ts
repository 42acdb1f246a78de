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

/** `<region>_<name>` like a Cognito pool id: Amplify reads the region and the SRP pool name from it. */
export const DEV_USER_POOL_ID = 'local_devpool';
export const DEV_USER_POOL_ISSUER = `https://cognito-idp.local/${DEV_USER_POOL_ID}`;
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

/** Who a token is for, as the pool knows them. */
export interface PoolIdentity {
  /** `sub`; Cognito's generated username too (the pool signs in by e-mail alias). */
  readonly sub: string;
  readonly username: string;
  readonly email?: string;
  readonly name?: string;
  readonly roles: readonly Role[];
  readonly channels?: readonly string[];
}

/** One sign-in's tokens, as Cognito's `AuthenticationResult` carries them. */
export interface SignedTokens {
  readonly idToken: string;
  readonly accessToken: string;
  readonly expiresIn: number;
}

/**
 * The user pool's keys and tokens: issues ID and access tokens shaped like
 * Cognito's (`token_use: id` with `cognito:groups`, `custom:channels`;
 * `token_use: access` with `client_id`, `username`), and verifies ID tokens
 * the way API Gateway's user pool authoriser does, handing the admin function
 * the same claims. The role checks after that are the product's own code, the
 * same in AWS and here. The sign-in flows that lead to these tokens are
 * local/cognito/.
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

  /** An ID token straight away, without a sign-in: tests and `POST /local/admin-tokens`. */
  async issue(admin: DevAdmin): Promise<{ token: string; expiresAt: string; userId: string }> {
    const channels = [...(admin.channels ?? [])];
    const userId =
      admin.userId ??
      `dev-${[...admin.roles].sort().join('-')}${channels.length ? `-${channels.join('-')}` : ''}`;
    const ttlSeconds = admin.ttlSeconds ?? 3600;
    const { idToken, exp } = await this.signIdToken(
      { sub: userId, username: userId, name: admin.name ?? userId, roles: admin.roles, channels },
      { ttlSeconds, originJti: randomUUID(), authTime: Math.floor(Date.now() / 1000) },
    );
    return { token: idToken, expiresAt: new Date(exp * 1000).toISOString(), userId };
  }

  /** The ID and access tokens of a sign-in (or of its refresh: the same `originJti` and `authTime`). */
  async signTokens(
    identity: PoolIdentity,
    session: { readonly ttlSeconds: number; readonly originJti: string; readonly authTime: number },
  ): Promise<SignedTokens> {
    const { idToken } = await this.signIdToken(identity, session);
    const accessToken = await this.sign(
      {
        token_use: 'access',
        client_id: DEV_USER_POOL_CLIENT_ID,
        username: identity.username,
        'cognito:groups': identity.roles.map((role) => ROLE_GROUPS[role]),
        scope: 'aws.cognito.signin.user.admin',
        origin_jti: session.originJti,
        auth_time: session.authTime,
      },
      identity.sub,
      session.ttlSeconds,
    );
    return { idToken, accessToken: accessToken.token, expiresIn: session.ttlSeconds };
  }

  /** An access token's claims if this pool signed it and it has not expired (Cognito's own APIs check this). */
  async verifyAccessToken(token: string): Promise<JWTPayload | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.publicKey, {
        issuer: DEV_USER_POOL_ISSUER,
        algorithms: ['RS256'],
      });
      return payload.token_use === 'access' && payload.client_id === DEV_USER_POOL_CLIENT_ID
        ? payload
        : undefined;
    } catch {
      return undefined;
    }
  }

  private async signIdToken(
    identity: PoolIdentity,
    session: { readonly ttlSeconds: number; readonly originJti: string; readonly authTime: number },
  ): Promise<{ idToken: string; exp: number }> {
    const channels = identity.channels ?? [];
    const { token, exp } = await this.sign(
      {
        token_use: 'id',
        'cognito:username': identity.username,
        'cognito:groups': identity.roles.map((role) => ROLE_GROUPS[role]),
        ...(channels.length ? { 'custom:channels': channels.join(',') } : {}),
        ...(identity.email ? { email: identity.email, email_verified: true } : {}),
        name: identity.name ?? identity.email ?? identity.username,
        origin_jti: session.originJti,
        auth_time: session.authTime,
      },
      identity.sub,
      session.ttlSeconds,
      DEV_USER_POOL_CLIENT_ID,
    );
    return { idToken: token, exp };
  }

  private async sign(
    claims: JWTPayload,
    sub: string,
    ttlSeconds: number,
    audience?: string,
  ): Promise<{ token: string; exp: number }> {
    const nowSec = Math.floor(Date.now() / 1000);
    const exp = nowSec + ttlSeconds;
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: this.publicJwk.kid! })
      .setSubject(sub)
      .setIssuer(DEV_USER_POOL_ISSUER)
      .setIssuedAt(nowSec)
      .setExpirationTime(exp)
      .setJti(randomUUID());
    if (audience) jwt.setAudience(audience);
    return { token: await jwt.sign(this.privateKey), exp };
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
