import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type CryptoKey } from 'jose';
import { COMMENT_STYLE_CLAIM } from '../lambdas/adapters/viewer-tokens.js';

export const DEV_TOKEN_ISSUER = 'https://hybrid-live-chat.local/dev-identity';
export const DEV_TOKEN_AUDIENCE = 'hybrid-live-chat';

export interface DevViewer {
  readonly userId: string;
  readonly displayName: string;
  /** Default one hour. */
  readonly ttlSeconds?: number;
  /**
   * The comment decoration to entitle the viewer to (the `comment_style` claim, ADR 0024). Not
   * checked here, as a host's would not be: an id the palette lacks posts plain, with a warning.
   */
  readonly style?: string;
}

/**
 * Stands in for the host service that issues viewer tokens. It signs with a
 * key pair made at start and publishes the public half as a JWKS, which the
 * post function fetches exactly as it fetches the host service's in AWS.
 */
export class DevTokenIssuer {
  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly publicJwk: JWK,
  ) {}

  static async create(): Promise<DevTokenIssuer> {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: randomUUID(), alg: 'ES256', use: 'sig' };
    return new DevTokenIssuer(privateKey, jwk);
  }

  jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk] };
  }

  async issue(viewer: DevViewer): Promise<{ token: string; expiresAt: string }> {
    const nowSec = Math.floor(Date.now() / 1000);
    const exp = nowSec + (viewer.ttlSeconds ?? 3600);
    const claims = {
      name: viewer.displayName,
      ...(viewer.style ? { [COMMENT_STYLE_CLAIM]: viewer.style } : {}),
    };
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: this.publicJwk.kid! })
      .setSubject(viewer.userId)
      .setIssuer(DEV_TOKEN_ISSUER)
      .setAudience(DEV_TOKEN_AUDIENCE)
      .setIssuedAt(nowSec)
      .setExpirationTime(exp)
      .sign(this.privateKey);
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }
}
