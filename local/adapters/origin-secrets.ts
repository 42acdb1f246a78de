import { randomBytes } from 'node:crypto';
import type { OriginSecrets } from '../../lambdas/handlers/origin-guard.js';

/**
 * The origin secret locally (ADR 0030): a value made at start that the local edge sends and the
 * functions accept, through the same `OriginGuard` as in AWS. `rotate` plays a Secrets Manager
 * rotation for tests: the new value becomes current and the old one stays accepted as previous.
 */
export class LocalOriginSecrets implements OriginSecrets {
  private current: string;
  private previous: string | undefined;

  constructor(initial: string = newOriginSecret()) {
    this.current = initial;
  }

  /** The value the edge sends now. */
  get value(): string {
    return this.current;
  }

  async read(): Promise<readonly string[]> {
    return this.previous === undefined ? [this.current] : [this.current, this.previous];
  }

  rotate(next: string = newOriginSecret()): string {
    this.previous = this.current;
    this.current = next;
    return next;
  }
}

/** 32 random bytes, base64url: as long and as safe in a header as the rotation function's values. */
export function newOriginSecret(): string {
  return randomBytes(32).toString('base64url');
}
