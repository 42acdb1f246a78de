import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { CloudFrontInvalidator } from '../../../lambdas/adapters/cloudfront-invalidator.js';

const cloudfront = mockClient(CloudFrontClient);
afterEach(() => cloudfront.reset());

describe('CloudFrontInvalidator', () => {
  it('creates one invalidation of exactly the given paths, with the reference as caller reference', async () => {
    cloudfront.on(CreateInvalidationCommand).resolves({});

    await new CloudFrontInvalidator(
      async () => 'E2EXAMPLE',
      new CloudFrontClient({ region: 'us-east-1' }),
    ).invalidate(['/v1/rooms/r1/segments/7'], '01JTOMBSTONE');

    const calls = cloudfront.commandCalls(CreateInvalidationCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      DistributionId: 'E2EXAMPLE',
      InvalidationBatch: {
        CallerReference: '01JTOMBSTONE',
        Paths: { Quantity: 1, Items: ['/v1/rooms/r1/segments/7'] },
      },
    });
  });

  it('lets the caller see a failure to learn the distribution, and calls nothing', async () => {
    const invalidator = new CloudFrontInvalidator(
      () => Promise.reject(new Error('ParameterNotFound')),
      new CloudFrontClient({ region: 'us-east-1' }),
    );

    await expect(invalidator.invalidate(['/x'], 'r')).rejects.toThrow('ParameterNotFound');
    expect(cloudfront.commandCalls(CreateInvalidationCommand)).toHaveLength(0);
  });

  it('lets the caller see a failure', async () => {
    cloudfront.on(CreateInvalidationCommand).rejects(new Error('TooManyInvalidationsInProgress'));

    await expect(
      new CloudFrontInvalidator(
        async () => 'E2EXAMPLE',
        new CloudFrontClient({ region: 'us-east-1' }),
      ).invalidate(['/x'], 'r'),
    ).rejects.toThrow('TooManyInvalidationsInProgress');
  });
});
