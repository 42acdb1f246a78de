import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { Config } from '../../lambdas/config.js';
import { MAX_POST_DURATION_MS } from '../../lambdas/domain/segments.js';
import { type FunctionName, functions } from '../../lambdas/routes.js';
import { DEV_VIEWER_TOKEN_PLACEHOLDERS } from '../../lib/stage-config.js';
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
  comments: { write: ['dynamodb:PutItem'], query: ['dynamodb:Query'] },
  control: { write: ['dynamodb:GetItem', 'dynamodb:PutItem'], read: ['dynamodb:GetItem'] },
} as const;

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
  it('one Lambda function per function of lambdas/routes.ts', () => {
    expect(resourcesOfType(synthesized.api, 'AWS::Lambda::Function')).toHaveLength(names.length);
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

    it('traces with X-Ray', () => {
      expect(props().TracingConfig).toEqual({ Mode: 'Active' });
    });

    it('sets every environment variable the Config schema requires', () => {
      const variables = props().Environment.Variables as Record<string, unknown>;
      expect(requiredConfigKeys.length).toBeGreaterThan(0);
      for (const key of requiredConfigKeys) expect(variables, key).toHaveProperty(key);
      expect(variables.NODE_OPTIONS).toBe('--enable-source-maps');
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
      expect(
        Config.safeParse({ ...variables, COMMENTS_TABLE_NAME: 'c', CONTROL_TABLE_NAME: 'k' }).success,
      ).toBe(true);
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
      });
    });

    it('uses no AWS managed policy and writes only to its own log group', () => {
      const roleId = (props().Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const role = resources(synthesized.api)[roleId]!;
      expect(role.Properties!.ManagedPolicyArns).toBeUndefined();
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

  it('grants no wildcard, Scan, batch, update or delete action anywhere', () => {
    const actions = resourcesOfType(synthesized.api, 'AWS::IAM::Policy').flatMap(([, p]) =>
      (p.Properties!.PolicyDocument as { Statement: Statement[] }).Statement.flatMap((s) =>
        [s.Action].flat(),
      ),
    );
    expect(actions).not.toContain('*');
    expect(actions.filter((a) => a.startsWith('dynamodb:')).sort()).toEqual(
      expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']),
    );
    expect(
      actions.filter(
        (a) =>
          a.startsWith('dynamodb:') &&
          !['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'].includes(a),
      ),
    ).toEqual([]);
  });
});

describe('bundles (dev, bundled by esbuild)', () => {
  const assembly = dev.app.synth();

  describe.each(names)('%s', (name) => {
    const assetDir = () => {
      const code = lambdaOf(dev, name).props.Code as { S3Key: string };
      return path.join(assembly.directory, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
    };

    it('is an ESM module with a source map and the createRequire shim', () => {
      expect(existsSync(path.join(assetDir(), 'index.mjs'))).toBe(true);
      expect(existsSync(path.join(assetDir(), 'index.mjs.map'))).toBe(true);
      const code = readFileSync(path.join(assetDir(), 'index.mjs'), 'utf8');
      expect(code.slice(0, 100)).toMatch(
        /^import \{ createRequire \} from 'node:module'; const require = createRequire/,
      );
      expect(/export\s*\{[^}]*\bas handler\b[^}]*\}/.test(code)).toBe(true);
      expect(code.trimEnd().endsWith('//# sourceMappingURL=index.mjs.map')).toBe(true);
    });

    it('bundles the AWS SDK instead of importing the runtime copy', () => {
      const code = readFileSync(path.join(assetDir(), 'index.mjs'), 'utf8');
      // An external SDK would appear as an import of the packages the handlers use.
      expect(code.match(/\bfrom\s*["']@aws-sdk\/[^"']+["']/)?.[0]).toBeUndefined();
      expect(
        code.match(/\b(?:import|require)\s*\(\s*["']@aws-sdk\/(?:client|lib|util)-dynamodb["']\s*\)/)?.[0],
      ).toBeUndefined();
      expect(code.includes('DynamoDBClient')).toBe(true);
    });
  });
});
