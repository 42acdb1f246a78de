import { ADMIN_PASSWORD_POLICY } from '../../lib/constructs/admin-users-policy.js';

/** The characters Cognito counts as symbols (its documented set; a space counts when not at either end). */
const SYMBOLS = new Set('^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+- ');

/**
 * Why `password` breaks the admin pool's policy, in Cognito's words
 * (`InvalidPasswordException`), or undefined when it complies. Cognito reports one rule at a time.
 */
export function passwordPolicyViolation(password: string): string | undefined {
  const policy = ADMIN_PASSWORD_POLICY;
  const broken = (rule: string) => `Password did not conform with policy: ${rule}`;
  if (password.length < policy.minLength) return broken('Password not long enough');
  if (password.length > 256) return broken('Password is too long');
  if (/^\s|\s$/.test(password)) return broken('Password must not start or end with whitespace');
  if (policy.requireLowercase && !/[a-z]/.test(password)) {
    return broken('Password must have lowercase characters');
  }
  if (policy.requireUppercase && !/[A-Z]/.test(password)) {
    return broken('Password must have uppercase characters');
  }
  if (policy.requireDigits && !/[0-9]/.test(password)) return broken('Password must have numeric characters');
  if (policy.requireSymbols && ![...password].some((c) => SYMBOLS.has(c))) {
    return broken('Password must have symbol characters');
  }
  return undefined;
}
