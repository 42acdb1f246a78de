/**
 * The origin secret's rotation function in AWS (ADR 0030): Secrets Manager invokes it for each
 * rotation step; it points the distribution's origin header at the new value.
 */
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createLogger } from '../adapters/logger.js';
import { parseConfig, RotationConfig } from '../config.js';
import { createRotationHandler } from '../handlers/rotate-origin-secret.js';

const config = parseConfig(RotationConfig, process.env);

export const handler = createRotationHandler({
  secrets: new SecretsManagerClient({ region: config.AWS_REGION }),
  // CloudFront's API is global: its endpoint is in us-east-1 whatever the function's region.
  cloudFront: new CloudFrontClient({ region: 'us-east-1' }),
  distributionId: config.DISTRIBUTION_ID,
  logger: createLogger(),
});
