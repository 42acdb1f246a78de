import { createHash, timingSafeEqual } from 'node:crypto';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../lambdas/adapters/node-sha256.js';
import type { ResolverIdentity } from './resolvers.js';
import type { AuthMode } from './schema.js';
import type { AuthTypeName } from './utils-runtime.js';

/** The fixed credentials of the local runtime (ADR 0006): the backend signs with these. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
export const LOCAL_ACCOUNT_ID = '000000000000';

/** How far a signature's time may be from the server's, as AWS allows for SigV4. */
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

export interface AuthConfig {
  readonly apiKey: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** What was signed or sent: for HTTP the request itself; for the realtime channel AppSync's documented stand-ins. */
export interface SignedRequestParts {
  readonly method: string;
  readonly path: string;
  readonly query?: URLSearchParams;
  readonly body: string;
}

export type AuthResult =
  | {
      readonly ok: true;
      readonly mode: AuthMode;
      readonly identity: ResolverIdentity;
      readonly authType: AuthTypeName;
    }
  | { readonly ok: false; readonly message: string };

const refused = (message: string): AuthResult => ({ ok: false, message });

/** Header names lower-cased; values as strings (lists joined as HTTP does). */
export function normaliseHeaders(headers: Record<string, unknown>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || value === null) continue;
    result[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return result;
}

function sameSecret(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right);
}

/**
 * Authenticates one request by AppSync's rules for an API with API key and
 * IAM: a SigV4 `Authorization` header means IAM (verified by signing the same
 * request again with the local secret and comparing), otherwise `x-api-key`
 * must be the local API key. Anything else is refused.
 */
export async function authenticate(
  rawHeaders: Record<string, unknown>,
  request: SignedRequestParts,
  config: AuthConfig,
  sourceIp = '127.0.0.1',
): Promise<AuthResult> {
  const headers = normaliseHeaders(rawHeaders);
  const authorization = headers.authorization;
  if (authorization !== undefined) {
    if (!authorization.startsWith('AWS4-HMAC-SHA256 ')) {
      return refused('Valid authorization header not provided.');
    }
    return verifySigV4(headers, request, config, sourceIp);
  }
  const apiKey = headers['x-api-key'];
  if (apiKey !== undefined) {
    return sameSecret(apiKey, config.apiKey)
      ? { ok: true, mode: 'API_KEY', identity: null, authType: 'API Key Authorization' }
      : refused('You are not authorized to make this call.');
  }
  return refused('Missing authorization header');
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})\s*$/;

function parseAmzDate(value: string | undefined): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

async function verifySigV4(
  headers: Record<string, string>,
  request: SignedRequestParts,
  config: AuthConfig,
  sourceIp: string,
): Promise<AuthResult> {
  const credentials = config.credentials ?? LOCAL_CREDENTIALS;
  const parsed = AUTHORIZATION.exec(headers.authorization ?? '');
  if (!parsed) return refused('Authorization header is not a valid SigV4 signature.');
  const [, credential, signedHeaderList, signature] = parsed as unknown as [string, string, string, string];
  const [accessKeyId, shortDate, region, service, terminator] = credential.split('/');
  if (accessKeyId !== credentials.accessKeyId) {
    return refused('The security token included in the request is invalid.');
  }
  if (!shortDate || !region || service !== 'appsync' || terminator !== 'aws4_request') {
    return refused('Credential should be scoped to a valid region and the appsync service.');
  }
  const signingDate = parseAmzDate(headers['x-amz-date']);
  if (!signingDate || !headers['x-amz-date']!.startsWith(shortDate)) {
    return refused('The request must carry an X-Amz-Date matching the credential scope.');
  }
  if (Math.abs(Date.now() - signingDate.getTime()) > MAX_CLOCK_SKEW_MS) {
    return refused('Signature expired.');
  }
  const contentHash = headers['x-amz-content-sha256'];
  if (contentHash !== undefined && contentHash !== createHash('sha256').update(request.body).digest('hex')) {
    return refused('The provided x-amz-content-sha256 header does not match what was computed.');
  }
  const signedHeaders = signedHeaderList.split(';');
  if (!signedHeaders.includes('host') || signedHeaders.some((name) => headers[name] === undefined)) {
    return refused('Every signed header, host included, must be sent.');
  }

  const host = headers.host!;
  const signer = new SignatureV4({
    credentials,
    region,
    service: 'appsync',
    sha256: NodeSha256,
    applyChecksum: false,
  });
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(request.query?.keys() ?? [])) {
    const values = request.query!.getAll(key);
    query[key] = values.length === 1 ? values[0]! : values;
  }
  const resigned = await signer.sign(
    new HttpRequest({
      method: request.method,
      protocol: 'https:',
      hostname: host.replace(/:\d+$/, ''),
      path: request.path,
      query,
      headers: Object.fromEntries(signedHeaders.map((name) => [name, headers[name]!])),
      body: request.body,
    }),
    { signingDate, signableHeaders: new Set(signedHeaders) },
  );
  const expected = AUTHORIZATION.exec(String(resigned.headers.authorization ?? ''));
  const matches =
    expected !== null &&
    expected[2] === signedHeaderList &&
    timingSafeEqual(Buffer.from(expected[3]!, 'hex'), Buffer.from(signature, 'hex'));
  if (!matches) {
    return refused(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    );
  }
  return {
    ok: true,
    mode: 'AWS_IAM',
    authType: 'IAM Authorization',
    identity: {
      accountId: LOCAL_ACCOUNT_ID,
      cognitoIdentityAuthProvider: null,
      cognitoIdentityAuthType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      sourceIp: [sourceIp],
      userArn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/${accessKeyId}`,
      username: accessKeyId,
    },
  };
}
