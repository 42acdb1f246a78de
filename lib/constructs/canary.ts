import { Duration, RemovalPolicy, SecretValue, Validations } from 'aws-cdk-lib';
import { type IMetric, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../../lambdas/adapters/metrics.js';
import { CANARY_METRICS } from '../../lambdas/domain/canary/metrics.js';
import { canaryFunction } from '../../lambdas/routes.js';
import type { Stage } from '../stage-config.js';
import {
  ChatFunction,
  type FunctionEnvironment,
  type RealtimeEndpoints,
  SERVICE_NAME,
} from './chat-function.js';

/**
 * 256 MB: a run mostly waits on the network (the subscription, the poll ticks), so more memory
 * would buy CPU it does not use; half the viewer functions' price per second (ADR 0032).
 */
export const CANARY_MEMORY_MB = 256;

/** What the canary's metrics are: namespace, dimensions, and how each is read per minute. */
export interface CanaryMetrics {
  /** `CanaryRunFailed`: 1 for a run with a failed step, else 0. Maximum per minute (one run a minute). */
  readonly failed: IMetric;
  /** `CanaryPushLatency` (ms): the PING's publish call to its arrival. Maximum per minute. */
  readonly pushLatency: IMetric;
  /** `CanaryPostToPollLatency` (ms): the post's start to the comment in a polled `live`. Maximum per minute. */
  readonly postToPollLatency: IMetric;
}

export interface CanaryProps {
  readonly stage: Stage;
  /** The settings every function gets: `Config` requires them of each function. */
  readonly environment: FunctionEnvironment;
  /** The control table: the canary reads its room, and creates it on the first run. */
  readonly control: ITable;
  /** The realtime API: the canary publishes with IAM and subscribes with the API key, as players do. */
  readonly realtime: RealtimeEndpoints;
  /** The distribution's URL (`https://…cloudfront.net`): the canary posts and polls through it. */
  readonly edgeUrl: string;
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

/**
 * The canary (ADR 0032): a function that every minute subscribes to the canary room over AppSync's
 * realtime protocol, publishes a PING through the backend path and waits for it, then posts a
 * comment and polls it back through CloudFront; an EventBridge rule that runs it; the secret an
 * operator stores its viewer token in; and its metrics, for the dashboard and alarms.
 */
export class Canary extends Construct {
  readonly function: ChatFunction;
  readonly rule: Rule;
  /**
   * `{"token":"<viewer JWT>"}`, a token the host service issued for the canary's user. Created
   * with an empty token: until an operator stores one, the post step reports `not_configured`.
   */
  readonly tokenSecret: Secret;
  /** The metrics the function emits, exactly (namespace `HybridLiveChat`, dimensions `service` and `stage`). */
  readonly metrics: CanaryMetrics;

  constructor(scope: Construct, id: string, props: CanaryProps) {
    super(scope, id);

    this.tokenSecret = new Secret(this, 'TokenSecret', {
      description:
        `The canary's viewer token (${props.stage}): {"token":"<JWT>"} issued by the host service ` +
        'for the canary user; empty until an operator stores one',
      // Not a secret: the placeholder the operator replaces (README: runbook). CloudFormation sets
      // it once, at creation; later deploys leave the stored token alone.
      secretStringValue: SecretValue.unsafePlainText(JSON.stringify({ token: '' })),
      // The token is useless once the stack is gone (its function and room go with it).
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.tokenSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The secret holds a viewer token the host service signs with its own key: Secrets Manager cannot mint ' +
        'one, so a rotation Lambda has nothing to rotate with. The operator replaces it before it expires ' +
        '(README: runbook); an expired one fails the post step, which the canary alarm reports.',
    });

    this.function = new ChatFunction(this, 'Function', {
      definition: canaryFunction,
      environment: {
        ...props.environment,
        CANARY_EDGE_URL: props.edgeUrl,
        CANARY_TOKEN_SECRET_ARN: this.tokenSecret.secretArn,
      },
      // `publishes` sets STAGE from the stage: its metrics' dimension (ADR 0032).
      capabilities: { realtime: props.realtime, stage: props.stage },
      memorySize: CANARY_MEMORY_MB,
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
    });
    // Its room: read, and created on the first run (a conditional PutItem).
    this.function.writesControl(props.control);
    this.tokenSecret.grantRead(this.function.function);

    // A run is worth something only now: no retries, and an invocation older than a minute is dropped.
    this.function.alias.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(1) });
    // An EventBridge rule, not Scheduler: a fixed rate needs no role and no group, and scheduled
    // rules cost nothing; Scheduler's one-time and time-zone schedules are what the scaler uses it for.
    this.rule = new Rule(this, 'Schedule', {
      description: `Runs the canary every minute (${props.stage})`,
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [
        new LambdaFunction(this.function.alias, { retryAttempts: 0, maxEventAge: Duration.minutes(1) }),
      ],
    });

    const metric = (metricName: string) =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service: SERVICE_NAME, stage: props.stage },
        period: Duration.minutes(1),
        statistic: 'Maximum',
      });
    this.metrics = {
      failed: metric(CANARY_METRICS.runFailed),
      pushLatency: metric(CANARY_METRICS.pushLatency),
      postToPollLatency: metric(CANARY_METRICS.postToPollLatency),
    };
  }
}
