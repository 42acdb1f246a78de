import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AccountRootPrincipal, Role } from 'aws-cdk-lib/aws-iam';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BundledResolver, bundleResolvers, resolverFiles, schemaPath } from '../../graphql/bundle.js';
import { parseAppSyncSchema } from '../../graphql/appsync-schema.js';
import { EVENT_ROOM_ID_PATTERN } from '../../lambdas/domain/paths.js';
import { checkResolversAgainstSchema } from '../../lib/appsync-schema.js';
import { RealtimeApi, type RealtimeApiProps, realtimeUrlOf } from '../../lib/constructs/realtime-api.js';
import { RealtimeStack } from '../../lib/realtime-stack.js';
import { bundleResolversSync } from '../../graphql/bundle.js';
import { STAGES } from '../../lib/stage-config.js';
import { type CfnJson, logicalId, resources, resourcesOfType, synthesize } from './synth.js';

const DAY_SECONDS = 86_400;
const synthStarted = Date.now();
const synthesized = Object.fromEntries(STAGES.map((stage) => [stage, synthesize(stage, { bundle: false })]));
const synthEnded = Date.now();

const schemaSdl = readFileSync(schemaPath, 'utf8');
const realFiles = resolverFiles();

/**
 * Evaluates the CloudFormation functions a template value uses (Join, Split, Select, GetAtt, Ref),
 * written independently of lib/. Unknown references throw, so a test also proves what a value is
 * built from.
 */
function evaluate(
  value: CfnJson,
  refs: { getAtt?: (id: string, attribute: string) => string; ref?: (id: string) => string },
): CfnJson {
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (Array.isArray(value)) return value.map((v) => evaluate(v, refs));
  const [[fn, args]] = Object.entries(value as Record<string, CfnJson>) as [[string, CfnJson]];
  switch (fn) {
    case 'Fn::Join':
      return (evaluate(args[1], refs) as string[]).join(args[0]);
    case 'Fn::Split':
      return String(evaluate(args[1], refs)).split(args[0]);
    case 'Fn::Select':
      return (evaluate(args[1], refs) as unknown[])[args[0]];
    case 'Fn::GetAtt': {
      if (!refs.getAtt) throw new Error(`unexpected GetAtt ${JSON.stringify(args)}`);
      return refs.getAtt(args[0], args[1]);
    }
    case 'Ref':
      if (!refs.ref) throw new Error(`unexpected Ref ${args}`);
      return refs.ref(args);
    default:
      throw new Error(`cannot evaluate ${fn}`);
  }
}

/** A pseudo parameter or nothing: what an environment-agnostic (or region-only) stack refers to. */
const pseudo = (id: string) => {
  const known: Record<string, string> = {
    'AWS::AccountId': '111122223333',
    'AWS::Region': 'eu-west-1',
    'AWS::Partition': 'aws',
  };
  if (!known[id]) throw new Error(`unexpected Ref ${id}`);
  return known[id];
};

function onlyResource(template: Template, type: string): [string, CfnJson] {
  const found = resourcesOfType(template, type);
  expect(found, type).toHaveLength(1);
  return found[0] as [string, CfnJson];
}

function outputs(template: Template): Record<string, CfnJson> {
  return (template.toJSON() as { Outputs: Record<string, CfnJson> }).Outputs;
}

/** A directory of (empty) resolver files: the schema check looks at names only. */
function resolverDir(names: readonly string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'resolvers-'));
  for (const name of names) writeFileSync(path.join(dir, name), '');
  return dir;
}
const tempDirs: string[] = [];
const tempResolverDir = (names: readonly string[]) => {
  const dir = resolverDir(names);
  tempDirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

const REAL_NAMES = realFiles.map((f) => path.basename(f.source));
const rename = (from: string, to: string) => REAL_NAMES.map((n) => (n === from ? to : n));

function buildApi(props: Partial<RealtimeApiProps> = {}) {
  const stack = new Stack(new App(), 'T');
  const api = new RealtimeApi(stack, 'Realtime', {
    introspection: false,
    logRetention: RetentionDays.ONE_DAY,
    logRemovalPolicy: RemovalPolicy.DESTROY,
    ...props,
  });
  return { stack, api };
}

let bundles: BundledResolver[];
beforeAll(async () => {
  bundles = await bundleResolvers();
});

describe('resolver bundles', () => {
  it('finds resolver files, and only <Type>.<field>.ts ones', () => {
    expect(realFiles.length).toBeGreaterThan(0);
    const dir = mkdtempSync(path.join(tmpdir(), 'resolvers-'));
    try {
      for (const name of ['Query.thing.ts', 'helpers.ts', 'query.lower.ts'])
        writeFileSync(path.join(dir, name), '');
      expect(resolverFiles(dir).map((f) => path.basename(f.source))).toEqual(['Query.thing.ts']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bundles synchronously byte for byte what graphql/bundle.ts bundles', () => {
    const sync = bundleResolversSync();
    expect(sync.map((b) => b.source)).toEqual(bundles.map((b) => b.source));
    for (const [i, bundle] of sync.entries()) {
      expect(Buffer.from(bundle.code).equals(Buffer.from(bundles[i]!.code)), bundle.source).toBe(true);
    }
  });

  it('leaves @aws-appsync/utils to the runtime and bundles the shared ids in', () => {
    const publish = bundles.find((b) => b.typeName === 'Mutation' && b.fieldName === 'publish')!;
    expect(publish.code).toMatch(/from "@aws-appsync\/utils"/);
    expect(publish.code).not.toMatch(/\bfrom\s*["'][^"']*domain\/paths/);
    expect(publish.code).toContain(JSON.stringify(EVENT_ROOM_ID_PATTERN).slice(1, -1));
  });
});

describe.each(STAGES)('realtime stack (%s)', (stage) => {
  const s = synthesized[stage]!;
  const t = s.realtime;
  const apiId = () => logicalId(s.stacks.realtime.realtime.api);
  const api = () => resources(t)[apiId()]!.Properties as CfnJson;

  it('is its own stack, HybridChat-<stage>-Realtime, and the only one with AppSync resources', () => {
    expect(s.stacks.realtime.stackName).toBe(`HybridChat-${stage}-Realtime`);
    expect(resourcesOfType(t, 'AWS::AppSync::GraphQLApi')).toHaveLength(1);
    for (const other of [s.data, s.api]) {
      expect(Object.values(resources(other)).filter((r) => r.Type.startsWith('AWS::AppSync::'))).toEqual([]);
    }
  });

  it('deploys graphql/schema.graphql as it is', () => {
    const [, schema] = onlyResource(t, 'AWS::AppSync::GraphQLSchema');
    expect(schema.Properties.Definition).toBe(schemaSdl);
    expect(schema.Properties.ApiId).toEqual({ 'Fn::GetAtt': [apiId(), 'ApiId'] });
  });

  it('authorizes viewers by API key (default) and the backend by IAM (additional), nothing else', () => {
    expect(api().AuthenticationType).toBe('API_KEY');
    expect(api().AdditionalAuthenticationProviders).toEqual([{ AuthenticationType: 'AWS_IAM' }]);
  });

  it('has one API key, expiring 364 days after the synth (a day inside AppSync’s maximum)', () => {
    const [keyId, key] = onlyResource(t, 'AWS::AppSync::ApiKey');
    expect(keyId).toBe('ApiKeyViewers');
    expect(key.Properties.ApiId).toEqual({ 'Fn::GetAtt': [apiId(), 'ApiId'] });
    const expires = key.Properties.Expires as number;
    expect(Number.isInteger(expires)).toBe(true);
    expect(expires).toBeGreaterThanOrEqual(Math.floor(synthStarted / 1000) + 364 * DAY_SECONDS);
    expect(expires).toBeLessThanOrEqual(Math.ceil(synthEnded / 1000) + 364 * DAY_SECONDS);
    expect(Date.parse(outputs(t).ApiKeyExpires.Value) / 1000).toBeCloseTo(expires, 0);
  });

  it('has exactly one data source, of type NONE, with no role', () => {
    const [, ds] = onlyResource(t, 'AWS::AppSync::DataSource');
    expect(ds.Properties.Type).toBe('NONE');
    expect(ds.Properties.ServiceRoleArn).toBeUndefined();
  });

  it('has one APPSYNC_JS 1.0.0 unit resolver per resolver file, on the NONE data source', () => {
    const [, ds] = onlyResource(t, 'AWS::AppSync::DataSource');
    const deployed = resourcesOfType(t, 'AWS::AppSync::Resolver').map(([, r]) => r.Properties as CfnJson);
    expect(deployed.map((r) => `${r.TypeName}.${r.FieldName}`).sort()).toEqual(
      realFiles.map((f) => `${f.typeName}.${f.fieldName}`).sort(),
    );
    for (const resolver of deployed) {
      expect(resolver.Kind).toBe('UNIT');
      expect(resolver.Runtime).toEqual({ Name: 'APPSYNC_JS', RuntimeVersion: '1.0.0' });
      expect(resolver.DataSourceName).toBe(ds.Properties.Name);
      expect(resolver.CodeS3Location).toBeUndefined();
      expect(resolver.RequestMappingTemplate).toBeUndefined();
    }
  });

  it('deploys exactly the code graphql/bundle.ts bundles, inline', () => {
    const deployed = resourcesOfType(t, 'AWS::AppSync::Resolver').map(([, r]) => r.Properties as CfnJson);
    expect(bundles).toHaveLength(deployed.length);
    for (const bundle of bundles) {
      const resolver = deployed.find(
        (r) => r.TypeName === bundle.typeName && r.FieldName === bundle.fieldName,
      );
      expect(resolver?.Code, `${bundle.typeName}.${bundle.fieldName}`).toBe(bundle.code);
    }
  });

  it('logs field errors only, without request or response content, through a role scoped to its log group', () => {
    const logConfig = api().LogConfig;
    expect(logConfig.FieldLogLevel).toBe('ERROR');
    expect(logConfig.ExcludeVerboseContent).toBe(true);
    const roleId = logConfig.CloudWatchLogsRoleArn['Fn::GetAtt'][0] as string;
    const role = resources(t)[roleId]!;
    expect(role.Type).toBe('AWS::IAM::Role');
    expect((role.Properties as CfnJson).AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'appsync.amazonaws.com' } },
    ]);
    expect((role.Properties as CfnJson).ManagedPolicyArns).toBeUndefined();

    const [logGroupId, logGroup] = onlyResource(t, 'AWS::Logs::LogGroup');
    const policies = resourcesOfType(t, 'AWS::IAM::Policy').filter(([, p]) =>
      (p.Properties as CfnJson).Roles.some((r: CfnJson) => r.Ref === roleId),
    );
    expect(policies.flatMap(([, p]) => (p.Properties as CfnJson).PolicyDocument.Statement)).toEqual([
      {
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
      },
    ]);
    // The group AppSync writes to (named after the API id), with the stage's retention and removal.
    const name = evaluate(logGroup.Properties.LogGroupName, {
      getAtt: (id, attribute) => {
        expect([id, attribute]).toEqual([apiId(), 'ApiId']);
        return 'abc123';
      },
    });
    expect(name).toBe('/aws/appsync/apis/abc123');
    expect(logGroup.Properties.RetentionInDays).toBe(stage === 'prod' ? 30 : 7);
    expect(logGroup.DeletionPolicy).toBe(stage === 'prod' ? 'Retain' : 'Delete');
  });

  it('makes no log-retention function (the log group is a plain resource)', () => {
    expect(resourcesOfType(t, 'AWS::Lambda::Function')).toEqual([]);
    expect(resourcesOfType(t, 'Custom::LogRetention')).toEqual([]);
  });

  it('traces with X-Ray', () => {
    expect(api().XrayEnabled).toBe(true);
  });

  it(`${stage === 'prod' ? 'disables' : 'enables'} introspection`, () => {
    expect(api().IntrospectionConfig).toBe(stage === 'prod' ? 'DISABLED' : 'ENABLED');
  });

  it('has a managed policy that allows appsync:GraphQL on Mutation.publish and nothing else', () => {
    const [policyId, policy] = onlyResource(t, 'AWS::IAM::ManagedPolicy');
    expect(policyId).toBe(logicalId(s.stacks.realtime.realtime.publishPolicy));
    const statements = policy.Properties.PolicyDocument.Statement as CfnJson[];
    expect(statements).toHaveLength(1);
    const [statement] = statements;
    expect(statement.Effect).toBe('Allow');
    expect([statement.Action].flat()).toEqual(['appsync:GraphQL']);
    expect(statement.Condition).toBeUndefined();
    const arns = [statement.Resource].flat().map((r: CfnJson) =>
      evaluate(r, {
        getAtt: (id, attribute) => {
          expect([id, attribute]).toEqual([apiId(), 'ApiId']);
          return 'abc123';
        },
        ref: pseudo,
      }),
    );
    expect(arns).toHaveLength(1);
    expect(arns[0]).toMatch(
      /^arn:aws:appsync:[a-z0-9-]+:\d{12}:apis\/abc123\/types\/Mutation\/fields\/publish$/,
    );
    expect(policy.Properties.Roles ?? []).toEqual([]);
  });

  it('grants appsync:* nowhere else in the app', () => {
    for (const template of [s.data, s.api, t]) {
      const documents = Object.entries(resources(template))
        .filter(
          ([id, r]) =>
            r.Type.startsWith('AWS::IAM::') && id !== logicalId(s.stacks.realtime.realtime.publishPolicy),
        )
        .map(([, r]) => JSON.stringify(r.Properties));
      for (const document of documents) expect(document).not.toMatch(/appsync:/i);
    }
  });

  it('outputs the GraphQL URL, the realtime URL built from it, and the API key id', () => {
    const out = outputs(t);
    expect(out.GraphqlUrl.Value).toEqual({ 'Fn::GetAtt': [apiId(), 'GraphQLUrl'] });
    const realtime = evaluate(out.RealtimeUrl.Value, {
      getAtt: (id, attribute) => {
        expect([id, attribute]).toEqual([apiId(), 'GraphQLUrl']);
        return 'https://abcdefghijklmnopqrstuvwxyz.appsync-api.eu-west-1.amazonaws.com/graphql';
      },
    });
    expect(realtime).toBe(
      'wss://abcdefghijklmnopqrstuvwxyz.appsync-realtime-api.eu-west-1.amazonaws.com/graphql',
    );
    expect(out.ApiKeyId.Value).toEqual({ 'Fn::GetAtt': ['ApiKeyViewers', 'ApiKeyId'] });
    // The key value itself is never an output.
    expect(JSON.stringify(out)).not.toMatch(/"ApiKey"\]/);
  });

  it('acknowledges one nag finding, request logging without verbose content, on the API itself', () => {
    const acknowledged = s.stacks.realtime.node
      .findAll()
      .flatMap((construct) =>
        construct.node.metadata
          .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
          .flatMap((entry) =>
            Object.keys(entry.data as object).map(
              (id) => `${id.replace(/^annotation::/i, '')} at ${construct.node.path}`,
            ),
          ),
      );
    expect(acknowledged).toEqual([
      `AwsSolutions-ASC3 at ${s.stacks.realtime.realtime.api.node.defaultChild!.node.path}`,
    ]);
  });
});

describe('realtimeUrlOf', () => {
  it('turns the GraphQL endpoint into the realtime endpoint AppSync documents', () => {
    const url = 'https://x1y2.appsync-api.ap-northeast-1.amazonaws.com/graphql';
    const template = new Stack(new App(), 'U').resolve(realtimeUrlOf(url));
    expect(evaluate(template, {})).toBe(
      'wss://x1y2.appsync-realtime-api.ap-northeast-1.amazonaws.com/graphql',
    );
  });
});

describe('grantPublish', () => {
  it('grants the grantee appsync:GraphQL on Mutation.publish only', () => {
    const { stack, api } = buildApi();
    const role = new Role(stack, 'Publisher', { assumedBy: new AccountRootPrincipal() });
    api.grantPublish(role);
    const template = Template.fromStack(stack);
    const apiLogicalId = logicalId(api.api);
    const statements = resourcesOfType(template, 'AWS::IAM::Policy')
      .filter(([, p]) => (p.Properties as CfnJson).Roles.some((r: CfnJson) => r.Ref === logicalId(role)))
      .flatMap(([, p]) => (p.Properties as CfnJson).PolicyDocument.Statement as CfnJson[]);
    expect(statements).toHaveLength(1);
    expect(statements[0].Action).toBe('appsync:GraphQL');
    const arn = evaluate(statements[0].Resource, {
      getAtt: (id, attribute) => {
        expect([id, attribute]).toEqual([apiLogicalId, 'ApiId']);
        return 'abc123';
      },
      ref: pseudo,
    });
    expect(arn).toMatch(
      /^arn:aws:appsync:eu-west-1:111122223333:apis\/abc123\/types\/Mutation\/fields\/publish$/,
    );
  });
});

describe('API keys', () => {
  const keysOf = (stack: Stack) =>
    resourcesOfType(Template.fromStack(stack), 'AWS::AppSync::ApiKey').map(([id]) => id);

  it('adds a second key for a rotation and gives players the newest', () => {
    const stack = new RealtimeStack(new App(), 'R', { stage: 'dev', apiKeys: ['Viewers', 'Viewers2'] });
    const template = Template.fromStack(stack);
    expect(keysOf(stack)).toEqual(['ApiKeyViewers', 'ApiKeyViewers2']);
    for (const [, key] of resourcesOfType(template, 'AWS::AppSync::ApiKey')) {
      expect(typeof (key.Properties as CfnJson).Expires).toBe('number');
    }
    expect(outputs(template).ApiKeyId.Value).toEqual({ 'Fn::GetAtt': ['ApiKeyViewers2', 'ApiKeyId'] });
  });

  it('exports every key, used or not, so a rotation never removes an export the Api stack imports', () => {
    // Deploying [Viewers, Viewers2] makes Viewers2 current: the Realtime stack deploys first and must
    // keep exporting Viewers, which the deployed Api stack still imports until it is updated too.
    const stack = new RealtimeStack(new App(), 'R', { stage: 'dev', apiKeys: ['Viewers', 'Viewers2'] });
    const exported = Object.values(outputs(Template.fromStack(stack)))
      .filter((o) => o.Export)
      .map((o) => JSON.stringify(o.Value));
    for (const key of ['ApiKeyViewers', 'ApiKeyViewers2']) {
      expect(exported).toContain(JSON.stringify({ 'Fn::GetAtt': [key, 'ApiKeyId'] }));
    }
  });

  it('gives the admin function the newest key', () => {
    const stack = new RealtimeStack(new App(), 'R', { stage: 'dev', apiKeys: ['Viewers', 'Viewers2'] });
    expect(stack.resolve(stack.endpoints.apiKey)).toEqual({ 'Fn::GetAtt': ['ApiKeyViewers2', 'ApiKeyId'] });
  });

  it('keeps the surviving key’s logical id when the old one is removed (no replacement, same key)', () => {
    const { stack } = buildApi({ apiKeys: ['Viewers2'] });
    expect(keysOf(stack)).toEqual(['ApiKeyViewers2']);
  });

  it('takes a shorter expiry', () => {
    const { stack } = buildApi({ apiKeyExpiry: Duration.days(30) });
    const [[, key]] = resourcesOfType(Template.fromStack(stack), 'AWS::AppSync::ApiKey') as [
      [string, CfnJson],
    ];
    const days = (key.Properties.Expires * 1000 - Date.now()) / (DAY_SECONDS * 1000);
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30 + 1 / DAY_SECONDS);
  });

  it('refuses expiries AppSync refuses, and bad key lists', () => {
    expect(() => buildApi({ apiKeyExpiry: Duration.days(366) })).toThrow(/between 1 and 365 days/);
    expect(() => buildApi({ apiKeyExpiry: Duration.days(365) })).not.toThrow();
    expect(() => buildApi({ apiKeyExpiry: Duration.hours(23) })).toThrow(/between 1 and 365 days/);
    expect(() => buildApi({ apiKeys: [] })).toThrow(/at least one/);
    expect(() => buildApi({ apiKeys: ['Viewers', 'Viewers'] })).toThrow(/twice/);
    expect(() => buildApi({ apiKeys: ['viewers-2'] })).toThrow(/letters and digits/);
  });
});

describe('the synth-time schema check', () => {
  const schema = parseAppSyncSchema(schemaSdl, 'graphql/schema.graphql');
  const check = (names: readonly string[]) =>
    checkResolversAgainstSchema(schema, resolverFiles(tempResolverDir(names)), 'graphql/schema.graphql');

  it('accepts the real resolver files', () => {
    expect(() => checkResolversAgainstSchema(schema, realFiles)).not.toThrow();
    expect(() => check(REAL_NAMES)).not.toThrow();
  });

  it('fails on a typo in a resolver file name, naming the file and the field it lacks', () => {
    const names = rename('Subscription.onRoomEvent.ts', 'Subscription.onRoomEvnt.ts');
    expect(() => check(names)).toThrow(/Subscription\.onRoomEvnt\.ts: Subscription has no field onRoomEvnt/);
    expect(() => check(names)).toThrow(
      /Subscription\.onRoomEvent has no resolver: add Subscription\.onRoomEvent\.ts/,
    );
  });

  it('fails on a type the schema does not have', () => {
    expect(() => check([...REAL_NAMES, 'Subscriptions.onRoomEvent.ts'])).toThrow(
      /Subscriptions\.onRoomEvent\.ts: graphql\/schema\.graphql has no type Subscriptions/,
    );
  });

  it('fails on a resolver for a type that has no resolvable fields', () => {
    expect(() => check([...REAL_NAMES, 'RoomEventKind.NOTICE.ts'])).toThrow(
      /RoomEventKind is not an object type/,
    );
  });

  it('fails on a subscription field without a resolver', () => {
    const names = REAL_NAMES.filter((n) => n !== 'Subscription.onGlobalEvent.ts');
    expect(() => check(names)).toThrow(/Subscription\.onGlobalEvent has no resolver/);
  });

  it('fails on a mutation field without a resolver', () => {
    const names = REAL_NAMES.filter((n) => n !== 'Mutation.publish.ts');
    expect(() => check(names)).toThrow(/Mutation\.publish has no resolver/);
  });

  it('fails on @aws_subscribe naming a mutation that does not exist', () => {
    const typo = parseAppSyncSchema(schemaSdl.replace('mutations: ["publish"]', 'mutations: ["publsh"]'));
    expect(() => checkResolversAgainstSchema(typo, realFiles)).toThrow(
      /onRoomEvent subscribes to mutation publsh, which the schema does not have/,
    );
  });

  it('parses AppSync scalars and directives, and names the file when the schema is not valid', () => {
    expect(schema.getType('AWSJSON')).toBeDefined();
    expect(() => parseAppSyncSchema('type Query { a: String @aws_apikey }', 'bad.graphql')).toThrow(
      /bad\.graphql is not a valid AppSync schema: Unknown directive "@aws_apikey"/,
    );
  });

  it('makes the construct, and so the synth, fail on a typo', () => {
    const names = rename('Subscription.onRoomEvent.ts', 'Subscription.onRoomEvnt.ts');
    expect(() => buildApi({ resolvers: resolverFiles(tempResolverDir(names)) })).toThrow(
      /Subscription\.onRoomEvnt\.ts: Subscription has no field onRoomEvnt/,
    );
  });
});
