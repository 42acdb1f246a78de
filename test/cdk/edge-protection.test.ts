import { Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { WAF_RULE_COUNT } from '../../lambdas/domain/cost/coefficients.js';
import { ORIGIN_HEADER } from '../../lambdas/routes.js';
import { functions } from '../../lambdas/routes.js';
import {
  COUNTED_COMMON_RULES,
  POSTS_PER_ADDRESS_PER_MINUTE,
  VIEWER_ADDRESS_HEADER,
} from '../../lib/constructs/api-firewall.js';
import { ADMIN_PATH_PATTERN } from '../../lib/constructs/chat-cdn.js';
import {
  ORIGIN_SECRET_ROTATION_DAYS,
  ROTATION_DISTRIBUTION_ACTIONS,
  ROTATION_SECRET_ACTIONS,
} from '../../lib/constructs/origin-secret.js';
import { acknowledgements } from './nag-findings.js';
import { logicalId, resources, resourcesOfType, synthesize, type CfnJson } from './synth.js';

const on = synthesize('dev', { bundle: false });
const off = synthesize('dev', { bundle: false, context: { waf: 'false' } });

const secretId = logicalId(on.stacks.api.originSecret.secret);
const [[, distribution]] = resourcesOfType(on.api, 'AWS::CloudFront::Distribution') as [[string, CfnJson]];
const config = distribution.Properties.DistributionConfig;
const statementsOf = (policy: CfnJson) => policy.Properties.PolicyDocument.Statement as CfnJson[];
const policiesOfRole = (roleId: string) =>
  resourcesOfType(on.api, 'AWS::IAM::Policy').filter(([, p]) =>
    (p.Properties!.Roles as CfnJson[]).some((r) => r.Ref === roleId),
  );

describe('the locked origin (ADR 0030)', () => {
  it('sends the origin header on the API origin as a Secrets Manager dynamic reference, never a literal', () => {
    // Prepare
    const apiOrigins = (config.Origins as CfnJson[]).filter((o) => o.CustomOriginConfig);
    const header = apiOrigins.flatMap((o) => o.OriginCustomHeaders ?? []);

    // Assess
    expect(apiOrigins.length).toBeGreaterThan(0);
    expect(header).toHaveLength(apiOrigins.length);
    for (const h of header) {
      expect(h.HeaderName).toBe(ORIGIN_HEADER);
      expect(h.HeaderValue).toEqual({
        'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:::}}']],
      });
    }
  });

  it('generates the first value in Secrets Manager: the template holds no value', () => {
    const secret = resources(on.api)[secretId]!.Properties as CfnJson;

    expect(secret.GenerateSecretString).toMatchObject({ PasswordLength: 48, ExcludePunctuation: true });
    expect(secret.SecretString).toBeUndefined();
  });

  it('gives every HTTP function the secret ARN and GetSecretValue on that secret alone', () => {
    for (const name of Object.keys(functions) as (keyof typeof functions)[]) {
      const fn = resources(on.api)[logicalId(on.stacks.api.functions[name])]!.Properties as CfnJson;
      expect(fn.Environment.Variables.ORIGIN_SECRET_ARN, name).toEqual({ Ref: secretId });
      const reads = policiesOfRole(fn.Role['Fn::GetAtt'][0])
        .flatMap(([, p]) => statementsOf(p))
        .filter((s) => [s.Action].flat().some((a: string) => a.startsWith('secretsmanager:')));
      expect(reads, name).toEqual([
        { Action: 'secretsmanager:GetSecretValue', Effect: 'Allow', Resource: { Ref: secretId } },
      ]);
    }
  });

  it(`rotates every ${ORIGIN_SECRET_ROTATION_DAYS} days with the rotation function's live alias`, () => {
    const [[, schedule]] = resourcesOfType(on.api, 'AWS::SecretsManager::RotationSchedule') as [
      [string, CfnJson],
    ];
    const alias = logicalId(on.stacks.api.originSecret.rotation!.alias);

    expect(schedule.Properties).toEqual({
      SecretId: { Ref: secretId },
      RotationLambdaARN: { Ref: alias },
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
    });
    expect(schedule.DependsOn).toEqual(expect.arrayContaining([alias]));
  });

  it('lets Secrets Manager invoke the rotation function for this secret only', () => {
    const alias = logicalId(on.stacks.api.originSecret.rotation!.alias);
    const permissions = resourcesOfType(on.api, 'AWS::Lambda::Permission').filter(
      ([, p]) => (p.Properties!.FunctionName as CfnJson).Ref === alias,
    );

    expect(permissions.map(([, p]) => p.Properties)).toEqual([
      {
        Action: 'lambda:InvokeFunction',
        FunctionName: { Ref: alias },
        Principal: 'secretsmanager.amazonaws.com',
        SourceArn: { Ref: secretId },
      },
    ]);
  });

  it('grants the rotation function the four steps on the secret and the distribution calls, nothing else', () => {
    const fn = resources(on.api)[logicalId(on.stacks.api.originSecret.rotation!.function)]!
      .Properties as CfnJson;
    const statements = policiesOfRole(fn.Role['Fn::GetAtt'][0]).flatMap(([, p]) => statementsOf(p));
    const distributionArn = (s: CfnJson) =>
      JSON.stringify(s.Resource).includes(logicalId(on.stacks.api.cdn.distribution));

    const onSecret = statements.filter(
      (s) => JSON.stringify(s.Resource) === JSON.stringify({ Ref: secretId }),
    );
    const onDistribution = statements.filter(distributionArn);
    const others = statements.filter((s) => !onSecret.includes(s) && !onDistribution.includes(s));

    expect(onSecret.flatMap((s) => [s.Action].flat()).sort()).toEqual([...ROTATION_SECRET_ACTIONS].sort());
    expect(onDistribution.flatMap((s) => [s.Action].flat()).sort()).toEqual(
      [...ROTATION_DISTRIBUTION_ACTIONS].sort(),
    );
    // Only its own log group besides.
    expect(others.flatMap((s) => [s.Action].flat()).every((a: string) => a.startsWith('logs:'))).toBe(true);
    expect(fn.Environment.Variables.DISTRIBUTION_ID).toEqual({
      Ref: logicalId(on.stacks.api.cdn.distribution),
    });
  });
});

describe('WAF on the API stage (ADR 0031)', () => {
  const [[aclId, acl]] = resourcesOfType(on.api, 'AWS::WAFv2::WebACL') as [[string, CfnJson]];
  const rules = acl.Properties.Rules as CfnJson[];
  const rule = (name: string) => rules.find((r) => r.Name === name);

  it('is one regional web ACL associated with the API stage, not the distribution', () => {
    const associations = resourcesOfType(on.api, 'AWS::WAFv2::WebACLAssociation');
    const stageId = logicalId(on.stacks.api.http.restApi.deploymentStage);

    expect(acl.Properties.Scope).toBe('REGIONAL');
    expect(acl.Properties.DefaultAction).toEqual({ Allow: {} });
    expect(associations).toHaveLength(1);
    expect(associations[0]![1].Properties!.WebACLArn).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
    expect(JSON.stringify(associations[0]![1].Properties!.ResourceArn)).toContain(stageId);
    expect(config.WebACLId).toBeUndefined();
  });

  it('limits posts per viewer address, read from the header the post behaviour sets', () => {
    const rate = rule('PostsPerViewerAddress');

    expect(rate.Priority).toBe(0);
    expect(rate.Statement.RateBasedStatement).toEqual({
      Limit: POSTS_PER_ADDRESS_PER_MINUTE,
      EvaluationWindowSec: 60,
      AggregateKeyType: 'FORWARDED_IP',
      ForwardedIPConfig: { HeaderName: VIEWER_ADDRESS_HEADER, FallbackBehavior: 'MATCH' },
      ScopeDownStatement: {
        AndStatement: {
          Statements: [
            {
              ByteMatchStatement: {
                FieldToMatch: { Method: {} },
                PositionalConstraint: 'EXACTLY',
                SearchString: 'POST',
                TextTransformations: [{ Priority: 0, Type: 'NONE' }],
              },
            },
            {
              ByteMatchStatement: {
                FieldToMatch: { UriPath: {} },
                PositionalConstraint: 'ENDS_WITH',
                SearchString: '/comments',
                TextTransformations: [{ Priority: 0, Type: 'NONE' }],
              },
            },
          ],
        },
      },
    });
    expect(rate.Action.Block.CustomResponse).toEqual({
      ResponseCode: 429,
      CustomResponseBodyKey: 'rateLimited',
    });
    expect(JSON.parse(acl.Properties.CustomResponseBodies.rateLimited.Content)).toMatchObject({
      code: 'rate_limited',
      retryable: true,
    });
  });

  it('runs AWS’s known-bad-inputs and common rule groups, the common body rules counted, not blocking', () => {
    const known = rule('AWSManagedRulesKnownBadInputsRuleSet');
    const common = rule('AWSManagedRulesCommonRuleSet');

    expect(known.Statement.ManagedRuleGroupStatement).toEqual({
      VendorName: 'AWS',
      Name: 'AWSManagedRulesKnownBadInputsRuleSet',
    });
    expect(known.OverrideAction).toEqual({ None: {} });
    expect(common.Statement.ManagedRuleGroupStatement.RuleActionOverrides).toEqual(
      COUNTED_COMMON_RULES.map((name) => ({ Name: name, ActionToUse: { Count: {} } })),
    );
    expect(COUNTED_COMMON_RULES).toContain('SizeRestrictions_BODY');
    expect(rules).toHaveLength(WAF_RULE_COUNT);
  });

  it('publishes metrics and samples for the ACL and every rule, as the construct names them', () => {
    const firewall = on.stacks.api.firewall!;

    expect(acl.Properties.VisibilityConfig).toEqual({
      CloudWatchMetricsEnabled: true,
      MetricName: firewall.name,
      SampledRequestsEnabled: true,
    });
    for (const r of rules) expect(r.VisibilityConfig).toMatchObject({ CloudWatchMetricsEnabled: true });
    expect(rules.map((r) => r.VisibilityConfig.MetricName).sort()).toEqual(
      [
        firewall.metricNames.postsPerAddress,
        firewall.metricNames.knownBadInputs,
        firewall.metricNames.commonRules,
      ].sort(),
    );
    expect(
      Stack.of(on.stacks.api).resolve(
        firewall.blockedRequests(firewall.metricNames.postsPerAddress).dimensions,
      ),
    ).toMatchObject({
      WebACL: firewall.name,
      Rule: 'PostsPerViewerAddress',
    });
  });

  it('sets the viewer address on the post behaviour only, from event.viewer.ip', () => {
    const fnId = logicalId(on.stacks.api.cdn.viewerAddressFunction!);
    const fn = resources(on.api)[fnId] as CfnJson;
    const behaviors = config.CacheBehaviors as CfnJson[];
    const withFunction = behaviors.filter((b) => JSON.stringify(b.FunctionAssociations ?? []).includes(fnId));

    expect(fn.Properties.FunctionCode).toContain(`["${VIEWER_ADDRESS_HEADER}"] = { value: event.viewer.ip }`);
    expect(withFunction.map((b) => b.PathPattern)).toEqual(['/v1/rooms/*/comments']);
    expect(withFunction[0].FunctionAssociations).toEqual([
      { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [fnId, 'FunctionARN'] } },
    ]);
    expect(behaviors.find((b) => b.PathPattern === ADMIN_PATH_PATTERN).FunctionAssociations).toBeUndefined();
    expect(JSON.stringify(config.DefaultCacheBehavior)).not.toContain(fnId);
  });

  it('states that WAF is on the stage by design in the distribution’s CFR2 acknowledgement, and makes APIG3 unnecessary', () => {
    const acks = acknowledgements(on.app);

    expect(acks.find((a) => a.id === 'AwsSolutions-CFR2')!.reason).toMatch(
      /WAF is on the regional API stage/,
    );
    expect(acks.filter((a) => a.id === 'AwsSolutions-APIG3')).toEqual([]);
  });

  it('is gone with -c waf=false: no web ACL, no association, no viewer-address function, APIG3 acknowledged', () => {
    expect(resourcesOfType(off.api, 'AWS::WAFv2::WebACL')).toEqual([]);
    expect(resourcesOfType(off.api, 'AWS::WAFv2::WebACLAssociation')).toEqual([]);
    expect(off.stacks.api.cdn.viewerAddressFunction).toBeUndefined();
    expect(
      resourcesOfType(off.api, 'AWS::CloudFront::Function').filter(([, f]) =>
        JSON.stringify(f).includes(VIEWER_ADDRESS_HEADER),
      ),
    ).toEqual([]);
    expect(off.stacks.api.firewall).toBeUndefined();
    expect(acknowledgements(off.app).map((a) => a.id)).toContain('AwsSolutions-APIG3');
    // The origin stays locked either way.
    expect(resourcesOfType(off.api, 'AWS::SecretsManager::RotationSchedule')).toHaveLength(1);
  });
});
