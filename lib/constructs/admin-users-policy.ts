/**
 * The admin user pool's sign-in policy as plain values, so that the CDK construct
 * (admin-users.ts) and the local user pool (local/cognito/) read one source without the
 * local runtime loading aws-cdk-lib.
 */

/** Cognito's password policy for the pool: 12 characters or more, all four character classes. */
export const ADMIN_PASSWORD_POLICY = {
  minLength: 12,
  requireLowercase: true,
  requireUppercase: true,
  requireDigits: true,
  requireSymbols: true,
  /** The last 5 passwords may not be reused. */
  passwordHistorySize: 5,
  /** An administrator's temporary password must be replaced within 3 days. */
  temporaryPasswordValidityDays: 3,
} as const;

/** ID and access tokens: an hour, so a removed group or channel stops working within the hour. */
export const ADMIN_TOKEN_VALIDITY_SECONDS = 3600;
/**
 * Refresh tokens: a working day including a long live event, after which people sign in again
 * (password and TOTP). Cognito's default of 30 days is long for accounts that can ban and broadcast.
 */
export const ADMIN_REFRESH_TOKEN_VALIDITY_SECONDS = 12 * 3600;
