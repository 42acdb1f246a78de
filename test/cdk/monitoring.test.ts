import { readFileSync } from 'node:fs';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { MockIntegration, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Template } from 'aws-cdk-lib/assertions';
import { Distribution } from 'aws-cdk-lib/aws-cloudfront';
import { MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { Table } from 'aws-cdk-lib/aws-dynamodb';
import { type IFunction, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { describe, expect, it, vi } from 'vitest';
import { createMetrics } from '../../lambdas/adapters/metrics.js';
import { routes } from '../../lambdas/routes.js';
import { buildApp } from '../../lib/app.js';
import {
  API_5XX_RATE_PERCENT,
  APPSYNC_CONNECTS_PER_MINUTE,
  CACHE_HIT_RATE_PERCENT,
  EDGE_ORIGIN_CALLS_PER_MINUTE,
  Monitoring,
  type MonitoringProps,
  POST_P99_MS,
  PUBLISH_FAILED_METRIC,
  RUNBOOK,
  WAF_BLOCKED_PER_MINUTE,
} from '../../lib/constructs/monitoring.js';
import { fromProjectRoot } from '../../lib/paths.js';
import { captureEmf, emfDimensions } from '../helpers/emf.js';
import { resolveStageConfig } from '../../lib/stage-config.js';
import { type CfnJson, logicalId, PROD_CONTEXT, resources, resourcesOfType, synthesize } from './synth.js';

/** One metric an alarm or widget reads, flattened: dimensions' values as given (tokens stay objects). */
interface ReadMetric {
  readonly id?: string;
  readonly namespace: string;
  readonly name: string;
  readonly stat: string;
  readonly period: number;
  readonly dimensions: Record<string, unknown>;
}

/** The metrics of an alarm, whether it lists one metric or a math expression over several. */
function alarmMetrics(props: CfnJson): { expression?: string; metrics: ReadMetric[] } {
  const dims = (list: { Name: string; Value: unknown }[] = []) =>
    Object.fromEntries(list.map((d) => [d.Name, d.Value]));
  if (!props.Metrics) {
    return {
      metrics: [
        {
          namespace: props.Namespace,
          name: props.MetricName,
          stat: props.Statistic ?? props.ExtendedStatistic,
          period: props.Period,
          dimensions: dims(props.Dimensions),
        },
      ],
    };
  }
  const queries = props.Metrics as CfnJson[];
  const expression = queries.find((q) => q.Expression);
  expect(expression?.ReturnData, 'the expression is what the alarm compares').toBe(true);
  return {
    expression: expression?.Expression,
    metrics: queries
      .filter((q) => q.MetricStat)
      .map((q) => ({
        id: q.Id,
        namespace: q.MetricStat.Metric.Namespace,
        name: q.MetricStat.Metric.MetricName,
        stat: q.MetricStat.Stat,
        period: q.MetricStat.Period,
        dimensions: dims(q.MetricStat.Metric.Dimensions),
      })),
  };
}

/** The dashboard body as JSON: CloudFormation tokens inside it stand in as `<token>`. */
function dashboardBody(template: Template): CfnJson {
  const [[, dashboard]] = resourcesOfType(template, 'AWS::CloudWatch::Dashboard') as [[string, CfnJson]];
  const body = dashboard.Properties.DashboardBody;
  const text =
    typeof body === 'string'
      ? body
      : (body['Fn::Join'][1] as unknown[]).map((p) => (typeof p === 'string' ? p : '<token>')).join('');
  return JSON.parse(text);
}

const s = synthesize('dev', { bundle: false });
const api = s.stacks.api;
const monitoring = api.monitoring;
const topicRef = { Ref: logicalId(monitoring.topic) };
const fnRef = (name: keyof typeof api.functions) => ({ Ref: logicalId(api.functions[name]) });
const alarmProps = (key: string): CfnJson => {
  const alarm = monitoring.alarms[key];
  expect(alarm, `alarm ${key}`).toBeDefined();
  return resources(s.api)[logicalId(alarm!)]!.Properties;
};

describe('alarms in the Api stack', () => {
  const routeFunctions = Object.keys(api.functions) as (keyof typeof api.functions)[];

  it('makes exactly the expected alarms, and every one notifies the topic on alarm and on recovery', () => {
    const expected = [
      'api-5xx-rate',
      'post-p99',
      ...[...routeFunctions, 'scaler'].flatMap((n) => [`function-errors-${n}`, `function-throttles-${n}`]),
      'table-throttles-comments',
      'table-throttles-control',
      'edge-origin-calls',
      'realtime-publish-failed',
      'appsync-server-errors',
      'appsync-connects',
      // The Api stack composes its web ACL (ADR 0031) and its canary (ADR 0032) into the monitoring.
      'waf-blocked',
      'canary-failed',
      // And the view-limit batch's dead-letter queue (ADR 0039).
      'view-limits-dead-letters',
    ];
    expect(Object.keys(monitoring.alarms).sort()).toEqual(expected.sort());
    const all = resourcesOfType(s.api, 'AWS::CloudWatch::Alarm');
    expect(all).toHaveLength(expected.length);
    for (const [id, alarm] of all) {
      const props = alarm.Properties as CfnJson;
      expect(props.AlarmActions, id).toEqual([topicRef]);
      expect(props.OKActions, id).toEqual([topicRef]);
      expect(props.DatapointsToAlarm, id).toBe(props.EvaluationPeriods);
    }
  });

  it('gives every alarm a description that says what it means and links a runbook section that exists', () => {
    const readme = readFileSync(fromProjectRoot('README.md'), 'utf8');
    for (const anchor of Object.values(RUNBOOK)) {
      expect(readme, `README anchor ${anchor}`).toContain(`<a id="${anchor}"></a>`);
    }
    for (const [id, alarm] of resourcesOfType(s.api, 'AWS::CloudWatch::Alarm')) {
      const description = (alarm.Properties as CfnJson).AlarmDescription as string;
      const link = /Runbook: README\.md#([a-z0-9-]+)$/.exec(description);
      expect(link, id).not.toBeNull();
      expect(Object.values(RUNBOOK), id).toContain(link![1]);
      expect(description.length, id).toBeGreaterThan(60);
    }
  });

  it('alarms on the API’s 5xx rate as 5XXError over Count for the stage, judged at 60+ requests a minute', () => {
    const props = alarmProps('api-5xx-rate');
    const { expression, metrics } = alarmMetrics(props);
    expect(expression).toBe('IF(requests >= 60, 100 * errors / requests, 0)');
    const stage = { ApiName: 'hybrid-chat-dev', Stage: { Ref: logicalId(api.http.restApi.deploymentStage) } };
    expect(metrics).toEqual([
      {
        id: 'errors',
        namespace: 'AWS/ApiGateway',
        name: '5XXError',
        stat: 'Sum',
        period: 60,
        dimensions: stage,
      },
      {
        id: 'requests',
        namespace: 'AWS/ApiGateway',
        name: 'Count',
        stat: 'Sum',
        period: 60,
        dimensions: stage,
      },
    ]);
    expect(props.Threshold).toBe(API_5XX_RATE_PERCENT);
    expect(props.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
    expect(props.EvaluationPeriods).toBe(3);
    expect(props.TreatMissingData).toBe('notBreaching');
  });

  it('reads every API Gateway metric, in alarms and on the dashboard, under the REST API’s own name', () => {
    const [[, restApi]] = resourcesOfType(s.api, 'AWS::ApiGateway::RestApi') as [[string, CfnJson]];
    const name = restApi.Properties.Name as string;
    expect(name).toBe('hybrid-chat-dev');

    const inAlarms = resourcesOfType(s.api, 'AWS::CloudWatch::Alarm')
      .flatMap(([, alarm]) => alarmMetrics((alarm as CfnJson).Properties).metrics)
      .filter((m) => m.namespace === 'AWS/ApiGateway');
    expect(inAlarms.length).toBeGreaterThan(0);
    for (const m of inAlarms) expect(m.dimensions.ApiName, m.name).toBe(name);

    // Dashboard metrics are [namespace, name, dimension, value, …, options?].
    const onDashboard = (dashboardBody(s.api).widgets as CfnJson[])
      .flatMap((w) => (w.properties.metrics ?? []) as unknown[][])
      .filter((m) => m[0] === 'AWS/ApiGateway');
    expect(onDashboard.length).toBeGreaterThan(0);
    for (const m of onDashboard) expect(m[m.indexOf('ApiName') + 1], String(m[1])).toBe(name);
  });

  it('alarms on the post function’s p99 duration at a sixth of its timeout, three minutes running', () => {
    const props = alarmProps('post-p99');
    expect(alarmMetrics(props).metrics).toEqual([
      {
        namespace: 'AWS/Lambda',
        name: 'Duration',
        stat: 'p99',
        period: 60,
        dimensions: { FunctionName: fnRef('postComment') },
      },
    ]);
    expect(props.Threshold).toBe(POST_P99_MS);
    expect(POST_P99_MS).toBe(1_000);
    expect(props.EvaluationPeriods).toBe(3);
    expect(props.TreatMissingData).toBe('notBreaching');
  });

  it.each(['errors', 'throttles'] as const)(
    'alarms on every function’s %s: route functions two minutes running, the scaler at once',
    (kind) => {
      const metricName = kind === 'errors' ? 'Errors' : 'Throttles';
      const cases = [
        ...routeFunctions.map((n) => [n, fnRef(n), 2] as const),
        ['scaler', { Ref: logicalId(api.capacity.scaler.function) }, 1] as const,
      ];
      for (const [name, ref, periods] of cases) {
        const props = alarmProps(`function-${kind}-${name}`);
        expect(alarmMetrics(props).metrics, name).toEqual([
          {
            namespace: 'AWS/Lambda',
            name: metricName,
            stat: 'Sum',
            period: 60,
            dimensions: { FunctionName: ref },
          },
        ]);
        expect(props.Threshold, name).toBe(1);
        expect(props.EvaluationPeriods, name).toBe(periods);
        expect(props.TreatMissingData, name).toBe('notBreaching');
      }
    },
  );

  it.each(['comments', 'control'] as const)(
    'alarms on read + write throttle events of the %s table, two minutes running',
    (name) => {
      const props = alarmProps(`table-throttles-${name}`);
      const { expression, metrics } = alarmMetrics(props);
      expect(expression).toBe(`reads_${name} + writes_${name}`);
      expect(metrics.map((m) => [m.id, m.namespace, m.name, m.stat, m.period])).toEqual([
        [`reads_${name}`, 'AWS/DynamoDB', 'ReadThrottleEvents', 'Sum', 60],
        [`writes_${name}`, 'AWS/DynamoDB', 'WriteThrottleEvents', 'Sum', 60],
      ]);
      const exported = s.stacks.data[name].tableName;
      expect(metrics[0]!.dimensions.TableName).toEqual(api.resolve(exported));
      expect(props.Threshold).toBe(1);
      expect(props.EvaluationPeriods).toBe(2);
      expect(props.TreatMissingData).toBe('notBreaching');
    },
  );

  it('watches the cache from the origin side: the invocations of every edge-cached route’s function', () => {
    const props = alarmProps('edge-origin-calls');
    const { expression, metrics } = alarmMetrics(props);
    const edge = [...new Set(routes.filter((r) => r.cache === 'edge').map((r) => r.function))];
    expect([...edge].sort()).toEqual(['getLive', 'getRoom', 'getSegment']);
    expect(expression).toBe(edge.map((_, i) => `o${i}`).join(' + '));
    expect(metrics.map((m) => m.dimensions.FunctionName)).toEqual(
      edge.map((n) => fnRef(n as keyof typeof api.functions)),
    );
    expect(metrics.every((m) => m.name === 'Invocations' && m.stat === 'Sum' && m.period === 60)).toBe(true);
    expect(props.Threshold).toBe(EDGE_ORIGIN_CALLS_PER_MINUTE);
    expect(EDGE_ORIGIN_CALLS_PER_MINUTE).toBe(30_000);
    expect(props.EvaluationPeriods).toBe(3);
  });

  it('has no cache hit rate alarm in a stack without a region: CloudFront’s metrics are in us-east-1', () => {
    expect(monitoring.alarms['edge-cache-hit-rate']).toBeUndefined();
  });

  it('turns on the distribution’s additional metrics (CacheHitRate needs them)', () => {
    const [[, subscription]] = resourcesOfType(s.api, 'AWS::CloudFront::MonitoringSubscription') as [
      [string, CfnJson],
    ];
    expect(subscription.Properties).toEqual({
      DistributionId: { Ref: logicalId(api.cdn.distribution) },
      MonitoringSubscription: {
        RealtimeMetricsSubscriptionConfig: { RealtimeMetricsSubscriptionStatus: 'Enabled' },
      },
    });
  });

  it('alarms on every publish that gave up, as the admin function’s Powertools metric with its service and stage dimensions', () => {
    const props = alarmProps('realtime-publish-failed');
    expect(alarmMetrics(props).metrics).toEqual([
      {
        namespace: 'HybridLiveChat',
        name: 'RealtimePublishFailed',
        stat: 'Sum',
        period: 60,
        dimensions: { service: 'hybrid-live-chat', stage: 'dev' },
      },
    ]);
    expect(props.Threshold).toBe(1);
    expect(props.EvaluationPeriods).toBe(1);
    // Emitted only on failure: no data is the healthy case.
    expect(props.TreatMissingData).toBe('notBreaching');
  });

  it('reads the publish failures with exactly the namespace and dimensions the functions’ emitter writes', () => {
    const emitted = captureEmf();
    const metrics = createMetrics('dev');
    metrics.addMetric(PUBLISH_FAILED_METRIC, MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
    const [emf] = emitted();
    vi.restoreAllMocks();

    const [read] = alarmMetrics(alarmProps('realtime-publish-failed')).metrics;
    expect(emf).toMatchObject({ _aws: { CloudWatchMetrics: [{ Namespace: read!.namespace }] } });
    expect(emfDimensions(emf!)).toEqual(read!.dimensions);
    // And the admin function is told the stage it emits with.
    const admin = resources(s.api)[logicalId(api.functions.admin)]!.Properties as CfnJson;
    expect(admin.Environment.Variables.STAGE).toBe('dev');
  });

  it('alarms on AppSync’s server errors and on new connections near its quota, for this API id', () => {
    const apiId = api.resolve(s.stacks.realtime.endpoints.apiId);
    const errors = alarmProps('appsync-server-errors');
    const read = alarmMetrics(errors);
    expect(read.expression).toBe('http5xx + connect + subscribe + publish');
    expect(read.metrics.map((m) => m.name)).toEqual([
      '5XXError',
      'ConnectServerError',
      'SubscribeServerError',
      'PublishDataMessageServerError',
    ]);
    for (const m of read.metrics) {
      expect(m).toMatchObject({ namespace: 'AWS/AppSync', stat: 'Sum', period: 60 });
      expect(m.dimensions).toEqual({ GraphQLAPIId: apiId });
    }
    expect(errors.EvaluationPeriods).toBe(2);

    const connects = alarmProps('appsync-connects');
    expect(alarmMetrics(connects).metrics).toEqual([
      {
        namespace: 'AWS/AppSync',
        name: 'ConnectRequests',
        stat: 'Sum',
        period: 60,
        dimensions: { GraphQLAPIId: apiId },
      },
    ]);
    expect(connects.Threshold).toBe(APPSYNC_CONNECTS_PER_MINUTE);
    expect(APPSYNC_CONNECTS_PER_MINUTE).toBe(9_600);
    expect(connects.EvaluationPeriods).toBe(1);
  });
});

describe('the alarm topic', () => {
  it('is encrypted with a rotating key CloudWatch may use, and refuses publishing without TLS', () => {
    const [[, topic]] = resourcesOfType(s.api, 'AWS::SNS::Topic') as [[string, CfnJson]];
    const keyId = topic.Properties.KmsMasterKeyId['Fn::GetAtt'][0];
    const key = resources(s.api)[keyId]!;
    expect(key.Type).toBe('AWS::KMS::Key');
    expect((key.Properties as CfnJson).EnableKeyRotation).toBe(true);
    const statements = (key.Properties as CfnJson).KeyPolicy.Statement as CfnJson[];
    expect(statements).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      }),
    );
    const [[, policy]] = resourcesOfType(s.api, 'AWS::SNS::TopicPolicy') as [[string, CfnJson]];
    expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 'sns:Publish',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  it('has no subscription without -c alarmEmail', () => {
    expect(resourcesOfType(s.api, 'AWS::SNS::Subscription')).toEqual([]);
  });

  it('subscribes the address given as -c alarmEmail', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stacks = buildApp(
      app,
      resolveStageConfig({ stage: 'prod', ...PROD_CONTEXT, alarmEmail: ' oncall@example.net ' }),
    );
    const template = Template.fromStack(stacks.api);
    const subscriptions = resourcesOfType(template, 'AWS::SNS::Subscription');
    expect(subscriptions.map(([, r]) => r.Properties)).toEqual([
      {
        Protocol: 'email',
        Endpoint: 'oncall@example.net',
        TopicArn: { Ref: logicalId(stacks.api.monitoring.topic) },
      },
    ]);
  });

  it('refuses an alarmEmail that is not an address, saying what was given', () => {
    expect(() => resolveStageConfig({ alarmEmail: 'oncall' })).toThrow(/alarmEmail.*"oncall"/);
    expect(() => resolveStageConfig({ alarmEmail: 42 })).toThrow(/alarmEmail.*42/);
    expect(resolveStageConfig({ alarmEmail: '' })).not.toHaveProperty('alarmEmail');
  });

  it('outputs the topic ARN and the dashboard URL', () => {
    const outputs = (s.api.toJSON() as { Outputs: Record<string, CfnJson> }).Outputs;
    expect(outputs.AlarmTopicArn.Value).toEqual(topicRef);
    const url = outputs.DashboardUrl.Value['Fn::Join'][1] as unknown[];
    expect(url).toContainEqual({ Ref: logicalId(monitoring.dashboard) });
    expect(url.filter((p) => typeof p === 'string').join('')).toContain(
      '.console.aws.amazon.com/cloudwatch/home?region=',
    );
  });
});

describe('the dashboard', () => {
  const body = dashboardBody(s.api);
  const widgets = body.widgets as CfnJson[];
  const byTitle = (title: string) => widgets.find((w) => w.properties.title === title);

  it('has a widget per signal, and an alarm status widget listing every alarm', () => {
    const titles = widgets.map((w) => w.properties.title).filter(Boolean);
    expect(titles).toEqual([
      'Alarms',
      'API 5xx rate (%)',
      'Post duration (ms)',
      'Function errors',
      'Function throttles',
      'DynamoDB throttle events',
      'Edge cache hit rate (%, us-east-1)',
      'Origin calls of the cached routes',
      'Realtime publishes given up',
      'AppSync errors',
      'AppSync connections',
      'WAF blocked requests',
      'Canary latency (ms)',
    ]);
    expect(byTitle('Alarms').properties.alarms).toHaveLength(Object.keys(monitoring.alarms).length);
  });

  it('reads the cache hit rate and requests from us-east-1, wherever the stack is', () => {
    const metrics = byTitle('Edge cache hit rate (%, us-east-1)').properties.metrics as unknown[][];
    const names = metrics.map((m) => m.slice(0, 2));
    expect(names).toEqual([
      ['AWS/CloudFront', 'CacheHitRate'],
      ['AWS/CloudFront', 'Requests'],
    ]);
    for (const m of metrics) expect(m.at(-1)).toMatchObject({ region: 'us-east-1' });
  });

  it('charts every function’s errors and throttles, the scaler’s included', () => {
    for (const title of ['Function errors', 'Function throttles']) {
      const metrics = byTitle(title).properties.metrics as unknown[][];
      expect(metrics).toHaveLength(Object.keys(api.functions).length + 1);
    }
  });
});

/** A small stack with the construct alone: the props the Api stack does not pass yet, and regions. */
function standalone(region: string | undefined, extra: Partial<MonitoringProps> = {}) {
  const app = new App();
  const stack = new Stack(app, 'T', region ? { env: { region, account: '111111111111' } } : {});
  const fns = new Map<string, IFunction>();
  const fn = (name: string) => {
    if (!fns.has(name)) fns.set(name, LambdaFunction.fromFunctionName(stack, `F-${name}`, name));
    return fns.get(name)!;
  };
  const restApi = new RestApi(stack, 'Api');
  restApi.root.addMethod('GET', new MockIntegration());
  const monitoring = new Monitoring(stack, 'Monitoring', {
    stage: 'dev',
    apiStage: restApi.deploymentStage,
    routeFunctions: { post: fn('post'), live: fn('live') },
    postFunction: fn('post'),
    edgeOriginFunctions: [fn('live')],
    scaler: fn('scaler'),
    tables: { comments: Table.fromTableName(stack, 'C', 'comments-table') },
    distribution: Distribution.fromDistributionAttributes(stack, 'D', {
      distributionId: 'E123',
      domainName: 'd.cloudfront.net',
    }),
    realtimeApiId: 'appsync123',
    removalPolicy: RemovalPolicy.DESTROY,
    ...extra,
  });
  return { stack, monitoring, template: Template.fromStack(stack) };
}

const canaryMetric = (metricName: string, statistic = 'Average') =>
  new Metric({ namespace: 'HybridLiveChat/Canary', metricName, statistic, period: Duration.minutes(5) });
const canary = {
  metrics: {
    failed: canaryMetric('CanaryRunFailed', 'Sum'),
    pushLatency: canaryMetric('PushLatency'),
    postToPollLatency: canaryMetric('PostToPollLatency'),
  },
};

describe('the canary alarm', () => {
  const { monitoring, stack, template } = standalone(undefined, { canary });
  const props = resources(template)[logicalId(monitoring.alarms['canary-failed']!)]!.Properties as CfnJson;

  it('alarms when two runs in a row fail: Maximum of CanaryRunFailed per minute ≥ 1, 2 of 2', () => {
    // The construct's own period and statistic win over whatever the canary's metric carried.
    expect(alarmMetrics(props).metrics).toEqual([
      {
        namespace: 'HybridLiveChat/Canary',
        name: 'CanaryRunFailed',
        stat: 'Maximum',
        period: 60,
        dimensions: {},
      },
    ]);
    expect(props.Threshold).toBe(1);
    expect(props.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
    expect(props.EvaluationPeriods).toBe(2);
    expect(props.DatapointsToAlarm).toBe(2);
    expect(props.AlarmActions).toEqual([{ Ref: logicalId(monitoring.topic) }]);
  });

  it('treats missing data as breaching: a canary that stopped reporting is a failing canary', () => {
    expect(props.TreatMissingData).toBe('breaching');
  });

  it('charts both latencies and the failures', () => {
    const widget = (dashboardBody(template).widgets as CfnJson[]).find(
      (w) => w.properties.title === 'Canary latency (ms)',
    );
    const names = (widget.properties.metrics as unknown[][]).map((m) => m[1]);
    expect(names).toEqual(['PushLatency', 'PostToPollLatency', 'CanaryRunFailed']);
    expect(stack.resolve(monitoring.alarms['canary-failed']!.alarmArn)).toBeDefined();
  });

  it('refuses a failed-runs metric that is an expression, since it cannot set its statistic', () => {
    const expression = new MathExpression({ expression: 'm', usingMetrics: { m: canary.metrics.failed } });
    expect(() =>
      standalone(undefined, { canary: { metrics: { ...canary.metrics, failed: expression } } }),
    ).toThrow(/canary\.metrics\.failed must be a Metric/);
  });
});

describe('the WAF alarm', () => {
  const blocked = new Metric({
    namespace: 'AWS/WAFV2',
    metricName: 'BlockedRequests',
    dimensionsMap: { WebACL: 'chat-api', Region: 'eu-west-1', Rule: 'ALL' },
    statistic: 'Sum',
    period: Duration.minutes(1),
  });

  it('is absent without a web ACL', () => {
    const { monitoring } = standalone(undefined);
    expect(monitoring.alarms['waf-blocked']).toBeUndefined();
  });

  it('alarms on blocked requests three minutes running, and charts them', () => {
    const { monitoring, template } = standalone(undefined, { webAcl: { blockedRequests: blocked } });
    const props = resources(template)[logicalId(monitoring.alarms['waf-blocked']!)]!.Properties as CfnJson;
    expect(alarmMetrics(props).metrics).toEqual([
      {
        namespace: 'AWS/WAFV2',
        name: 'BlockedRequests',
        stat: 'Sum',
        period: 60,
        dimensions: { WebACL: 'chat-api', Region: 'eu-west-1', Rule: 'ALL' },
      },
    ]);
    expect(props.Threshold).toBe(WAF_BLOCKED_PER_MINUTE);
    expect(props.EvaluationPeriods).toBe(3);
    expect(props.TreatMissingData).toBe('notBreaching');
    const titles = (dashboardBody(template).widgets as CfnJson[]).map((w) => w.properties.title);
    expect(titles).toContain('WAF blocked requests');
  });
});

describe('the view-limit dead-letter alarm', () => {
  const deadLetters = new Metric({
    namespace: 'AWS/SQS',
    metricName: 'ApproximateNumberOfMessagesVisible',
    dimensionsMap: { QueueName: 'view-limits-dlq' },
    statistic: 'Maximum',
    period: Duration.minutes(5),
  });

  it('is absent without the view-limit batch', () => {
    const { monitoring } = standalone(undefined);
    expect(monitoring.alarms['view-limits-dead-letters']).toBeUndefined();
  });

  it('alarms on the first job in the dead-letter queue, and links its runbook section', () => {
    const { monitoring, template } = standalone(undefined, { viewLimits: { deadLetters } });
    const props = resources(template)[logicalId(monitoring.alarms['view-limits-dead-letters']!)]!
      .Properties as CfnJson;
    expect(alarmMetrics(props).metrics).toEqual([
      {
        namespace: 'AWS/SQS',
        name: 'ApproximateNumberOfMessagesVisible',
        stat: 'Maximum',
        period: 300,
        dimensions: { QueueName: 'view-limits-dlq' },
      },
    ]);
    expect(props.Threshold).toBe(1);
    expect(props.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
    expect(props.EvaluationPeriods).toBe(1);
    expect(props.AlarmDescription).toMatch(/Runbook: README\.md#runbook-view-limits-dead-letters$/);
    expect(props.AlarmActions).toEqual([{ Ref: logicalId(monitoring.topic) }]);
  });
});

describe('the cache hit rate alarm by region', () => {
  it('exists in a us-east-1 stack: below 80% for 5 minutes, judged at 30,000+ requests a minute', () => {
    const { monitoring, template } = standalone('us-east-1');
    const props = resources(template)[logicalId(monitoring.alarms['edge-cache-hit-rate']!)]!
      .Properties as CfnJson;
    const { expression, metrics } = alarmMetrics(props);
    expect(expression).toBe('IF(requests >= 30000, hitRate, 100)');
    expect(metrics.map((m) => [m.id, m.name, m.stat, m.dimensions])).toEqual([
      ['requests', 'Requests', 'Sum', { DistributionId: 'E123', Region: 'Global' }],
      ['hitRate', 'CacheHitRate', 'Average', { DistributionId: 'E123', Region: 'Global' }],
    ]);
    expect(props.Threshold).toBe(CACHE_HIT_RATE_PERCENT);
    expect(props.ComparisonOperator).toBe('LessThanThreshold');
    expect(props.EvaluationPeriods).toBe(5);
    expect(props.TreatMissingData).toBe('notBreaching');
  });

  it('is left out in another region, where the origin-calls alarm stands in', () => {
    const { monitoring } = standalone('ap-northeast-1');
    expect(monitoring.alarms['edge-cache-hit-rate']).toBeUndefined();
    expect(monitoring.alarms['edge-origin-calls']).toBeDefined();
  });

  it('is left out, with the additional metrics, when those are turned off', () => {
    const { monitoring, template } = standalone('us-east-1', { edgeAdditionalMetrics: false });
    expect(monitoring.alarms['edge-cache-hit-rate']).toBeUndefined();
    expect(resourcesOfType(template, 'AWS::CloudFront::MonitoringSubscription')).toEqual([]);
  });
});
