import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import type { EdgeInvalidator } from '../domain/feed/ports.js';

/** CloudFront invalidations; the caller reference makes a retried call create nothing new. */
export class CloudFrontInvalidator implements EdgeInvalidator {
  constructor(
    private readonly distributionId: string,
    private readonly client = new CloudFrontClient({}),
  ) {}

  async invalidate(paths: readonly string[], reference: string): Promise<void> {
    await this.client.send(
      new CreateInvalidationCommand({
        DistributionId: this.distributionId,
        InvalidationBatch: {
          CallerReference: reference,
          Paths: { Quantity: paths.length, Items: [...paths] },
        },
      }),
    );
  }
}

/** The local edge cache's invalidation endpoint (`npm start`), over HTTP like CloudFront's API. */
export class LocalEdgeInvalidator implements EdgeInvalidator {
  constructor(private readonly edgeUrl: string) {}

  async invalidate(paths: readonly string[]): Promise<void> {
    const res = await fetch(`${this.edgeUrl}/local/edge/invalidations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ paths }),
      signal: AbortSignal.timeout(2_000),
    });
    if (!res.ok) throw new Error(`The local edge refused the invalidation (${res.status}).`);
  }
}
