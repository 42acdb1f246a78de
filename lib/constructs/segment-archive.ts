import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ARCHIVE_INTERVAL_MINUTES, archiverFunction } from '../../lambdas/routes.js';
import type { Stage } from '../stage-config.js';
import { ChatFunction, type FunctionEnvironment } from './chat-function.js';

export interface ArchiveBucketProps {
  /** RETAIN keeps the archive when the stack is deleted (prod); DESTROY empties and deletes it (dev). */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The segment archive's bucket (ADR 0037): private (public access blocked, objects owned by the
 * bucket), SSE-S3, TLS only. Versioning off: a deletion rewrites an object without the item, and a
 * kept old version would keep the deleted comment.
 */
export class ArchiveBucket extends Construct {
  readonly bucket: IBucket;

  constructor(scope: Construct, id: string, props: ArchiveBucketProps) {
    super(scope, id);
    const bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: false,
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: props.removalPolicy === RemovalPolicy.DESTROY,
    });
    Validations.of(bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Only three of this stack’s own functions reach the archive (the archiver and admin write, getSegment ' +
        'reads), each with a role limited to the rooms/ prefix; their logs already record every archive run and ' +
        'deletion, and viewers never reach the bucket (it is served through the API). An access log would ' +
        'record those functions’ own calls again.',
    });
    this.bucket = bucket;
  }
}

export interface ArchiverProps {
  readonly stage: Stage;
  /** The settings every function gets. */
  readonly environment: FunctionEnvironment;
  readonly comments: ITable;
  readonly control: ITable;
  readonly bucket: IBucket;
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

/**
 * The archiver (ADR 0037): a function that copies closed segments to the archive and moves each
 * room's watermark, run every ARCHIVE_INTERVAL_MINUTES by an EventBridge rule.
 */
export class Archiver extends Construct {
  readonly function: ChatFunction;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: ArchiverProps) {
    super(scope, id);
    this.function = new ChatFunction(this, 'Function', {
      definition: archiverFunction,
      environment: props.environment,
      capabilities: { archive: props.bucket },
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
    });
    // Comment ranges per shard; the room listing (its index, keys only, then a batch read) and the watermark.
    this.function.queriesComments(props.comments);
    this.function.archivesRooms(props.control);

    // A run that fails is retried by the next one (the watermarks say where to start): no retries.
    this.function.alias.configureAsyncInvoke({
      retryAttempts: 0,
      maxEventAge: Duration.minutes(ARCHIVE_INTERVAL_MINUTES),
    });
    // An EventBridge rule, as the canary's: a fixed rate needs no role and no group.
    this.rule = new Rule(this, 'Schedule', {
      description: `Runs the archiver every ${ARCHIVE_INTERVAL_MINUTES} minutes (${props.stage})`,
      schedule: Schedule.rate(Duration.minutes(ARCHIVE_INTERVAL_MINUTES)),
      targets: [
        new LambdaFunction(this.function.alias, {
          retryAttempts: 0,
          maxEventAge: Duration.minutes(ARCHIVE_INTERVAL_MINUTES),
        }),
      ],
    });
  }
}
