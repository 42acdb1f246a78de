import { createHash, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../domain/clock.js';
import { ChatError, UnavailableError } from '../domain/errors.js';

/**
 * The port: the values the origin header may carry now. In AWS the secret's versions labelled
 * AWSCURRENT, AWSPENDING and AWSPREVIOUS (lambdas/adapters/origin-secrets.ts); locally the value
 * the local edge sends (local/adapters/origin-secrets.ts).
 */
export interface OriginSecrets {
  read(): Promise<readonly string[]>;
}

export interface OriginGuardOptions {
  /**
   * Least time between two reads caused by a value that matched none held: a rotated value is
   * picked up by the first request that carries it, while a flood of wrong values costs at most one
   * read per this interval per instance. Default 10 s.
   */
  readonly refreshAfterMs?: number;
  /** How long held values are trusted at most, matched or not (a retired value stops being accepted). Default 15 min. */
  readonly maxAgeMs?: number;
  readonly clock?: Clock;
}

/** A request that did not come through the distribution: refused before any work, never cached. */
export class OriginOnlyError extends ChatError {
  constructor() {
    super(403, 'origin_only', 'This API answers only requests that come through its CDN.', {
      cacheable: false,
    });
  }
}

interface Held {
  readonly digests: readonly Buffer[];
  /** When these values were read. */
  readonly readAt: number;
}

/**
 * Checks the origin header of every request against the accepted values (`httpHandler` runs it
 * first). Values are held as SHA-256 digests and compared with `timingSafeEqual`, so neither the
 * comparison's time nor the values' lengths tell a caller how close its guess was. Reads are
 * single-flight; a failed read keeps the values held (the edge keeps sending one of them), and
 * fails closed only when nothing was ever read.
 */
export class OriginGuard {
  private held: Held | undefined;
  private loading: Promise<Held> | undefined;
  /** When the last read started, successful or not: a failed read is retried after the refresh interval. */
  private attemptedAt = Number.NEGATIVE_INFINITY;
  /**
   * When a value that matched none held last caused a read: the next such read waits the refresh
   * interval from it. Other reads (the first, the periodic one) do not count, so a rotated value is
   * picked up at once unless wrong values were presented just before.
   */
  private unmatchedReadAt = Number.NEGATIVE_INFINITY;
  private readonly refreshAfterMs: number;
  private readonly maxAgeMs: number;
  private readonly clock: Clock;

  constructor(
    private readonly secrets: OriginSecrets,
    options: OriginGuardOptions = {},
  ) {
    this.refreshAfterMs = options.refreshAfterMs ?? 10_000;
    this.maxAgeMs = options.maxAgeMs ?? 15 * 60_000;
    this.clock = options.clock ?? Date.now;
  }

  /**
   * Starts the first read (a Lambda entry calls it at init, so a cold start overlaps it with the
   * rest of its imports instead of waiting for it in the first request).
   */
  prefetch(): this {
    this.load().catch(() => undefined);
    return this;
  }

  /** Resolves when `presented` is an accepted value; throws `OriginOnlyError` otherwise. */
  async check(presented: string | undefined): Promise<void> {
    if (presented === undefined || presented === '') throw new OriginOnlyError();
    const digest = sha256(presented);
    if (matches(await this.values(), digest)) return;
    // A value no held one matches may be a new one (a rotation): read again, but not too often.
    const now = this.clock();
    if (now - this.unmatchedReadAt < this.refreshAfterMs) throw new OriginOnlyError();
    this.unmatchedReadAt = now;
    if (!matches(await this.load(), digest)) throw new OriginOnlyError();
  }

  private values(): Promise<Held> | Held {
    const held = this.held;
    const now = this.clock();
    if (held && (now - held.readAt < this.maxAgeMs || now - this.attemptedAt < this.refreshAfterMs)) {
      return held;
    }
    return this.load();
  }

  private load(): Promise<Held> {
    if (this.loading) return this.loading;
    this.attemptedAt = this.clock();
    this.loading = this.secrets
      .read()
      .then(
        (values): Held => {
          this.held = { digests: values.filter((v) => v.length > 0).map(sha256), readAt: this.clock() };
          return this.held;
        },
        (error: unknown): Held => {
          if (this.held) return this.held;
          throw new UnavailableError('The origin check could not read its secret.', error);
        },
      )
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function matches(held: Held, digest: Buffer): boolean {
  // Every held digest is compared, matched or not: the time does not say which one matched.
  let found = false;
  for (const candidate of held.digests) found = timingSafeEqual(candidate, digest) || found;
  return found;
}
