import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import type { EdgeInvalidator } from '../domain/feed/ports.js';

/** CloudFront invalidations; the caller reference makes a retried call create nothing new. */
export class CloudFrontInvalidator implements EdgeInvalidator {
  constructor(
    /** Resolved on each call (CDK writes the id to an SSM parameter; its reader caches it). */
    private readonly distributionId: () => Promise<string>,
    private readonly client = new CloudFrontClient({}),
  ) {}

  async invalidate(paths: readonly string[], reference: string): Promise<void> {
    await this.client.send(
      new CreateInvalidationCommand({
        DistributionId: await this.distributionId(),
        InvalidationBatch: {
          CallerReference: reference,
          Paths: { Quantity: paths.length, Items: [...paths] },
        },
      }),
    );
  }
}
