import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { LIMITS_QUEUE, limitsSchedulerFunction, limitsWorkerFunction } from '../../lambdas/routes.js';
import {
  DEFAULT_VIEW_LIMITS_SCHEDULE,
  ViewLimits,
  type ViewLimitsProps,
} from '../../lib/constructs/view-limits.js';
import { acknowledgements, unacknowledgedFindings } from './nag-findings.js';
import { type CfnJson, logicalId, resourcesOfType } from './synth.js';

const FIXTURE_ENTRY = 'test/cdk/fixtures/view-limits/entry.ts';

/** The construct alone in a stack, entries replaced by a stand-in (bundling is off). */
function build(overrides: Partial<ViewLimitsProps> = {}) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Test');
  const table = (id: string) =>
    new Table(stack, id, { partitionKey: { name: 'pk', type: AttributeType.STRING } });
  const tables = { comments: table('Comments'), control: table('Control') };
  const limits = new ViewLimits(stack, 'ViewLimits', {
    stage: 'dev',
    scheduler: { ...limitsSchedulerFunction, entry: FIXTURE_ENTRY },
    worker: { ...limitsWorkerFunction, entry: FIXTURE_ENTRY },
    environment: {
      COMMENTS_TABLE_NAME: tables.comments.tableName,
      CONTROL_TABLE_NAME: tables.control.tableName,
      VIEWER_TOKEN_JWKS_URL: 'https://auth.example.com/.well-known/jwks.json',
      VIEWER_TOKEN_ISSUER: 'https://auth.example.com/',
      VIEWER_TOKEN_AUDIENCE: 'chat',
    },
    tables,
    edgeParameterName: '/hybrid-live-chat/dev/edge',
    logRetention: RetentionDays.ONE_WEEK,
    logRemovalPolicy: RemovalPolicy.DESTROY,
    ...overrides,
  });
  return { app, stack, tables, limits, template: Template.fromStack(stack) };
}

const { tables, limits, template } = build();
const ref = (construct: Parameters<typeof logicalId>[0]) => ({ Ref: logicalId(construct) });
const arn = (construct: Parameters<typeof logicalId>[0]) => ({ 'Fn::GetAtt': [logicalId(construct), 'Arn'] });

/** Every action a role's policies allow, with their resources. */
function grantsOf(roleId: string): Record<string, unknown[]> {
  const byAction: Record<string, unknown[]> = {};
  for (const [, policy] of resourcesOfType(template, 'AWS::IAM::Policy')) {
    const props = policy.Properties as CfnJson;
    if (!(props.Roles as { Ref: string }[]).some((r) => r.Ref === roleId)) continue;
    for (const statement of props.PolicyDocument.Statement) {
      for (const action of [statement.Action].flat())
        (byAction[action] ??= []).push(...[statement.Resource].flat());
    }
  }
  return byAction;
}
const roleOf = (fn: ViewLimits['worker']) =>
  logicalId(fn.node.findChild('Role') as Parameters<typeof logicalId>[0]);

describe('the view-limit queue', () => {
  it('encrypts both queues and refuses plain HTTP to them', () => {
    template.resourceCountIs('AWS::SQS::Queue', 2);
    for (const [, queue] of resourcesOfType(template, 'AWS::SQS::Queue')) {
      expect((queue.Properties as CfnJson).SqsManagedSseEnabled).toBe(true);
    }
    for (const queue of [limits.queue, limits.deadLetterQueue]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [ref(queue)],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('hides a job for six worker timeouts and moves it to the DLQ after maxReceiveCount receives', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: (6 * limitsWorkerFunction.timeoutMs) / 1000,
      RedrivePolicy: {
        deadLetterTargetArn: arn(limits.deadLetterQueue),
        maxReceiveCount: LIMITS_QUEUE.maxReceiveCount,
      },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: 14 * 86_400 });
  });

  it('refuses a worker timeout the visibility timeout is not six times of', () => {
    expect(() =>
      build({ worker: { ...limitsWorkerFunction, entry: FIXTURE_ENTRY, timeoutMs: 900_000 } }),
    ).toThrow(/at least six times the worker's timeout/);
  });
});

describe('the view-limit functions', () => {
  it('feeds the worker alias from the queue in small batches, reporting partial failures, two at a time', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: arn(limits.queue),
      BatchSize: LIMITS_QUEUE.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: LIMITS_QUEUE.maxConcurrency },
    });
    // The alias, not the function: the mapping invokes what each deploy published (`…:live`).
    const [mapping] = resourcesOfType(template, 'AWS::Lambda::EventSourceMapping');
    const target = JSON.stringify((mapping![1].Properties as CfnJson).FunctionName);
    expect(target).toContain(logicalId(limits.worker.alias));
    expect(target).toMatch(/:live"/);
  });

  it('gives the scheduler the queue URL, and the worker no queue setting', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: limitsSchedulerFunction.description,
      Timeout: limitsSchedulerFunction.timeoutMs / 1000,
      Environment: { Variables: Match.objectLike({ LIMITS_QUEUE_URL: ref(limits.queue) }) },
    });
    const workers = resourcesOfType(template, 'AWS::Lambda::Function')
      .map(([, fn]) => fn.Properties as CfnJson)
      .filter((props) => props.Description === limitsWorkerFunction.description);
    expect(workers).toHaveLength(1);
    expect(workers[0].Environment.Variables.LIMITS_QUEUE_URL).toBeUndefined();
    expect(workers[0].Timeout).toBe(limitsWorkerFunction.timeoutMs / 1000);
  });

  it('grants the scheduler sending to the queue and querying the control table, nothing else', () => {
    const grants = grantsOf(roleOf(limits.scheduler));
    const { 'logs:CreateLogStream': _s, 'logs:PutLogEvents': _p, ...rest } = grants;
    expect(Object.keys(rest).sort()).toEqual(
      ['dynamodb:Query', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'].sort(),
    );
    expect(rest['sqs:SendMessage']).toEqual([arn(limits.queue)]);
    expect(rest['dynamodb:Query']).toEqual([arn(tables.control)]);
  });

  it('grants the worker reading comments, reading and updating the control table, and consuming the queue', () => {
    const grants = grantsOf(roleOf(limits.worker));
    expect(grants['dynamodb:Query']).toEqual([
      arn(tables.comments),
      { 'Fn::Join': ['', [arn(tables.control), '/index/ByChannel']] },
    ]);
    for (const action of ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:UpdateItem']) {
      expect(grants[action], action).toEqual([arn(tables.control)]);
    }
    expect(grants['sqs:DeleteMessage']).toEqual([arn(limits.queue)]);
    expect(grants['dynamodb:PutItem']).toBeUndefined();
    expect(grants['dynamodb:DeleteItem']).toBeUndefined();
    expect(grants['sqs:SendMessage']).toBeUndefined();
  });
});

describe('the view-limit schedule', () => {
  it('invokes the scheduler alias daily at 03:00 JST by default, retrying within the hour', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: DEFAULT_VIEW_LIMITS_SCHEDULE,
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: ref(limits.scheduler.alias),
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3_600 },
      }),
    });
    expect(DEFAULT_VIEW_LIMITS_SCHEDULE).toBe('cron(0 18 * * ? *)');
  });

  it('takes another expression when given one', () => {
    const other = build({ schedule: 'rate(6 hours)' });

    other.template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(6 hours)' });
  });

  it('passes cdk-nag with nothing acknowledged but the pinned runtime (the DLQ is recognised as one)', () => {
    expect(unacknowledgedFindings(limits)).toEqual([]);
    expect(new Set(acknowledgements(limits).map((a) => a.id))).toEqual(new Set(['AwsSolutions-L1']));
  });
});
