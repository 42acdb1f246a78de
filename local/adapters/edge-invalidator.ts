import type { EdgeInvalidator } from '../../lambdas/domain/feed/ports.js';

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
