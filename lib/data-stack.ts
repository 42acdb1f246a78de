import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  type CfnTable,
  type ITable,
  ProjectionType,
  Table,
} from 'aws-cdk-lib/aws-dynamodb';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { commentsTable, controlTable, type TableDefinition } from '../lambdas/tables.js';
import { ArchiveBucket } from './constructs/segment-archive.js';
import { assertStage, type Stage, type StageSettings, stageSettings } from './stage-config.js';

export interface DataStackProps extends StackProps {
  readonly stage: Stage;
}

/**
 * The stateful resources, in their own stack so the API stack can be replaced
 * freely: the comment feed and the control table, built from the shared
 * definitions in `lambdas/tables.ts` (the local runtime builds DynamoDB Local
 * tables from the same ones).
 */
export class DataStack extends Stack {
  readonly comments: ITable;
  readonly control: ITable;
  /** Closed segments, one object each (ADR 0037). */
  readonly archive: IBucket;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    assertStage(props.stage, `DataStack ${id}`);
    const settings = stageSettings(props.stage);

    this.comments = tableFromDefinition(this, commentsTable, settings);
    this.control = tableFromDefinition(this, controlTable, settings);
    this.archive = new ArchiveBucket(this, 'Archive', { removalPolicy: settings.removalPolicy }).bucket;

    // The room CLI and operators address the tables by these generated names.
    new CfnOutput(this, 'CommentsTableName', { value: this.comments.tableName });
    new CfnOutput(this, 'ControlTableName', { value: this.control.tableName });
    // Fixed export names: the Api stack imports these by name, so the ARN in its archive grants (and
    // their cdk-nag acknowledgement) reads the same in every synth.
    const exports = archiveBucketExports(props.stage);
    new CfnOutput(this, 'ArchiveBucketName', { value: this.archive.bucketName, exportName: exports.name });
    new CfnOutput(this, 'ArchiveBucketArn', { value: this.archive.bucketArn, exportName: exports.arn });
  }
}

/** The export names of the archive bucket's name and ARN (ADR 0037). */
export function archiveBucketExports(stage: Stage): { readonly name: string; readonly arn: string } {
  return { name: `HybridChat-${stage}-ArchiveBucketName`, arn: `HybridChat-${stage}-ArchiveBucketArn` };
}

/**
 * One table from its definition: on-demand (a live event's write rate cannot be
 * forecast per table), point-in-time recovery, TTL, a generated name, and the
 * logical id pinned to the definition's id so a refactor can never replace the
 * table (and tests can name it).
 */
function tableFromDefinition(scope: Construct, definition: TableDefinition, settings: StageSettings): Table {
  const table = new Table(scope, definition.id, {
    partitionKey: { name: definition.partitionKey, type: AttributeType.STRING },
    sortKey: { name: definition.sortKey, type: AttributeType.STRING },
    billingMode: BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    timeToLiveAttribute: definition.timeToLiveAttribute,
    removalPolicy: settings.removalPolicy,
    deletionProtection: settings.deletionProtection,
  });
  for (const index of definition.globalIndexes ?? []) {
    table.addGlobalSecondaryIndex({
      indexName: index.name,
      partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
      sortKey: { name: index.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.KEYS_ONLY,
    });
  }
  (table.node.defaultChild as CfnTable).overrideLogicalId(definition.id);
  return table;
}
