import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import { z } from 'zod';

/** What CDK writes to the edge parameter once the distribution exists (ADR 0011). */
export const EdgeSettings = z.object({
  /** What players use: https://<distribution>.cloudfront.net. */
  url: z.url(),
  distributionId: z.string().min(1),
});
export type EdgeSettings = z.infer<typeof EdgeSettings>;

/** The parameter never changes after a deploy; a new deploy starts new function instances. */
const MAX_AGE_SECONDS = 15 * 60;

/**
 * The CloudFront distribution's URL and id, read from the SSM parameter CDK
 * writes (a parameter, not variables: the distribution is built after the
 * functions). Powertools Parameters fetches it on first use and caches it;
 * a failed read is not cached, so the next call tries again.
 */
export class SsmEdgeSettings {
  constructor(
    private readonly parameterName: string,
    private readonly maxAgeSeconds = MAX_AGE_SECONDS,
  ) {}

  async read(): Promise<EdgeSettings> {
    const value = await getParameter(this.parameterName, {
      transform: 'json',
      maxAge: this.maxAgeSeconds,
      throwOnMissing: true,
    });
    const parsed = EdgeSettings.safeParse(value);
    if (!parsed.success) {
      throw new Error(`SSM parameter ${this.parameterName} lacks url or distributionId.`);
    }
    return parsed.data;
  }

  readonly url = async (): Promise<string> => (await this.read()).url;
  readonly distributionId = async (): Promise<string> => (await this.read()).distributionId;
}
