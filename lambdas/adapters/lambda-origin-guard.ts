import { OriginGuard } from '../handlers/origin-guard.js';
import { SecretsManagerOriginSecrets } from './origin-secrets.js';

/**
 * The origin check as every HTTP function's Lambda entry makes it: the secret's accepted versions
 * read from Secrets Manager, the first read started at init (ADR 0030).
 */
export function lambdaOriginGuard(config: {
  ORIGIN_SECRET_ARN: string;
  AWS_REGION: string;
  AWS_ENDPOINT_URL_SECRETS_MANAGER?: string | undefined;
}): OriginGuard {
  return new OriginGuard(
    new SecretsManagerOriginSecrets({
      secretId: config.ORIGIN_SECRET_ARN,
      region: config.AWS_REGION,
      ...(config.AWS_ENDPOINT_URL_SECRETS_MANAGER
        ? { endpoint: config.AWS_ENDPOINT_URL_SECRETS_MANAGER }
        : {}),
    }),
  ).prefetch();
}
