import {
  CloudFrontClient,
  type DistributionConfig,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  UpdateDistributionCommand,
} from '@aws-sdk/client-cloudfront';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../lambdas/adapters/logger.js';
import { ORIGIN_HEADER } from '../../../lambdas/routes.js';
import {
  createRotationHandler,
  type RotationEvent,
  withOriginHeader,
} from '../../../lambdas/handlers/rotate-origin-secret.js';

const secretsMock = mockClient(SecretsManagerClient);
const cloudFrontMock = mockClient(CloudFrontClient);

const SECRET_ID = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:origin-AbCdEf';
const TOKEN = 'token-2';

/**
 * Secrets Manager and CloudFront as far as the rotation uses them, kept in memory behind the SDK
 * mocks: versions with their labels, and a distribution config whose ETag changes on each update
 * and whose status is InProgress for `deployPolls` looks after an update.
 */
function world(options: { deployPolls?: number } = {}) {
  const versions = new Map<string, { value?: string; stages: string[] }>([
    ['token-1', { value: 'first-value', stages: ['AWSCURRENT'] }],
  ]);
  const distribution = {
    etag: 'E1',
    pollsLeft: 0,
    config: {
      CallerReference: 'ref',
      Comment: 'chat',
      Enabled: true,
      Origins: {
        Quantity: 2,
        Items: [
          {
            Id: 'api',
            DomainName: 'abc.execute-api.us-east-1.amazonaws.com',
            CustomHeaders: {
              Quantity: 1,
              Items: [{ HeaderName: ORIGIN_HEADER, HeaderValue: 'first-value' }],
            },
          },
          { Id: 'player', DomainName: 'bucket.s3.us-east-1.amazonaws.com' },
        ],
      },
      DefaultCacheBehavior: { TargetOriginId: 'api', ViewerProtocolPolicy: 'https-only' },
    } as DistributionConfig,
  };
  const withStage = (stage: string) => [...versions.entries()].find(([, v]) => v.stages.includes(stage));

  secretsMock.on(DescribeSecretCommand).callsFake(() => ({
    RotationEnabled: true,
    VersionIdsToStages: Object.fromEntries([...versions].map(([id, v]) => [id, [...v.stages]])),
  }));
  secretsMock.on(GetSecretValueCommand).callsFake((input: { VersionId?: string; VersionStage?: string }) => {
    const entry = input.VersionId
      ? ([input.VersionId, versions.get(input.VersionId)] as const)
      : withStage(input.VersionStage ?? 'AWSCURRENT');
    const version = entry?.[1];
    if (!version?.value || (input.VersionStage && !version.stages.includes(input.VersionStage))) {
      throw new ResourceNotFoundException({ message: 'no such version', $metadata: {} });
    }
    return { SecretString: version.value, VersionId: entry![0] };
  });
  secretsMock
    .on(PutSecretValueCommand)
    .callsFake((input: { ClientRequestToken: string; SecretString: string }) => {
      for (const v of versions.values()) v.stages = v.stages.filter((s) => s !== 'AWSPENDING');
      versions.set(input.ClientRequestToken, { value: input.SecretString, stages: ['AWSPENDING'] });
      return {};
    });
  secretsMock
    .on(UpdateSecretVersionStageCommand)
    .callsFake((input: { MoveToVersionId: string; RemoveFromVersionId?: string }) => {
      const from = versions.get(input.RemoveFromVersionId ?? '');
      if (withStage('AWSCURRENT')?.[0] !== input.RemoveFromVersionId)
        throw new Error('wrong RemoveFromVersionId');
      for (const v of versions.values()) v.stages = v.stages.filter((s) => s !== 'AWSPREVIOUS');
      if (from) from.stages = ['AWSPREVIOUS'];
      versions.get(input.MoveToVersionId)!.stages = ['AWSCURRENT'];
      return {};
    });
  cloudFrontMock.on(GetDistributionConfigCommand).callsFake(() => ({
    DistributionConfig: structuredClone(distribution.config),
    ETag: distribution.etag,
  }));
  cloudFrontMock
    .on(UpdateDistributionCommand)
    .callsFake((input: { IfMatch: string; DistributionConfig: DistributionConfig }) => {
      if (input.IfMatch !== distribution.etag) throw new Error('PreconditionFailed');
      distribution.config = structuredClone(input.DistributionConfig);
      distribution.etag = `E${Number(distribution.etag.slice(1)) + 1}`;
      distribution.pollsLeft = options.deployPolls ?? 0;
      return { ETag: distribution.etag };
    });
  cloudFrontMock.on(GetDistributionCommand).callsFake(() => ({
    Distribution: { Status: distribution.pollsLeft-- > 0 ? 'InProgress' : 'Deployed' },
  }));

  const headerValues = () =>
    (distribution.config.Origins?.Items ?? []).flatMap((o) =>
      (o.CustomHeaders?.Items ?? []).filter((h) => h.HeaderName === ORIGIN_HEADER).map((h) => h.HeaderValue),
    );
  /** RotateSecret: a version stub under the token, labelled AWSPENDING, no value yet. */
  const start = (token = TOKEN) => {
    for (const v of versions.values()) v.stages = v.stages.filter((s) => s !== 'AWSPENDING');
    versions.set(token, { stages: ['AWSPENDING'] });
  };
  start();
  return { versions, distribution, headerValues, start };
}

const sleeps: number[] = [];
function handler(newValue = 'second-value') {
  return createRotationHandler({
    secrets: new SecretsManagerClient({ region: 'us-east-1' }),
    cloudFront: new CloudFrontClient({ region: 'us-east-1' }),
    distributionId: 'E2EXAMPLE',
    newValue: () => newValue,
    pollMs: 5,
    sleep: async (ms) => void sleeps.push(ms),
    logger: createLogger({ logLevel: 'SILENT' }),
  });
}

const event = (Step: RotationEvent['Step'], token = TOKEN): RotationEvent => ({
  Step,
  SecretId: SECRET_ID,
  ClientRequestToken: token,
});

/** Secrets Manager starts a rotation by adding the token's version as AWSPENDING, then calls the steps. */
const STEPS: RotationEvent['Step'][] = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'];

beforeEach(() => {
  sleeps.length = 0;
});
afterEach(() => {
  secretsMock.reset();
  cloudFrontMock.reset();
});

describe('the origin secret rotation', () => {
  it('createSecret puts a new value as AWSPENDING under the request token', async () => {
    const w = world();

    await handler()(event('createSecret'));

    expect(w.versions.get(TOKEN)).toEqual({ value: 'second-value', stages: ['AWSPENDING'] });
    expect(w.versions.get('token-1')!.stages).toEqual(['AWSCURRENT']);
  });

  it('createSecret retried keeps the first pending value', async () => {
    const w = world();
    await handler('second-value')(event('createSecret'));

    await handler('another-value')(event('createSecret'));

    expect(w.versions.get(TOKEN)!.value).toBe('second-value');
    expect(secretsMock.commandCalls(PutSecretValueCommand)).toHaveLength(1);
  });

  it('setSecret makes CloudFront send the pending value, changing only the origin header, with the ETag', async () => {
    // Prepare
    const w = world();
    const before = structuredClone(w.distribution.config);
    await handler()(event('createSecret'));

    // Act
    await handler()(event('setSecret'));

    // Assess
    const update = cloudFrontMock.commandCalls(UpdateDistributionCommand);
    expect(update).toHaveLength(1);
    expect(update[0]!.args[0].input).toMatchObject({ Id: 'E2EXAMPLE', IfMatch: 'E1' });
    expect(w.headerValues()).toEqual(['second-value']);
    const expected = structuredClone(before);
    expected.Origins!.Items![0]!.CustomHeaders!.Items![0]!.HeaderValue = 'second-value';
    expect(w.distribution.config).toEqual(expected);
  });

  it('setSecret retried does not update the distribution again', async () => {
    world();
    await handler()(event('createSecret'));
    await handler()(event('setSecret'));

    await handler()(event('setSecret'));

    expect(cloudFrontMock.commandCalls(UpdateDistributionCommand)).toHaveLength(1);
  });

  it('testSecret waits until the distribution is deployed', async () => {
    const w = world({ deployPolls: 3 });
    for (const step of STEPS.slice(0, 2)) await handler()(event(step));

    await handler()(event('testSecret'));

    expect(sleeps).toEqual([5, 5, 5]);
    expect(w.distribution.pollsLeft).toBeLessThan(0);
  });

  it('testSecret fails while an origin does not send the pending value', async () => {
    world();
    await handler()(event('createSecret'));

    await expect(handler()(event('testSecret'))).rejects.toThrow(/does not send the pending value/);
  });

  it('testSecret fails, for a later retry, when the distribution is not deployed in the step time', async () => {
    world({ deployPolls: 1_000 });
    for (const step of STEPS.slice(0, 2)) await handler()(event(step));
    const context = { getRemainingTimeInMillis: () => 20_010 } as never;

    await expect(handler()(event('testSecret'), context)).rejects.toThrow(/still InProgress/);
  });

  it('finishSecret makes the new value current and the old one previous', async () => {
    const w = world();
    for (const step of STEPS.slice(0, 3)) await handler()(event(step));

    await handler()(event('finishSecret'));

    expect(w.versions.get(TOKEN)!.stages).toEqual(['AWSCURRENT']);
    expect(w.versions.get('token-1')!.stages).toEqual(['AWSPREVIOUS']);
  });

  it('finishSecret retried, and any step of a finished rotation, change nothing', async () => {
    const w = world();
    for (const step of STEPS) await handler()(event(step));
    const calls = secretsMock.commandCalls(UpdateSecretVersionStageCommand).length;
    const updates = cloudFrontMock.commandCalls(UpdateDistributionCommand).length;

    for (const step of STEPS) await handler('yet-another')(event(step));

    expect(secretsMock.commandCalls(UpdateSecretVersionStageCommand)).toHaveLength(calls);
    expect(cloudFrontMock.commandCalls(UpdateDistributionCommand)).toHaveLength(updates);
    expect(w.versions.get(TOKEN)).toEqual({ value: 'second-value', stages: ['AWSCURRENT'] });
    expect(w.headerValues()).toEqual(['second-value']);
  });

  it('a second rotation drops the oldest value: current, previous and the header move on', async () => {
    const w = world();
    for (const step of STEPS) await handler('second-value')(event(step, 'token-2'));

    w.start('token-3');
    for (const step of STEPS) await handler('third-value')(event(step, 'token-3'));

    expect(w.versions.get('token-3')!.stages).toEqual(['AWSCURRENT']);
    expect(w.versions.get('token-2')!.stages).toEqual(['AWSPREVIOUS']);
    expect(w.versions.get('token-1')!.stages).toEqual([]);
    expect(w.headerValues()).toEqual(['third-value']);
  });

  it('refuses a token that is not a version of the secret, and a secret without rotation', async () => {
    world();
    await expect(handler()(event('createSecret', 'unknown'))).rejects.toThrow(/not a version/);

    secretsMock.on(DescribeSecretCommand).resolves({ RotationEnabled: false });
    await expect(handler()(event('createSecret'))).rejects.toThrow(/rotation enabled/);
  });
});

describe('withOriginHeader', () => {
  it('throws when no origin has the header (not the distribution this secret locks)', () => {
    expect(() => withOriginHeader({ Origins: { Quantity: 0, Items: [] } } as never, 'x')).toThrow(
      /No origin of the distribution/,
    );
  });
});
