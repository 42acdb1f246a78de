import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SecretCanaryToken } from '../../../lambdas/adapters/canary/secret-token.js';

const secrets = mockClient(SecretsManagerClient);
afterEach(() => secrets.reset());

// Each test its own secret id: Powertools caches values per id for the process.
describe('SecretCanaryToken', () => {
  it('reads the token the operator stored, once for many runs', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ token: 'eyJ.a.b' }) });
    const source = new SecretCanaryToken('canary-token-1');

    expect(await source.token()).toBe('eyJ.a.b');
    expect(await source.token()).toBe('eyJ.a.b');

    const calls = secrets.commandCalls(GetSecretValueCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toMatchObject({ SecretId: 'canary-token-1' });
  });

  it('gives no token while the secret still holds the empty placeholder the stack created', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ token: '' }) });

    expect(await new SecretCanaryToken('canary-token-2').token()).toBeUndefined();
  });

  it('says how to store the token when the value is not the expected JSON', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'eyJ.a.b' });

    await expect(new SecretCanaryToken('canary-token-3').token()).rejects.toThrow(
      'secret canary-token-3 is not JSON: store {"token":"<viewer JWT>"}',
    );
  });

  it('does not keep a failed read: the next run asks again', async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(new Error('AccessDeniedException'))
      .resolves({ SecretString: JSON.stringify({ token: 't' }) });
    const source = new SecretCanaryToken('canary-token-4');

    await expect(source.token()).rejects.toThrow('AccessDeniedException');
    expect(await source.token()).toBe('t');
  });
});
