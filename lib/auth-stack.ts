import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import { AdminUsers } from './constructs/admin-users.js';
import { assertStage, type Stage, stageSettings } from './stage-config.js';

export interface AuthStackProps extends StackProps {
  readonly stage: Stage;
}

/**
 * The admin user pool, in its own stack for the reason the tables have theirs: it is state. The
 * accounts, their groups and channels, and their TOTP secrets cannot be recreated by a deploy; a
 * replaced pool means inviting every operator, moderator and artist again. So it stays out of the
 * Api stack, which may be replaced freely; it is retained in prod; and the Api stack's authoriser
 * holds a strong reference to it, so CloudFormation will not delete a pool the API still trusts.
 */
export class AuthStack extends Stack {
  readonly adminUsers: AdminUsers;

  constructor(scope: Construct, id: string, props: AuthStackProps) {
    super(scope, id, props);
    assertStage(props.stage, `AuthStack ${id}`);
    const settings = stageSettings(props.stage);

    this.adminUsers = new AdminUsers(this, 'AdminUsers', {
      userPoolName: `hybrid-live-chat-${props.stage}-admins`,
      removalPolicy: settings.removalPolicy,
      deletionProtection: settings.deletionProtection,
    });

    new CfnOutput(this, 'UserPoolId', {
      description:
        'The admin user pool: create accounts here and put them in operators, moderators or artists.',
      value: this.adminUsers.userPool.userPoolId,
    });
    new CfnOutput(this, 'UserPoolClientId', {
      description: 'The admin console signs in with this app client (SRP, no secret).',
      value: this.adminUsers.consoleClient.userPoolClientId,
    });
  }

  get userPool(): IUserPool {
    return this.adminUsers.userPool;
  }
}
