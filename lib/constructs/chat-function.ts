import { existsSync } from 'node:fs';
import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, type IFunction, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { type ILogGroup, LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { z } from 'zod';
import type { Config } from '../../lambdas/config.js';
import type { FunctionDefinition } from '../../lambdas/routes.js';
import { fromProjectRoot } from '../paths.js';
import { assertNever } from '../stage-config.js';

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

/** Powertools' service name (the logger in `lambdas/adapters/logger.ts` uses the same). */
export const SERVICE_NAME = 'hybrid-live-chat';

/**
 * 512 MB: the handlers hold the SDK, jose and zod; on Lambda, memory also buys CPU, and 512 MB keeps
 * cold starts and JWT verification short at a per-request price the poll path's cache makes small.
 */
export const DEFAULT_MEMORY_MB = 512;

/** Lambda runs Node.js ESM bundles from `.mjs`; CommonJS dependencies still call `require`. */
const ESM_REQUIRE_SHIM =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

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
} as const;

export interface ChatTables {
  readonly comments: ITable;
  readonly control: ITable;
}

export interface ChatFunctionProps {
  /** The function's entry, timeout and table access, from `lambdas/routes.ts`. */
  readonly definition: FunctionDefinition;
  readonly environment: FunctionEnvironment;
  readonly logRetention: RetentionDays;
  /** What happens to the log group when the stack is deleted. */
  readonly logRemovalPolicy: RemovalPolicy;
  /**
   * @default DEFAULT_MEMORY_MB (512)
   */
  readonly memorySize?: number;
}

/**
 * One HTTP function with the project's defaults: Node.js 22 on arm64, an ESM
 * bundle (minified, source maps, the AWS SDK bundled so its version is the one
 * tested), X-Ray tracing, JSON logs in its own log group with a retention, and
 * a role that starts empty — table access comes only from the intent-named
 * methods below.
 */
export class ChatFunction extends Construct {
  readonly function: IFunction;
  readonly logGroup: ILogGroup;
  private readonly definition: FunctionDefinition;

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
      description: `${definition.description}: logs, traces and its table access`,
    });
    this.logGroup.grantWrite(role);

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
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      environment: {
        ...props.environment,
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_SHIM,
        minify: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: false,
        bundleAwsSDK: true,
      },
    });
    this.function = fn;

    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Added by CDK for active X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no ' +
        'resource-level permissions (Service Authorization Reference), so their resource must be *.',
    });
    Validations.of(fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is pinned on purpose: the bundles target node22 and the handlers are tested on the ' +
        'Node versions of the toolchain (ADR 0001). Move to the next runtime together with the toolchain.',
    });
  }

  /** Grants exactly what `definition.access` in `lambdas/routes.ts` says. */
  grantTableAccess(tables: ChatTables): void {
    const { comments, control } = this.definition.access;
    switch (comments) {
      case 'write':
        this.writesComments(tables.comments);
        break;
      case 'query':
        this.queriesComments(tables.comments);
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

  /** The table itself only: no index ARNs until a function needs an index. */
  private allow(table: ITable, actions: readonly string[]): void {
    this.function.addToRolePolicy(
      new PolicyStatement({ actions: [...actions], resources: [table.tableArn] }),
    );
  }
}
