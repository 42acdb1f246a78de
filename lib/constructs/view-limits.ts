import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LIMITS_QUEUE } from '../../lambdas/routes.js';
import { roomsByChannelIndex } from '../../lambdas/tables.js';
import type { Stage } from '../stage-config.js';
import {
  type ChatTables,
  ChatFunction,
  type FunctionEnvironment,
  type FunctionSpec,
} from './chat-function.js';

/** Daily at 18:00 UTC, 03:00 in Japan: after the night's streams, before the morning's. */
export const DEFAULT_VIEW_LIMITS_SCHEDULE = 'cron(0 18 * * ? *)';
/** How long a job that failed `maxReceiveCount` times waits in the dead-letter queue: SQS's longest. */
const DEAD_LETTER_RETENTION = Duration.days(14);

/** The control table's actions the worker needs: its channel's rooms and plan read, cutoffs written. */
const WORKER_CONTROL_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:UpdateItem'] as const;
/** The scheduler lists the limited channels' plans from the control table. */
const SCHEDULER_CONTROL_ACTIONS = ['dynamodb:Query'] as const;

export interface ViewLimitsProps {
  readonly stage: Stage;
  /** `limitsSchedulerFunction` from `lambdas/routes.ts`. */
  readonly scheduler: FunctionSpec;
  /** `limitsWorkerFunction` from `lambdas/routes.ts`. */
  readonly worker: FunctionSpec;
  /** The settings every function gets: `Config` requires them of each function. */
  readonly environment: FunctionEnvironment;
  readonly tables: ChatTables;
  /** The edge parameter's fixed name: the worker invalidates the segments of rooms whose cutoff moved. */
  readonly edgeParameterName: string;
  /**
   * When the batch runs: an EventBridge Scheduler expression, in UTC.
   * @default DEFAULT_VIEW_LIMITS_SCHEDULE (daily, 03:00 JST)
   */
  readonly schedule?: string;
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

/**
 * The view-limit batch (ADR 0039): EventBridge Scheduler runs the scheduler function daily, which
 * sends one job per limited channel to an SQS queue; the worker function takes them a few at a
 * time (partial batch failures reported, so only failed channels are retried), and a job that
 * fails `maxReceiveCount` times waits in a dead-letter queue, which an alarm watches.
 */
export class ViewLimits extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly scheduler: ChatFunction;
  readonly worker: ChatFunction;
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: ViewLimitsProps) {
    super(scope, id);
    const visibilityTimeout = Duration.millis(LIMITS_QUEUE.visibilityTimeoutMs);
    if (LIMITS_QUEUE.visibilityTimeoutMs < 6 * props.worker.timeoutMs) {
      throw new Error(
        `${id}: the queue's visibility timeout (${LIMITS_QUEUE.visibilityTimeoutMs} ms) must be at least six times ` +
          `the worker's timeout (${props.worker.timeoutMs} ms), as AWS advises for an SQS event source.`,
      );
    }

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: DEAD_LETTER_RETENTION,
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: LIMITS_QUEUE.maxReceiveCount },
    });

    const common = {
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
    };
    this.scheduler = new ChatFunction(this, 'Scheduler', {
      definition: props.scheduler,
      environment: props.environment,
      ...common,
    });
    this.sendsJobs(this.scheduler);
    this.scheduler.function.addToRolePolicy(
      new PolicyStatement({
        actions: [...SCHEDULER_CONTROL_ACTIONS],
        resources: [props.tables.control.tableArn],
      }),
    );

    this.worker = new ChatFunction(this, 'Worker', {
      definition: props.worker,
      environment: props.environment,
      capabilities: { edgeParameterName: props.edgeParameterName },
      ...common,
    });
    this.worker.queriesComments(props.tables.comments);
    this.worker.function.addToRolePolicy(
      new PolicyStatement({
        actions: [...WORKER_CONTROL_ACTIONS],
        resources: [props.tables.control.tableArn],
      }),
    );
    // A channel's rooms, through the channel index (keys only).
    this.worker.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${props.tables.control.tableArn}/index/${roomsByChannelIndex.name}`],
      }),
    );
    this.worker.alias.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: LIMITS_QUEUE.batchSize,
        reportBatchItemFailures: true,
        maxConcurrency: LIMITS_QUEUE.maxConcurrency,
      }),
    );

    this.schedule = new Schedule(this, 'Schedule', {
      description: `Enqueues one view-limit job per limited channel (${props.stage})`,
      schedule: ScheduleExpression.expression(props.schedule ?? DEFAULT_VIEW_LIMITS_SCHEDULE),
      // Retries within the hour: a run that lands late still beats none until tomorrow.
      target: new LambdaInvoke(this.scheduler.alias, { retryAttempts: 3, maxEventAge: Duration.hours(1) }),
    });
  }

  /**
   * Lets a function queue jobs: the queue's URL as its `LIMITS_QUEUE_URL`, and SendMessage on the
   * queue. The scheduler sends the daily jobs; the admin function sends one when a plan changes or
   * an operator runs it now.
   */
  sendsJobs(fn: ChatFunction): void {
    fn.addEnvironment('LIMITS_QUEUE_URL', this.queue.queueUrl);
    this.queue.grantSendMessages(fn.function);
  }

  /** Jobs waiting in the dead-letter queue: each is a channel whose cutoffs were not computed. */
  deadLetters(): IMetric {
    return this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(5),
      statistic: 'Maximum',
    });
  }
}
