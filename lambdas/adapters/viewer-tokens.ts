import { errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import * as z from 'zod/mini';
import '../domain/zod-english.js';
import type { Viewer } from '../domain/feed/comment.js';
import { UnauthorizedError, UnavailableError } from '../domain/errors.js';
import { JwksUnavailableError, remoteJwks } from './jwks.js';

export interface ViewerTokenOptions {
  readonly issuer: string;
  readonly audience: string;
  /** The host service's signing keys; `jwksUrl` in AWS and locally alike. */
  readonly keys: JWTVerifyGetKey;
}

const ViewerClaims = z.object({
  sub: z.string().check(z.minLength(1), z.maxLength(128)),
  name: z.string().check(
    z.minLength(1),
    z.maxLength(64),
    z.refine((n) => !/[\p{Cc}\p{Cf}]/u.test(n), 'no control or format characters'),
  ),
});

/** Asymmetric algorithms only: the API must never hold a key that can mint tokens. */
const ALGORITHMS = ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA'];

/** Verifies the host service's viewer JWT (signature, issuer, audience, expiry) and reads the viewer from it. */
export class ViewerTokenVerifier {
  constructor(private readonly options: ViewerTokenOptions) {}

  static fromJwksUrl(jwksUrl: string, issuer: string, audience: string): ViewerTokenVerifier {
    const keys = remoteJwks(new URL(jwksUrl), { timeoutMs: 2_000, cooldownMs: 30_000 });
    return new ViewerTokenVerifier({ issuer, audience, keys });
  }

  async verify(authorization: string | undefined): Promise<Viewer> {
    const token = /^Bearer ([A-Za-z0-9_.-]+)$/i.exec(authorization?.trim() ?? '')?.[1];
    if (!token) throw new UnauthorizedError('Send the viewer token as "Authorization: Bearer <token>".');
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, this.options.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: ALGORITHMS,
        requiredClaims: ['exp'],
        clockTolerance: 5,
      }));
    } catch (error) {
      if (error instanceof JwksUnavailableError || error instanceof errors.JWKSTimeout) {
        throw new UnavailableError('The token signing keys could not be fetched; retry shortly.', error);
      }
      if (error instanceof errors.JWTExpired)
        throw new UnauthorizedError('The viewer token has expired.', error);
      throw new UnauthorizedError('The viewer token is not valid.', error);
    }
    const claims = ViewerClaims.safeParse(payload);
    if (!claims.success) {
      throw new UnauthorizedError(
        'The viewer token must carry "sub" (user id) and "name" (display name) claims.',
      );
    }
    return { userId: claims.data.sub, displayName: claims.data.name.normalize('NFC') };
  }
}
