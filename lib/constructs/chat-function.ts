import { existsSync } from 'node:fs';
import { Aws, Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { IDistribution } from 'aws-cdk-lib/aws-cloudfront';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import {
  type IManagedPolicy,
  type IRole,
  Policy,
  PolicyStatement,
  Role,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { Alias, Architecture, type IFunction, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { type ILogGroup, LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IStringParameter } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import type * as z from 'zod';
import type { Config } from '../../lambdas/config.js';
import { SCALED_ALIAS } from '../../lambdas/domain/capacity/target.js';
import { SERVICE_NAME } from '../../lambdas/adapters/logger.js';
import { FUNCTION_MEMORY_MB, type FunctionDefinition } from '../../lambdas/routes.js';
import { FUNCTION_BUNDLING } from '../bundling.js';
import { allRoomsIndex, controlTable, type GlobalIndexDefinition } from '../../lambdas/tables.js';
import { ARCHIVE_PREFIX } from '../../lambdas/adapters/s3/keys.js';
import { fromProjectRoot } from '../paths.js';
import { assertNever, type CapacityTiming } from '../stage-config.js';

type ConfigInput = z.input<typeof Config>;
/** The `Config` keys a function cannot start without (no default, not optional). */
export type RequiredConfigKey = {
  [K in keyof ConfigInput]-?: undefined extends ConfigInput[K] ? never : K;
}[keyof ConfigInput];

/**
 * The environment `lambdas/config.ts` parses at cold start. The required keys
 * are checked by the compiler, so a new required setting fails `tsc` here
 * before it fails a cold start in AWS; the defaulted ones may be overridden.
 */
export type FunctionEnvironment = Readonly<Record<RequiredConfigKey, string>> &
  Readonly<Partial<Record<Exclude<keyof ConfigInput, RequiredConfigKey>, string>>>;

/**
 * What a function is: its code and limits and, for the route functions, their table access and
 * capability flags. The scaler (`scalerFunction` in `lambdas/routes.ts`) has neither: its
 * construct grants what it needs through the intent-named methods.
 */
export type FunctionSpec = Pick<FunctionDefinition, 'entry' | 'description' | 'timeoutMs'> &
  Partial<Omit<FunctionDefinition, 'entry' | 'description' | 'timeoutMs'>>;

/** Powertools' service name (the logger in `lambdas/adapters/logger.ts` uses the same). */
export { SERVICE_NAME };

/** `FUNCTION_MEMORY_MB` (lambdas/routes.ts): one value for CDK and the cost model. */
export const DEFAULT_MEMORY_MB = FUNCTION_MEMORY_MB;

/** Lambda runs Node.js ESM bundles from `.mjs`; CommonJS dependencies still call `require`. */

/** The DynamoDB actions each access level needs, and nothing more. */
export const TABLE_ACTIONS = {
  /** The post transaction's Put on the comment feed. (IAM authorizes each item of TransactWriteItems as its own action.) */
  writesComments: ['dynamodb:PutItem'],
  /** Reading a time range of each shard. */
  queriesComments: ['dynamodb:Query'],
  /** The post path: the room (GetItem), the idempotency record read-back (GetItem), and the transaction's Puts of idempotency and slow-mode items. */
  writesControl: ['dynamodb:GetItem', 'dynamodb:PutItem'],
  /** Reading a room. */
  readsControl: ['dynamodb:GetItem'],
  /** The admin API on the feed: listing (Query), deletions (the transaction's Update and tombstone Put). */
  moderatesComments: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  /** The admin API on the control table: rooms, channels, lists, audit; listing through its indexes. */
  /** The archiver on rooms: read them (listing in batches) and move their watermark (ADR 0037). */
  archivesRooms: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:UpdateItem'],
  administersControl: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:Query',
  ],
} as const;

export interface ChatTables {
  readonly comments: ITable;
  readonly control: ITable;
}

/** The realtime API, as a publishing function sees it (from the Realtime stack). */
export interface RealtimeEndpoints {
  /** AppSync's GraphQL endpoint: where the backend publishes, signed with IAM. */
  readonly graphqlUrl: string;
  /** The realtime (WebSocket) endpoint players subscribe on. */
  readonly realtimeUrl: string;
  /** The API key players subscribe with (the newest one). */
  readonly apiKey: string;
  /** The API id: the `GraphQLAPIId` dimension of AppSync's CloudWatch metrics. */
  readonly apiId: string;
  /** `appsync:GraphQL` on `Mutation.publish` only (`RealtimeApi.publishPolicy`). */
  readonly publishPolicy: IManagedPolicy;
}

/** The CDN as the admin function reaches it: by the SSM parameter that names it (ADR 0011). */
export interface EdgeAccess {
  readonly distribution: IDistribution;
  /** Holds `{"distributionId","url"}`; its name is the function's `EDGE_PARAMETER_NAME`. */
  readonly parameter: IStringParameter;
}

/** What a `schedulesCapacity` function schedules and invokes (ADR 0016). */
export interface CapacityScheduling {
  /** The scaler's `live` alias: what the schedules target and the function invokes directly. */
  readonly scaler: IFunction;
  /** The role EventBridge Scheduler assumes to invoke the scaler; passed on every schedule. */
  readonly schedulerRole: IRole;
  /** The schedule group every schedule is created in (`hybrid-chat-<stage>`). */
  readonly scheduleGroupName: string;
  readonly timing: CapacityTiming;
}

/** What the definition's capability flags need besides the tables. */
export interface FunctionCapabilities {
  /** Needed when the definition `publishes` or `readsMetrics`. */
  readonly realtime?: RealtimeEndpoints;
  /**
   * The deployment stage, needed when the definition `publishes`: a publisher counts the publishes
   * it gave up on (`RealtimePublishFailed`) with the stage as a dimension (ADR 0033).
   */
  readonly stage?: string;
  /**
   * The fixed name of the edge parameter, needed when the definition `invalidatesEdge` or
   * `readsMetrics`. A plain string, not the parameter's token: the parameter is made after the
   * distribution, which is made after the API, which needs this function (ADR 0011).
   */
  readonly edgeParameterName?: string;
  /** Needed when the definition `schedulesCapacity`. */
  readonly capacity?: CapacityScheduling;
  /** The segment archive's bucket (ADR 0037), needed when the definition has `archive`. */
  readonly archive?: IBucket;
}

/**
 * The environment the capability flags of a definition add, and only those: `publishes` → the
 * realtime endpoints and key, and the stage its failure metric carries; `readsMetrics` → the AppSync API id and the edge parameter;
 * `invalidatesEdge` → the edge parameter; `schedulesCapacity` → the scaler, the scheduler role,
 * the schedule group and the lead and tail minutes. Throws when a flag's input is missing.
 */
export function capabilityEnvironment(
  definition: FunctionSpec,
  capabilities: FunctionCapabilities,
): Partial<FunctionEnvironment> {
  const { realtime, stage, edgeParameterName, capacity, archive } = capabilities;
  const needs = (what: string, flag: string): never => {
    throw new Error(
      `${definition.description}: ${flag} needs ${what}; pass it in the function's capabilities.`,
    );
  };
  const environment: Partial<Record<keyof FunctionEnvironment, string>> = {};
  if (definition.publishes) {
    if (!realtime) return needs('the realtime endpoints', 'publishes');
    environment.REALTIME_GRAPHQL_URL = realtime.graphqlUrl;
    // Without a custom domain, players use the same AppSync endpoints the backend publishes to.
    environment.REALTIME_CLIENT_GRAPHQL_URL = realtime.graphqlUrl;
    environment.REALTIME_CLIENT_REALTIME_URL = realtime.realtimeUrl;
    environment.REALTIME_API_KEY = realtime.apiKey;
    if (!stage) return needs('the stage', 'publishes');
    environment.STAGE = stage;
  }
  if (definition.readsMetrics) {
    if (!realtime) return needs('the realtime API id', 'readsMetrics');
    environment.REALTIME_API_ID = realtime.apiId;
  }
  if (definition.invalidatesEdge || definition.readsMetrics) {
    if (!edgeParameterName) return needs('the edge parameter name', 'invalidatesEdge/readsMetrics');
    environment.EDGE_PARAMETER_NAME = edgeParameterName;
  }
  if (definition.schedulesCapacity) {
    if (!capacity) return needs('the scaler and its scheduler', 'schedulesCapacity');
    environment.SCALER_FUNCTION_ARN = capacity.scaler.functionArn;
    environment.SCHEDULER_ROLE_ARN = capacity.schedulerRole.roleArn;
    environment.SCHEDULE_GROUP_NAME = capacity.scheduleGroupName;
    Object.assign(environment, timingEnvironment(capacity.timing));
  }
  if (definition.archive) {
    if (!archive) return needs('the archive bucket', 'archive');
    environment.ARCHIVE_BUCKET_NAME = archive.bucketName;
  }
  return environment;
}

/** The lead and tail minutes, as both the scaler and a `schedulesCapacity` function read them. */
export function timingEnvironment(
  timing: CapacityTiming,
): Pick<FunctionEnvironment, 'CAPACITY_LEAD_MINUTES' | 'CAPACITY_TAIL_MINUTES'> {
  return {
    CAPACITY_LEAD_MINUTES: String(timing.leadMinutes),
    CAPACITY_TAIL_MINUTES: String(timing.tailMinutes),
  };
}

/**
 * Every schedule of the group: the names are made at run time (one pair per room), so the
 * resource ends in `*`. Built from pseudo parameters, not the stack's region and account, so the
 * ARN (and its cdk-nag acknowledgement) reads the same whether or not the stack has an env.
 */
export function schedulesInGroupArn(scheduleGroupName: string): string {
  return `arn:${Aws.PARTITION}:scheduler:${Aws.REGION}:${Aws.ACCOUNT_ID}:schedule/${scheduleGroupName}/*`;
}

/** The actions a `schedulesCapacity` function has on the schedules of its group, and no others. */
export const SCHEDULE_ACTIONS = [
  'scheduler:CreateSchedule',
  'scheduler:UpdateSchedule',
  'scheduler:DeleteSchedule',
  'scheduler:GetSchedule',
] as const;

export interface ChatFunctionProps {
  /** The function's entry, timeout, table access and capability flags, from `lambdas/routes.ts`. */
  readonly definition: FunctionSpec;
  /** The settings every function gets; the capability flags add theirs (`capabilityEnvironment`). */
  readonly environment: FunctionEnvironment;
  /** @default none: a definition with a capability flag then fails the synth. */
  readonly capabilities?: FunctionCapabilities;
  readonly logRetention: RetentionDays;
  /** What happens to the log group when the stack is deleted. */
  readonly logRemovalPolicy: RemovalPolicy;
  /**
   * @default DEFAULT_MEMORY_MB (512)
   */
  readonly memorySize?: number;
}

/**
 * One function with the project's defaults: Node.js 22 on arm64, an ESM
 * bundle (minified, source maps, the AWS SDK bundled so its version is the one
 * tested, class names kept), no active tracing (ADR 0021), JSON logs in its own log group with a retention, a
 * published version behind the alias `live` (SCALED_ALIAS), and a role that
 * starts empty — table access comes only from the intent-named methods below.
 */
export class ChatFunction extends Construct {
  /** The function itself (unqualified). */
  readonly function: IFunction;
  /**
   * `live`, on the version this deploy published: what every caller invokes (API Gateway,
   * EventBridge Scheduler, the admin function), and where the scaler sets provisioned concurrency —
   * which exists only on an alias or version, so an unqualified call would bypass it.
   */
  readonly alias: Alias;
  readonly logGroup: ILogGroup;
  private readonly definition: FunctionSpec;
  private readonly role: Role;
  private readonly nodeFunction: NodejsFunction;

  constructor(scope: Construct, id: string, props: ChatFunctionProps) {
    super(scope, id);
    const { definition } = props;
    this.definition = definition;
    const entry = fromProjectRoot(definition.entry);
    if (!existsSync(entry)) {
      throw new Error(
        `${id}: entry ${definition.entry} does not exist (looked at ${entry}); fix lambdas/routes.ts.`,
      );
    }
    if (
      !Number.isInteger(definition.timeoutMs / 1000) ||
      definition.timeoutMs < 1000 ||
      definition.timeoutMs > 900_000
    ) {
      throw new Error(
        `${id}: timeoutMs must be whole seconds between 1,000 and 900,000 (Lambda's limits), got ${definition.timeoutMs}.`,
      );
    }

    const memorySize = props.memorySize ?? DEFAULT_MEMORY_MB;
    if (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > 10_240) {
      throw new Error(
        `${id}: memorySize must be whole MB between 128 and 10,240 (Lambda's limits), got ${memorySize}.`,
      );
    }

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });

    // An explicit role instead of the managed AWSLambdaBasicExecutionRole:
    // write access to this function's log group only, no logs:CreateLogGroup on *.
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${definition.description}: logs, its table access and its capabilities`,
    });
    this.role = role;
    this.logGroup.grantWrite(role);
    const capabilities = props.capabilities ?? {};
    const extraEnvironment = capabilityEnvironment(definition, capabilities);

    const fn = new NodejsFunction(this, 'Function', {
      description: definition.description,
      entry,
      handler: 'handler',
      projectRoot: fromProjectRoot('.'),
      depsLockFilePath: fromProjectRoot('package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize,
      timeout: Duration.millis(definition.timeoutMs),
      role,
      // Off (ADR 0021): the code records no subsegments, and the X-Ray SDK would double the viewer
      // bundles. API Gateway's and AppSync's own traces still show each request's time in them.
      tracing: Tracing.DISABLED,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      environment: {
        ...props.environment,
        ...extraEnvironment,
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: FUNCTION_BUNDLING.target,
        mainFields: [...FUNCTION_BUNDLING.mainFields],
        banner: FUNCTION_BUNDLING.banner,
        minify: FUNCTION_BUNDLING.minify,
        keepNames: FUNCTION_BUNDLING.keepNames,
        sourceMap: FUNCTION_BUNDLING.sourceMap,
        // The SDK version in the bundle is the one the tests ran with.
        bundleAwsSDK: true,
      },
    });
    this.function = fn;
    this.nodeFunction = fn;
    // Each deploy that changes the function publishes a version and moves the alias to it; the old
    // version is deleted (CDK's default), so versions do not pile up against Lambda's code storage.
    this.alias = new Alias(this, 'Alias', { aliasName: SCALED_ALIAS, version: fn.currentVersion });

    if (definition.publishes) role.addManagedPolicy(capabilities.realtime!.publishPolicy);
    if (definition.readsMetrics) {
      // Its own policy, so that its IAM5 acknowledgement names this grant alone.
      const metrics = new Policy(this, 'MetricsPolicy', {
        roles: [role],
        statements: [new PolicyStatement({ actions: ['cloudwatch:GetMetricData'], resources: ['*'] })],
      });
      Validations.of(metrics).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'cloudwatch:GetMetricData supports no resource-level permissions (Service Authorization Reference), ' +
          'so its resource must be *. It reads metrics only (room statistics: AppSync connections, CloudFront ' +
          'requests); no other CloudWatch action is granted.',
      });
    }
    if (definition.schedulesCapacity) this.grantCapacityScheduling(capabilities.capacity!);
    if (definition.archive) this.grantArchiveAccess(capabilities.archive!, definition.archive);

    Validations.of(fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is pinned on purpose: the bundles target node22 and the handlers are tested on the ' +
        'Node versions of the toolchain (ADR 0001). Move to the next runtime together with the toolchain.',
    });
  }

  /**
   * Lets an `invalidatesEdge` function invalidate the distribution, and an `invalidatesEdge` or
   * `readsMetrics` one read the edge parameter; nothing for other functions. Called once the CDN
   * exists. A separate policy, not the role's default one: the function waits for its default
   * policy, the distribution waits for the API and so for the function, and a reference from the
   * default policy to the distribution would close that loop.
   */
  grantEdgeAccess(edge: EdgeAccess): void {
    const { invalidatesEdge, readsMetrics } = this.definition;
    if (!invalidatesEdge && !readsMetrics) return;
    const statements = [
      new PolicyStatement({ actions: ['ssm:GetParameter'], resources: [edge.parameter.parameterArn] }),
    ];
    if (invalidatesEdge) {
      statements.push(
        new PolicyStatement({
          actions: ['cloudfront:CreateInvalidation'],
          resources: [edge.distribution.distributionArn],
        }),
      );
    }
    new Policy(this, 'EdgePolicy', { roles: [this.role], statements });
  }

  /**
   * Sets a variable after construction, for a value that exists only once the function does
   * (the scaler's REST API id: the API is built from the functions).
   */
  addEnvironment(key: keyof FunctionEnvironment, value: string): void {
    this.nodeFunction.addEnvironment(key, value);
  }

  /**
   * Create, update, delete and read schedules in the group (their names are made at run time),
   * pass the scheduler role to EventBridge Scheduler and nothing else, and invoke the scaler's
   * alias directly (dry runs, immediate runs). Its own policy, so that its IAM5 acknowledgement
   * carries its own reason.
   */
  private grantCapacityScheduling(capacity: CapacityScheduling): void {
    const policy = new Policy(this, 'CapacitySchedulingPolicy', {
      roles: [this.role],
      statements: [
        new PolicyStatement({
          actions: [...SCHEDULE_ACTIONS],
          resources: [schedulesInGroupArn(capacity.scheduleGroupName)],
        }),
        new PolicyStatement({
          actions: ['iam:PassRole'],
          resources: [capacity.schedulerRole.roleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        }),
        new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [capacity.scaler.functionArn] }),
      ],
    });
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${capacity.scheduleGroupName}/*]`,
      reason:
        'The admin function creates one-time schedules per room at run time, so their names are not known ' +
        "at deploy time; the grant is limited to schedules of this stage's own group, and to create, update, " +
        'delete and get (no list, no other group, no group management).',
    });
  }

  /**
   * The archive's objects under `rooms/`: GetObject (`read`), and PutObject too (`write`); and
   * ListBucket on that prefix, so a missing object answers 404 (an empty segment) rather than 403.
   * Its own policy, so that its IAM5 acknowledgement names this grant alone.
   */
  private grantArchiveAccess(bucket: IBucket, level: 'read' | 'write'): void {
    const policy = new Policy(this, 'ArchivePolicy', {
      roles: [this.role],
      statements: [
        new PolicyStatement({
          actions: level === 'write' ? ['s3:GetObject', 's3:PutObject'] : ['s3:GetObject'],
          resources: [bucket.arnForObjects(`${ARCHIVE_PREFIX}*`)],
        }),
        new PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': `${ARCHIVE_PREFIX}*` } },
        }),
      ],
    });
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagResource(Stack.of(this).resolve(bucket.bucketArn))}/${ARCHIVE_PREFIX}*]`,
      reason:
        'One object per room and segment, named at run time (rooms/<roomId>/segments/<n>.json.gz), so the ' +
        'grant is the rooms/ prefix of the archive bucket alone: GetObject, PutObject only where the function ' +
        'writes the archive, no delete; ListBucket only under that prefix (a missing object is then a 404).',
    });
  }

  /** Grants exactly what `definition.access` in `lambdas/routes.ts` says. */
  grantTableAccess(tables: ChatTables): void {
    if (!this.definition.access) {
      throw new Error(
        `${this.definition.description}: no table access levels to grant; use the intent-named methods.`,
      );
    }
    const { comments, control } = this.definition.access;
    switch (comments) {
      case 'write':
        this.writesComments(tables.comments);
        break;
      case 'query':
        this.queriesComments(tables.comments);
        break;
      case 'moderate':
        this.allow(tables.comments, TABLE_ACTIONS.moderatesComments);
        break;
      default:
        assertNever(comments);
    }
    switch (control) {
      case 'write':
        this.writesControl(tables.control);
        break;
      case 'read':
        this.readsControl(tables.control);
        break;
      case 'admin':
        this.administersControl(tables.control);
        break;
      default:
        assertNever(control);
    }
  }

  /** Appends comments (inside the post transaction). */
  writesComments(table: ITable): void {
    this.allow(table, TABLE_ACTIONS.writesComments);
  }

  /** Reads comment ranges per shard. */
  queriesComments(table: ITable): void {
    this.allow(table, TABLE_ACTIONS.queriesComments);
  }

  /** Reads rooms and idempotency records, writes idempotency and slow-mode items. */
  writesControl(table: ITable): void {
    this.allow(table, TABLE_ACTIONS.writesControl);
  }

  /** Reads rooms. */
  readsControl(table: ITable): void {
    this.allow(table, TABLE_ACTIONS.readsControl);
  }

  /**
   * Rooms, channels, lists and the audit log, read and written; rooms listed through `indexes`
   * (keys only: Query on exactly those index ARNs).
   */
  administersControl(
    table: ITable,
    indexes: readonly GlobalIndexDefinition[] = controlTable.globalIndexes ?? [],
  ): void {
    this.allow(table, TABLE_ACTIONS.administersControl);
    if (indexes.length === 0) return;
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: indexes.map((index) => `${table.tableArn}/index/${index.name}`),
      }),
    );
  }

  /**
   * The archiver on the control table (ADR 0037): every room listed through the all-rooms index
   * (keys only: Query on that index), the rooms read in one batch, each room's watermark written.
   */
  archivesRooms(table: ITable): void {
    this.allow(table, TABLE_ACTIONS.archivesRooms);
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${table.tableArn}/index/${allRoomsIndex.name}`],
      }),
    );
  }

  /** The table itself only: no index ARNs until a function needs an index. */
  private allow(table: ITable, actions: readonly string[]): void {
    this.function.addToRolePolicy(
      new PolicyStatement({ actions: [...actions], resources: [table.tableArn] }),
    );
  }
}

/** How cdk-nag writes a resolved ARN in a finding id: an import by its export name, an attribute as `<Id.Arn>`. */
function nagResource(resolved: unknown): string {
  const value = resolved as { 'Fn::ImportValue'?: unknown; 'Fn::GetAtt'?: [string, string] };
  if (typeof value['Fn::ImportValue'] === 'string') return value['Fn::ImportValue'];
  if (value['Fn::GetAtt']) return `<${value['Fn::GetAtt'][0]}.${value['Fn::GetAtt'][1]}>`;
  throw new Error(
    `The archive bucket's ARN is neither an import nor an attribute: ${JSON.stringify(resolved)}.`,
  );
}
