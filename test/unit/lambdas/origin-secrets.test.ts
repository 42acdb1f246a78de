import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SecretsManagerOriginSecrets } from '../../../lambdas/adapters/origin-secrets.js';

interface Seen {
  readonly target: string | undefined;
  readonly authorization: string | undefined;
  readonly body: { SecretId?: string; VersionStage?: string };
}

/** Secrets Manager's JSON protocol over real HTTP: `versions` by label; a missing label is a 400 ResourceNotFoundException. */
async function secretsManager(versions: Record<string, string>, status = 200) {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Seen['body'];
      seen.push({
        target: req.headers['x-amz-target'] as string,
        authorization: req.headers.authorization,
        body,
      });
      const value = versions[body.VersionStage ?? 'AWSCURRENT'];
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      if (status !== 200) {
        res.writeHead(status).end(JSON.stringify({ __type: 'InternalServiceError', message: 'down' }));
      } else if (value === undefined) {
        res
          .writeHead(400)
          .end(
            JSON.stringify({ __type: 'ResourceNotFoundException', Message: 'no version with that label' }),
          );
      } else {
        res
          .writeHead(200)
          .end(
            JSON.stringify({ ARN: body.SecretId, SecretString: value, VersionStages: [body.VersionStage] }),
          );
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:origin-AbCdEf';
const credentials = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' };

describe('SecretsManagerOriginSecrets', () => {
  it('reads the current, pending and previous versions with signed GetSecretValue calls', async () => {
    // Prepare
    const sm = await secretsManager({ AWSCURRENT: 'new', AWSPENDING: 'next', AWSPREVIOUS: 'old' });
    const secrets = new SecretsManagerOriginSecrets({
      secretId: SECRET_ARN,
      region: 'us-east-1',
      endpoint: sm.url,
      credentials,
    });

    // Act
    const values = await secrets.read();

    // Assess
    expect(values).toEqual(['new', 'next', 'old']);
    expect(sm.seen.map((s) => s.body.VersionStage).sort()).toEqual([
      'AWSCURRENT',
      'AWSPENDING',
      'AWSPREVIOUS',
    ]);
    for (const call of sm.seen) {
      expect(call.target).toBe('secretsmanager.GetSecretValue');
      expect(call.body.SecretId).toBe(SECRET_ARN);
      expect(call.authorization).toMatch(/^AWS4-HMAC-SHA256 .*\/us-east-1\/secretsmanager\/aws4_request/);
    }
  });

  it('leaves out labels no version carries (before the first rotation)', async () => {
    const sm = await secretsManager({ AWSCURRENT: 'only' });
    const secrets = new SecretsManagerOriginSecrets({
      secretId: SECRET_ARN,
      region: 'us-east-1',
      endpoint: sm.url,
      credentials,
    });

    await expect(secrets.read()).resolves.toEqual(['only']);
  });

  it('fails when Secrets Manager fails, so the check keeps what it held', async () => {
    const sm = await secretsManager({ AWSCURRENT: 'x' }, 500);
    const secrets = new SecretsManagerOriginSecrets({
      secretId: SECRET_ARN,
      region: 'us-east-1',
      endpoint: sm.url,
      credentials,
    });

    await expect(secrets.read()).rejects.toBeDefined();
  });
});
