import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Duration, Expiration, Fn, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AuthorizationType,
  CfnApiKey,
  type CfnGraphQLApi,
  Code,
  Definition,
  FieldLogLevel,
  FunctionRuntime,
  GraphqlApi,
  IamResource,
  IntrospectionConfig,
  type NoneDataSource,
  Resolver,
} from 'aws-cdk-lib/aws-appsync';
import {
  type Grant,
  type IGrantable,
  ManagedPolicy,
  PolicyStatement,
  Role,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { type ILogGroup, LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct, type IConstruct } from 'constructs';
import { type ResolverFile, resolverFiles, schemaPath as defaultSchemaPath } from '../../graphql/bundle.js';
import { parseAppSyncSchema } from '../../graphql/appsync-schema.js';
import { checkResolversAgainstSchema } from '../appsync-schema.js';
import { projectRoot } from '../paths.js';
import { bundleResolversSync } from '../../graphql/bundle.js';

/** AppSync's limits for an API key's lifetime, counted from when it is created or updated. */
export const MIN_API_KEY_EXPIRY = Duration.days(1);
export const MAX_API_KEY_EXPIRY = Duration.days(365);

/**
 * A day short of AppSync's maximum: AppSync refuses an expiry more than 365 days after *its* clock,
 * so exactly 365 days after the synth fails a deploy from a machine whose clock runs ahead. Every
 * deploy moves the expiry this far past the synth (ADR 0009).
 */
export const DEFAULT_API_KEY_EXPIRY = Duration.days(364);

/** The viewers' API key, until a rotation adds another (see `RealtimeApiProps.apiKeys`). */
export const DEFAULT_API_KEYS = ['Viewers'] as const;

/** The backend's only mutation (graphql/schema.graphql): the one field `grantPublish` opens. */
export const PUBLISH_MUTATION = 'publish';

export interface RealtimeApiProps {
  /**
   * The AppSync API's name (not unique in AppSync; for people reading the console).
   * @default the stack's name
   */
  readonly name?: string;
  /**
   * @default graphql/schema.graphql
   */
  readonly schemaPath?: string;
  /**
   * The resolver files to deploy, checked against the schema at synth.
   * @default every `<Type>.<field>.ts` of graphql/resolvers/ (`resolverFiles()`)
   */
  readonly resolvers?: readonly ResolverFile[];
  /**
   * How long after this synth the API keys expire: at least a day, at most 365 days (AppSync's
   * limits). Each deploy writes a new expiry, so a stage deployed within this period never lapses.
   * @default DEFAULT_API_KEY_EXPIRY (364 days)
   */
  readonly apiKeyExpiry?: Duration;
  /**
   * The viewers' API keys, oldest first; players are given the last (output `ApiKeyId`). To replace
   * the key (leaked, or to be sure of the date), add a name — `['Viewers', 'Viewers2']` — deploy,
   * ship players the new key, then remove the old name and deploy again. Each key's logical id is
   * pinned to `ApiKey<name>`, so the surviving key is never replaced when the list changes.
   * @default DEFAULT_API_KEYS
   */
  readonly apiKeys?: readonly string[];
  /** Whether GraphQL introspection answers: on in dev (tools), off in prod (no schema for strangers). */
  readonly introspection: boolean;
  readonly logRetention: RetentionDays;
  /** What happens to the log group when the stack is deleted. */
  readonly logRemovalPolicy: RemovalPolicy;
}

/**
 * The realtime path's AppSync GraphQL API (ARCHITECTURE §6, ADR 0009): the schema file, API key
 * (viewers) as the default mode and IAM (the backend) as the additional one, one APPSYNC_JS unit
 * resolver per resolver file on a NONE data source with exactly the code `graphql/bundle.ts` makes,
 * error-level field logs without message bodies, X-Ray, and introspection only where asked.
 *
 * Construction fails — and so `npm run synth` fails — when a resolver file names a field the
 * schema does not have, or a query, mutation or subscription field has no resolver file.
 *
 * API key rotation (also ADR 0009). AppSync keys expire (365 days at most after they are created
 * or updated) and an expired key stops every viewer's subscription:
 *   1. Routine: every deploy sets each key's `Expires` to `apiKeyExpiry` after the synth. The key
 *      (its value) stays the same, so deploying at least once within that period is enough. The
 *      stack's `ApiKeyExpires` output says when the current one lapses.
 *   2. Replacement: add a key name to `apiKeys`, deploy, give players the new key (output
 *      `ApiKeyId`), wait until no player uses the old one, remove its name, deploy.
 */
export class RealtimeApi extends Construct {
  readonly api: GraphqlApi;
  readonly noneDataSource: NoneDataSource;
  /** One per resolver file, by `<Type>.<field>`. */
  readonly resolvers: ReadonlyMap<string, Resolver>;
  /** The viewers' API keys, oldest first. */
  readonly apiKeys: readonly CfnApiKey[];
  /** When the API keys lapse unless the stack is deployed again. */
  readonly apiKeyExpiration: Expiration;
  /** `/aws/appsync/apis/<apiId>`, made here so it has a retention and a removal policy. */
  readonly logGroup: ILogGroup;
  /**
   * `appsync:GraphQL` on `Mutation.publish` of this API and nothing else: attach it to the role of
   * whatever publishes room events (the admin API's functions). `grantPublish` grants the same inline.
   */
  readonly publishPolicy: ManagedPolicy;
  /** `wss://…appsync-realtime-api…/graphql`, derived from the GraphQL URL (a token). */
  readonly realtimeUrl: string;

  constructor(scope: Construct, id: string, props: RealtimeApiProps) {
    super(scope, id);
    const schemaFile = props.schemaPath ?? defaultSchemaPath;
    const schemaName = path.relative(projectRoot, schemaFile);
    const schema = parseAppSyncSchema(readFileSync(schemaFile, 'utf8'), schemaName);
    const files = props.resolvers ?? resolverFiles();
    checkResolversAgainstSchema(schema, files, schemaName);
    if (!schema.getMutationType()?.getFields()[PUBLISH_MUTATION]) {
      throw new Error(`${schemaName} has no Mutation.${PUBLISH_MUTATION}: the backend publishes with it.`);
    }

    const expiry = props.apiKeyExpiry ?? DEFAULT_API_KEY_EXPIRY;
    if (
      expiry.toSeconds() < MIN_API_KEY_EXPIRY.toSeconds() ||
      expiry.toSeconds() > MAX_API_KEY_EXPIRY.toSeconds()
    ) {
      throw new Error(
        `${id}: apiKeyExpiry must be between 1 and 365 days (AppSync's limits), got ${expiry.toHumanString()}.`,
      );
    }
    const keyNames = props.apiKeys ?? DEFAULT_API_KEYS;
    validateKeyNames(id, keyNames);
    this.apiKeyExpiration = Expiration.after(expiry);

    this.api = new GraphqlApi(this, 'Api', {
      name: props.name ?? Stack.of(this).stackName,
      definition: Definition.fromFile(schemaFile),
      authorizationConfig: {
        defaultAuthorization: {
          authorizationType: AuthorizationType.API_KEY,
          apiKeyConfig: {
            name: keyNames[0],
            description: apiKeyDescription(keyNames[0]!),
            expires: this.apiKeyExpiration,
          },
        },
        additionalAuthorizationModes: [{ authorizationType: AuthorizationType.IAM }],
      },
      xrayEnabled: true,
      introspectionConfig: props.introspection ? IntrospectionConfig.ENABLED : IntrospectionConfig.DISABLED,
      // No logConfig here: with one, GraphqlApi adds a LogRetention custom resource (a Lambda
      // function) and a role with AWS's managed policy on `*`. The log group and a role scoped
      // to it are made below instead, and the API's log settings are set on the L1 resource.
    });

    this.apiKeys = keyNames.map((name, i) => {
      const key =
        i === 0
          ? (this.api.node.findChild(`${name}ApiKey`) as CfnApiKey)
          : new CfnApiKey(this, `${name}ApiKey`, {
              apiId: this.api.apiId,
              description: apiKeyDescription(name),
              expires: this.apiKeyExpiration.toEpoch(),
            });
      key.overrideLogicalId(`ApiKey${name}`);
      if (i > 0) this.api.addSchemaDependency(key);
      return key;
    });

    // AppSync writes to /aws/appsync/apis/<apiId> and creates that group only when it first logs,
    // so the stack can own it: retention and removal policy like the other stacks' logs. The role
    // may write there and nowhere else (no logs:CreateLogGroup, no `*`).
    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/appsync/apis/${this.api.apiId}`,
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    const logsRole = new Role(this, 'LogsRole', {
      assumedBy: new ServicePrincipal('appsync.amazonaws.com'),
      description: 'AppSync writes the realtime API field logs to its own log group, nowhere else',
    });
    this.logGroup.grantWrite(logsRole);
    const cfnApi = this.api.node.defaultChild as CfnGraphQLApi;
    cfnApi.logConfig = {
      cloudWatchLogsRoleArn: logsRole.roleArn,
      // Errors only, without request/response bodies, headers or resolver context: room events carry
      // artist messages and user ids, and every viewer's subscription would otherwise be logged.
      fieldLogLevel: FieldLogLevel.ERROR,
      excludeVerboseContent: true,
    };
    Validations.of(cfnApi as IConstruct).acknowledge({
      id: 'AwsSolutions-ASC3',
      reason:
        'Request-level logging is on (ERROR field logs through a CloudWatch Logs role, with X-Ray); the rule ' +
        'also wants verbose content, which would log request and response bodies, headers and resolver ' +
        'context: artist messages and viewer ids for every event. excludeVerboseContent is true on purpose.',
    });

    this.noneDataSource = this.api.addNoneDataSource('None', {
      description: 'Passes events through: publish returns its input, subscribers receive it',
    });
    const resolvers = new Map<string, Resolver>();
    for (const bundle of bundleResolversSync(files)) {
      const field = `${bundle.typeName}.${bundle.fieldName}`;
      resolvers.set(
        field,
        new Resolver(this, field, {
          api: this.api,
          dataSource: this.noneDataSource,
          typeName: bundle.typeName,
          fieldName: bundle.fieldName,
          runtime: FunctionRuntime.JS_1_0_0,
          code: Code.fromInline(bundle.code),
        }),
      );
    }
    this.resolvers = resolvers;

    this.publishPolicy = new ManagedPolicy(this, 'PublishRoomEventsPolicy', {
      description:
        'Publish room events: appsync:GraphQL on Mutation.publish of the realtime API, nothing else',
      statements: [
        new PolicyStatement({
          actions: ['appsync:GraphQL'],
          resources: IamResource.ofType('Mutation', PUBLISH_MUTATION).resourceArns(this.api),
        }),
      ],
    });

    this.realtimeUrl = realtimeUrlOf(this.api.graphqlUrl);
  }

  /** The newest API key: the one to give players. */
  get currentApiKey(): CfnApiKey {
    return this.apiKeys.at(-1)!;
  }

  /** Lets `grantee` call the `publish` mutation (IAM), and no other field. */
  grantPublish(grantee: IGrantable): Grant {
    return this.api.grantMutation(grantee, PUBLISH_MUTATION);
  }
}

/**
 * AppSync's realtime endpoint for a GraphQL endpoint, as AppSync documents its discovery:
 * `https://<id>.appsync-api.<region>.amazonaws.com/graphql` →
 * `wss://<id>.appsync-realtime-api.<region>.amazonaws.com/graphql`. Built with CloudFormation
 * functions, since the URL is only known at deploy time; plain strings are converted directly.
 */
export function realtimeUrlOf(graphqlUrl: string): string {
  const [host, rest] = [0, 1].map((i) => Fn.select(i, Fn.split('appsync-api', graphqlUrl)));
  // host is `https://<id>.`: drop the scheme, keep `://<id>.`.
  return Fn.join('', ['wss', Fn.select(1, Fn.split('https', host!)), 'appsync-realtime-api', rest!]);
}

function apiKeyDescription(name: string): string {
  return `Viewers (${name}): expiry moved forward by every deploy; rotation in ADR 0009`;
}

function validateKeyNames(id: string, names: readonly string[]): void {
  if (names.length === 0) {
    throw new Error(`${id}: apiKeys needs at least one name; viewers subscribe with an API key.`);
  }
  for (const name of names) {
    if (!/^[A-Z][A-Za-z0-9]{0,31}$/.test(name)) {
      throw new Error(
        `${id}: API key name ${JSON.stringify(name)} must be 1–32 letters and digits starting with a capital ` +
          '(it becomes the logical id ApiKey<name>).',
      );
    }
  }
  if (new Set(names).size !== names.length) {
    throw new Error(`${id}: apiKeys lists a name twice: ${names.join(', ')}.`);
  }
}
