import { createHash, createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../../local/cognito/errors.js';
import { passwordPolicyViolation } from '../../../local/cognito/password-policy.js';
import { claimSignature, g, k, modPow, N, padHex } from '../../../local/cognito/srp.js';
import { LocalUserPool, parseCognitoTimestamp, type AuthResponse } from '../../../local/cognito/user-pool.js';
import { DEV_USER_POOL_CLIENT_ID, DEV_USER_POOL_ID, DevUserPool } from '../../../local/dev-user-pool.js';

/**
 * The local user pool's rules that need a clock or a hand-made SRP client: sessions, temporary
 * passwords and refresh tokens expire; a password claim is single-use and time-stamped. The
 * Amplify client itself signs in against it in test/e2e/console-sign-in.test.ts.
 */
const POOL_NAME = DEV_USER_POOL_ID.split('_')[1]!;
const hashHex = (hex: string) => createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex');
const big = (hex: string) => BigInt(`0x${hex}`);

/** The client side of Cognito's SRP, from the textbook formula S = (B − k·g^x)^(a + u·x). */
function srpClient() {
  const a = big(randomBytes(128).toString('hex'));
  const A = modPow(g, a, N);
  return {
    A: A.toString(16),
    claim(params: Record<string, string>, password: string, timestamp: string): Record<string, string> {
      const B = big(params.SRP_B!);
      const salt = big(params.SALT!);
      const username = params.USER_ID_FOR_SRP!;
      const u = big(hashHex(padHex(A) + padHex(B)));
      const inner = createHash('sha256').update(`${POOL_NAME}${username}:${password}`).digest('hex');
      const x = big(hashHex(padHex(salt) + inner));
      const base = (((B - k * modPow(g, x, N)) % N) + N) % N;
      const S = modPow(base, a + u * x, N);
      const prk = hmac(Buffer.from(padHex(u), 'hex'), Buffer.from(padHex(S), 'hex'));
      const key = hmac(prk, Buffer.concat([Buffer.from('Caldera Derived Key'), Buffer.from([1])])).subarray(
        0,
        16,
      );
      return {
        USERNAME: username,
        PASSWORD_CLAIM_SECRET_BLOCK: params.SECRET_BLOCK!,
        TIMESTAMP: timestamp,
        PASSWORD_CLAIM_SIGNATURE: claimSignature(key, POOL_NAME, username, params.SECRET_BLOCK!, timestamp),
      };
    },
  };
}

const hmac = (key: Buffer, data: Buffer) => createHmac('sha256', key).update(data).digest();

/** Java's `EEE MMM d HH:mm:ss 'UTC' yyyy`, as Amplify's getNowString writes it. */
function cognitoTimestamp(ms: number): string {
  const d = new Date(ms);
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][
    d.getUTCMonth()
  ];
  return `${weekday} ${month} ${d.getUTCDate()} ${d.toISOString().slice(11, 19)} UTC ${d.getUTCFullYear()}`;
}

async function setup() {
  let now = Date.UTC(2025, 0, 5, 8, 3, 4);
  const pool = new LocalUserPool(await DevUserPool.create(), { clock: () => now });
  const advance = (ms: number) => (now += ms);
  const signIn = async (email: string, password: string, at = () => now): Promise<AuthResponse> => {
    const client = srpClient();
    const challenge = await pool.initiateAuth({
      AuthFlow: 'USER_SRP_AUTH',
      ClientId: DEV_USER_POOL_CLIENT_ID,
      AuthParameters: { USERNAME: email, SRP_A: client.A },
    });
    if (!('ChallengeName' in challenge)) throw new Error('expected PASSWORD_VERIFIER');
    return pool.respondToAuthChallenge({
      ChallengeName: 'PASSWORD_VERIFIER',
      ClientId: DEV_USER_POOL_CLIENT_ID,
      ChallengeResponses: client.claim(challenge.ChallengeParameters, password, cognitoTimestamp(at())),
    });
  };
  return { pool, advance, signIn, now: () => now };
}

const PASSWORD = 'Correct-horse-1';

describe('the local user pool', () => {
  it('accepts the claim of a client holding the password, and refuses one with another password', async () => {
    const { pool, signIn } = await setup();
    pool.createUser({ email: 'Ana@Example.com', roles: ['operator'], password: PASSWORD });

    const signedIn = await signIn('ana@example.com', PASSWORD);
    expect('AuthenticationResult' in signedIn).toBe(true);
    await expect(signIn('ana@example.com', 'Wrong-horse-1')).rejects.toMatchObject({
      type: 'NotAuthorizedException',
      message: MESSAGES.wrongPassword,
    });
  });

  it('refuses a claim stamped more than five minutes away from its clock', async () => {
    const { pool, signIn, now } = await setup();
    pool.createUser({ email: 'ana@example.com', roles: [], password: PASSWORD });
    await expect(signIn('ana@example.com', PASSWORD, () => now() - 6 * 60_000)).rejects.toMatchObject({
      type: 'NotAuthorizedException',
    });
  });

  it('expires a challenge session after three minutes', async () => {
    const { pool, signIn, advance } = await setup();
    pool.createUser({ email: 'ana@example.com', roles: [], temporaryPassword: PASSWORD });
    const challenge = await signIn('ana@example.com', PASSWORD);
    if (!('Session' in challenge)) throw new Error('expected NEW_PASSWORD_REQUIRED');

    advance(181_000);
    await expect(
      pool.respondToAuthChallenge({
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        ClientId: DEV_USER_POOL_CLIENT_ID,
        ChallengeResponses: { USERNAME: 'x', NEW_PASSWORD: 'A-new-passw0rd!' },
        Session: challenge.Session,
      }),
    ).rejects.toMatchObject({ type: 'NotAuthorizedException', message: MESSAGES.sessionExpired });
  });

  it('refuses a temporary password after three days', async () => {
    const { pool, signIn, advance } = await setup();
    pool.createUser({ email: 'ana@example.com', roles: [], temporaryPassword: PASSWORD });
    advance(3 * 86_400_000 + 1000);
    await expect(signIn('ana@example.com', PASSWORD)).rejects.toMatchObject({
      type: 'NotAuthorizedException',
      message: MESSAGES.temporaryPasswordExpired,
    });
  });

  it('renews tokens from a refresh token for 12 hours, then refuses it', async () => {
    const { pool, signIn, advance } = await setup();
    pool.createUser({ email: 'ana@example.com', roles: [], password: PASSWORD });
    const result = await signIn('ana@example.com', PASSWORD);
    if (!('AuthenticationResult' in result)) throw new Error('expected tokens');
    const RefreshToken = result.AuthenticationResult.RefreshToken!;

    advance(11 * 3600_000);
    const renewed = await pool.getTokensFromRefreshToken({ ClientId: DEV_USER_POOL_CLIENT_ID, RefreshToken });
    expect(renewed.AuthenticationResult.IdToken).toBeTruthy();
    expect(renewed.AuthenticationResult.RefreshToken).toBeUndefined();

    advance(3600_000 + 1000);
    await expect(
      pool.getTokensFromRefreshToken({ ClientId: DEV_USER_POOL_CLIENT_ID, RefreshToken }),
    ).rejects.toMatchObject({ type: 'NotAuthorizedException', message: MESSAGES.refreshTokenExpired });
  });

  it('answers a password challenge once: the same claim again is refused', async () => {
    const { pool, now } = await setup();
    pool.createUser({ email: 'ana@example.com', roles: [], password: PASSWORD });
    const client = srpClient();
    const challenge = await pool.initiateAuth({
      AuthFlow: 'USER_SRP_AUTH',
      ClientId: DEV_USER_POOL_CLIENT_ID,
      AuthParameters: { USERNAME: 'ana@example.com', SRP_A: client.A },
    });
    if (!('ChallengeName' in challenge)) throw new Error('expected PASSWORD_VERIFIER');
    const answer = {
      ChallengeName: 'PASSWORD_VERIFIER',
      ClientId: DEV_USER_POOL_CLIENT_ID,
      ChallengeResponses: client.claim(challenge.ChallengeParameters, PASSWORD, cognitoTimestamp(now())),
    };
    await pool.respondToAuthChallenge(answer);
    await expect(pool.respondToAuthChallenge(answer)).rejects.toMatchObject({
      type: 'NotAuthorizedException',
    });
  });

  it('refuses an A that is a multiple of N, with which anyone could compute the key (S = 0)', async () => {
    const { pool, now } = await setup();
    pool.createUser({ email: 'ana@example.com', roles: [], password: PASSWORD });
    const challenge = await pool.initiateAuth({
      AuthFlow: 'USER_SRP_AUTH',
      ClientId: DEV_USER_POOL_CLIENT_ID,
      AuthParameters: { USERNAME: 'ana@example.com', SRP_A: N.toString(16) },
    });
    if (!('ChallengeName' in challenge)) throw new Error('expected PASSWORD_VERIFIER');
    const params = challenge.ChallengeParameters;
    // The forger's key: S would be 0 whatever the password.
    const u = big(hashHex(padHex(N) + padHex(big(params.SRP_B!))));
    const prk = hmac(Buffer.from(padHex(u), 'hex'), Buffer.from(padHex(0n), 'hex'));
    const key = hmac(prk, Buffer.concat([Buffer.from('Caldera Derived Key'), Buffer.from([1])])).subarray(
      0,
      16,
    );
    const timestamp = cognitoTimestamp(now());
    await expect(
      pool.respondToAuthChallenge({
        ChallengeName: 'PASSWORD_VERIFIER',
        ClientId: DEV_USER_POOL_CLIENT_ID,
        ChallengeResponses: {
          PASSWORD_CLAIM_SECRET_BLOCK: params.SECRET_BLOCK!,
          PASSWORD_CLAIM_SIGNATURE: claimSignature(
            key,
            POOL_NAME,
            params.USER_ID_FOR_SRP!,
            params.SECRET_BLOCK!,
            timestamp,
          ),
          TIMESTAMP: timestamp,
        },
      }),
    ).rejects.toMatchObject({ type: 'NotAuthorizedException' });
  });
});

describe('SRP helpers', () => {
  it('pads hex like Java’s BigInteger.toByteArray (Amplify’s getPaddedHex)', () => {
    expect(padHex(20n)).toBe('14');
    expect(padHex(236n)).toBe('00ec');
    expect(padHex(200n)).toBe('00c8');
    expect(padHex(0x1234n)).toBe('1234');
    expect(padHex(0xabcn)).toBe('0abc');
  });

  it('reads the TIMESTAMP Amplify signs, day unpadded', () => {
    expect(parseCognitoTimestamp('Sun Jan 5 08:03:04 UTC 2025')).toBe(Date.UTC(2025, 0, 5, 8, 3, 4));
    expect(parseCognitoTimestamp(cognitoTimestamp(Date.UTC(2025, 10, 23, 17, 0, 9)))).toBe(
      Date.UTC(2025, 10, 23, 17, 0, 9),
    );
    expect(parseCognitoTimestamp('2025-01-05T08:03:04Z')).toBeUndefined();
  });
});

describe('the admin pool password policy', () => {
  it.each([
    ['Sh0rt!', 'Password not long enough'],
    ['NO-LOWERCASE-123', 'Password must have lowercase characters'],
    ['no-uppercase-123', 'Password must have uppercase characters'],
    ['No-digits-at-all', 'Password must have numeric characters'],
    ['NoSymbolsHere123', 'Password must have symbol characters'],
  ])('refuses %s: %s', (password, rule) => {
    expect(passwordPolicyViolation(password)).toBe(`Password did not conform with policy: ${rule}`);
  });

  it('accepts twelve characters of all four classes, a space counting as a symbol inside', () => {
    expect(passwordPolicyViolation('Correct-horse-1')).toBeUndefined();
    expect(passwordPolicyViolation('Correct horse1')).toBeUndefined();
  });
});
