import { describe, expect, it } from 'vitest';
import { ArchiverConfig } from '../../lambdas/config.js';
import { ARCHIVE_INTERVAL_MINUTES, archiverFunction, functions } from '../../lambdas/routes.js';
import { archiveBucketExports } from '../../lib/data-stack.js';
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
  Condition?: unknown;
}

/** Every statement of the policies on a function's role, by action: the resources and conditions. */
function grantsOf(s: Synthesized, functionId: string) {
  const fn = resources(s.api)[functionId]!.Properties as CfnJson;
  const roleId = (fn.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const statements = resourcesOfType(s.api, 'AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties!.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => (p.Properties!.PolicyDocument as { Statement: Statement[] }).Statement);
  const byAction: Record<string, { resource: unknown; condition?: unknown }[]> = {};
  for (const statement of statements) {
    for (const action of [statement.Action].flat()) {
      for (const resource of [statement.Resource].flat()) {
        (byAction[action] ??= []).push({
          resource,
          ...(statement.Condition ? { condition: statement.Condition } : {}),
        });
      }
    }
  }
  return { byAction, variables: (fn.Environment as CfnJson).Variables as Record<string, unknown> };
}

describe.each(STAGES)('the segment archive (%s)', (stage) => {
  const s = synthesized[stage]!;
  const exports = archiveBucketExports(stage);
  const objects = { 'Fn::Join': ['', [{ 'Fn::ImportValue': exports.arn }, '/rooms/*']] };
  const bucketArn = { 'Fn::ImportValue': exports.arn };
  const s3Actions = (byAction: Record<string, unknown>) =>
    Object.keys(byAction)
      .filter((a) => a.startsWith('s3:'))
      .sort();

  it('keeps its bucket private, encrypted, TLS-only, unversioned; kept with a prod stack, emptied with dev', () => {
    const [[id, bucket]] = resourcesOfType(s.data, 'AWS::S3::Bucket') as [[string, CfnJson]];
    const props = bucket.Properties as CfnJson;
    expect(props.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(props.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
    ]);
    expect(props).not.toHaveProperty('VersioningConfiguration');
    expect(bucket.DeletionPolicy).toBe(stage === 'prod' ? 'Retain' : 'Delete');
    const policy = resourcesOfType(s.data, 'AWS::S3::BucketPolicy')
      .map(([, p]) => p.Properties as CfnJson)
      .find((p) => (p.Bucket as { Ref: string }).Ref === id)!;
    const statements = policy.PolicyDocument.Statement as CfnJson[];
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('serves segments with GetObject on the rooms/ prefix alone, ListBucket under it, and the bucket name', () => {
    const { byAction, variables } = grantsOf(s, logicalId(s.stacks.api.functions.getSegment));

    expect(s3Actions(byAction)).toEqual(['s3:GetObject', 's3:ListBucket']);
    expect(byAction['s3:GetObject']).toEqual([{ resource: objects }]);
    expect(byAction['s3:ListBucket']).toEqual([
      { resource: bucketArn, condition: { StringLike: { 's3:prefix': 'rooms/*' } } },
    ]);
    expect(variables.ARCHIVE_BUCKET_NAME).toEqual({ 'Fn::ImportValue': exports.name });
    expect(functions.getSegment.archive).toBe('read');
  });

  it('lets the admin function rewrite objects (deletions), never delete them', () => {
    const { byAction, variables } = grantsOf(s, logicalId(s.stacks.api.functions.admin));

    expect(s3Actions(byAction)).toEqual(['s3:GetObject', 's3:ListBucket', 's3:PutObject']);
    expect(byAction['s3:PutObject']).toEqual([{ resource: objects }]);
    expect(variables.ARCHIVE_BUCKET_NAME).toEqual({ 'Fn::ImportValue': exports.name });
  });

  it('gives no other route function the archive', () => {
    for (const name of ['postComment', 'getLive', 'getRoom'] as const) {
      const { byAction, variables } = grantsOf(s, logicalId(s.stacks.api.functions[name]));
      expect(s3Actions(byAction), name).toEqual([]);
      expect(variables, name).not.toHaveProperty('ARCHIVE_BUCKET_NAME');
    }
  });

  it('runs the archiver every 5 minutes with exactly its grants: comments queried, rooms listed and watermarked, objects written', () => {
    const archiver = s.stacks.api.archiver;
    const id = logicalId(archiver.function.function);
    const { byAction, variables } = grantsOf(s, id);
    const props = resources(s.api)[id]!.Properties as CfnJson;

    expect(props.Timeout).toBe(archiverFunction.timeoutMs / 1000);
    expect(s3Actions(byAction)).toEqual(['s3:GetObject', 's3:ListBucket', 's3:PutObject']);
    expect(
      Object.keys(byAction)
        .filter((a) => a.startsWith('dynamodb:'))
        .sort(),
    ).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
    const parsed = ArchiverConfig.safeParse({
      COMMENTS_TABLE_NAME: 'c',
      CONTROL_TABLE_NAME: 'k',
      ARCHIVE_BUCKET_NAME: 'b',
      AWS_REGION: 'eu-west-1',
    });
    expect(parsed.success).toBe(true);
    for (const key of ['COMMENTS_TABLE_NAME', 'CONTROL_TABLE_NAME', 'ARCHIVE_BUCKET_NAME']) {
      expect(variables, key).toHaveProperty(key);
    }

    const rule = resources(s.api)[logicalId(archiver.rule)]!.Properties as CfnJson;
    expect(rule.ScheduleExpression).toBe(`rate(${ARCHIVE_INTERVAL_MINUTES} minutes)`);
    expect(rule.Targets).toEqual([
      expect.objectContaining({
        Arn: { Ref: logicalId(archiver.function.alias) },
        RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: ARCHIVE_INTERVAL_MINUTES * 60 },
      }),
    ]);
    // EventBridge may invoke the archiver's alias from this rule only.
    const permissions = resourcesOfType(s.api, 'AWS::Lambda::Permission')
      .map(([, p]) => p.Properties as CfnJson)
      .filter((p) => JSON.stringify(p.FunctionName).includes(logicalId(archiver.function.alias)));
    expect(permissions.map((p) => [p.Principal, p.SourceArn])).toEqual([
      ['events.amazonaws.com', { 'Fn::GetAtt': [logicalId(archiver.rule), 'Arn'] }],
    ]);
  });

  it('exports the bucket name and ARN under the names the Api stack imports', () => {
    const outputs = (s.data.toJSON() as { Outputs: Record<string, CfnJson> }).Outputs;
    const names = Object.values(outputs).map((o) => o.Export?.Name);
    expect(names).toEqual(expect.arrayContaining([exports.name, exports.arn]));
  });
});
