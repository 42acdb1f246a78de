import { randomBytes, randomUUID } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import type { Role } from '../../lambdas/domain/access/roles.js';
import {
  ADMIN_PASSWORD_POLICY,
  ADMIN_REFRESH_TOKEN_VALIDITY_SECONDS,
  ADMIN_TOKEN_VALIDITY_SECONDS,
} from '../../lib/constructs/admin-users-policy.js';
import { DEV_USER_POOL_CLIENT_ID, DEV_USER_POOL_ID, type DevUserPool } from '../dev-user-pool.js';
import { CognitoError, MESSAGES } from './errors.js';
import { passwordPolicyViolation } from './password-policy.js';
import {
  claimSignature,
  createVerifier,
  parseHex,
  serverEphemeral,
  sessionKey,
  signaturesMatch,
  type PasswordVerifier,
  type ServerEphemeral,
} from './srp.js';

/** The SRP pool name: the part of the pool id after `_`, as clients compute it. */
const POOL_NAME = DEV_USER_POOL_ID.split('_')[1]!;
/** Cognito's default (and minimum) sign-in session: 3 minutes between challenges. */
const AUTH_SESSION_SECONDS = 180;
/** How far a `PASSWORD_VERIFIER` timestamp may be from the pool's clock. */
const TIMESTAMP_SKEW_MS = 5 * 60_000;
/** TOTP codes one 30-second step either side are accepted, for clocks that drift. */
const TOTP_WINDOW = 1;

export interface AppClientSettings {
  /** ID and access tokens. Default: the AWS client's hour. */
  readonly tokenValiditySeconds: number;
  /** Refresh tokens. Default: the AWS client's 12 hours. */
  readonly refreshTokenValiditySeconds: number;
  /** Between one challenge and the next answer. Default: Cognito's 3 minutes. */
  readonly authSessionValiditySeconds: number;
}

export interface LocalUserPoolOptions extends Partial<AppClientSettings> {
  /** Milliseconds since the epoch; tests move it instead of sleeping. Default Date.now. */
  readonly clock?: () => number;
}

export interface NewPoolUser {
  readonly email: string;
  readonly name?: string;
  readonly roles: readonly Role[];
  readonly channels?: readonly string[];
  /** A permanent password: the user is CONFIRMED. */
  readonly password?: string;
  /** A temporary password: the user is FORCE_CHANGE_PASSWORD and must choose a new one, within 3 days. */
  readonly temporaryPassword?: string;
  /** Require TOTP, as the AWS pool does for everyone: enrolment at the next sign-in, codes after. */
  readonly mfa?: boolean;
}

export type UserStatus = 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD';

export interface CreatedUser {
  /** `sub`, and the username Cognito generates for an e-mail-alias pool. */
  readonly userId: string;
  readonly email: string;
  readonly status: UserStatus;
  readonly mfa: boolean;
}

interface PoolUser {
  readonly sub: string;
  readonly email: string;
  readonly name: string | undefined;
  readonly roles: readonly Role[];
  readonly channels: readonly string[];
  status: UserStatus;
  password: PasswordVerifier;
  temporaryPasswordExpiresAt: number | undefined;
  readonly mfaRequired: boolean;
  totpSecret: string | undefined;
}

/** After InitiateAuth: the server half of the SRP exchange, keyed by its SECRET_BLOCK. */
interface SrpState {
  /** Undefined for an unknown user: the exchange runs and fails like a wrong password. */
  readonly user: PoolUser | undefined;
  readonly userIdForSrp: string;
  readonly A: bigint;
  readonly ephemeral: ServerEphemeral;
  readonly verifier: bigint;
  readonly expiresAt: number;
}

type Challenge = 'NEW_PASSWORD_REQUIRED' | 'MFA_SETUP' | 'SOFTWARE_TOKEN_MFA';

interface ChallengeSession {
  readonly user: PoolUser;
  readonly challenge: Challenge;
  readonly expiresAt: number;
  /** MFA_SETUP: the secret AssociateSoftwareToken handed out, and whether a code has proven it. */
  totpSecret?: string;
  totpVerified?: boolean;
}

interface RefreshTokenRecord {
  readonly user: PoolUser;
  readonly originJti: string;
  readonly authTime: number;
  readonly expiresAt: number;
}

export interface AuthenticationResult {
  readonly AccessToken: string;
  readonly IdToken: string;
  readonly RefreshToken?: string;
  readonly ExpiresIn: number;
  readonly TokenType: 'Bearer';
}

export type AuthResponse =
  | { readonly AuthenticationResult: AuthenticationResult; readonly ChallengeParameters: object }
  | {
      readonly ChallengeName: Challenge | 'PASSWORD_VERIFIER';
      readonly ChallengeParameters: Record<string, string>;
      readonly Session?: string;
    };

/**
 * The admin console's user pool, locally: what Cognito does for the sign-in flows Amplify runs
 * against the AWS pool (lib/constructs/admin-users.ts) — SRP, the new-password challenge, TOTP
 * enrolment and codes, refresh, revocation — over in-memory users. Tokens are signed by the
 * DevUserPool keys the local authoriser trusts. Speaks objects; local/cognito/protocol.ts is the
 * JSON protocol around it.
 */
export class LocalUserPool {
  private readonly users = new Map<string, PoolUser>();
  private readonly srp = new Map<string, SrpState>();
  private readonly sessions = new Map<string, ChallengeSession>();
  private readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  /** Sign-ins ended by RevokeToken or GlobalSignOut: their access tokens no longer work here. */
  private readonly revokedOrigins = new Set<string>();
  private settings: AppClientSettings;
  private readonly clock: () => number;

  constructor(
    private readonly keys: DevUserPool,
    options: LocalUserPoolOptions = {},
  ) {
    this.clock = options.clock ?? Date.now;
    this.settings = {
      tokenValiditySeconds: options.tokenValiditySeconds ?? ADMIN_TOKEN_VALIDITY_SECONDS,
      refreshTokenValiditySeconds:
        options.refreshTokenValiditySeconds ?? ADMIN_REFRESH_TOKEN_VALIDITY_SECONDS,
      authSessionValiditySeconds: options.authSessionValiditySeconds ?? AUTH_SESSION_SECONDS,
    };
  }

  /** Like UpdateUserPoolClient: applies to tokens and sessions issued from now on. */
  updateClient(settings: Partial<AppClientSettings>): void {
    this.settings = { ...this.settings, ...settings };
  }

  clientSettings(): AppClientSettings {
    return this.settings;
  }

  /**
   * AdminCreateUser (with a temporary password) or AdminCreateUser + AdminSetUserPassword
   * (permanent), plus the groups and `custom:channels`. Throws InvalidPasswordException for a
   * password the policy refuses, UsernameExistsException for an e-mail already in the pool.
   */
  createUser(input: NewPoolUser): CreatedUser {
    const email = input.email.toLowerCase();
    if (this.findByEmail(email)) {
      throw new CognitoError('UsernameExistsException', `An account with the email ${email} already exists.`);
    }
    const password = input.password ?? input.temporaryPassword;
    if (password === undefined || (input.password !== undefined && input.temporaryPassword !== undefined)) {
      throw new CognitoError(
        'InvalidParameterException',
        'Give a password or a temporary password, not both.',
      );
    }
    const violation = passwordPolicyViolation(password);
    if (violation) throw new CognitoError('InvalidPasswordException', violation);
    const sub = randomUUID();
    const temporary = input.temporaryPassword !== undefined;
    const user: PoolUser = {
      sub,
      email,
      name: input.name,
      roles: [...input.roles],
      channels: [...(input.channels ?? [])],
      status: temporary ? 'FORCE_CHANGE_PASSWORD' : 'CONFIRMED',
      password: createVerifier(POOL_NAME, sub, password),
      temporaryPasswordExpiresAt: temporary
        ? this.clock() + ADMIN_PASSWORD_POLICY.temporaryPasswordValidityDays * 86_400_000
        : undefined,
      mfaRequired: input.mfa ?? false,
      totpSecret: undefined,
    };
    this.users.set(sub, user);
    return { userId: sub, email, status: user.status, mfa: user.mfaRequired };
  }

  /** InitiateAuth: USER_SRP_AUTH starts a sign-in; REFRESH_TOKEN_AUTH (and REFRESH_TOKEN) renews tokens. */
  async initiateAuth(input: {
    AuthFlow: string;
    ClientId: string;
    AuthParameters: Record<string, string>;
  }): Promise<AuthResponse> {
    this.assertClient(input.ClientId);
    if (input.AuthFlow === 'REFRESH_TOKEN_AUTH' || input.AuthFlow === 'REFRESH_TOKEN') {
      const token = input.AuthParameters.REFRESH_TOKEN;
      if (!token) throw missing('AuthParameters.REFRESH_TOKEN');
      return { AuthenticationResult: await this.refresh(token), ChallengeParameters: {} };
    }
    if (input.AuthFlow !== 'USER_SRP_AUTH') {
      // The console's client enables SRP and refresh only (admin-users.ts: authFlows { userSrp }).
      throw new CognitoError(
        'InvalidParameterException',
        `${input.AuthFlow} flow not enabled for this client`,
      );
    }
    const username = input.AuthParameters.USERNAME;
    const srpA = input.AuthParameters.SRP_A;
    if (!username) throw missing('AuthParameters.USERNAME');
    if (!srpA) throw missing('AuthParameters.SRP_A');
    const A = parseHex(srpA);
    if (A === undefined) throw new CognitoError('InvalidParameterException', 'SRP_A is not a hex number.');
    // An unknown user gets a challenge all the same (the client prevents user existence errors).
    const user = this.findUser(username);
    const userIdForSrp = user?.sub ?? username;
    const stored = user?.password ?? createVerifier(POOL_NAME, userIdForSrp, randomUUID());
    const ephemeral = serverEphemeral(stored.verifier);
    const secretBlock = randomBytes(64).toString('base64');
    this.sweep();
    this.srp.set(secretBlock, {
      user,
      userIdForSrp,
      A,
      ephemeral,
      verifier: stored.verifier,
      expiresAt: this.sessionDeadline(),
    });
    return {
      ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeParameters: {
        SALT: stored.salt.toString(16),
        SECRET_BLOCK: secretBlock,
        SRP_B: ephemeral.B.toString(16),
        USERNAME: userIdForSrp,
        USER_ID_FOR_SRP: userIdForSrp,
      },
    };
  }

  /** RespondToAuthChallenge: PASSWORD_VERIFIER, NEW_PASSWORD_REQUIRED, MFA_SETUP, SOFTWARE_TOKEN_MFA. */
  async respondToAuthChallenge(input: {
    ChallengeName: string;
    ClientId: string;
    ChallengeResponses: Record<string, string>;
    Session?: string | undefined;
  }): Promise<AuthResponse> {
    this.assertClient(input.ClientId);
    const responses = input.ChallengeResponses;
    if (input.ChallengeName === 'PASSWORD_VERIFIER') return this.passwordVerifier(responses);
    const session = this.takeSession(input.Session, input.ChallengeName);
    switch (session.challenge) {
      case 'NEW_PASSWORD_REQUIRED': {
        const newPassword = responses.NEW_PASSWORD;
        if (!newPassword) throw missing('ChallengeResponses.NEW_PASSWORD');
        const violation = passwordPolicyViolation(newPassword);
        // The session stays usable: the person tries another password.
        if (violation) throw new CognitoError('InvalidPasswordException', violation);
        session.user.password = createVerifier(POOL_NAME, session.user.sub, newPassword);
        session.user.status = 'CONFIRMED';
        session.user.temporaryPasswordExpiresAt = undefined;
        return this.afterFirstFactor(session.user, input.Session!);
      }
      case 'MFA_SETUP':
        if (!session.totpVerified || !session.totpSecret) {
          throw new CognitoError(
            'InvalidParameterException',
            'Verify a software token before answering MFA_SETUP.',
          );
        }
        session.user.totpSecret = session.totpSecret;
        this.sessions.delete(input.Session!);
        return this.signedIn(session.user);
      case 'SOFTWARE_TOKEN_MFA': {
        const code = responses.SOFTWARE_TOKEN_MFA_CODE;
        if (!code) throw missing('ChallengeResponses.SOFTWARE_TOKEN_MFA_CODE');
        if (!this.totpMatches(session.user.totpSecret!, code)) {
          throw new CognitoError('CodeMismatchException', MESSAGES.wrongMfaCode);
        }
        this.sessions.delete(input.Session!);
        return this.signedIn(session.user);
      }
    }
  }

  /** AssociateSoftwareToken, during MFA_SETUP: a new TOTP secret for the user to put in an app. */
  associateSoftwareToken(input: { Session?: string | undefined; AccessToken?: string | undefined }): {
    SecretCode: string;
    Session: string;
  } {
    if (!input.Session) {
      throw new CognitoError(
        'InvalidParameterException',
        'The local user pool associates software tokens during sign-in (Session) only.',
      );
    }
    const session = this.takeSession(input.Session, 'MFA_SETUP');
    // Cognito's secrets are 32 bytes of base32.
    const secret = new Secret({ size: 32 }).base32;
    return {
      SecretCode: secret,
      Session: this.replaceSession(input.Session, { ...session, totpSecret: secret }),
    };
  }

  /** VerifySoftwareToken, during MFA_SETUP: proves the app computes the secret's codes. */
  verifySoftwareToken(input: { Session?: string | undefined; UserCode: string }): {
    Status: 'SUCCESS';
    Session: string;
  } {
    if (!input.Session) {
      throw new CognitoError(
        'InvalidParameterException',
        'The local user pool verifies software tokens during sign-in (Session) only.',
      );
    }
    const session = this.takeSession(input.Session, 'MFA_SETUP');
    if (!session.totpSecret) {
      throw new CognitoError('InvalidParameterException', 'Call AssociateSoftwareToken first.');
    }
    // A wrong code leaves the session as it was: the person types the next code.
    if (!this.totpMatches(session.totpSecret, input.UserCode)) {
      throw new CognitoError('EnableSoftwareTokenMFAException', MESSAGES.wrongSetupCode);
    }
    return {
      Status: 'SUCCESS',
      Session: this.replaceSession(input.Session, { ...session, totpVerified: true }),
    };
  }

  /** GetTokensFromRefreshToken: what Amplify 6 calls to renew tokens (no rotation: the refresh token stays). */
  async getTokensFromRefreshToken(input: {
    ClientId: string;
    RefreshToken: string;
  }): Promise<{ AuthenticationResult: AuthenticationResult }> {
    this.assertClient(input.ClientId);
    return { AuthenticationResult: await this.refresh(input.RefreshToken) };
  }

  /** RevokeToken: ends one sign-in; its refresh token and access tokens stop working. */
  revokeToken(input: { ClientId: string; Token: string }): Record<string, never> {
    this.assertClient(input.ClientId);
    const record = this.refreshTokens.get(input.Token);
    // Like OAuth revocation, an unknown or already revoked token is not an error.
    if (record) this.revokedOrigins.add(record.originJti);
    return {};
  }

  /** GlobalSignOut: ends every sign-in of the access token's user. */
  async globalSignOut(input: { AccessToken: string }): Promise<Record<string, never>> {
    const user = await this.userOfAccessToken(input.AccessToken);
    for (const record of this.refreshTokens.values()) {
      if (record.user === user) this.revokedOrigins.add(record.originJti);
    }
    return {};
  }

  private async passwordVerifier(responses: Record<string, string>): Promise<AuthResponse> {
    const secretBlock = responses.PASSWORD_CLAIM_SECRET_BLOCK;
    const signature = responses.PASSWORD_CLAIM_SIGNATURE;
    const timestamp = responses.TIMESTAMP;
    if (!secretBlock || !signature || !timestamp) {
      throw missing('ChallengeResponses.PASSWORD_CLAIM_SECRET_BLOCK, PASSWORD_CLAIM_SIGNATURE and TIMESTAMP');
    }
    const state = this.srp.get(secretBlock);
    // One answer per challenge, right or wrong.
    this.srp.delete(secretBlock);
    if (!state || state.expiresAt < this.clock()) {
      throw new CognitoError('NotAuthorizedException', MESSAGES.sessionExpired);
    }
    const claimedAt = parseCognitoTimestamp(timestamp);
    if (claimedAt === undefined || Math.abs(claimedAt - this.clock()) > TIMESTAMP_SKEW_MS) {
      throw new CognitoError('NotAuthorizedException', MESSAGES.wrongPassword);
    }
    const key = sessionKey(state.A, state.ephemeral, state.verifier);
    const expected = key && claimSignature(key, POOL_NAME, state.userIdForSrp, secretBlock, timestamp);
    if (!state.user || !expected || !signaturesMatch(expected, signature)) {
      throw new CognitoError('NotAuthorizedException', MESSAGES.wrongPassword);
    }
    const user = state.user;
    if (user.status === 'FORCE_CHANGE_PASSWORD') {
      if ((user.temporaryPasswordExpiresAt ?? 0) < this.clock()) {
        throw new CognitoError('NotAuthorizedException', MESSAGES.temporaryPasswordExpired);
      }
      return {
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        ChallengeParameters: {
          USER_ID_FOR_SRP: user.sub,
          requiredAttributes: '[]',
          userAttributes: JSON.stringify({
            email: user.email,
            email_verified: 'true',
            ...(user.name ? { name: user.name } : {}),
          }),
        },
        Session: this.newSession({ user, challenge: 'NEW_PASSWORD_REQUIRED' }),
      };
    }
    return this.afterFirstFactor(user);
  }

  /** After the password: TOTP enrolment, a TOTP code, or tokens. */
  private async afterFirstFactor(user: PoolUser, previousSession?: string): Promise<AuthResponse> {
    if (previousSession) this.sessions.delete(previousSession);
    if (user.totpSecret) {
      return {
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        ChallengeParameters: {},
        Session: this.newSession({ user, challenge: 'SOFTWARE_TOKEN_MFA' }),
      };
    }
    if (user.mfaRequired) {
      return {
        ChallengeName: 'MFA_SETUP',
        ChallengeParameters: { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' },
        Session: this.newSession({ user, challenge: 'MFA_SETUP' }),
      };
    }
    return this.signedIn(user);
  }

  private async signedIn(user: PoolUser): Promise<AuthResponse> {
    const originJti = randomUUID();
    const authTime = Math.floor(this.clock() / 1000);
    const refreshToken = randomBytes(96).toString('base64url');
    this.refreshTokens.set(refreshToken, {
      user,
      originJti,
      authTime,
      expiresAt: this.clock() + this.settings.refreshTokenValiditySeconds * 1000,
    });
    const tokens = await this.keys.signTokens(identityOf(user), {
      ttlSeconds: this.settings.tokenValiditySeconds,
      originJti,
      authTime,
    });
    return {
      AuthenticationResult: {
        AccessToken: tokens.accessToken,
        IdToken: tokens.idToken,
        RefreshToken: refreshToken,
        ExpiresIn: tokens.expiresIn,
        TokenType: 'Bearer',
      },
      ChallengeParameters: {},
    };
  }

  private async refresh(refreshToken: string): Promise<AuthenticationResult> {
    const record = this.refreshTokens.get(refreshToken);
    if (!record) throw new CognitoError('NotAuthorizedException', MESSAGES.invalidRefreshToken);
    if (this.revokedOrigins.has(record.originJti)) {
      throw new CognitoError('NotAuthorizedException', MESSAGES.refreshTokenRevoked);
    }
    if (record.expiresAt < this.clock()) {
      this.refreshTokens.delete(refreshToken);
      throw new CognitoError('NotAuthorizedException', MESSAGES.refreshTokenExpired);
    }
    // Groups and channels are read now: a change applies from the next refresh, as in Cognito.
    const tokens = await this.keys.signTokens(identityOf(record.user), {
      ttlSeconds: this.settings.tokenValiditySeconds,
      originJti: record.originJti,
      authTime: record.authTime,
    });
    return {
      AccessToken: tokens.accessToken,
      IdToken: tokens.idToken,
      ExpiresIn: tokens.expiresIn,
      TokenType: 'Bearer',
    };
  }

  private async userOfAccessToken(token: string): Promise<PoolUser> {
    const claims = await this.keys.verifyAccessToken(token);
    if (!claims) throw new CognitoError('NotAuthorizedException', MESSAGES.invalidAccessToken);
    if (typeof claims.origin_jti === 'string' && this.revokedOrigins.has(claims.origin_jti)) {
      throw new CognitoError('NotAuthorizedException', MESSAGES.accessTokenRevoked);
    }
    const user = typeof claims.sub === 'string' ? this.users.get(claims.sub) : undefined;
    if (!user) throw new CognitoError('NotAuthorizedException', MESSAGES.invalidAccessToken);
    return user;
  }

  private totpMatches(secret: string, code: string): boolean {
    const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
    return (
      /^\d{6}$/.test(code) &&
      totp.validate({ token: code, timestamp: this.clock(), window: TOTP_WINDOW }) !== null
    );
  }

  private findUser(usernameOrEmail: string): PoolUser | undefined {
    return this.users.get(usernameOrEmail) ?? this.findByEmail(usernameOrEmail.toLowerCase());
  }

  private findByEmail(email: string): PoolUser | undefined {
    for (const user of this.users.values()) if (user.email === email) return user;
    return undefined;
  }

  private assertClient(clientId: string): void {
    if (clientId !== DEV_USER_POOL_CLIENT_ID) {
      throw new CognitoError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
    }
  }

  private sessionDeadline(): number {
    return this.clock() + this.settings.authSessionValiditySeconds * 1000;
  }

  private newSession(session: Omit<ChallengeSession, 'expiresAt'>): string {
    this.sweep();
    const id = randomBytes(96).toString('base64url');
    this.sessions.set(id, { ...session, expiresAt: this.sessionDeadline() });
    return id;
  }

  /** The session for a challenge answer: present, unexpired, and for that challenge. */
  private takeSession(id: string | undefined, challengeName: string): ChallengeSession {
    if (!id) throw missing('Session');
    const session = this.sessions.get(id);
    if (!session) throw new CognitoError('NotAuthorizedException', MESSAGES.sessionUsed);
    if (session.expiresAt < this.clock()) {
      this.sessions.delete(id);
      throw new CognitoError('NotAuthorizedException', MESSAGES.sessionExpired);
    }
    if (session.challenge !== challengeName) {
      throw new CognitoError(
        'InvalidParameterException',
        `The session is for ${session.challenge}, not ${challengeName}.`,
      );
    }
    return session;
  }

  /** Each step of MFA_SETUP hands out a new session and retires the old one (keeping its deadline). */
  private replaceSession(oldId: string, session: ChallengeSession): string {
    this.sessions.delete(oldId);
    const id = randomBytes(96).toString('base64url');
    this.sessions.set(id, session);
    return id;
  }

  /** Forgets what has expired, so abandoned sign-ins do not pile up. */
  private sweep(): void {
    const now = this.clock();
    for (const [id, state] of this.srp) if (state.expiresAt < now) this.srp.delete(id);
    for (const [id, session] of this.sessions) if (session.expiresAt < now) this.sessions.delete(id);
  }
}

function identityOf(user: PoolUser) {
  return {
    sub: user.sub,
    username: user.sub,
    email: user.email,
    ...(user.name ? { name: user.name } : {}),
    roles: user.roles,
    channels: user.channels,
  };
}

function missing(what: string): CognitoError {
  return new CognitoError('InvalidParameterException', `Missing required parameter ${what}`);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Sun Jan 5 08:03:04 UTC 2025`, the `TIMESTAMP` clients sign (Java's `EEE MMM d HH:mm:ss z yyyy`). */
export function parseCognitoTimestamp(value: string): number | undefined {
  const match = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) UTC (\d{4})$/.exec(value);
  if (!match) return undefined;
  const [, month, day, hours, minutes, seconds, year] = match;
  const monthIndex = MONTHS.indexOf(month!);
  if (monthIndex < 0) return undefined;
  return Date.UTC(Number(year), monthIndex, Number(day), Number(hours), Number(minutes), Number(seconds));
}
