import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLE_GROUPS, type Role } from '../../lambdas/domain/access/roles.js';
import {
  ADMIN_PASSWORD_POLICY,
  ADMIN_REFRESH_TOKEN_VALIDITY_SECONDS,
  ADMIN_TOKEN_VALIDITY_SECONDS,
} from './admin-users-policy.js';

/** The custom attribute binding moderators and artists to channels (`custom:channels`, comma-separated ids). */
export const CHANNELS_ATTRIBUTE = 'channels';
/** Cognito's maximum for a custom string attribute. */
export const CHANNELS_MAX_LENGTH = 2048;

/** ID and access tokens (admin-users-policy.ts says why an hour). */
export const ADMIN_TOKEN_VALIDITY = Duration.seconds(ADMIN_TOKEN_VALIDITY_SECONDS);
/** Refresh tokens (admin-users-policy.ts says why 12 hours). */
export const ADMIN_REFRESH_TOKEN_VALIDITY = Duration.seconds(ADMIN_REFRESH_TOKEN_VALIDITY_SECONDS);

/** What each user pool group is for, shown in the Cognito console. Every role of `roles.ts` needs one. */
const GROUP_DESCRIPTIONS = {
  operator: 'Operators run the service: rooms, notices, global NG words, every channel',
  moderator: 'Moderators keep the rooms of their channels (custom:channels) civil: deletions, bans, settings',
  artist: 'Artists speak in the rooms of their own channels (custom:channels) and block viewers there',
} as const satisfies Record<Role, string>;

export interface AdminUsersProps {
  /** Shown in the Cognito console; not unique, not an identifier. */
  readonly userPoolName: string;
  /** What deleting the stack does to the pool: destroy in dev, retain in prod (`stageSettings`). */
  readonly removalPolicy: RemovalPolicy;
  /** Cognito's deletion protection: no API call can delete the pool until it is turned off. */
  readonly deletionProtection: boolean;
}

/**
 * The people who run the service (ARCHITECTURE §7): a Cognito user pool whose groups are the admin
 * API's roles (`lambdas/domain/roles.ts`) and whose `custom:channels` attribute binds moderators
 * and artists to channels. Admins create the accounts (no self sign-up); sign-in is by e-mail with
 * a strong password and a TOTP app, always. One app client, for the admin console: a browser app,
 * so no secret, SRP sign-in and refresh tokens, no OAuth (no hosted UI domain).
 *
 * `custom:channels` decides what a moderator or artist may touch, so the app client may read it
 * (it is in the ID token the API's authoriser passes to the admin function) but never write it:
 * only an administrator's IAM credentials (AdminUpdateUserAttributes) can.
 */
export class AdminUsers extends Construct {
  readonly userPool: UserPool;
  readonly consoleClient: UserPoolClient;
  /** By role. */
  readonly groups: Readonly<Record<Role, UserPoolGroup>>;

  constructor(scope: Construct, id: string, props: AdminUsersProps) {
    super(scope, id);

    this.userPool = new UserPool(this, 'UserPool', {
      userPoolName: props.userPoolName,
      selfSignUpEnabled: false,
      userInvitation: {
        emailSubject: 'Your hybrid live chat console account',
        emailBody:
          'An administrator created your account for the hybrid live chat console. Sign in with ' +
          '{username} and the temporary password {####} within 3 days; you will choose a new password ' +
          'and set up an authenticator app.',
      },
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      // A changed address takes effect only once verified: until then the user signs in with the old one.
      keepOriginal: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
      },
      customAttributes: {
        [CHANNELS_ATTRIBUTE]: new StringAttribute({ maxLen: CHANNELS_MAX_LENGTH, mutable: true }),
      },
      passwordPolicy: {
        minLength: ADMIN_PASSWORD_POLICY.minLength,
        requireLowercase: ADMIN_PASSWORD_POLICY.requireLowercase,
        requireUppercase: ADMIN_PASSWORD_POLICY.requireUppercase,
        requireDigits: ADMIN_PASSWORD_POLICY.requireDigits,
        requireSymbols: ADMIN_PASSWORD_POLICY.requireSymbols,
        passwordHistorySize: ADMIN_PASSWORD_POLICY.passwordHistorySize,
        tempPasswordValidity: Duration.days(ADMIN_PASSWORD_POLICY.temporaryPasswordValidityDays),
      },
      // Required, and TOTP only: these accounts ban viewers and broadcast notices to every room.
      // SMS would need an SNS role and a sender registration, and SIM swaps defeat it. Set from the
      // start: moving a pool from optional to required through CloudFormation is reported not to work.
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false, email: false },
      enableSmsRole: false,
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Plus: threat protection blocks sign-ins with leaked credentials and challenges risky ones.
      // Priced per monthly active user; this pool holds only staff, so it costs little.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      removalPolicy: props.removalPolicy,
      deletionProtection: props.deletionProtection,
    });

    this.groups = Object.fromEntries(
      (Object.keys(ROLE_GROUPS) as Role[]).map((role, precedence) => [
        role,
        new UserPoolGroup(this, `${ROLE_GROUPS[role][0]!.toUpperCase()}${ROLE_GROUPS[role].slice(1)}`, {
          userPool: this.userPool,
          groupName: ROLE_GROUPS[role],
          description: GROUP_DESCRIPTIONS[role],
          precedence,
        }),
      ]),
    ) as Record<Role, UserPoolGroup>;

    // People may correct their own name and e-mail (a new address applies once verified, see
    // keepOriginal), nothing else. The list must not be empty: without one, Cognito lets the client
    // write every standard attribute. Custom attributes are writable only when listed.
    const writeAttributes = new ClientAttributes().withStandardAttributes({ email: true, fullname: true });
    const readAttributes = writeAttributes
      .withStandardAttributes({ emailVerified: true })
      .withCustomAttributes(CHANNELS_ATTRIBUTE);

    this.consoleClient = this.userPool.addClient('AdminConsole', {
      userPoolClientName: 'admin-console',
      generateSecret: false,
      authFlows: { userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: ADMIN_TOKEN_VALIDITY,
      accessTokenValidity: ADMIN_TOKEN_VALIDITY,
      refreshTokenValidity: ADMIN_REFRESH_TOKEN_VALIDITY,
      readAttributes,
      writeAttributes,
    });
  }
}
