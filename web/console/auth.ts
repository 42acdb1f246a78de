/**
 * The console's sign-in, over Amplify's Cognito client (ADR 0028): e-mail and password by SRP, a
 * new password when an administrator gave a temporary one, TOTP enrolment and codes, refresh and
 * sign-out. The same calls reach the AWS user pool and, locally, the user pool at
 * `/local/cognito/` (config.json's `userPoolEndpoint`). Browser code: no Node imports.
 */
import { Amplify } from 'aws-amplify';
import { confirmSignIn, fetchAuthSession, signIn, signOut, type SignInOutput } from 'aws-amplify/auth';

export interface AuthConfig {
  userPoolId: string;
  userPoolClientId: string;
  /**
   * Cognito's endpoint, overridden: locally `/local/cognito/` (resolved against the page's address;
   * Amplify needs an absolute URL). Default: the AWS pool's regional endpoint.
   */
  userPoolEndpoint?: string;
  /** How authenticator apps label the account (`otpauth://` issuer). Default `Hybrid live chat`. */
  totpIssuer?: string;
}

export type SignInStep =
  | { step: 'done' }
  /** Temporary password: choose a new one. */
  | { step: 'newPassword' }
  /** Show the QR code of `uri` (otpauth://) and the secret, then ask for a code. */
  | { step: 'totpSetup'; secret: string; uri: string }
  /** Enter the authenticator code. */
  | { step: 'totpCode' };

export interface ConsoleAuth {
  signIn(email: string, password: string): Promise<SignInStep>;
  /** The new password or a TOTP code, per the last step. */
  confirm(answer: string): Promise<SignInStep>;
  /** The current ID token, refreshed when near expiry; undefined = signed out. */
  idToken(): Promise<string | undefined>;
  /** Ends this sign-in (its refresh token is revoked); `everywhere` ends every sign-in of the user. */
  signOut(options?: { everywhere?: boolean }): Promise<void>;
}

/** What the console itself refuses, before or after Amplify. */
export type ConsoleAuthErrorCode = 'noSignInInProgress' | 'codeFormat' | 'unsupportedStep';

export class ConsoleAuthError extends Error {
  override readonly name = 'ConsoleAuthError';
  constructor(
    readonly code: ConsoleAuthErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The ID token is refreshed this long before it expires, so a request sent with it does not arrive
 * expired. Amplify alone refreshes 5 s ahead.
 */
const REFRESH_AHEAD_MS = 60_000;

/** The step a person is at, so `confirm` knows what its answer is. */
type Pending = 'newPassword' | 'totpSetup' | 'totpCode' | undefined;

export function createConsoleAuth(config: AuthConfig): ConsoleAuth {
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: config.userPoolId,
        userPoolClientId: config.userPoolClientId,
        ...(config.userPoolEndpoint ? { userPoolEndpoint: absolute(config.userPoolEndpoint) } : {}),
      },
    },
  });
  const issuer = config.totpIssuer ?? 'Hybrid live chat';
  let pending: Pending;
  let account = '';

  const next = (output: SignInOutput): SignInStep => {
    const { nextStep } = output;
    switch (nextStep.signInStep) {
      case 'DONE':
        pending = undefined;
        return { step: 'done' };
      case 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED':
        pending = 'newPassword';
        return { step: 'newPassword' };
      case 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP': {
        pending = 'totpSetup';
        const details = nextStep.totpSetupDetails;
        return {
          step: 'totpSetup',
          secret: details.sharedSecret,
          uri: details.getSetupUri(issuer, account).toString(),
        };
      }
      case 'CONFIRM_SIGN_IN_WITH_TOTP_CODE':
        pending = 'totpCode';
        return { step: 'totpCode' };
      default:
        // The pool offers none of these (no SMS or e-mail codes, no self sign-up, admins reset passwords).
        pending = undefined;
        throw new ConsoleAuthError(
          'unsupportedStep',
          `This account needs a sign-in step the console does not offer (${nextStep.signInStep}). ` +
            'Ask an administrator to reset the account.',
        );
    }
  };

  return {
    async signIn(email, password) {
      account = email.trim();
      pending = undefined;
      const input = { username: account, password, options: { authFlowType: 'USER_SRP_AUTH' as const } };
      try {
        return next(await signIn(input));
      } catch (error) {
        // Someone is still signed in here (another tab, an old session): they make way.
        if (errorName(error) !== 'UserAlreadyAuthenticatedException') throw error;
        await signOut();
        return next(await signIn(input));
      }
    },

    async confirm(answer) {
      const step = pending;
      if (!step) {
        throw new ConsoleAuthError('noSignInInProgress', 'No sign-in is waiting for an answer: start again.');
      }
      let challengeResponse = answer;
      if (step !== 'newPassword') {
        // Apps show codes as `123 456`; Amplify tells a code from other answers by its digits alone.
        challengeResponse = answer.replace(/\s+/g, '');
        if (!/^\d{6}$/.test(challengeResponse)) {
          throw new ConsoleAuthError('codeFormat', 'Enter the 6-digit code your authenticator app shows.');
        }
      }
      return next(await confirmSignIn({ challengeResponse }));
    },

    async idToken() {
      const current = (await fetchAuthSession()).tokens?.idToken;
      if (!current) return undefined;
      if ((current.payload.exp ?? 0) * 1000 - Date.now() > REFRESH_AHEAD_MS) return current.toString();
      try {
        // A revoked or expired refresh token signs the user out here: tokens come back undefined.
        return (await fetchAuthSession({ forceRefresh: true })).tokens?.idToken?.toString();
      } catch (error) {
        // The network failed, not the sign-in: the current token still works until it expires.
        if ((current.payload.exp ?? 0) * 1000 > Date.now()) return current.toString();
        throw error;
      }
    },

    async signOut(options) {
      pending = undefined;
      await signOut(options?.everywhere ? { global: true } : undefined);
    },
  };
}

/** What went wrong and what to do, for people; never Amplify's or Cognito's raw text alone. */
export function authErrorMessage(error: unknown): string {
  const name = errorName(error);
  const message = error instanceof Error ? error.message : '';
  switch (name) {
    case 'ConsoleAuthError':
      return message;
    case 'NotAuthorizedException':
      if (/temporary password has expired/i.test(message)) {
        return 'Your temporary password has expired. Ask an administrator for a new one.';
      }
      if (/session is expired|session can only be used once|invalid session/i.test(message)) {
        return 'The sign-in took too long and has expired. Start again with your e-mail address and password.';
      }
      if (/attempts exceeded/i.test(message)) {
        return 'Too many wrong passwords. Wait a few minutes, then try again.';
      }
      if (/disabled/i.test(message)) return 'This account is disabled. Ask an administrator.';
      if (/refresh token|access token/i.test(message)) return 'Your session has ended. Sign in again.';
      return 'The e-mail address or password is wrong. Check both and try again.';
    case 'UserNotFoundException':
      return 'The e-mail address or password is wrong. Check both and try again.';
    case 'InvalidPasswordException':
      return `That password is not allowed: ${policyRule(message)} Use at least 12 characters with upper- and lower-case letters, a digit and a symbol.`;
    case 'PasswordHistoryPolicyViolationException':
      return 'You have used that password before. Choose a new one.';
    case 'CodeMismatchException':
    case 'EnableSoftwareTokenMFAException':
    case 'ExpiredCodeException':
      return 'That code is wrong or has expired. Enter the code your authenticator app shows now; if it keeps failing, check that the device’s clock is right.';
    case 'LimitExceededException':
    case 'TooManyRequestsException':
    case 'TooManyFailedAttemptsException':
      return 'Too many attempts. Wait a few minutes, then try again.';
    case 'PasswordResetRequiredException':
      return 'An administrator has reset your password. Ask them for a new temporary password.';
    case 'NetworkError':
      return 'The sign-in service could not be reached. Check your connection and try again.';
    case 'EmptySignInUsername':
      return 'Enter your e-mail address.';
    case 'EmptySignInPassword':
      return 'Enter your password.';
    case 'EmptyChallengeResponse':
      return 'Enter an answer first.';
    case 'SignInException':
      return 'The sign-in was interrupted. Start again with your e-mail address and password.';
    case 'ResourceNotFoundException':
    case 'InvalidUserPoolId':
    case 'AuthUserPoolException':
      return 'The console’s sign-in is misconfigured (user pool or app client). Tell an operator.';
    default:
      return `Signing in failed${name ? ` (${name})` : ''}. Try again; if it keeps failing, tell an operator.`;
  }
}

/** A path is taken relative to the page (the console and its local user pool share the origin). */
function absolute(url: string): string {
  const page = (globalThis as { location?: { href: string } }).location?.href;
  return page ? new URL(url, page).toString() : url;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : '';
}

/** Cognito's `Password did not conform with policy: Password must have symbol characters`, said for people. */
function policyRule(message: string): string {
  const rule = message.split(':').slice(1).join(':').trim();
  const rules: Record<string, string> = {
    'Password not long enough': 'it is too short.',
    'Password must have lowercase characters': 'it needs a lower-case letter.',
    'Password must have uppercase characters': 'it needs an upper-case letter.',
    'Password must have numeric characters': 'it needs a digit.',
    'Password must have symbol characters': 'it needs a symbol such as ! or #.',
  };
  return rules[rule] ?? (rule ? `${rule}.` : 'it does not meet the rules.');
}
