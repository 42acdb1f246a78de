import { AuthError } from 'aws-amplify/auth';
import { describe, expect, it } from 'vitest';
import { authErrorMessage, ConsoleAuthError } from '../../../web/console/auth.js';

/** What a person reads for each way sign-in fails: what happened and what to do, never the raw error. */
const cognito = (name: string, message: string) => new AuthError({ name, message });

describe('authErrorMessage', () => {
  it.each([
    [
      cognito('NotAuthorizedException', 'Incorrect username or password.'),
      /e-mail address or password is wrong/,
    ],
    [
      cognito(
        'NotAuthorizedException',
        'Temporary password has expired and must be reset by an administrator.',
      ),
      /temporary password has expired\. Ask an administrator/,
    ],
    [cognito('NotAuthorizedException', 'Invalid session for the user, session is expired.'), /Start again/],
    [cognito('NotAuthorizedException', 'Password attempts exceeded'), /Wait a few minutes/],
    [cognito('NotAuthorizedException', 'Refresh Token has been revoked'), /Sign in again/],
    [
      cognito(
        'InvalidPasswordException',
        'Password did not conform with policy: Password must have uppercase characters',
      ),
      /needs an upper-case letter.*at least 12 characters/,
    ],
    [cognito('CodeMismatchException', 'Invalid code received for user'), /code is wrong.*clock/],
    [
      cognito('EnableSoftwareTokenMFAException', 'Code mismatch and fail enable Software Token MFA'),
      /code is wrong/,
    ],
    [
      cognito('NetworkError', 'A network error has occurred.'),
      /could not be reached\. Check your connection/,
    ],
    [
      cognito('ResourceNotFoundException', 'User pool client x does not exist.'),
      /misconfigured.*Tell an operator/,
    ],
    [
      new ConsoleAuthError('codeFormat', 'Enter the 6-digit code your authenticator app shows.'),
      /6-digit code/,
    ],
    [new Error('boom'), /Signing in failed \(Error\)\. Try again/],
    ['not an error', /Signing in failed\. Try again/],
  ])('explains %s', (error, expected) => {
    const message = authErrorMessage(error);
    expect(message).toMatch(expected);
    expect(message).not.toMatch(/Exception/);
  });
});
