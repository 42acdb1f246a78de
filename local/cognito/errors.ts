/**
 * Cognito's error types that the local user pool answers with. Amplify reads the type from
 * `__type` (or the `x-amzn-errortype` header) and throws an AuthError of that name, so each must
 * be spelled exactly as Cognito spells it.
 */
export type CognitoErrorType =
  | 'CodeMismatchException'
  | 'EnableSoftwareTokenMFAException'
  | 'InternalErrorException'
  | 'InvalidParameterException'
  | 'InvalidPasswordException'
  | 'NotAuthorizedException'
  | 'ResourceNotFoundException'
  | 'SerializationException'
  | 'UnknownOperationException'
  | 'UsernameExistsException';

export class CognitoError extends Error {
  constructor(
    readonly type: CognitoErrorType,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

/** Cognito's own messages, word for word where clients or people key on them. */
export const MESSAGES = {
  wrongPassword: 'Incorrect username or password.',
  sessionExpired: 'Invalid session for the user, session is expired.',
  sessionUsed: 'Invalid session for the user, session can only be used once.',
  temporaryPasswordExpired: 'Temporary password has expired and must be reset by an administrator.',
  wrongMfaCode: 'Invalid code received for user',
  wrongSetupCode: 'Code mismatch and fail enable Software Token MFA',
  invalidRefreshToken: 'Invalid Refresh Token',
  refreshTokenRevoked: 'Refresh Token has been revoked',
  refreshTokenExpired: 'Refresh Token has expired',
  invalidAccessToken: 'Invalid Access Token',
  accessTokenRevoked: 'Access Token has been revoked',
} as const;
