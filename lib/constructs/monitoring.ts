import { Aws, Duration, type RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import type { Stage as ApiStage } from 'aws-cdk-lib/aws-apigateway';
import { CfnMonitoringSubscription, type IDistribution } from 'aws-cdk-lib/aws-cloudfront';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
  type IWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { SERVICE_NAME } from '../../lambdas/adapters/logger.js';
import { LIMITS } from '../../lambdas/domain/capacity/assumptions.js';
import { BASELINE_STAGE_THROTTLING } from '../../lambdas/domain/capacity/target.js';
import { MAX_POST_DURATION_MS } from '../../lambdas/domain/feed/segments.js';

/** The namespace the admin function's Powertools Metrics writes to (`lambdas/adapters/metrics.ts`). */
export const APP_NAMESPACE = 'HybridLiveChat';
/** Counted by the AppSync publisher when a publish gave up after its retries. */
export const PUBLISH_FAILED_METRIC = 'RealtimePublishFailed';
/** CloudFront publishes its metrics in us-east-1 only, whatever region the distribution's stack is in. */
export const CLOUDFRONT_METRICS_REGION = 'us-east-1';

const MINUTE = Duration.minutes(1);

// Thresholds (ADR 0033). Each is what the alarm compares with, and why it is that number.

/** API 5xx as a percentage of requests: above 1% for three minutes is more than the SDK's retries hide. */
export const API_5XX_RATE_PERCENT = 1;
/** Requests per minute below which the 5xx rate is not judged: one error in a handful of requests is noise. */
export const MIN_REQUESTS_FOR_5XX_RATE = 60;
/**
 * Post function p99 duration: a sixth of MAX_POST_DURATION_MS (the function's timeout, 6 s) and 20×
 * the plan's assumed mean (`postHandlerMs`, 50 ms): provisioned concurrency sized on that mean runs out.
 */
export const POST_P99_MS = MAX_POST_DURATION_MS / 6;
/** Function errors or throttles per minute: any, since the handlers turn expected failures into 4xx answers. */
export const FUNCTION_FAULTS_PER_MINUTE = 1;
/** Throttle events (read + write) per minute on a table: any, two minutes running (the SDK retries a blip). */
export const TABLE_THROTTLES_PER_MINUTE = 1;
/**
 * Origin calls of the cached routes per minute: half of what the stage admits between events
 * (BASELINE_STAGE_THROTTLING.rateLimit per second). Beyond it the cache is skipped or far more rooms are
 * live than the baseline was made for; either way 429s are near.
 */
export const EDGE_ORIGIN_CALLS_PER_MINUTE = (BASELINE_STAGE_THROTTLING.rateLimit * 60) / 2;
/**
 * CloudFront's CacheHitRate floor (us-east-1 stacks only). A room caches `live` for its poll interval and
 * each cache location asks the origin about once per interval, so at 500 requests/s even the plan's
 * 50 locations polling every second miss at most 10%: below 80% something is bypassing the cache.
 */
export const CACHE_HIT_RATE_PERCENT = 80;
/** Requests per minute below which the hit rate is not judged (500/s, where the 10% bound above holds). */
export const MIN_REQUESTS_FOR_HIT_RATE = 30_000;
/** Publishes that gave up after their retries: any (each is an event players get only from the poll). */
export const PUBLISH_FAILURES_PER_MINUTE = 1;
/** AppSync server-side errors (HTTP 5xx, connect, subscribe, publish) per minute: any, two minutes running. */
export const APPSYNC_SERVER_ERRORS_PER_MINUTE = 1;
/** New realtime connections per minute: 80% of AppSync's 200/s quota (LIMITS.appSyncNewConnectionsPerSecond). */
export const APPSYNC_CONNECTS_PER_MINUTE = LIMITS.appSyncNewConnectionsPerSecond.value * 60 * 0.8;
/** WAF blocks per minute: 1% of the stage's baseline rate, three minutes running — an attack or false positives. */
export const WAF_BLOCKED_PER_MINUTE = (BASELINE_STAGE_THROTTLING.rateLimit * 60) / 100;
/** Canary runs failed: two runs in a row (one run a minute). */
export const CANARY_FAILED_RUNS = 2;

/** README anchors of the runbook, one per alarm (a test checks each exists in README.md). */
export const RUNBOOK = {
  api5xx: 'runbook-api-5xx',
  postLatency: 'runbook-post-latency',
  functionErrors: 'runbook-function-errors',
  functionThrottles: 'runbook-function-throttles',
  tableThrottles: 'runbook-dynamodb-throttles',
  edgeOriginCalls: 'runbook-edge-origin-calls',
  cacheHitRate: 'runbook-edge-cache-hit-rate',
  publishFailed: 'runbook-realtime-publish-failed',
  appSyncErrors: 'runbook-appsync-errors',
  appSyncConnects: 'runbook-appsync-connects',
  wafBlocked: 'runbook-waf-blocked',
  canary: 'runbook-canary',
  viewLimitsDeadLetters: 'runbook-view-limits-dead-letters',
} as const;
export type RunbookEntry = keyof typeof RUNBOOK;

/** What the canary construct exposes (`CanaryRunFailed` is 0 or 1 per run, one run a minute). */
export interface CanaryMetrics {
  readonly failed: IMetric;
  readonly pushLatency: IMetric;
  readonly postToPollLatency: IMetric;
}

/** The regional web ACL on the API stage, as its `BlockedRequests` metric (AWS/WAFV2, WebACL + Region + Rule=ALL). */
export interface WebAclMetrics {
  readonly blockedRequests: IMetric;
}

export interface MonitoringProps {
  /**
   * The deployment stage (`dev`, `prod`): the `stage` dimension the functions' own metrics carry
   * (`createMetrics` in lambdas/adapters/metrics.ts), so stages sharing an account never mix.
   */
  readonly stage: string;
  /** The API's deployment stage: `5XXError` and `Count` for the stage (ApiName + Stage). */
  readonly apiStage: ApiStage;
  /** Every route function, by name: errors and throttles for each. */
  readonly routeFunctions: Readonly<Record<string, IFunction>>;
  /** The function behind the post route: its Duration p99 is the post latency alarm. */
  readonly postFunction: IFunction;
  /** The functions behind the edge-cached routes: their invocations are the cache's origin calls. */
  readonly edgeOriginFunctions: readonly IFunction[];
  /** The capacity scaler: one failed run means an event's capacity was not applied, so any error alarms. */
  readonly scaler: IFunction;
  /** Both tables, by name. */
  readonly tables: Readonly<Record<string, ITable>>;
  readonly distribution: IDistribution;
  /**
   * Turns on the distribution's additional metrics (CacheHitRate among them), billed as CloudWatch
   * metrics per distribution (ADR 0033).
   * @default true
   */
  readonly edgeAdditionalMetrics?: boolean;
  /** The AppSync GraphQL API's id (`GraphQLAPIId` dimension). */
  readonly realtimeApiId: string;
  /** @default no WAF widget or alarm */
  readonly webAcl?: WebAclMetrics;
  /** @default no canary widget or alarm */
  readonly canary?: { readonly metrics: CanaryMetrics };
  /**
   * The view-limit batch's dead-letter queue (ADR 0039): `ApproximateNumberOfMessagesVisible`.
   * @default no view-limit alarm
   */
  readonly viewLimits?: { readonly deadLetters: IMetric };
  /** @default no subscription: subscribe to the topic yourself */
  readonly alarmEmail?: string;
  /** For the topic's KMS key. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The operators' view (ADR 0033): one dashboard, and alarms that all notify one encrypted SNS topic.
 * Each alarm says what it means and names its runbook section in README.md.
 */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly dashboard: Dashboard;
  /** Every alarm, by a stable key (`function-errors-postComment`, `canary-failed`, …). */
  readonly alarms: Readonly<Record<string, Alarm>>;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    if (props.edgeOriginFunctions.length === 0) {
      throw new Error(`${id}: edgeOriginFunctions is empty; pass the functions behind the cached routes.`);
    }
    for (const name of Object.keys(props.tables)) {
      if (!/^[a-z][A-Za-z0-9]*$/.test(name)) {
        throw new Error(
          `${id}: table key ${JSON.stringify(name)} must be camelCase letters and digits (it names metric ids).`,
        );
      }
    }
    if (props.alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(props.alarmEmail)) {
      throw new Error(
        `${id}: alarmEmail must be an e-mail address, got ${JSON.stringify(props.alarmEmail)}.`,
      );
    }

    // CloudWatch cannot use the AWS-managed SNS key: a key of our own that CloudWatch may use.
    const key = new Key(this, 'TopicKey', {
      description: 'Encrypts the alarm topic (CloudWatch alarms publish to it)',
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new Topic(this, 'AlarmTopic', {
      displayName: 'Hybrid live chat alarms',
      masterKey: key,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    const action = new SnsAction(this.topic);

    const alarms: Record<string, Alarm> = {};
    const alarm = (
      name: string,
      entry: RunbookEntry,
      meaning: string,
      options: {
        metric: IMetric;
        threshold: number;
        evaluationPeriods: number;
        comparison?: ComparisonOperator;
        missing?: TreatMissingData;
      },
    ): Alarm => {
      const created = new Alarm(this, `Alarm-${name}`, {
        metric: options.metric,
        threshold: options.threshold,
        evaluationPeriods: options.evaluationPeriods,
        datapointsToAlarm: options.evaluationPeriods,
        comparisonOperator: options.comparison ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: options.missing ?? TreatMissingData.NOT_BREACHING,
        alarmDescription: `${meaning} Runbook: README.md#${RUNBOOK[entry]}`,
      });
      created.addAlarmAction(action);
      created.addOkAction(action);
      alarms[name] = created;
      return created;
    };

    // API: 5xx as a rate of all requests, judged only with enough requests to mean something.
    const api5xx = props.apiStage.metricServerError({ period: MINUTE, statistic: 'Sum' });
    const apiCount = props.apiStage.metricCount({ period: MINUTE, statistic: 'Sum' });
    const api5xxRate = new MathExpression({
      expression: `IF(requests >= ${MIN_REQUESTS_FOR_5XX_RATE}, 100 * errors / requests, 0)`,
      usingMetrics: { errors: api5xx, requests: apiCount },
      period: MINUTE,
      label: 'API 5xx rate (%)',
    });
    alarm(
      'api-5xx-rate',
      'api5xx',
      `More than ${API_5XX_RATE_PERCENT}% of API requests answered 5xx for 3 minutes (at ${MIN_REQUESTS_FOR_5XX_RATE}+ requests a minute).`,
      { metric: api5xxRate, threshold: API_5XX_RATE_PERCENT, evaluationPeriods: 3 },
    );

    // Post latency: the function's own p99 (route-level API Gateway metrics would need detailed metrics).
    const postP99 = props.postFunction.metricDuration({ period: MINUTE, statistic: 'p99' });
    alarm(
      'post-p99',
      'postLatency',
      `The post function's p99 duration was ${POST_P99_MS} ms or more for 3 minutes: posts are slow to be acknowledged.`,
      { metric: postP99, threshold: POST_P99_MS, evaluationPeriods: 3 },
    );

    // Every function's errors and throttles; the scaler's count at once (it runs a few times per event).
    const watched: [string, IFunction, number][] = [
      ...Object.entries(props.routeFunctions).map(([name, fn]): [string, IFunction, number] => [name, fn, 2]),
      ['scaler', props.scaler, 1],
    ];
    for (const [name, fn, periods] of watched) {
      alarm(
        `function-errors-${name}`,
        'functionErrors',
        `The ${name} function failed (threw or timed out) in ${periods === 1 ? 'a minute' : `${periods} minutes running`}.`,
        {
          metric: fn.metricErrors({ period: MINUTE, statistic: 'Sum' }),
          threshold: FUNCTION_FAULTS_PER_MINUTE,
          evaluationPeriods: periods,
        },
      );
      alarm(
        `function-throttles-${name}`,
        'functionThrottles',
        `Lambda refused to run the ${name} function (concurrency exhausted) in ${periods === 1 ? 'a minute' : `${periods} minutes running`}.`,
        {
          metric: fn.metricThrottles({ period: MINUTE, statistic: 'Sum' }),
          threshold: FUNCTION_FAULTS_PER_MINUTE,
          evaluationPeriods: periods,
        },
      );
    }

    // DynamoDB: read and write throttle events (every throttle reason, the table's indexes aside).
    const tableThrottles = Object.entries(props.tables).map(([name, table]) => {
      const metric = new MathExpression({
        // Ids unique per table: both expressions share one graph.
        expression: `reads_${name} + writes_${name}`,
        usingMetrics: {
          [`reads_${name}`]: table.metric('ReadThrottleEvents', { period: MINUTE, statistic: 'Sum' }),
          [`writes_${name}`]: table.metric('WriteThrottleEvents', { period: MINUTE, statistic: 'Sum' }),
        },
        period: MINUTE,
        label: `${name} throttle events`,
      });
      alarm(
        `table-throttles-${name}`,
        'tableThrottles',
        `DynamoDB throttled requests on the ${name} table in 2 minutes running: its partitions or warm throughput are short of the load.`,
        { metric, threshold: TABLE_THROTTLES_PER_MINUTE, evaluationPeriods: 2 },
      );
      return metric;
    });

    // The edge: CloudFront's metrics live in us-east-1; the origin side is watched here, in any region.
    const originCalls = new MathExpression({
      expression: props.edgeOriginFunctions.map((_, i) => `o${i}`).join(' + '),
      usingMetrics: Object.fromEntries(
        props.edgeOriginFunctions.map((fn, i) => [
          `o${i}`,
          fn.metricInvocations({ period: MINUTE, statistic: 'Sum' }),
        ]),
      ),
      period: MINUTE,
      label: 'Origin calls of the cached routes',
    });
    alarm(
      'edge-origin-calls',
      'edgeOriginCalls',
      `The cached routes reached the origin ${EDGE_ORIGIN_CALLS_PER_MINUTE}+ times a minute for 3 minutes: the cache is skipped, or far more rooms are live than the baseline throttle allows.`,
      { metric: originCalls, threshold: EDGE_ORIGIN_CALLS_PER_MINUTE, evaluationPeriods: 3 },
    );
    const additionalMetrics = props.edgeAdditionalMetrics ?? true;
    if (additionalMetrics) {
      // What `Distribution.publishAdditionalMetrics` makes, kept here so the CDN construct stays as it is.
      new CfnMonitoringSubscription(this, 'EdgeAdditionalMetrics', {
        distributionId: props.distribution.distributionId,
        monitoringSubscription: {
          realtimeMetricsSubscriptionConfig: { realtimeMetricsSubscriptionStatus: 'Enabled' },
        },
      });
    }
    const edgeMetric = (metricName: string, statistic: string) =>
      new Metric({
        namespace: 'AWS/CloudFront',
        metricName,
        dimensionsMap: { DistributionId: props.distribution.distributionId, Region: 'Global' },
        statistic,
        period: MINUTE,
        region: CLOUDFRONT_METRICS_REGION,
      });
    const edgeRequests = edgeMetric('Requests', 'Sum');
    const hitRate = edgeMetric('CacheHitRate', 'Average');
    // An alarm must be in its metric's region: only a us-east-1 stack can alarm on the hit rate itself.
    const region = Stack.of(this).region;
    if (additionalMetrics && !Token.isUnresolved(region) && region === CLOUDFRONT_METRICS_REGION) {
      alarm(
        'edge-cache-hit-rate',
        'cacheHitRate',
        `CloudFront answered under ${CACHE_HIT_RATE_PERCENT}% of cacheable requests from its cache for 5 minutes (at ${MIN_REQUESTS_FOR_HIT_RATE}+ requests a minute).`,
        {
          metric: new MathExpression({
            expression: `IF(requests >= ${MIN_REQUESTS_FOR_HIT_RATE}, hitRate, 100)`,
            usingMetrics: { requests: edgeRequests, hitRate },
            period: MINUTE,
            label: 'Cache hit rate (%)',
          }),
          threshold: CACHE_HIT_RATE_PERCENT,
          evaluationPeriods: 5,
          comparison: ComparisonOperator.LESS_THAN_THRESHOLD,
        },
      );
    }

    // Realtime: our own give-up count (Powertools adds `service`; `createMetrics` adds `stage`), then AppSync's.
    const publishFailed = new Metric({
      namespace: APP_NAMESPACE,
      metricName: PUBLISH_FAILED_METRIC,
      dimensionsMap: { service: SERVICE_NAME, stage: props.stage },
      statistic: 'Sum',
      period: MINUTE,
    });
    alarm(
      'realtime-publish-failed',
      'publishFailed',
      'A realtime publish gave up after its retries: players get that event from the poll, up to one poll interval late.',
      { metric: publishFailed, threshold: PUBLISH_FAILURES_PER_MINUTE, evaluationPeriods: 1 },
    );
    const appSync = (metricName: string, statistic = 'Sum') =>
      new Metric({
        namespace: 'AWS/AppSync',
        metricName,
        dimensionsMap: { GraphQLAPIId: props.realtimeApiId },
        statistic,
        period: MINUTE,
      });
    const appSyncServerErrors = new MathExpression({
      expression: 'http5xx + connect + subscribe + publish',
      usingMetrics: {
        http5xx: appSync('5XXError'),
        connect: appSync('ConnectServerError'),
        subscribe: appSync('SubscribeServerError'),
        publish: appSync('PublishDataMessageServerError'),
      },
      period: MINUTE,
      label: 'AppSync server errors',
    });
    alarm(
      'appsync-server-errors',
      'appSyncErrors',
      'AppSync itself failed requests, connections, subscriptions or deliveries in 2 minutes running.',
      { metric: appSyncServerErrors, threshold: APPSYNC_SERVER_ERRORS_PER_MINUTE, evaluationPeriods: 2 },
    );
    const connects = appSync('ConnectRequests');
    alarm(
      'appsync-connects',
      'appSyncConnects',
      `New realtime connections reached ${APPSYNC_CONNECTS_PER_MINUTE} a minute, 80% of AppSync's new-connection quota: more are refused soon.`,
      { metric: connects, threshold: APPSYNC_CONNECTS_PER_MINUTE, evaluationPeriods: 1 },
    );

    if (props.webAcl) {
      alarm(
        'waf-blocked',
        'wafBlocked',
        `The web ACL blocked ${WAF_BLOCKED_PER_MINUTE}+ requests a minute for 3 minutes: an attack, or a rule refusing real viewers.`,
        { metric: props.webAcl.blockedRequests, threshold: WAF_BLOCKED_PER_MINUTE, evaluationPeriods: 3 },
      );
    }

    if (props.canary) {
      const failed = props.canary.metrics.failed;
      if (!(failed instanceof Metric)) {
        throw new Error(
          `${id}: canary.metrics.failed must be a Metric (CanaryRunFailed), not an expression.`,
        );
      }
      // Missing data breaches: a canary that stopped running (schedule off, function failing to start)
      // emits nothing, and silence from the only end-to-end check must not read as health.
      alarm(
        'canary-failed',
        'canary',
        'The canary failed two runs in a row (or stopped reporting): the post → poll or publish → push path is broken end to end.',
        {
          metric: failed.with({ statistic: 'Maximum', period: MINUTE }),
          threshold: 1,
          evaluationPeriods: CANARY_FAILED_RUNS,
          missing: TreatMissingData.BREACHING,
        },
      );
    }
    if (props.viewLimits) {
      // Any job there is a channel whose cutoffs were not computed after every retry.
      alarm(
        'view-limits-dead-letters',
        'viewLimitsDeadLetters',
        'A view-limit job failed every retry and waits in the dead-letter queue: its channel shows comments its plan hides.',
        { metric: props.viewLimits.deadLetters, threshold: 1, evaluationPeriods: 1 },
      );
    }
    this.alarms = alarms;

    const functionsOf = (metric: (fn: IFunction) => IMetric) =>
      watched.map(([name, fn]) => {
        const m = metric(fn);
        return m instanceof Metric ? m.with({ label: name }) : m;
      });
    const wide = 12;
    const graph = (
      title: string,
      left: IMetric[],
      extra: Partial<{ right: IMetric[]; leftMin: number }> = {},
    ) =>
      new GraphWidget({
        title,
        left,
        ...(extra.right ? { right: extra.right } : {}),
        ...(extra.leftMin !== undefined ? { leftYAxis: { min: extra.leftMin } } : {}),
        width: wide,
        height: 6,
      });
    const widgets: IWidget[][] = [
      [
        new TextWidget({
          markdown:
            '# Hybrid live chat\nWhat each alarm means and what to do: the **Runbook** section of README.md. ' +
            'Function logs are JSON with a `correlationId` (ADR 0021).',
          width: 24,
          height: 2,
        }),
      ],
      [new AlarmStatusWidget({ title: 'Alarms', alarms: Object.values(alarms), width: 24, height: 4 })],
      [
        graph('API 5xx rate (%)', [api5xxRate], {
          right: [apiCount.with({ label: 'requests' })],
          leftMin: 0,
        }),
        graph('Post duration (ms)', [
          props.postFunction.metricDuration({ period: MINUTE, statistic: 'p50', label: 'p50' }),
          postP99.with({ label: 'p99' }),
        ]),
      ],
      [
        graph(
          'Function errors',
          functionsOf((fn) => fn.metricErrors({ period: MINUTE, statistic: 'Sum' })),
        ),
        graph(
          'Function throttles',
          functionsOf((fn) => fn.metricThrottles({ period: MINUTE, statistic: 'Sum' })),
        ),
      ],
      [
        graph('DynamoDB throttle events', tableThrottles),
        graph('Edge cache hit rate (%, us-east-1)', [hitRate], {
          right: [edgeRequests.with({ label: 'requests' })],
        }),
      ],
      [
        graph('Origin calls of the cached routes', [originCalls]),
        graph('Realtime publishes given up', [publishFailed]),
      ],
      [
        graph('AppSync errors', [
          appSync('5XXError'),
          appSync('ConnectServerError'),
          appSync('SubscribeServerError'),
          appSync('PublishDataMessageServerError'),
          appSync('ConnectClientError'),
        ]),
        graph('AppSync connections', [appSync('ActiveConnections'), appSync('ActiveSubscriptions')], {
          right: [connects],
        }),
      ],
    ];
    const optional: IWidget[] = [];
    if (props.webAcl) optional.push(graph('WAF blocked requests', [props.webAcl.blockedRequests]));
    if (props.canary) {
      const { metrics } = props.canary;
      optional.push(
        graph('Canary latency (ms)', [metrics.pushLatency, metrics.postToPollLatency], {
          right: [metrics.failed],
        }),
      );
    }
    if (optional.length > 0) widgets.push(optional);

    this.dashboard = new Dashboard(this, 'Dashboard', { widgets, defaultInterval: Duration.hours(3) });
  }

  /** The dashboard in the CloudWatch console. */
  get dashboardUrl(): string {
    return `https://${Aws.REGION}.console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}#dashboards:name=${this.dashboard.dashboardName}`;
  }
}
