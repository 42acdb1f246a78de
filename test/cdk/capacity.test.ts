import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { Config, ScalerConfig } from '../../lambdas/config.js';
import { SCALED_ALIAS, SCALED_FUNCTIONS } from '../../lambdas/domain/capacity/target.js';
import { type FunctionName, functions, scalerFunction } from '../../lambdas/routes.js';
import { CapacityScaler } from '../../lib/constructs/capacity-scaler.js';
import { ChatFunction } from '../../lib/constructs/chat-function.js';
import { resolveStageConfig, STAGES } from '../../lib/stage-config.js';
import { buildApp } from '../../lib/app.js';
import {
  type CfnJson,
  logicalId,
  PROD_CONTEXT,
  resources,
  resourcesOfType,
  synthesize,
  type Synthesized,
} from './synth.js';

const synthesized = Object.fromEntries(STAGES.map((stage) => [stage, synthesize(stage, { bundle: false })]));
const names = Object.keys(functions) as FunctionName[];

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

/**
 * A template value as one string, the way cdk-nag flattens it: `Fn::Join` concatenated, `Ref` →
 * `<Id>`, `Fn::GetAtt` → `<Id.Attr>`, and an import → `<Data:Id.Attr>` (what the export holds).
 */
function flat(s: Synthesized, value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, CfnJson>;
  if (v['Fn::Join'])
    return (v['Fn::Join'][1] as unknown[]).map((part) => flat(s, part)).join(v['Fn::Join'][0]);
  if (v.Ref) return `<${v.Ref}>`;
  if (v['Fn::GetAtt']) return `<${v['Fn::GetAtt'][0]}.${v['Fn::GetAtt'][1]}>`;
  if (v['Fn::ImportValue']) {
    const outputs = (s.data.toJSON() as { Outputs: Record<string, CfnJson> }).Outputs;
    const output = Object.values(outputs).find((o) => o.Export?.Name === v['Fn::ImportValue']);
    if (!output) throw new Error(`no Data export ${v['Fn::ImportValue']}`);
    return flat(s, output.Value).replace(/^</, '<Data:');
  }
  throw new Error(`cannot flatten ${JSON.stringify(value)}`);
}

/** Every Allow statement on a role, from every policy attached to it. */
function statementsOfRole(s: Synthesized, roleId: string): Statement[] {
  return resourcesOfType(s.api, 'AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties!.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => (p.Properties!.PolicyDocument as { Statement: Statement[] }).Statement);
}

/** `{ action: [resource, …] }` over a role's statements, resources flattened and sorted. */
function grantsByAction(s: Synthesized, roleId: string, prefix?: RegExp): Record<string, string[]> {
  const byAction: Record<string, Set<string>> = {};
  for (const statement of statementsOfRole(s, roleId)) {
    expect(statement.Effect).toBe('Allow');
    for (const action of [statement.Action].flat()) {
      if (prefix && !prefix.test(action)) continue;
      for (const resource of [statement.Resource].flat())
        (byAction[action] ??= new Set()).add(flat(s, resource));
    }
  }
  return Object.fromEntries(
    Object.entries(byAction)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([action, set]) => [action, [...set].sort()]),
  );
}

function lambdaProps(s: Synthesized, fn: { node: unknown }): Record<string, CfnJson> {
  return resources(s.api)[logicalId(fn as never)]!.Properties as Record<string, CfnJson>;
}

const roleIdOf = (s: Synthesized, fn: { node: unknown }) =>
  (lambdaProps(s, fn).Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];

describe.each(STAGES)('capacity infrastructure (%s)', (stage) => {
  const s = synthesized[stage]!;
  const api = s.stacks.api;
  const scaler = api.capacity.scaler;
  const aliasRef = (alias: { node: unknown }) => `<${logicalId(alias as never)}>`;
  const tableArn = (id: 'CommentsTable' | 'ControlTable') => `<Data:${id}.Arn>`;
  const group = `hybrid-chat-${stage}`;

  describe('aliases', () => {
    it.each([...names])('%s publishes a version behind the alias live, on that version', (name) => {
      const alias = resources(s.api)[logicalId(api.aliases[name])]!;
      expect(alias.Type).toBe('AWS::Lambda::Alias');
      const props = alias.Properties as CfnJson;
      expect(props.Name).toBe(SCALED_ALIAS);
      expect(SCALED_ALIAS).toBe('live');
      expect(props.FunctionName).toEqual({ Ref: logicalId(api.functions[name]) });
      const [versionId, attribute] = props.FunctionVersion['Fn::GetAtt'] as [string, string];
      expect(attribute).toBe('Version');
      const version = resources(s.api)[versionId]!;
      expect(version.Type).toBe('AWS::Lambda::Version');
      expect((version.Properties as CfnJson).FunctionName).toEqual({ Ref: logicalId(api.functions[name]) });
    });

    it('publishes one alias per function, the scaler’s, the canary’s, the origin secret rotation’s, the view-limit functions’ and the archiver’s included, and nothing else named', () => {
      const aliases = resourcesOfType(s.api, 'AWS::Lambda::Alias');
      expect(aliases).toHaveLength(names.length + 6);
      expect(aliases.map(([, a]) => (a.Properties as CfnJson).Name)).toEqual(aliases.map(() => SCALED_ALIAS));
      expect(aliases.map(([id]) => id)).toContain(logicalId(scaler.alias));
      expect(aliases.map(([id]) => id)).toContain(logicalId(api.canary.function.alias));
      expect(aliases.map(([id]) => id)).toContain(logicalId(api.viewLimits.scheduler.alias));
      expect(aliases.map(([id]) => id)).toContain(logicalId(api.viewLimits.worker.alias));
      expect(aliases.map(([id]) => id)).toContain(logicalId(api.archiver.function.alias));
    });
  });

  describe('the scaler function', () => {
    const props = () => lambdaProps(s, scaler.function);
    const variables = () => props().Environment.Variables as Record<string, CfnJson>;

    it('runs the scaler entry with the project’s defaults and its definition’s timeout', () => {
      expect(scalerFunction.entry).toBe('lambdas/functions/scaler.ts');
      expect(props().Runtime).toBe('nodejs22.x');
      expect(props().Architectures).toEqual(['arm64']);
      expect(props().Timeout).toBe(scalerFunction.timeoutMs / 1000);
      // Active tracing off (ADR 0021): no TracingConfig, so Lambda passes an upstream trace through.
      expect(props()).not.toHaveProperty('TracingConfig');
      expect(props().Description).toBe(scalerFunction.description);
    });

    it('is told the scaled functions by name, the API and its stage, the tables and the timing', () => {
      const v = variables();
      const scaledNames = JSON.parse(
        flat(s, v.SCALED_FUNCTION_NAMES).replace(/<([A-Za-z0-9]+)>/g, '$1'),
      ) as Record<string, string>;
      expect(scaledNames).toEqual(
        Object.fromEntries(SCALED_FUNCTIONS.map((n) => [n, logicalId(api.functions[n])])),
      );
      expect(v.REST_API_ID).toEqual({ Ref: logicalId(api.http.restApi) });
      expect(v.REST_API_STAGE).toBe(stage);
      expect(v.CAPACITY_LEAD_MINUTES).toBe('30');
      expect(v.CAPACITY_TAIL_MINUTES).toBe('15');
      expect(flat(s, v.COMMENTS_TABLE_NAME)).toBe('<Data:CommentsTable>');
      expect(flat(s, v.CONTROL_TABLE_NAME)).toBe('<Data:ControlTable>');
      // Same base environment as the route functions: Config requires the viewer-token settings.
      const getLive = lambdaProps(s, api.functions.getLive).Environment.Variables as Record<string, unknown>;
      for (const key of ['VIEWER_TOKEN_JWKS_URL', 'VIEWER_TOKEN_ISSUER', 'VIEWER_TOKEN_AUDIENCE']) {
        expect(v[key], key).toBe(getLive[key]);
      }
    });

    it('starts: its environment parses with the Config schema (deploy-time values stood in)', () => {
      const deployTime: Record<string, string> = {
        COMMENTS_TABLE_NAME: 'c',
        CONTROL_TABLE_NAME: 'k',
        SCALED_FUNCTION_NAMES: JSON.stringify({ postComment: 'p', getLive: 'l', getSegment: 's' }),
        REST_API_ID: 'abc123',
      };
      const parsed = Object.fromEntries(
        Object.entries(variables()).map(([k, value]) => [
          k,
          typeof value === 'string' ? value : deployTime[k],
        ]),
      );
      expect(Config.safeParse(parsed).error?.issues ?? []).toEqual([]);
      // And with the scaler's own schema (a missing setting would stop it at cold start).
      expect(ScalerConfig.safeParse({ ...parsed, AWS_REGION: 'eu-west-1' }).error?.issues ?? []).toEqual([]);
    });

    it('gets exactly: provisioned concurrency on the three live aliases, warm throughput on the two tables, this stage, rooms and audit', () => {
      const stageArn = `arn:<AWS::Partition>:apigateway:<AWS::Region>::/restapis/<${logicalId(api.http.restApi)}>/stages/${stage}`;
      const aliases = SCALED_FUNCTIONS.map((n) => aliasRef(api.aliases[n])).sort();
      const control = tableArn('ControlTable');
      expect(grantsByAction(s, roleIdOf(s, scaler.function), /^(?!logs:|xray:)/)).toEqual({
        'apigateway:GET': [stageArn],
        'apigateway:PATCH': [stageArn],
        'dynamodb:BatchGetItem': [control],
        'dynamodb:DescribeTable': [tableArn('CommentsTable'), control].sort(),
        'dynamodb:GetItem': [control],
        'dynamodb:PutItem': [control],
        'dynamodb:Query': [control, `${control}/index/AllRooms`].sort(),
        'dynamodb:UpdateItem': [control],
        'dynamodb:UpdateTable': [tableArn('CommentsTable'), control].sort(),
        'lambda:DeleteProvisionedConcurrencyConfig': aliases,
        'lambda:GetProvisionedConcurrencyConfig': aliases,
        'lambda:PutProvisionedConcurrencyConfig': aliases,
      });
    });

    it('writes only its own log group, and sends no traces (no X-Ray grant, no *)', () => {
      const grants = grantsByAction(s, roleIdOf(s, scaler.function), /^(logs|xray):/);
      expect(grants).toEqual({
        'logs:CreateLogStream': [`<${logicalId(scaler.logGroup)}.Arn>`],
        'logs:PutLogEvents': [`<${logicalId(scaler.logGroup)}.Arn>`],
      });
      const role = resources(s.api)[roleIdOf(s, scaler.function)]!;
      expect((role.Properties as CfnJson).ManagedPolicyArns ?? []).toEqual([]);
    });

    it('never references the API stage, its deployment or the admin function (they wait for it: a cycle)', () => {
      const waitsForScaler = [
        logicalId(api.http.restApi.deploymentStage),
        logicalId(api.http.restApi.latestDeployment!),
        logicalId(api.functions.admin),
      ];
      const scalerParts = [logicalId(scaler.function), roleIdOf(s, scaler.function)];
      const policies = resourcesOfType(s.api, 'AWS::IAM::Policy')
        .filter(([, p]) => JSON.stringify(p.Properties!.Roles).includes(roleIdOf(s, scaler.function)))
        .map(([id]) => id);
      for (const id of [...scalerParts, ...policies]) {
        const json = JSON.stringify(resources(s.api)[id]);
        for (const other of waitsForScaler) expect(json, `${id} → ${other}`).not.toContain(other);
      }
    });
  });

  describe('EventBridge Scheduler', () => {
    it('has the stage’s schedule group, deleted with the stack, and no schedules of its own in the template', () => {
      const groups = resourcesOfType(s.api, 'AWS::Scheduler::ScheduleGroup');
      expect(groups).toHaveLength(1);
      const [[, resource]] = groups as [[string, CfnJson]];
      expect(resource.Properties.Name).toBe(group);
      expect(resource.DeletionPolicy).toBe('Delete');
      // The one schedule in the template is the view-limit batch's daily run, outside the group (ADR 0039).
      const schedules = resourcesOfType(s.api, 'AWS::Scheduler::Schedule');
      expect(schedules.map(([id]) => id)).toEqual([logicalId(api.viewLimits.schedule)]);
      expect((schedules[0]![1].Properties as CfnJson).GroupName).toBeUndefined();
    });

    it('has a role only EventBridge Scheduler of this account can assume', () => {
      const role = resources(s.api)[logicalId(api.capacity.schedulerRole)]!;
      expect((role.Properties as CfnJson).AssumeRolePolicyDocument.Statement).toEqual([
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        },
      ]);
      expect((role.Properties as CfnJson).ManagedPolicyArns ?? []).toEqual([]);
    });

    it('lets that role invoke the scaler’s live alias and do nothing else', () => {
      expect(grantsByAction(s, logicalId(api.capacity.schedulerRole))).toEqual({
        'lambda:InvokeFunction': [aliasRef(scaler.alias)],
      });
    });
  });

  describe('the admin function schedules the scaler', () => {
    const adminVariables = () => lambdaProps(s, api.functions.admin).Environment.Variables as CfnJson;

    it('is told the scaler’s alias, the scheduler role, the group and the timing', () => {
      const v = adminVariables();
      expect(v.SCALER_FUNCTION_ARN).toEqual({ Ref: logicalId(scaler.alias) });
      expect(v.SCHEDULER_ROLE_ARN).toEqual({ 'Fn::GetAtt': [logicalId(api.capacity.schedulerRole), 'Arn'] });
      expect(v.SCHEDULE_GROUP_NAME).toBe(group);
      expect(v.CAPACITY_LEAD_MINUTES).toBe('30');
      expect(v.CAPACITY_TAIL_MINUTES).toBe('15');
      expect(v).not.toHaveProperty('SCALED_FUNCTION_NAMES');
    });

    it('may manage schedules of its group only, pass only the scheduler role only to Scheduler, and invoke the scaler', () => {
      const roleId = roleIdOf(s, api.functions.admin);
      const schedules = `arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${group}/*`;
      expect(grantsByAction(s, roleId, /^(scheduler|iam|lambda):/)).toEqual({
        'iam:PassRole': [`<${logicalId(api.capacity.schedulerRole)}.Arn>`],
        'lambda:InvokeFunction': [aliasRef(scaler.alias)],
        'scheduler:CreateSchedule': [schedules],
        'scheduler:DeleteSchedule': [schedules],
        'scheduler:GetSchedule': [schedules],
        'scheduler:UpdateSchedule': [schedules],
      });
      const passRole = statementsOfRole(s, roleId).find((st) => st.Action === 'iam:PassRole')!;
      expect(passRole.Condition).toEqual({
        StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' },
      });
    });

    it('is the only role that may schedule, pass a role or invoke a function', () => {
      const holders = (pattern: RegExp) =>
        resourcesOfType(s.api, 'AWS::IAM::Policy')
          .filter(([, p]) =>
            (p.Properties!.PolicyDocument as { Statement: Statement[] }).Statement.some((st) =>
              [st.Action].flat().some((a) => pattern.test(a)),
            ),
          )
          .flatMap(([, p]) => (p.Properties!.Roles as { Ref: string }[]).map((r) => r.Ref))
          .sort();
      const admin = roleIdOf(s, api.functions.admin);
      expect(holders(/^scheduler:/)).toEqual([admin]);
      expect(holders(/^iam:PassRole$/)).toEqual([admin]);
      // Besides the role the view-limit schedule's target made, which invokes the view-limit scheduler only.
      const invokers = holders(/^lambda:InvokeFunction$/);
      const others = invokers.filter((id) => id !== admin && id !== logicalId(api.capacity.schedulerRole));
      expect(invokers).toEqual(expect.arrayContaining([admin, logicalId(api.capacity.schedulerRole)]));
      expect(others).toHaveLength(1);
      const invoked = resourcesOfType(s.api, 'AWS::IAM::Policy')
        .filter(([, p]) => (p.Properties!.Roles as { Ref: string }[]).some((r) => r.Ref === others[0]))
        .flatMap(([, p]) => (p.Properties!.PolicyDocument as { Statement: Statement[] }).Statement)
        .flatMap((st) => [st.Resource].flat());
      expect(JSON.stringify(invoked)).toContain(logicalId(api.viewLimits.scheduler.alias));
      expect(JSON.stringify(invoked)).not.toContain(logicalId(api.capacity.scaler.function));
    });
  });

  it('outputs the scaler’s function name for dry runs', () => {
    const outputs = (s.api.toJSON() as { Outputs: Record<string, CfnJson> }).Outputs;
    expect(outputs.ScalerFunctionName.Value).toEqual({ Ref: logicalId(scaler.function) });
  });
});

describe('capacity timing from context', () => {
  it('reaches the scaler and the admin function as given', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stacks = buildApp(
      app,
      resolveStageConfig({
        stage: 'prod',
        ...PROD_CONTEXT,
        capacityLeadMinutes: '90',
        capacityTailMinutes: '0',
      }),
    );
    const template = resources(Template.fromStack(stacks.api));
    for (const fn of [stacks.api.capacity.scaler.function, stacks.api.functions.admin]) {
      const variables = (template[logicalId(fn)]!.Properties as CfnJson).Environment.Variables;
      expect(variables.CAPACITY_LEAD_MINUTES).toBe('90');
      expect(variables.CAPACITY_TAIL_MINUTES).toBe('0');
    }
  });
});

describe('liveCommentLimit from context', () => {
  const variablesOf = (config: Parameters<typeof buildApp>[1]) => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stacks = buildApp(app, config);
    const template = resources(Template.fromStack(stacks.api));
    const { functions } = stacks.api;
    // The two read functions cut documents at it; the admin function and the scaler plan with it.
    return [
      functions.getLive,
      functions.getSegment,
      functions.admin,
      stacks.api.capacity.scaler.function,
    ].map((fn) => (template[logicalId(fn)]!.Properties as CfnJson).Environment.Variables);
  };

  it('reaches the read functions, the admin function and the scaler alike', () => {
    const variables = variablesOf(
      resolveStageConfig({ stage: 'prod', ...PROD_CONTEXT, liveCommentLimit: '900' }),
    );
    expect(variables.map((v) => v.LIVE_COMMENT_LIMIT)).toEqual(['900', '900', '900', '900']);
  });

  it('is left to the functions’ default when not given', () => {
    const variables = variablesOf(resolveStageConfig({ stage: 'prod', ...PROD_CONTEXT }));
    expect(variables.map((v) => v.LIVE_COMMENT_LIMIT)).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe('CapacityScaler guards', () => {
  const build = () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'T');
    const table = (id: string) =>
      new Table(stack, id, { partitionKey: { name: 'pk', type: AttributeType.STRING } });
    const tables = { comments: table('C'), control: table('K') };
    const environment = {
      COMMENTS_TABLE_NAME: 'c',
      CONTROL_TABLE_NAME: 'k',
      VIEWER_TOKEN_JWKS_URL: 'https://auth.example.com/jwks.json',
      VIEWER_TOKEN_ISSUER: 'https://auth.example.com/',
      VIEWER_TOKEN_AUDIENCE: 'a',
    };
    const common = {
      environment,
      logRetention: RetentionDays.ONE_DAY,
      logRemovalPolicy: RemovalPolicy.DESTROY,
    };
    const scaled = Object.fromEntries(
      SCALED_FUNCTIONS.map((name) => [
        name,
        new ChatFunction(stack, name, {
          definition: functions[name],
          ...common,
          capabilities: { archive: new Bucket(stack, `${name}Archive`) },
        }),
      ]),
    ) as never;
    const capacity = new CapacityScaler(stack, 'Capacity', {
      stage: 'dev',
      tables,
      scaled,
      timing: { leadMinutes: 30, tailMinutes: 15 },
      ...common,
    });
    return { app, capacity, api: new RestApi(stack, 'Api') };
  };

  it('fails the synth when nobody told the scaler its stage', () => {
    const { app, api } = build();
    api.root.addMethod('GET');
    expect(() => app.synth()).toThrow(/call manageStage\(api, stageName\)/);
  });

  it('refuses a stage name that is a reference (the stage resource would be a cycle), and a second call', () => {
    const { capacity, api } = build();
    expect(() => capacity.manageStage(api, api.restApiId)).toThrow(/literal/);
    capacity.manageStage(api, 'dev');
    expect(() => capacity.manageStage(api, 'dev')).toThrow(/already/);
  });
});
