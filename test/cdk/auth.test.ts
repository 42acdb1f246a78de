import { describe, expect, it } from 'vitest';
import { ROLE_GROUPS } from '../../lambdas/domain/access/roles.js';
import { STAGES } from '../../lib/stage-config.js';
import { type CfnJson, logicalId, resources, resourcesOfType, synthesize } from './synth.js';

const synthesized = Object.fromEntries(STAGES.map((stage) => [stage, synthesize(stage, { bundle: false })]));

/** A token validity in seconds, from the client's value and its unit. */
function seconds(client: CfnJson, token: 'IdToken' | 'AccessToken' | 'RefreshToken'): number {
  const unit = (client.TokenValidityUnits?.[token] as string | undefined) ?? 'hours';
  const value = client[`${token}Validity`] as number;
  const perUnit: Record<string, number> = { seconds: 1, minutes: 60, hours: 3_600, days: 86_400 };
  return value * perUnit[unit]!;
}

describe.each(STAGES)('admin user pool (%s)', (stage) => {
  const s = synthesized[stage]!;
  const only = (type: string): [string, CfnJson] => {
    const found = resourcesOfType(s.auth, type);
    expect(found, type).toHaveLength(1);
    return found[0] as [string, CfnJson];
  };
  const pool = () => only('AWS::Cognito::UserPool')[1];
  const poolId = () => only('AWS::Cognito::UserPool')[0];
  const client = () => only('AWS::Cognito::UserPoolClient')[1].Properties;

  it('is its own stack, HybridChat-<stage>-Auth, and the only one with Cognito resources', () => {
    expect(s.stacks.auth.stackName).toBe(`HybridChat-${stage}-Auth`);
    expect(poolId()).toBe(logicalId(s.stacks.auth.adminUsers.userPool));
    for (const other of [s.data, s.api, s.realtime]) {
      expect(Object.values(resources(other)).filter((r) => r.Type.startsWith('AWS::Cognito::'))).toEqual([]);
    }
  });

  it('lets no one sign up: only administrators create accounts', () => {
    expect(pool().Properties.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(true);
  });

  it('signs in by e-mail, case-insensitively, and recovers accounts by e-mail only', () => {
    expect(pool().Properties.UsernameAttributes).toEqual(['email']);
    expect(pool().Properties.UsernameConfiguration).toEqual({ CaseSensitive: false });
    expect(pool().Properties.AccountRecoverySetting.RecoveryMechanisms).toEqual([
      { Name: 'verified_email', Priority: 1 },
    ]);
  });

  it('requires a TOTP app at every sign-in, and offers no SMS (no SNS role either)', () => {
    expect(pool().Properties.MfaConfiguration).toBe('ON');
    expect(pool().Properties.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(pool().Properties.SmsConfiguration).toBeUndefined();
    expect(resourcesOfType(s.auth, 'AWS::IAM::Role')).toEqual([]);
  });

  it('requires long passwords with every character class, and no reuse of recent ones', () => {
    const policy = pool().Properties.Policies.PasswordPolicy;
    expect(policy.MinimumLength).toBeGreaterThanOrEqual(12);
    expect(policy).toMatchObject({
      RequireLowercase: true,
      RequireUppercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
    });
    expect(policy.PasswordHistorySize).toBeGreaterThan(0);
    expect(policy.TemporaryPasswordValidityDays).toBeLessThanOrEqual(7);
  });

  it('is on the Plus plan with threat protection enforced', () => {
    expect(pool().Properties.UserPoolTier).toBe('PLUS');
    expect(pool().Properties.UserPoolAddOns).toEqual({ AdvancedSecurityMode: 'ENFORCED' });
  });

  it('has custom:channels, a mutable string of up to 2048 characters', () => {
    const schema = pool().Properties.Schema as CfnJson[];
    expect(schema.find((a) => a.Name === 'channels')).toEqual({
      Name: 'channels',
      AttributeDataType: 'String',
      Mutable: true,
      StringAttributeConstraints: { MaxLength: '2048' },
    });
  });

  it(`is ${stage === 'prod' ? 'retained and protected from deletion' : 'destroyed with the stack'}`, () => {
    const [, resource] = only('AWS::Cognito::UserPool');
    if (stage === 'prod') {
      expect(resource.DeletionPolicy).toBe('Retain');
      expect(resource.UpdateReplacePolicy).toBe('Retain');
      expect(resource.Properties.DeletionProtection).toBe('ACTIVE');
    } else {
      expect(resource.DeletionPolicy).toBe('Delete');
      expect(resource.Properties.DeletionProtection ?? 'INACTIVE').toBe('INACTIVE');
    }
  });

  it('has exactly the groups the admin API reads as roles: operators, moderators, artists', () => {
    const groups = resourcesOfType(s.auth, 'AWS::Cognito::UserPoolGroup').map(
      ([, g]) => g.Properties as CfnJson,
    );
    expect(groups.map((g) => g.GroupName).sort()).toEqual(['artists', 'moderators', 'operators']);
    expect(groups.map((g) => g.GroupName).sort()).toEqual(Object.values(ROLE_GROUPS).sort());
    for (const group of groups) {
      expect(group.UserPoolId).toEqual({ Ref: poolId() });
      expect(group.Description.length).toBeGreaterThan(10);
    }
  });

  describe('the admin console’s app client', () => {
    it('is the only client: a public one (no secret) signing in by SRP, renewing by refresh token', () => {
      expect(client().UserPoolId).toEqual({ Ref: poolId() });
      expect(client().GenerateSecret).toBe(false);
      expect([...client().ExplicitAuthFlows].sort()).toEqual([
        'ALLOW_REFRESH_TOKEN_AUTH',
        'ALLOW_USER_SRP_AUTH',
      ]);
      expect(client().PreventUserExistenceErrors).toBe('ENABLED');
      expect(client().EnableTokenRevocation).toBe(true);
    });

    it('offers no OAuth flows (no hosted UI, no callback URLs)', () => {
      expect(client().AllowedOAuthFlowsUserPoolClient).toBe(false);
      expect(client().AllowedOAuthFlows).toBeUndefined();
      expect(client().CallbackURLs).toBeUndefined();
    });

    it('issues ID and access tokens for an hour and refresh tokens for at most a day', () => {
      expect(seconds(client(), 'IdToken')).toBe(3_600);
      expect(seconds(client(), 'AccessToken')).toBe(3_600);
      expect(seconds(client(), 'RefreshToken')).toBeGreaterThan(3_600);
      expect(seconds(client(), 'RefreshToken')).toBeLessThanOrEqual(86_400);
    });

    it('may read custom:channels (it reaches the ID token) but never write it', () => {
      expect(client().ReadAttributes).toContain('custom:channels');
      // An absent or empty list would let the client write every standard attribute.
      const writable = client().WriteAttributes as string[];
      expect(writable.length).toBeGreaterThan(0);
      expect(writable).not.toContain('custom:channels');
      expect(writable.filter((a) => a.startsWith('custom:'))).toEqual([]);
      // Nor may people mark their own address verified.
      expect(writable).not.toContain('email_verified');
      expect([...writable].sort()).toEqual(['email', 'name']);
    });
  });

  it('outputs the user pool id and the console client id', () => {
    const outputs = (s.auth.toJSON() as { Outputs: Record<string, CfnJson> }).Outputs;
    expect(outputs.UserPoolId.Value).toEqual({ Ref: poolId() });
    expect(outputs.UserPoolClientId.Value).toEqual({ Ref: only('AWS::Cognito::UserPoolClient')[0] });
  });
});
