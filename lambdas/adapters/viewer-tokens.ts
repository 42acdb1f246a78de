import type { Logger } from '@aws-lambda-powertools/logger';
import { errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import * as z from 'zod/mini';
import '../domain/zod-english.js';
import { normalizeDisplayName } from '../domain/access/display-name.js';
import type { Viewer } from '../domain/feed/comment.js';
import { isCommentStyleId, type CommentStyleId } from '../domain/feed/comment-styles.js';
import { UnauthorizedError, UnavailableError } from '../domain/errors.js';
import { JwksUnavailableError, remoteJwks } from './jwks.js';

export interface ViewerTokenOptions {
  readonly issuer: string;
  readonly audience: string;
  /** The host service's signing keys; `jwksUrl` in AWS and locally alike. */
  readonly keys: JWTVerifyGetKey;
  /** Tokens remembered as verified, per function instance. Default 10,000. */
  readonly cacheSize?: number;
  readonly clock?: () => number;
  /** Told, once per value and instance, of a `comment_style` claim that names no palette style. */
  readonly logger?: Pick<Logger, 'warn'>;
}

/** The claim that entitles a viewer to a comment decoration (ADR 0024): one palette id. */
export const COMMENT_STYLE_CLAIM = 'comment_style';
/** Distinct ignored claim values warned about per instance; later ones pass silently. */
const MAX_STYLE_WARNINGS = 100;
const IGNORED_STYLE_WARNING = `Ignored a viewer token's ${COMMENT_STYLE_CLAIM} claim: no palette style has that id`;

/** Seconds of clock difference allowed on `exp` (and `nbf`), as jose checks them. */
const CLOCK_TOLERANCE_SEC = 5;
/**
 * How long a verified token is remembered at most: the key set's own cache
 * lifetime (jwks.ts), so a key the host withdraws stops being trusted here
 * as soon as it would anyway.
 */
const VERIFIED_TOKEN_TTL_MS = 600_000;

/** The claims a token must carry; what a display name may contain is the domain's rule (`normalizeDisplayName`). */
const ViewerClaims = z.object({
  sub: z.string().check(z.minLength(1), z.maxLength(128)),
  name: z.string(),
});

/** Asymmetric algorithms only: the API must never hold a key that can mint tokens. */
const ALGORITHMS = ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA'];

/**
 * Verifies the host service's viewer JWT (signature, issuer, audience, expiry)
 * and reads the viewer from it. A viewer posts many comments with one token: a
 * token verified once is remembered (the whole token, signature included, is
 * the key) until it expires or ten minutes pass, so later posts skip the
 * signature check — WebCrypto's verify runs on the thread pool and cost about
 * 0.9 ms of a post here (ADR 0022).
 */
export class ViewerTokenVerifier {
  private readonly verified = new Map<string, { readonly viewer: Viewer; readonly untilMs: number }>();
  private readonly styleWarnings = new Set<string>();
  private readonly cacheSize: number;
  private readonly clock: () => number;

  constructor(private readonly options: ViewerTokenOptions) {
    this.cacheSize = options.cacheSize ?? 10_000;
    this.clock = options.clock ?? Date.now;
  }

  static fromJwksUrl(
    jwksUrl: string,
    issuer: string,
    audience: string,
    logger?: Pick<Logger, 'warn'>,
  ): ViewerTokenVerifier {
    const keys = remoteJwks(new URL(jwksUrl), { timeoutMs: 2_000, cooldownMs: 30_000 });
    return new ViewerTokenVerifier({ issuer, audience, keys, ...(logger ? { logger } : {}) });
  }

  async verify(authorization: string | undefined): Promise<Viewer> {
    const token = /^Bearer ([A-Za-z0-9_.-]+)$/i.exec(authorization?.trim() ?? '')?.[1];
    if (!token) throw new UnauthorizedError('Send the viewer token as "Authorization: Bearer <token>".');
    const nowMs = this.clock();
    const known = this.verified.get(token);
    if (known) {
      if (nowMs < known.untilMs) return known.viewer;
      this.verified.delete(token);
    }
    const { viewer, expiresAtSec } = await this.verifyToken(token, nowMs);
    this.remember(
      token,
      viewer,
      Math.min(expiresAtSec * 1000 + CLOCK_TOLERANCE_SEC * 1000, nowMs + VERIFIED_TOKEN_TTL_MS),
    );
    return viewer;
  }

  private remember(token: string, viewer: Viewer, untilMs: number): void {
    // Maps keep insertion order: when full, the oldest token goes.
    if (this.verified.size >= this.cacheSize) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, { viewer, untilMs });
  }

  private async verifyToken(token: string, nowMs: number): Promise<{ viewer: Viewer; expiresAtSec: number }> {
    let payload: { exp?: number } & Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.options.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: ALGORITHMS,
        requiredClaims: ['exp'],
        clockTolerance: CLOCK_TOLERANCE_SEC,
        currentDate: new Date(nowMs),
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
    // A name breaking the rules is a 422 for the host to fix, not a 401: the token is authentic.
    const displayName = normalizeDisplayName(claims.data.name);
    const style = this.entitledStyle(payload[COMMENT_STYLE_CLAIM]);
    return {
      viewer: {
        userId: claims.data.sub,
        displayName,
        ...(style ? { style } : {}),
      },
      expiresAtSec: payload.exp!,
    };
  }

  /**
   * The palette id the claim names. Anything else — an id this palette does not have (a host's
   * bug, a style retired since the token was issued), or not a string — is dropped, not refused:
   * the viewer did nothing wrong and posts plain. The host should hear of it: a warning, once
   * per value per instance.
   */
  private entitledStyle(claim: unknown): CommentStyleId | undefined {
    if (claim === undefined || isCommentStyleId(claim)) return claim;
    this.warnOnce(
      typeof claim === 'string' ? claim.slice(0, 64) : `(${claim === null ? 'null' : typeof claim})`,
    );
    return undefined;
  }

  private warnOnce(claim: string): void {
    if (this.styleWarnings.has(claim) || this.styleWarnings.size >= MAX_STYLE_WARNINGS) return;
    this.styleWarnings.add(claim);
    this.options.logger?.warn(IGNORED_STYLE_WARNING, { claim });
  }
}
