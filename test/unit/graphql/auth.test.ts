import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { authenticate } from '../../../local/appsync/auth.js';

const config = { apiKey: 'da2-localkey00000000000000000' };
const body = JSON.stringify({ query: 'mutation { publish }' });
const request = { method: 'POST', path: '/graphql', body };

async function signed(
  options: {
    secretAccessKey?: string;
    service?: string;
    signingDate?: Date;
    path?: string;
    body?: string;
  } = {},
) {
  const signer = new SignatureV4({
    credentials: { accessKeyId: 'local', secretAccessKey: options.secretAccessKey ?? 'local' },
    region: 'eu-west-1',
    service: options.service ?? 'appsync',
    sha256: Sha256,
  });
  const result = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: 'https:',
      hostname: '127.0.0.1',
      port: 4001,
      path: options.path ?? '/graphql',
      headers: { host: '127.0.0.1:4001', 'content-type': 'application/json' },
      body: options.body ?? body,
    }),
    options.signingDate ? { signingDate: options.signingDate } : {},
  );
  return result.headers as Record<string, string>;
}

describe('API key', () => {
  it('accepts the local key, with no identity', async () => {
    expect(await authenticate({ 'x-api-key': config.apiKey }, request, config)).toEqual({
      ok: true,
      mode: 'API_KEY',
      identity: null,
      authType: 'API Key Authorization',
    });
  });

  it('refuses another key and a request with no auth at all', async () => {
    expect((await authenticate({ 'X-Api-Key': 'da2-other' }, request, config)).ok).toBe(false);
    expect(await authenticate({}, request, config)).toEqual({
      ok: false,
      message: 'Missing authorization header',
    });
  });
});

describe('IAM (SigV4)', () => {
  it('accepts a request signed with the local credentials in any region, and names the caller', async () => {
    const result = await authenticate(await signed(), request, config);

    expect(result).toMatchObject({ ok: true, mode: 'AWS_IAM', authType: 'IAM Authorization' });
    expect(result.ok && result.identity).toMatchObject({ accountId: '000000000000', username: 'local' });
  });

  it('accepts header names in any case (clients send "Authorization")', async () => {
    const headers = await signed();
    const { authorization, ...rest } = headers;

    expect((await authenticate({ ...rest, Authorization: authorization }, request, config)).ok).toBe(true);
  });

  it.each([
    ['a wrong secret', { secretAccessKey: 'guess' }],
    ['another service', { service: 'execute-api' }],
    ['an old signature', { signingDate: new Date(Date.now() - 3_600_000) }],
    ['another path', { path: '/graphql/connect' }],
  ])('refuses %s', async (_name, options) => {
    expect((await authenticate(await signed(options), request, config)).ok).toBe(false);
  });

  it('refuses a body changed after signing', async () => {
    const headers = await signed();

    expect((await authenticate(headers, { ...request, body: `${body} ` }, config)).ok).toBe(false);
  });

  it('refuses an Authorization header that is not SigV4, even beside a valid API key', async () => {
    const result = await authenticate(
      { authorization: 'Bearer abc', 'x-api-key': config.apiKey },
      request,
      config,
    );

    expect(result.ok).toBe(false);
  });
});
