import type { KeyValueStorageInterface } from 'aws-amplify/utils';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { decodeJwt } from 'jose';
import { Secret, TOTP } from 'otpauth';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../lambdas/domain/access/roles.js';
import { LOCAL_COGNITO_PATH } from '../../local/cognito/protocol.js';
import { DEV_USER_POOL_CLIENT_ID, DEV_USER_POOL_ID } from '../../local/dev-user-pool.js';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { authErrorMessage, createConsoleAuth, type ConsoleAuth } from '../../web/console/auth.js';

/**
 * The console's sign-in module (web/console/auth.ts) on aws-amplify, against `npm start`'s user
 * pool at /local/cognito/ — the same calls it makes to Cognito in AWS — and the ID tokens it gets
 * through the edge to the admin API's authoriser.
 */
let stack: LocalStack;
let auth: ConsoleAuth;
/** Amplify's token store, ours so that tests can read the refresh token and forget a sign-in. */
const stored = new Map<string, string>();
const storage: KeyValueStorageInterface = {
  setItem: async (key, value) => void stored.set(key, value),
  getItem: async (key) => stored.get(key) ?? null,
  removeItem: async (key) => void stored.delete(key),
  clear: async () => stored.clear(),
};
let users = 0;

beforeAll(async () => {
  stack = await startLocalStack({ seed: false });
  auth = createConsoleAuth({
    userPoolId: DEV_USER_POOL_ID,
    userPoolClientId: DEV_USER_POOL_CLIENT_ID,
    userPoolEndpoint: `${stack.edgeUrl}${LOCAL_COGNITO_PATH}`,
  });
  cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);
});
afterEach(async () => {
  await auth.signOut();
  stack.adminUsers.updateClient({ tokenValiditySeconds: 3600 });
});
afterAll(async () => {
  await stack?.stop();
});

interface NewUser {
  email?: string;
  name?: string;
  roles?: Role[];
  channels?: string[];
  password?: string;
  temporaryPassword?: string;
  mfa?: boolean;
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${stack.edgeUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- responses are read loosely in tests
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

async function createUser(user: NewUser = {}) {
  const email = user.email ?? `person-${++users}-${Date.now().toString(36)}@example.com`;
  const res = await post('/local/admin-users', { roles: ['operator'], ...user, email });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { email, ...res.body } as { email: string; userId: string; status: string; password?: string };
}

async function me(idToken: string | undefined) {
  const res = await fetch(`${stack.edgeUrl}/admin/v1/me`, { headers: { authorization: idToken ?? '' } });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- responses are read loosely in tests
  return { status: res.status, body: (await res.json()) as any };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

const codeAt = (secret: string, timestamp: number) =>
  new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp });
const currentCode = (secret: string) => codeAt(secret, Date.now());
/** A six-digit code that none of the steps the pool accepts (now, and one either side) shows. */
function wrongCode(secret: string): string {
  const valid = new Set([-30_000, 0, 30_000].map((d) => codeAt(secret, Date.now() + d)));
  for (let n = 0; ; n++) {
    const code = String(n).padStart(6, '0');
    if (!valid.has(code)) return code;
  }
}

const refreshTokenStored = () => [...stored].find(([key]) => key.endsWith('.refreshToken'))?.[1];

/** GetTokensFromRefreshToken, straight to the user pool: what Amplify calls to refresh. */
const refreshDirectly = (refreshToken: string) =>
  post(
    LOCAL_COGNITO_PATH,
    { ClientId: DEV_USER_POOL_CLIENT_ID, RefreshToken: refreshToken },
    {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AWSCognitoIdentityProviderService.GetTokensFromRefreshToken',
    },
  );

describe('console sign-in against the local user pool', () => {
  it('signs in by SRP with the right password and gets an ID token the admin API accepts', async () => {
    // Prepare
    const user = await createUser({
      roles: ['moderator'],
      channels: ['ch-b', 'ch-a'],
      name: 'Mia Moderator',
    });

    // Act
    const step = await auth.signIn(user.email, user.password!);
    const token = await auth.idToken();

    // Assess
    expect(step).toEqual({ step: 'done' });
    expect(decodeJwt(token!)).toMatchObject({
      token_use: 'id',
      aud: DEV_USER_POOL_CLIENT_ID,
      email: user.email,
    });
    const res = await me(token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      userId: user.userId,
      displayName: 'Mia Moderator',
      roles: ['moderator'],
      channels: ['ch-a', 'ch-b'],
    });
  });

  it('refuses a wrong password and an unknown e-mail alike (NotAuthorizedException), issuing nothing', async () => {
    // Prepare
    const user = await createUser();

    // Act
    const wrong = await failure(auth.signIn(user.email, `${user.password!}x`));
    const unknown = await failure(auth.signIn('nobody@example.com', user.password!));

    // Assess
    for (const error of [wrong, unknown]) {
      expect(error.name).toBe('NotAuthorizedException');
      expect(error.message).toBe('Incorrect username or password.');
      expect(authErrorMessage(error)).toMatch(/e-mail address or password is wrong/);
    }
    expect(await auth.idToken()).toBeUndefined();
    expect(refreshTokenStored()).toBeUndefined();
  });

  it('asks for a new password after a temporary one, refuses one the policy does not allow, then signs in', async () => {
    // Prepare
    const user = await createUser({
      temporaryPassword: 'Temporary-Pass-1',
      roles: ['artist'],
      channels: ['c1'],
    });
    expect(user.status).toBe('FORCE_CHANGE_PASSWORD');

    // Act
    const first = await auth.signIn(user.email, 'Temporary-Pass-1');
    const short = await failure(auth.confirm('Sh0rt!'));
    const noSymbol = await failure(auth.confirm('NoSymbolsHere123'));
    const done = await auth.confirm('A-much-better-passw0rd');

    // Assess
    expect(first).toEqual({ step: 'newPassword' });
    expect(short.name).toBe('InvalidPasswordException');
    expect(short.message).toBe('Password did not conform with policy: Password not long enough');
    expect(authErrorMessage(short)).toMatch(/too short/);
    expect(noSymbol.name).toBe('InvalidPasswordException');
    expect(authErrorMessage(noSymbol)).toMatch(/needs a symbol/);
    expect(done).toEqual({ step: 'done' });
    expect((await me(await auth.idToken())).body.roles).toEqual(['artist']);

    // The temporary password is gone; the new one is the password now, with no challenge.
    await auth.signOut();
    expect((await failure(auth.signIn(user.email, 'Temporary-Pass-1'))).name).toBe('NotAuthorizedException');
    expect(await auth.signIn(user.email, 'A-much-better-passw0rd')).toEqual({ step: 'done' });
  });

  it('enrols TOTP at the first sign-in, then asks for a code at the next, refusing a wrong one', async () => {
    // Prepare
    const user = await createUser({ mfa: true });

    // Act: enrolment
    const setup = await auth.signIn(user.email, user.password!);
    if (setup.step !== 'totpSetup') throw new Error(`expected totpSetup, got ${setup.step}`);
    const wrongSetup = await failure(auth.confirm(wrongCode(setup.secret)));
    const enrolled = await auth.confirm(currentCode(setup.secret).replace(/^(\d{3})/, '$1 '));

    // Assess
    expect(setup.uri).toMatch(/^otpauth:\/\/totp\//);
    const uri = new URL(setup.uri);
    expect(uri.searchParams.get('secret')).toBe(setup.secret);
    expect(decodeURIComponent(uri.pathname)).toContain(user.email);
    expect(wrongSetup.name).toBe('EnableSoftwareTokenMFAException');
    expect(authErrorMessage(wrongSetup)).toMatch(/code is wrong/);
    expect(enrolled).toEqual({ step: 'done' });
    expect((await me(await auth.idToken())).status).toBe(200);

    // Act: the next sign-in
    await auth.signOut();
    const challenge = await auth.signIn(user.email, user.password!);
    const wrong = await failure(auth.confirm(wrongCode(setup.secret)));
    const letters = await failure(auth.confirm('abcdef'));
    const signedIn = await auth.confirm(currentCode(setup.secret));

    // Assess
    expect(challenge).toEqual({ step: 'totpCode' });
    expect(wrong.name).toBe('CodeMismatchException');
    expect(letters.name).toBe('ConsoleAuthError');
    expect(signedIn).toEqual({ step: 'done' });
    expect((await me(await auth.idToken())).status).toBe(200);
  });

  it('runs a temporary password and required TOTP in Cognito’s order: new password, then enrolment', async () => {
    // Prepare
    const user = await createUser({ temporaryPassword: 'Temporary-Pass-2', mfa: true });

    // Act
    const first = await auth.signIn(user.email, 'Temporary-Pass-2');
    const second = await auth.confirm('Another-good-passw0rd');
    if (second.step !== 'totpSetup') throw new Error(`expected totpSetup, got ${second.step}`);
    const third = await auth.confirm(currentCode(second.secret));

    // Assess
    expect(first).toEqual({ step: 'newPassword' });
    expect(third).toEqual({ step: 'done' });
    expect((await me(await auth.idToken())).status).toBe(200);
  });

  it('keeps the ID token while it is fresh and refreshes it once it is near expiry', async () => {
    // Prepare: tokens that are "near expiry" (under a minute left) three or four seconds after they are issued.
    stack.adminUsers.updateClient({ tokenValiditySeconds: 64 });
    const user = await createUser({ roles: ['operator'] });
    await auth.signIn(user.email, user.password!);
    const first = await auth.idToken();
    expect(await auth.idToken()).toBe(first);

    // Act: wait until the token is near expiry and idToken() hands out another.
    let renewed = first;
    const deadline = Date.now() + 15_000;
    while (renewed === first && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      renewed = await auth.idToken();
    }

    // Assess
    expect(renewed).toBeDefined();
    expect(renewed).not.toBe(first);
    expect(decodeJwt(renewed!).exp!).toBeGreaterThan(decodeJwt(first!).exp!);
    expect(decodeJwt(renewed!).origin_jti).toBe(decodeJwt(first!).origin_jti);
    expect((await me(renewed)).status).toBe(200);
  });

  it('revokes the refresh token on sign-out: it refreshes nothing afterwards', async () => {
    // Prepare
    const user = await createUser();
    await auth.signIn(user.email, user.password!);
    const refreshToken = refreshTokenStored()!;
    expect((await refreshDirectly(refreshToken)).status).toBe(200);

    // Act
    await auth.signOut();

    // Assess
    const after = await refreshDirectly(refreshToken);
    expect(after.status).toBe(400);
    expect(after.headers.get('x-amzn-errortype')).toBe('NotAuthorizedException');
    expect(after.body).toEqual({
      __type: 'NotAuthorizedException',
      message: 'Refresh Token has been revoked',
    });
    expect(await auth.idToken()).toBeUndefined();
  });

  it('signs out everywhere: every refresh token of the user stops working', async () => {
    // Prepare: a sign-in on "another device" (forgotten here, not signed out), then this one.
    const user = await createUser();
    await auth.signIn(user.email, user.password!);
    const elsewhere = refreshTokenStored()!;
    stored.clear();
    await auth.signIn(user.email, user.password!);
    const here = refreshTokenStored()!;
    expect(here).not.toBe(elsewhere);

    // Act
    await auth.signOut({ everywhere: true });

    // Assess
    for (const token of [elsewhere, here]) {
      expect((await refreshDirectly(token)).body.__type).toBe('NotAuthorizedException');
    }
  });

  it('lets a token whose refresh token was revoked elsewhere lapse: idToken() reports signed out', async () => {
    // Prepare
    stack.adminUsers.updateClient({ tokenValiditySeconds: 30 });
    const user = await createUser();
    await auth.signIn(user.email, user.password!);
    const revoke = await post(
      LOCAL_COGNITO_PATH,
      { ClientId: DEV_USER_POOL_CLIENT_ID, Token: refreshTokenStored() },
      { 'x-amz-target': 'AWSCognitoIdentityProviderService.RevokeToken' },
    );
    expect(revoke.status).toBe(200);

    // Act: the token is under a minute from expiry, so idToken() refreshes, and is refused.
    const token = await auth.idToken();

    // Assess
    expect(token).toBeUndefined();
  });
});

describe('POST /local/admin-users', () => {
  it('refuses an e-mail already in the pool with 409, whatever its case', async () => {
    const user = await createUser();
    const again = await post('/local/admin-users', { email: user.email.toUpperCase(), roles: ['artist'] });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'user_exists', retryable: false });
  });

  it('refuses a password the pool policy does not allow, and a body that is not an account', async () => {
    const weak = await post('/local/admin-users', {
      email: 'weak@example.com',
      roles: [],
      password: 'password',
    });
    expect(weak.status).toBe(400);
    expect(weak.body).toEqual({
      code: 'invalid_password',
      message: 'Password did not conform with policy: Password not long enough',
      retryable: false,
    });
    for (const body of [
      { email: 'x@example.com', roles: ['admin'] },
      { email: 'not-an-email', roles: [] },
      {
        email: 'y@example.com',
        roles: [],
        password: 'A-good-passw0rd',
        temporaryPassword: 'A-good-passw0rd',
      },
      { email: 'z@example.com', roles: [], extra: true },
    ]) {
      const res = await post('/local/admin-users', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toMatchObject({ code: 'invalid_body', retryable: false });
    }
    // Nothing was created: the address is still free.
    expect((await post('/local/admin-users', { email: 'weak@example.com', roles: [] })).status).toBe(201);
  });
});

describe('the user pool protocol at /local/cognito/', () => {
  const call = (action: string, body: unknown) =>
    post(LOCAL_COGNITO_PATH, body, {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${action}`,
    });

  it('answers errors in Cognito’s shape: HTTP 400, __type and message, x-amzn-errortype', async () => {
    const flow = await call('InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: DEV_USER_POOL_CLIENT_ID,
      AuthParameters: { USERNAME: 'a', PASSWORD: 'b' },
    });
    expect(flow.status).toBe(400);
    expect(flow.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(flow.body).toEqual({
      __type: 'InvalidParameterException',
      message: 'USER_PASSWORD_AUTH flow not enabled for this client',
    });

    const client = await call('InitiateAuth', {
      AuthFlow: 'USER_SRP_AUTH',
      ClientId: 'other',
      AuthParameters: {},
    });
    expect(client.body.__type).toBe('ResourceNotFoundException');
    const refresh = await refreshDirectly('not-a-token');
    expect(refresh.body).toEqual({ __type: 'NotAuthorizedException', message: 'Invalid Refresh Token' });
    const unknown = await call('SignUp', {});
    expect(unknown.status).toBe(400);
    expect(unknown.body.__type).toBe('UnknownOperationException');
    const malformed = await call('RevokeToken', { ClientId: DEV_USER_POOL_CLIENT_ID });
    expect(malformed.body.__type).toBe('InvalidParameterException');
  });
});
