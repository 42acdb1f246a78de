import { Aws, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import type { IRestApi } from 'aws-cdk-lib/aws-apigateway';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { SCALED_FUNCTIONS, type ScaledFunction } from '../../lambdas/domain/capacity/target.js';
import { scalerFunction } from '../../lambdas/routes.js';
import { allRoomsIndex } from '../../lambdas/tables.js';
import type { CapacityTiming, Stage } from '../stage-config.js';
import {
  type CapacityScheduling,
  ChatFunction,
  type ChatTables,
  type FunctionEnvironment,
  timingEnvironment,
} from './chat-function.js';

/** Reading and setting provisioned concurrency on an alias: the scaler's only Lambda actions. */
export const PROVISIONED_CONCURRENCY_ACTIONS = [
  'lambda:GetProvisionedConcurrencyConfig',
  'lambda:PutProvisionedConcurrencyConfig',
  'lambda:DeleteProvisionedConcurrencyConfig',
] as const;

/** Reading a table's warm throughput and raising it (UpdateTable `WarmThroughput`). */
export const WARM_THROUGHPUT_ACTIONS = ['dynamodb:DescribeTable', 'dynamodb:UpdateTable'] as const;

/** Reading the stage and patching its default and per-method throttles (UpdateStage is a PATCH). */
export const STAGE_ACTIONS = ['apigateway:GET', 'apigateway:PATCH'] as const;

/** `hybrid-chat-<stage>`: one group per stage, so a stage's schedules and grants never touch another's. */
export function scheduleGroupName(stage: Stage): string {
  return `hybrid-chat-${stage}`;
}

/**
 * The stage as API Gateway's IAM sees it (`arn:…:apigateway:<region>::/restapis/<id>/stages/<stage>`).
 * From the API's id and the stage's literal name, never the stage resource: the stage waits for the
 * deployment, the deployment for the methods, the methods for the admin function, and the admin
 * function for the scaler — a reference to the stage would close that loop.
 */
export function stageArn(api: IRestApi, stageName: string): string {
  return `arn:${Aws.PARTITION}:apigateway:${Aws.REGION}::/restapis/${api.restApiId}/stages/${stageName}`;
}

export interface CapacityScalerProps {
  readonly stage: Stage;
  /** The settings every function gets (tables, viewer token): `Config` requires them of the scaler too. */
  readonly environment: FunctionEnvironment;
  readonly tables: ChatTables;
  /** The functions the scaler keeps warm: provisioned concurrency goes on their `live` aliases. */
  readonly scaled: Readonly<Record<ScaledFunction, ChatFunction>>;
  readonly timing: CapacityTiming;
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

/**
 * The scaler (ARCHITECTURE §7, ADR 0016) and what invokes it: the scaler function, with exactly
 * the grants applying a capacity plan needs; the schedule group the admin function creates each
 * room's one-time schedules in; and the role EventBridge Scheduler assumes to invoke the scaler.
 * The schedules themselves are made at run time, not here.
 */
export class CapacityScaler extends Construct {
  readonly scaler: ChatFunction;
  readonly scheduleGroup: ScheduleGroup;
  /** Assumed by EventBridge Scheduler (this account only); may only invoke the scaler's alias. */
  readonly schedulerRole: Role;
  /** What a `schedulesCapacity` function is given (`FunctionCapabilities.capacity`). */
  readonly scheduling: CapacityScheduling;
  private stageManaged = false;

  constructor(scope: Construct, id: string, props: CapacityScalerProps) {
    super(scope, id);
    const { tables, scaled } = props;
    const groupName = scheduleGroupName(props.stage);

    // Function names, not ARNs: the scaler qualifies each with SCALED_ALIAS itself.
    const scaledNames = Object.fromEntries(
      SCALED_FUNCTIONS.map((name) => [name, scaled[name].function.functionName]),
    );
    this.scaler = new ChatFunction(this, 'Scaler', {
      definition: scalerFunction,
      environment: {
        ...props.environment,
        SCALED_FUNCTION_NAMES: Stack.of(this).toJsonString(scaledNames),
        ...timingEnvironment(props.timing),
      },
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
    });
    const fn = this.scaler.function;
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: [...PROVISIONED_CONCURRENCY_ACTIONS],
        resources: SCALED_FUNCTIONS.map((name) => scaled[name].alias.functionArn),
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: [...WARM_THROUGHPUT_ACTIONS],
        resources: [tables.comments.tableArn, tables.control.tableArn],
      }),
    );
    // Rooms listed through AllRooms (not ByChannel), shard counts updated, audit entries written:
    // the admin level on the table, Query on the one index it lists by.
    this.scaler.administersControl(tables.control, [allRoomsIndex]);

    this.scheduleGroup = new ScheduleGroup(this, 'ScheduleGroup', {
      scheduleGroupName: groupName,
      // Deleting the group deletes its schedules, which target this stack's scaler: nothing to keep
      // once the stack is gone, and a retained group would block the name on the next deploy.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.schedulerRole = new Role(this, 'SchedulerRole', {
      // Only schedules of this account may assume it (the confused-deputy guard the Scheduler docs give).
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: `EventBridge Scheduler (${groupName}): invoke the capacity scaler, nothing else`,
    });
    this.schedulerRole.addToPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.scaler.alias.functionArn] }),
    );

    this.scheduling = {
      scaler: this.scaler.alias,
      schedulerRole: this.schedulerRole,
      scheduleGroupName: groupName,
      timing: props.timing,
    };

    this.node.addValidation({
      validate: () =>
        this.stageManaged
          ? []
          : ['CapacityScaler: call manageStage(api, stageName) once the REST API exists.'],
    });
  }

  /**
   * Tells the scaler which stage's throttles it manages and lets it read and patch exactly that
   * stage. Called once the REST API exists (the API is built from the functions, the scaler with them).
   */
  manageStage(api: IRestApi, stageName: string): void {
    if (Token.isUnresolved(stageName)) {
      throw new Error(
        'CapacityScaler: pass the stage name as a literal; a reference to the stage would be a cycle (ADR 0016).',
      );
    }
    if (this.stageManaged) throw new Error('CapacityScaler: manageStage was already called.');
    this.stageManaged = true;
    this.scaler.addEnvironment('REST_API_ID', api.restApiId);
    this.scaler.addEnvironment('REST_API_STAGE', stageName);
    this.scaler.function.addToRolePolicy(
      new PolicyStatement({ actions: [...STAGE_ACTIONS], resources: [stageArn(api, stageName)] }),
    );
  }
}
