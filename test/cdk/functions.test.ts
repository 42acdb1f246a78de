import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { controlTable } from '../../lambdas/tables.js';
import { AdminConfig, Config, PostConfig, ReadConfig } from '../../lambdas/config.js';
import { MAX_POST_DURATION_MS } from '../../lambdas/domain/feed/segments.js';
import { type FunctionName, functions } from '../../lambdas/routes.js';
import { DEV_VIEWER_TOKEN_PLACEHOLDERS } from '../../lib/stage-config.js';
import { capabilityEnvironment } from '../../lib/constructs/chat-function.js';
import {
  logicalId,
  PROD_CONTEXT,
  resources,
  resourcesOfType,
  synthesize,
  type Synthesized,
  type CfnJson,
} from './synth.js';

// dev with real bundling (esbuild runs once per function), prod without.
const dev = synthesize('dev', { bundle: true });
const prod = synthesize('prod', { bundle: false });
const names = Object.keys(functions) as FunctionName[];

/** What each access level of lambdas/routes.ts must grant — written out here, not imported from lib/. */
const EXPECTED_ACTIONS = {
  comments: {
    write: ['dynamodb:PutItem'],
    query: ['dynamodb:Query'],
    moderate: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
  },
  control: {
    write: ['dynamodb:GetItem', 'dynamodb:PutItem'],
    read: ['dynamodb:GetItem'],
    admin: [
      'dynamodb:BatchGetItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ],
  },
} as const;

/** Only the admin level lists rooms, through each of the control table's indexes (Query only). */
const expectedIndexActions = (access: { control: string }) =>
  access.control === 'admin'
    ? Object.fromEntries(
        (controlTable.globalIndexes ?? []).map((i) => [`ControlTable/index/${i.name}`, ['dynamodb:Query']]),
      )
    : {};

/** Config keys a function cannot start without: parsing `undefined` fails for them. */
const requiredConfigKeys = Object.entries(Config.shape)
  .filter(([, schema]) => !schema.safeParse(undefined).success)
  .map(([key]) => key);

function lambdaOf(synthesized: Synthesized, name: FunctionName) {
  const id = logicalId(synthesized.stacks.api.functions[name]);
  const resource = resources(synthesized.api)[id];
  if (resource?.Type !== 'AWS::Lambda::Function') throw new Error(`no Lambda function ${id} for ${name}`);
  return { id, props: resource.Properties as Record<string, CfnJson> };
}

/** Which table (logical id in the data stack) a cross-stack reference points at. */
function tableOf(synthesized: Synthesized, reference: unknown): string {
  // An index ARN: the table's exported ARN joined with "/index/<name>".
  const join = (reference as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) {
    const [table, suffix] = join[1];
    return `${tableOf(synthesized, table)}${String(suffix)}`;
  }
  const exportName = (reference as { 'Fn::ImportValue'?: string })['Fn::ImportValue'];
  const outputs = (synthesized.data.toJSON() as { Outputs: Record<string, CfnJson> }).Outputs;
  const output = Object.values(outputs).find((o) => o.Export?.Name === exportName);
  const value = output?.Value as { 'Fn::GetAtt'?: [string, string]; Ref?: string } | undefined;
  const table = value?.['Fn::GetAtt']?.[0] ?? value?.Ref;
  if (!table) throw new Error(`not a reference to a data-stack table: ${JSON.stringify(reference)}`);
  return table;
}

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

function statementsOfRole(template: Template, roleId: string): Statement[] {
  return resourcesOfType(template, 'AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties!.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => (p.Properties!.PolicyDocument as { Statement: Statement[] }).Statement);
}

/** The role's logical id. */
function roleOf(synthesized: Synthesized, name: FunctionName): string {
  return (lambdaOf(synthesized, name).props.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
}

interface Grant {
  readonly policy: string;
  readonly roles: string[];
  readonly statement: Statement;
}

/** Every statement with an action of `prefix` (`ssm:`) in the Api stack: its policy and the roles it is on. */
function grantsOf(synthesized: Synthesized, prefix: string): Grant[] {
  return resourcesOfType(synthesized.api, 'AWS::IAM::Policy').flatMap(([policy, p]) =>
    (p.Properties!.PolicyDocument as { Statement: Statement[] }).Statement.filter((s) =>
      [s.Action].flat().some((a) => a.startsWith(prefix)),
    ).map((statement) => ({
      policy,
      roles: (p.Properties!.Roles as { Ref: string }[]).map((r) => r.Ref),
      statement,
    })),
  );
}

/** What an Fn::ImportValue in the Api stack points at in the stack that exports it. */
function exportedValue(synthesized: Synthesized, template: Template, reference: unknown): unknown {
  const exportName = (reference as { 'Fn::ImportValue'?: string })['Fn::ImportValue'];
  if (!exportName) throw new Error(`not an import: ${JSON.stringify(reference)}`);
  const outputs = (template.toJSON() as { Outputs: Record<string, CfnJson> }).Outputs;
  const output = Object.values(outputs).find((o) => o.Export?.Name === exportName);
  if (!output) throw new Error(`no export ${exportName}`);
  return output.Value;
}

/** `{ CommentsTable: ['dynamodb:Query'], ... }`: every DynamoDB action the function's role allows, per table. */
function dynamoActionsByTable(synthesized: Synthesized, name: FunctionName): Record<string, string[]> {
  const roleId = (lambdaOf(synthesized, name).props.Role as { 'Fn::GetAtt': [string, string] })[
    'Fn::GetAtt'
  ][0];
  const byTable: Record<string, Set<string>> = {};
  for (const statement of statementsOfRole(synthesized.api, roleId)) {
    const actions = [statement.Action].flat().filter((a) => a.startsWith('dynamodb:'));
    if (actions.length === 0) continue;
    expect(statement.Effect).toBe('Allow');
    for (const resource of [statement.Resource].flat()) {
      const table = tableOf(synthesized, resource);
      for (const action of actions) (byTable[table] ??= new Set()).add(action);
    }
  }
  return Object.fromEntries(Object.entries(byTable).map(([table, actions]) => [table, [...actions].sort()]));
}

describe.each([
  ['dev', dev],
  ['prod', prod],
] as const)('functions (%s)', (stage, synthesized) => {
  it('one Lambda function per function of lambdas/routes.ts, the scaler, the canary, the origin secret rotation, the view-limit scheduler and worker and the archiver, beside CDK’s own deploy-time handlers', () => {
    const api = synthesized.stacks.api;
    const ours = [
      ...names.map((name) => api.functions[name]),
      api.capacity.scaler.function,
      api.canary.function.function,
      api.originSecret.rotation!.function,
      api.viewLimits.scheduler.function,
      api.viewLimits.worker.function,
      api.archiver.function.function,
    ].map((fn) => logicalId(fn));
    const all = resourcesOfType(synthesized.api, 'AWS::Lambda::Function').map(([id]) => id);
    expect(
      all
        .filter((id) => !ours.includes(id))
        .map((id) => id.replace(/[0-9A-F]{8,}$/, ''))
        .sort(),
    ).toEqual(
      // The player's BucketDeployment, and in dev the handler that empties its bucket on delete (ADR 0025).
      stage === 'dev'
        ? ['CustomCDKBucketDeployment', 'CustomS3AutoDeleteObjectsCustomResourceProviderHandler']
        : ['CustomCDKBucketDeployment'],
    );
    expect(all).toEqual(expect.arrayContaining(ours));
    expect(new Set(ours).size).toBe(names.length + 6);
  });

  describe.each(names)('%s', (name) => {
    const props = () => lambdaOf(synthesized, name).props;

    it('runs Node.js 22 on arm64 with 512 MB', () => {
      expect(props().Runtime).toBe('nodejs22.x');
      expect(props().Architectures).toEqual(['arm64']);
      expect(props().MemorySize).toBe(512);
      expect(props().Handler).toBe('index.handler');
    });

    it('times out after its definition says', () => {
      expect(props().Timeout).toBe(functions[name].timeoutMs / 1000);
    });

    it('has active tracing off and no X-Ray grant (ADR 0021)', () => {
      expect(props()).not.toHaveProperty('TracingConfig');
      const roleId = (props().Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const actions = statementsOfRole(synthesized.api, roleId).flatMap((s) => [s.Action].flat());
      expect(actions.filter((a) => a.startsWith('xray:'))).toEqual([]);
    });

    it('sets every environment variable the Config schema requires', () => {
      const variables = props().Environment.Variables as Record<string, unknown>;
      expect(requiredConfigKeys.length).toBeGreaterThan(0);
      for (const key of requiredConfigKeys) expect(variables, key).toHaveProperty(key);
      expect(variables).not.toHaveProperty('NODE_OPTIONS');
      expect(variables.POWERTOOLS_SERVICE_NAME).toBe('hybrid-live-chat');
    });

    it('points the table variables at the right tables and passes the viewer-token settings', () => {
      const variables = props().Environment.Variables as Record<string, unknown>;
      expect(tableOf(synthesized, variables.COMMENTS_TABLE_NAME)).toBe('CommentsTable');
      expect(tableOf(synthesized, variables.CONTROL_TABLE_NAME)).toBe('ControlTable');
      const viewerToken =
        stage === 'prod'
          ? {
              jwksUrl: PROD_CONTEXT.viewerTokenJwksUrl,
              issuer: PROD_CONTEXT.viewerTokenIssuer,
              audience: PROD_CONTEXT.viewerTokenAudience,
            }
          : DEV_VIEWER_TOKEN_PLACEHOLDERS;
      expect(variables.VIEWER_TOKEN_JWKS_URL).toBe(viewerToken.jwksUrl);
      expect(variables.VIEWER_TOKEN_ISSUER).toBe(viewerToken.issuer);
      expect(variables.VIEWER_TOKEN_AUDIENCE).toBe(viewerToken.audience);
      // Deploy-time values (imports, joins) stand in as what they become; the rest parse as given.
      const deployTime: Record<string, string> = {
        COMMENTS_TABLE_NAME: 'c',
        CONTROL_TABLE_NAME: 'k',
        REALTIME_GRAPHQL_URL: 'https://abc.appsync-api.eu-west-1.amazonaws.com/graphql',
        REALTIME_CLIENT_GRAPHQL_URL: 'https://abc.appsync-api.eu-west-1.amazonaws.com/graphql',
        REALTIME_CLIENT_REALTIME_URL: 'wss://abc.appsync-realtime-api.eu-west-1.amazonaws.com/graphql',
        REALTIME_API_KEY: 'da2-abc',
        REALTIME_API_ID: 'abc',
        SCALER_FUNCTION_ARN: 'arn:aws:lambda:eu-west-1:111111111111:function:scaler:live',
        SCHEDULER_ROLE_ARN: 'arn:aws:iam::111111111111:role/scheduler',
        ORIGIN_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:origin-AbCdEf',
        ARCHIVE_BUCKET_NAME: 'hybridchat-dev-data-archivebucket-abc',
        LIMITS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/111111111111/limits',
      };
      const parsed = Object.fromEntries(
        Object.entries(variables).map(([key, value]) => [
          key,
          typeof value === 'string' ? value : (deployTime[key] ?? value),
        ]),
      );
      const result = Config.safeParse(parsed);
      expect(result.error?.issues ?? []).toEqual([]);
      // And with the schema the function itself parses at cold start (the runtime adds AWS_REGION).
      const ownKind = {
        postComment: PostConfig,
        getLive: ReadConfig,
        getSegment: ReadConfig,
        getRoom: ReadConfig,
        admin: AdminConfig,
      }[name];
      expect(ownKind.safeParse({ ...parsed, AWS_REGION: 'eu-west-1' }).error?.issues ?? []).toEqual([]);
    });

    it('logs JSON to its own log group, kept a week in dev and a month in prod', () => {
      const logGroupId = (props().LoggingConfig.LogGroup as { Ref: string }).Ref;
      const logGroup = resources(synthesized.api)[logGroupId]!;
      expect(props().LoggingConfig.LogFormat).toBe('JSON');
      expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
      expect(logGroup.Properties!.RetentionInDays).toBe(stage === 'prod' ? 30 : 7);
      expect(logGroup.DeletionPolicy).toBe(stage === 'prod' ? 'Retain' : 'Delete');
    });

    it('gets exactly the DynamoDB actions its access levels need, on the table only', () => {
      const access = functions[name].access;
      expect(dynamoActionsByTable(synthesized, name)).toEqual({
        CommentsTable: [...EXPECTED_ACTIONS.comments[access.comments]].sort(),
        ControlTable: [...EXPECTED_ACTIONS.control[access.control]].sort(),
        ...expectedIndexActions(access),
      });
    });

    it('uses no AWS managed policy, only the publish policy if it publishes, and writes only to its own log group', () => {
      const roleId = (props().Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const role = resources(synthesized.api)[roleId]!;
      const managed = (role.Properties!.ManagedPolicyArns ?? []) as unknown[];
      expect(JSON.stringify(managed)).not.toMatch(/iam::aws:policy/);
      expect(managed).toHaveLength(functions[name].publishes ? 1 : 0);
      for (const arn of managed) {
        expect(exportedValue(synthesized, synthesized.realtime, arn)).toEqual({
          Ref: logicalId(synthesized.stacks.realtime.realtime.publishPolicy),
        });
      }
      const logStatements = statementsOfRole(synthesized.api, roleId).filter((s) =>
        [s.Action].flat().some((a) => a.startsWith('logs:')),
      );
      expect(logStatements).toEqual([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [(props().LoggingConfig.LogGroup as { Ref: string }).Ref, 'Arn'] },
        },
      ]);
    });
  });

  describe('capabilities: only what a definition’s flags ask for', () => {
    const CAPABILITY_VARIABLES = [
      'REALTIME_GRAPHQL_URL',
      'REALTIME_CLIENT_GRAPHQL_URL',
      'REALTIME_CLIENT_REALTIME_URL',
      'REALTIME_API_KEY',
      'REALTIME_API_ID',
      'EDGE_PARAMETER_NAME',
      'LOCAL_EDGE_URL',
      'SCALER_FUNCTION_ARN',
      'SCHEDULER_ROLE_ARN',
      'SCHEDULE_GROUP_NAME',
      'CAPACITY_LEAD_MINUTES',
      'CAPACITY_TAIL_MINUTES',
      'SCALED_FUNCTION_NAMES',
      'REST_API_ID',
      'REST_API_STAGE',
      'STAGE',
    ];
    const variablesOf = (name: FunctionName) =>
      lambdaOf(synthesized, name).props.Environment.Variables as Record<string, unknown>;
    const realtimeValue = (reference: unknown) => exportedValue(synthesized, synthesized.realtime, reference);
    const apiId = () => logicalId(synthesized.stacks.realtime.realtime.api);
    const viewerFunctions = names.filter((n) => n !== 'admin');

    it('the definitions: the admin function publishes, invalidates, reads metrics and schedules capacity; viewers do none', () => {
      expect(functions.admin).toMatchObject({
        publishes: true,
        invalidatesEdge: true,
        readsMetrics: true,
        schedulesCapacity: true,
      });
      for (const name of viewerFunctions) {
        const { publishes, invalidatesEdge, readsMetrics, schedulesCapacity } = functions[name];
        expect([publishes, invalidatesEdge, readsMetrics, schedulesCapacity].some(Boolean), name).toBe(false);
      }
    });

    it('tells the viewer functions nothing about the realtime API, the edge or the scaler', () => {
      for (const name of viewerFunctions) {
        for (const key of CAPABILITY_VARIABLES)
          expect(variablesOf(name), `${name} ${key}`).not.toHaveProperty(key);
      }
    });

    it('points the admin function at the Realtime stack’s GraphQL URL, realtime URL, API key and id', () => {
      const variables = variablesOf('admin');
      const graphqlUrl = { 'Fn::GetAtt': [apiId(), 'GraphQLUrl'] };
      expect(realtimeValue(variables.REALTIME_GRAPHQL_URL)).toEqual(graphqlUrl);
      expect(realtimeValue(variables.REALTIME_CLIENT_GRAPHQL_URL)).toEqual(graphqlUrl);
      expect(realtimeValue(variables.REALTIME_API_ID)).toEqual({ 'Fn::GetAtt': [apiId(), 'ApiId'] });
      // The newest key; its id is the value players send as x-api-key (ADR 0009).
      const newest = synthesized.stacks.realtime.realtime.currentApiKey;
      expect(realtimeValue(variables.REALTIME_API_KEY)).toEqual({
        'Fn::GetAtt': [synthesized.stacks.realtime.resolve(newest.logicalId), 'ApiKeyId'],
      });
      // wss://…appsync-realtime-api…, derived from the imported GraphQL URL.
      const realtimeUrl = JSON.stringify(variables.REALTIME_CLIENT_REALTIME_URL);
      expect(realtimeUrl).toContain('"wss"');
      expect(realtimeUrl).toContain('appsync-realtime-api');
      expect(realtimeUrl).toContain(JSON.stringify(variables.REALTIME_GRAPHQL_URL));
    });

    it('names the edge parameter by its fixed name (a reference would be a cycle), never LOCAL_EDGE_URL', () => {
      const variables = variablesOf('admin');
      expect(variables.EDGE_PARAMETER_NAME).toBe(`/hybrid-chat/${stage}/edge`);
      const [[, parameter]] = resourcesOfType(synthesized.api, 'AWS::SSM::Parameter') as [[string, CfnJson]];
      expect(parameter.Properties.Name).toBe(variables.EDGE_PARAMETER_NAME);
      expect(variables).not.toHaveProperty('LOCAL_EDGE_URL');
    });

    it('attaches the publish policy to the admin role and the canary’s only', () => {
      const publishPolicy = { Ref: logicalId(synthesized.stacks.realtime.realtime.publishPolicy) };
      const publishers = resourcesOfType(synthesized.api, 'AWS::IAM::Role')
        .filter(([, r]) =>
          ((r.Properties!.ManagedPolicyArns ?? []) as unknown[]).some(
            (arn) =>
              (arn as Record<string, unknown>)['Fn::ImportValue'] !== undefined &&
              JSON.stringify(exportedValue(synthesized, synthesized.realtime, arn)) ===
                JSON.stringify(publishPolicy),
          ),
        )
        .map(([id]) => id);
      const canaryRole = (
        resources(synthesized.api)[logicalId(synthesized.stacks.api.canary.function.function)]!
          .Properties as CfnJson
      ).Role['Fn::GetAtt'][0] as string;
      expect(publishers.sort()).toEqual([roleOf(synthesized, 'admin'), canaryRole].sort());
    });

    /** The view-limit worker's role: a changed cutoff invalidates the room's cached segments. */
    const limitsWorkerRole = () =>
      (
        resources(synthesized.api)[logicalId(synthesized.stacks.api.viewLimits.worker.function)]!
          .Properties as CfnJson
      ).Role['Fn::GetAtt'][0] as string;

    it('lets only the admin and view-limit worker roles invalidate, and only this distribution', () => {
      const grants = grantsOf(synthesized, 'cloudfront:CreateInvalidation');
      expect(grants.flatMap((g) => g.roles).sort()).toEqual(
        [roleOf(synthesized, 'admin'), limitsWorkerRole()].sort(),
      );
      for (const { statement } of grants) {
        expect(statement.Action).toBe('cloudfront:CreateInvalidation');
        const resource = JSON.stringify(statement.Resource);
        expect(resource).toContain(
          JSON.stringify({ Ref: logicalId(synthesized.stacks.api.cdn.distribution) }),
        );
        expect(resource).toContain(':distribution/');
        expect(resource).not.toContain('*');
      }
    });

    it('lets only the admin and view-limit worker roles read the edge parameter, and nothing else in SSM', () => {
      const grants = grantsOf(synthesized, 'ssm:');
      expect(grants.flatMap((g) => g.roles).sort()).toEqual(
        [roleOf(synthesized, 'admin'), limitsWorkerRole()].sort(),
      );
      for (const { statement } of grants) {
        expect(statement.Action).toBe('ssm:GetParameter');
        expect(JSON.stringify(statement.Resource)).toContain(
          JSON.stringify({ Ref: logicalId(synthesized.stacks.api.edgeParameter) }),
        );
      }
    });

    it('lets only the admin role read metrics: GetMetricData, nothing else of CloudWatch', () => {
      const grants = grantsOf(synthesized, 'cloudwatch:');
      expect(grants).toHaveLength(1);
      const [{ roles, statement }] = grants as [Grant];
      expect(roles).toEqual([roleOf(synthesized, 'admin')]);
      expect(statement).toEqual({ Effect: 'Allow', Action: 'cloudwatch:GetMetricData', Resource: '*' });
    });

    it('keeps the edge grants in a policy the admin function does not wait for (else: a cycle)', () => {
      // The function waits for (DependsOn) its role's default policy; the distribution waits for the
      // API, and so for the function. A grant naming the distribution must live in another policy.
      const admins = (grants: Grant[]) => grants.find((g) => g.roles.includes(roleOf(synthesized, 'admin')))!;
      const edge = admins(grantsOf(synthesized, 'cloudfront:CreateInvalidation') as Grant[]);
      const ssm = admins(grantsOf(synthesized, 'ssm:') as Grant[]);
      expect(ssm.policy).toBe(edge.policy);
      const admin = resources(synthesized.api)[lambdaOf(synthesized, 'admin').id]!;
      const dependsOn = [admin.DependsOn ?? []].flat() as string[];
      expect(dependsOn.some((id) => id.startsWith('AdminRoleDefaultPolicy'))).toBe(true);
      expect(dependsOn).not.toContain(edge.policy);
      expect(edge.policy.startsWith('AdminRoleDefaultPolicy')).toBe(false);
    });
  });

  it('gives the live function only Query on comments and GetItem on control', () => {
    expect(dynamoActionsByTable(synthesized, 'getLive')).toEqual({
      CommentsTable: ['dynamodb:Query'],
      ControlTable: ['dynamodb:GetItem'],
    });
  });

  it('gives the post function only PutItem on comments and GetItem and PutItem on control', () => {
    expect(dynamoActionsByTable(synthesized, 'postComment')).toEqual({
      CommentsTable: ['dynamodb:PutItem'],
      ControlTable: ['dynamodb:GetItem', 'dynamodb:PutItem'],
    });
  });

  it('times the post function out at MAX_POST_DURATION_MS, the bound segment closing relies on', () => {
    expect(lambdaOf(synthesized, 'postComment').props.Timeout).toBe(MAX_POST_DURATION_MS / 1000);
  });

  it('grants no wildcard, Scan or delete anywhere, and updates and batch reads to the admin function only', () => {
    const statements = (fn?: FunctionName) =>
      resourcesOfType(synthesized.api, 'AWS::IAM::Policy')
        .filter(
          ([, p]) =>
            fn === undefined ||
            (p.Properties!.Roles as { Ref: string }[]).some(
              (r) =>
                r.Ref ===
                (lambdaOf(synthesized, fn).props.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0],
            ),
        )
        .flatMap(([, p]) => (p.Properties!.PolicyDocument as { Statement: Statement[] }).Statement);
    const actions = statements().flatMap((s) => [s.Action].flat());
    expect(actions).not.toContain('*');
    expect(actions.filter((a) => /^dynamodb:(Scan|DeleteItem|BatchWriteItem|\*)/.test(a))).toEqual([]);
    const viewerActions = names
      .filter((n) => n !== 'admin')
      .flatMap((n) => statements(n).flatMap((s) => [s.Action].flat()))
      .filter((a) => a.startsWith('dynamodb:'));
    expect([...new Set(viewerActions)].sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
    ]);
  });
});

describe('capabilityEnvironment', () => {
  const realtime = {
    graphqlUrl: 'https://g',
    realtimeUrl: 'wss://r',
    apiKey: 'da2-k',
    apiId: 'id',
    publishPolicy: undefined as never,
  };
  const base = functions.getLive;

  it('adds nothing for a definition without capability flags', () => {
    expect(capabilityEnvironment(base, { realtime, edgeParameterName: '/p' })).toEqual({});
  });

  it('adds exactly what each flag needs', () => {
    expect(capabilityEnvironment({ ...base, publishes: true }, { realtime, stage: 'prod' })).toEqual({
      REALTIME_GRAPHQL_URL: 'https://g',
      REALTIME_CLIENT_GRAPHQL_URL: 'https://g',
      REALTIME_CLIENT_REALTIME_URL: 'wss://r',
      REALTIME_API_KEY: 'da2-k',
      STAGE: 'prod',
    });
    expect(capabilityEnvironment({ ...base, invalidatesEdge: true }, { edgeParameterName: '/p' })).toEqual({
      EDGE_PARAMETER_NAME: '/p',
    });
    expect(
      capabilityEnvironment({ ...base, readsMetrics: true }, { realtime, edgeParameterName: '/p' }),
    ).toEqual({ REALTIME_API_ID: 'id', EDGE_PARAMETER_NAME: '/p' });
  });

  it('adds the scaler, the scheduler role, the group and the timing for schedulesCapacity', () => {
    const capacity = {
      scaler: { functionArn: 'arn:aws:lambda:eu-west-1:111111111111:function:scaler:live' } as never,
      schedulerRole: { roleArn: 'arn:aws:iam::111111111111:role/scheduler' } as never,
      scheduleGroupName: 'hybrid-chat-dev',
      timing: { leadMinutes: 45, tailMinutes: 0 },
    };
    expect(capabilityEnvironment({ ...base, schedulesCapacity: true }, { capacity })).toEqual({
      SCALER_FUNCTION_ARN: 'arn:aws:lambda:eu-west-1:111111111111:function:scaler:live',
      SCHEDULER_ROLE_ARN: 'arn:aws:iam::111111111111:role/scheduler',
      SCHEDULE_GROUP_NAME: 'hybrid-chat-dev',
      CAPACITY_LEAD_MINUTES: '45',
      CAPACITY_TAIL_MINUTES: '0',
    });
    expect(() => capabilityEnvironment({ ...base, schedulesCapacity: true }, { realtime })).toThrow(
      /schedulesCapacity needs the scaler/,
    );
  });

  it('fails the synth when a flag’s input is missing', () => {
    expect(() => capabilityEnvironment({ ...base, publishes: true }, {})).toThrow(/publishes needs/);
    expect(() => capabilityEnvironment({ ...base, publishes: true }, { realtime })).toThrow(
      /publishes needs the stage/,
    );
    expect(() => capabilityEnvironment({ ...base, invalidatesEdge: true }, { realtime })).toThrow(
      /edge parameter name/,
    );
    expect(() => capabilityEnvironment({ ...base, readsMetrics: true }, { edgeParameterName: '/p' })).toThrow(
      /realtime API id/,
    );
  });
});

describe('bundles (dev, bundled by esbuild)', () => {
  const assembly = dev.app.synth();

  // The route functions and the scaler: every ChatFunction bundles the same way.
  describe.each([...names, 'scaler' as const])('%s', (name) => {
    const assetDir = () => {
      const id = logicalId(
        name === 'scaler' ? dev.stacks.api.capacity.scaler.function : dev.stacks.api.functions[name],
      );
      const code = resources(dev.api)[id]!.Properties!.Code as { S3Key: string };
      return path.join(assembly.directory, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
    };

    it('is an ESM module with the createRequire shim and no source map', () => {
      expect(existsSync(path.join(assetDir(), 'index.mjs'))).toBe(true);
      expect(existsSync(path.join(assetDir(), 'index.mjs.map'))).toBe(false);
      const code = readFileSync(path.join(assetDir(), 'index.mjs'), 'utf8');
      expect(code.slice(0, 100)).toMatch(
        /^import \{ createRequire \} from 'node:module'; const require = createRequire/,
      );
      expect(/export\s*\{[^}]*\bas handler\b[^}]*\}/.test(code)).toBe(true);
      expect(code).not.toContain('sourceMappingURL');
    });

    it('keeps class names through minification, so logged errors say what failed', () => {
      const code = readFileSync(path.join(assetDir(), 'index.mjs'), 'utf8');
      // Every function reads rooms, and every error is a ChatError (or one of its kind).
      expect(code).toMatch(/["']DynamoRoomStore["']/);
      expect(code).toMatch(/["']ChatError["']/);
    });

    it('bundles its dependencies instead of importing them at run time', () => {
      const code = readFileSync(path.join(assetDir(), 'index.mjs'), 'utf8');
      // A dependency left external would appear as an import or require of its package.
      expect(code.match(/\bfrom\s*["'](?:@aws-sdk|@aws-lite|zod|jose)[^"']*["']/)?.[0]).toBeUndefined();
      // The SDK looks for its optional SigV4a signers at run time; those packages are never installed.
      expect(
        code.match(
          /\b(?:import|require)\s*\(\s*["'](?:@aws-sdk\/(?!signature-v4-crt|signature-v4a)|@aws-lite|zod|jose)[^"']*["']\s*\)/,
        )?.[0],
      ).toBeUndefined();
    });
  });
});
