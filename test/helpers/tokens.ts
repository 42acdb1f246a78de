import { importJWK, SignJWT, type JWK } from 'jose';

export interface TokenOptions {
  readonly sub?: string;
  readonly name?: string;
  readonly issuer?: string;
  readonly audience?: string;
  /** Seconds from now; negative for an expired token. */
  readonly expiresIn?: number;
  readonly kid?: string;
}

/** Signs a viewer token with a given private key, so tests can make good and bad ones alike. */
export async function signToken(privateJwk: JWK, options: TokenOptions): Promise<string> {
  const key = await importJWK(privateJwk, 'ES256');
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT(options.name === undefined ? {} : { name: options.name })
    .setProtectedHeader({ alg: 'ES256', kid: options.kid ?? privateJwk.kid! })
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresIn ?? 600));
  if (options.sub !== undefined) jwt.setSubject(options.sub);
  if (options.issuer !== undefined) jwt.setIssuer(options.issuer);
  if (options.audience !== undefined) jwt.setAudience(options.audience);
  return jwt.sign(key);
}
