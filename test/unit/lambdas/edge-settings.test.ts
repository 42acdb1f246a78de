import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SsmEdgeSettings } from '../../../lambdas/adapters/edge-settings.js';

const ssm = mockClient(SSMClient);
afterEach(() => ssm.reset());

const value = { url: 'https://d111111abcdef8.cloudfront.net', distributionId: 'E2EXAMPLE' };

describe('SsmEdgeSettings', () => {
  it('reads the distribution’s URL and id from the parameter, once for many reads', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: JSON.stringify(value) } });
    const edge = new SsmEdgeSettings('/hybrid-chat/test/edge-1');

    expect(await edge.url()).toBe(value.url);
    expect(await edge.distributionId()).toBe(value.distributionId);
    expect(await edge.read()).toEqual(value);

    const calls = ssm.commandCalls(GetParameterCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toMatchObject({ Name: '/hybrid-chat/test/edge-1' });
  });

  it('refuses a value without url or distributionId, naming the parameter', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: JSON.stringify({ url: value.url }) } });

    await expect(new SsmEdgeSettings('/hybrid-chat/test/edge-2').read()).rejects.toThrow(
      '/hybrid-chat/test/edge-2 lacks url or distributionId',
    );
  });

  it('does not keep a failed read: the next one asks SSM again', async () => {
    ssm
      .on(GetParameterCommand)
      .rejectsOnce(new Error('ThrottlingException'))
      .resolves({ Parameter: { Value: JSON.stringify(value) } });
    const edge = new SsmEdgeSettings('/hybrid-chat/test/edge-3');

    await expect(edge.url()).rejects.toThrow('ThrottlingException');
    expect(await edge.url()).toBe(value.url);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
  });
});
