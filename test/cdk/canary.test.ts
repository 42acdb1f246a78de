import { Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { CanaryConfig, Config } from '../../lambdas/config.js';
import { CANARY_METRICS } from '../../lambdas/domain/canary/metrics.js';
import { canaryFunction } from '../../lambdas/routes.js';
import { CANARY_MEMORY_MB } from '../../lib/constructs/canary.js';
import { SERVICE_NAME } from '../../lib/constructs/chat-function.js';
import { STAGES } from '../../lib/stage-config.js';
import {
  type CfnJson,
  logicalId,
  resources,
  resourcesOfType,
  synthesize,
  type Synthesized,
} from './synth.js';

const synthesized = Object.fromEntries(STAGES.map((stage) => [stage, synthesize(stage, { bundle: false })]));

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** Every Allow statement of the policies on a role, and the managed policies it has. */
function grantsOfRole(s: Synthesized, roleId: string) {
  const statements = resourcesOfType(s.api, 'AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties!.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => (p.Properties!.PolicyDocument as { Statement: Statement[] }).Statement);
  const byAction: Record<string, unknown[]> = {};
  for (const statement of statements) {
    expect(statement.Effect).toBe('Allow');
    for (const action of [statement.Action].flat())
      (byAction[action] ??= []).push(...[statement.Resource].flat());
  }
  const role = resources(s.api)[roleId]!.Properties as CfnJson;
  return { byAction, managed: (role.ManagedPolicyArns ?? []) as unknown[] };
}

describe.each(STAGES)('the canary (%s)', (stage) => {
  const s = synthesized[stage]!;
  const api = s.stacks.api;
  const canary = api.canary;
  const fnProps = () => resources(s.api)[logicalId(canary.function.function)]!.Properties as CfnJson;
  const variables = () => fnProps().Environment.Variables as Record<string, CfnJson>;
  const roleId = () => (fnProps().Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];

  it('runs the canary entry on Node.js 22, arm64, 256 MB, its own timeout, in its own log group', () => {
    expect(canaryFunction.entry).toBe('lambdas/functions/canary.ts');
    expect(fnProps()).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      MemorySize: CANARY_MEMORY_MB,
      Timeout: canaryFunction.timeoutMs / 1000,
      Description: canaryFunction.description,
      LoggingConfig: { LogGroup: { Ref: logicalId(canary.function.logGroup) } },
    });
    const logGroup = resources(s.api)[logicalId(canary.function.logGroup)]!.Properties as CfnJson;
    expect(logGroup.RetentionInDays).toBeGreaterThan(0);
  });

  it('is told the edge (the distribution, not the API), where to publish and subscribe, its secret and stage', () => {
    const v = variables();
    expect(v.CANARY_EDGE_URL).toEqual({
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(api.cdn.distribution), 'DomainName'] }]],
    });
    expect(v.CANARY_TOKEN_SECRET_ARN).toEqual({ Ref: logicalId(canary.tokenSecret) });
    expect(v.STAGE).toBe(stage);
    for (const key of [
      'REALTIME_GRAPHQL_URL',
      'REALTIME_CLIENT_GRAPHQL_URL',
      'REALTIME_CLIENT_REALTIME_URL',
      'REALTIME_API_KEY',
    ]) {
      expect(v[key], key).toBeDefined();
    }
    // Players' endpoints: the same the admin function hands out as connection info.
    const admin = resources(s.api)[logicalId(api.functions.admin)]!.Properties as CfnJson;
    for (const key of ['REALTIME_CLIENT_GRAPHQL_URL', 'REALTIME_CLIENT_REALTIME_URL', 'REALTIME_API_KEY']) {
      expect(v[key], key).toEqual(admin.Environment.Variables[key]);
    }
  });

  it('starts: its environment parses with its schema (deploy-time values stood in)', () => {
    const deployTime = (key: string) =>
      key.endsWith('_URL')
        ? key.includes('REALTIME_URL')
          ? 'wss://r.example/graphql'
          : 'https://x.example/graphql'
        : 'x';
    const parsed = Object.fromEntries(
      Object.entries(variables()).map(([k, value]) => [k, typeof value === 'string' ? value : deployTime(k)]),
    );
    expect(Config.safeParse(parsed).error?.issues ?? []).toEqual([]);
    expect(CanaryConfig.safeParse({ ...parsed, AWS_REGION: 'eu-west-1' }).error?.issues ?? []).toEqual([]);
  });

  it('gets exactly: its log group, its room (get, conditional put) on the control table, the token secret, and publishing', () => {
    const { byAction, managed } = grantsOfRole(s, roleId());
    expect(Object.keys(byAction).sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
    ]);
    for (const action of ['dynamodb:GetItem', 'dynamodb:PutItem']) {
      expect(byAction[action]).toHaveLength(1);
      expect(JSON.stringify(byAction[action])).toContain('ControlTable');
    }
    for (const action of ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']) {
      expect(byAction[action]).toEqual([{ Ref: logicalId(canary.tokenSecret) }]);
    }
    // Publishing: the realtime stack's publish-only policy, as the admin function has it; nothing else managed.
    const adminRole = (resources(s.api)[logicalId(api.functions.admin)]!.Properties as CfnJson).Role[
      'Fn::GetAtt'
    ][0];
    const adminManaged = (resources(s.api)[adminRole]!.Properties as CfnJson).ManagedPolicyArns as unknown[];
    expect(managed).toHaveLength(1);
    expect(adminManaged).toContainEqual(managed[0]);
  });

  it('creates the token secret empty (the operator stores the token), with no rotation', () => {
    const secret = resources(s.api)[logicalId(canary.tokenSecret)]!;
    expect(secret.Type).toBe('AWS::SecretsManager::Secret');
    expect(JSON.parse((secret.Properties as CfnJson).SecretString as string)).toEqual({ token: '' });
    // The stack's one rotation schedule is the origin secret's (edge-protection.test.ts).
    const rotated = resourcesOfType(s.api, 'AWS::SecretsManager::RotationSchedule').map(
      ([, r]) => (r.Properties as CfnJson).SecretId,
    );
    expect(rotated).not.toContainEqual({ Ref: logicalId(canary.tokenSecret) });
    // The operator is told which secret to fill (README: runbook).
    const outputs = (s.api.toJSON() as { Outputs: Record<string, CfnJson> }).Outputs;
    expect(JSON.stringify(outputs.CanaryTokenSecretName.Value)).toContain(logicalId(canary.tokenSecret));
  });

  it('runs every minute from an EventBridge rule on the live alias, never retried', () => {
    const rules = resourcesOfType(s.api, 'AWS::Events::Rule');
    const [, rule] = rules.find(([id]) => id === logicalId(canary.rule))!;
    const props = rule.Properties as CfnJson;
    expect(props.ScheduleExpression).toBe('rate(1 minute)');
    expect(props.State).toBe('ENABLED');
    expect(props.Targets).toEqual([
      expect.objectContaining({
        Arn: { Ref: logicalId(canary.function.alias) },
        RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 },
      }),
    ]);
    // EventBridge may invoke the alias, from this rule only (the archiver's rule has its own, test/cdk/archive.test.ts).
    const permissions = resourcesOfType(s.api, 'AWS::Lambda::Permission').filter(
      ([, p]) =>
        (p.Properties as CfnJson).Principal === 'events.amazonaws.com' &&
        JSON.stringify((p.Properties as CfnJson).FunctionName).includes(logicalId(canary.function.alias)),
    );
    expect(permissions.map(([, p]) => (p.Properties as CfnJson).SourceArn)).toEqual([
      { 'Fn::GetAtt': [logicalId(canary.rule), 'Arn'] },
    ]);
    // Lambda's own asynchronous retries are off too: a late run is worth nothing.
    const invokeConfigs = resourcesOfType(s.api, 'AWS::Lambda::EventInvokeConfig');
    const config = invokeConfigs
      .map(([, c]) => c.Properties as CfnJson)
      .find((c) => c.FunctionName.Ref === logicalId(canary.function.function));
    expect(config).toMatchObject({ MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 });
    expect(JSON.stringify(config.Qualifier)).toContain(logicalId(canary.function.alias));
  });

  it('exposes its metrics exactly as the function emits them: namespace, names, service and stage', () => {
    const rendered = Object.fromEntries(
      Object.entries(canary.metrics).map(([key, metric]) => [
        key,
        Stack.of(canary).resolve(metric.toMetricConfig().metricStat),
      ]),
    );
    const expected = (metricName: string) =>
      expect.objectContaining({
        namespace: 'HybridLiveChat',
        metricName,
        dimensions: [
          { name: 'service', value: SERVICE_NAME },
          { name: 'stage', value: stage },
        ],
        statistic: 'Maximum',
      });
    expect(rendered).toEqual({
      failed: expected(CANARY_METRICS.runFailed),
      pushLatency: expected(CANARY_METRICS.pushLatency),
      postToPollLatency: expected(CANARY_METRICS.postToPollLatency),
    });
    for (const metric of Object.values(canary.metrics)) {
      expect(metric.toMetricConfig().metricStat!.period.toSeconds()).toBe(60);
    }
  });
});
