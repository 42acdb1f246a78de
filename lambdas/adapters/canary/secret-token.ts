import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import * as z from 'zod/mini';

/** The secret's value: `{"token":"<a viewer JWT for the canary's user>"}`; `""` until an operator stores one. */
const CanaryTokenSecret = z.object({ token: z.string() });

/** Re-read every 5 minutes, so a token the operator replaced is used within that. */
const MAX_AGE_SECONDS = 300;

/**
 * The canary's viewer token, from the Secrets Manager secret the stack creates and the operator
 * fills (README: runbook): the host service signs it, as it signs every viewer's (ADR 0032).
 * Powertools Parameters caches it; a failed read is not cached, so the next run tries again.
 */
export class SecretCanaryToken {
  constructor(
    private readonly secretId: string,
    private readonly maxAgeSeconds = MAX_AGE_SECONDS,
  ) {}

  readonly token = async (): Promise<string | undefined> => {
    const value = await getSecret(this.secretId, { maxAge: this.maxAgeSeconds });
    let json: unknown;
    try {
      json = JSON.parse(typeof value === 'string' ? value : '');
    } catch {
      throw new Error(`secret ${this.secretId} is not JSON: store {"token":"<viewer JWT>"}`);
    }
    const parsed = z.safeParse(CanaryTokenSecret, json);
    if (!parsed.success)
      throw new Error(`secret ${this.secretId} has no "token": store {"token":"<viewer JWT>"}`);
    return parsed.data.token.trim() || undefined;
  };
}
