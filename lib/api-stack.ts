import {
  CfnOutput,
  CrossStackReferences,
  Fn,
  Duration,
  ReferenceStrength,
  RemovalPolicy,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { PriceClass } from 'aws-cdk-lib/aws-cloudfront';
import type { Alias, IFunction } from 'aws-cdk-lib/aws-lambda';
import { Bucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { ParameterTier, StringParameter } from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import {
  BASELINE_STAGE_THROTTLING,
  SCALED_FUNCTIONS,
  type ScaledFunction,
} from '../lambdas/domain/capacity/target.js';
import { ADMIN_API_PREFIX, CONSOLE_PATH_PREFIX, PLAYER_PATH_PREFIX } from '../lambdas/domain/paths.js';
import type { ConsoleConfigInput } from '../web/console/config.js';
import { CLOSED_SEGMENT_CDN_SECONDS } from '../lambdas/cache-control.js';
import {
  binaryMediaTypes,
  cors,
  type FunctionName,
  functions,
  gatewayResponses,
  limitsSchedulerFunction,
  limitsWorkerFunction,
  ORIGIN_HEADER,
  routes,
} from '../lambdas/routes.js';
import { Canary } from './constructs/canary.js';
import { Archiver } from './constructs/segment-archive.js';
import { archiveBucketExports } from './data-stack.js';
import { ApiFirewall, VIEWER_ADDRESS_HEADER } from './constructs/api-firewall.js';
import { CapacityScaler } from './constructs/capacity-scaler.js';
import { ChatApi } from './constructs/chat-api.js';
import { ChatCdn } from './constructs/chat-cdn.js';
import {
  ChatFunction,
  type FunctionEnvironment,
  type RealtimeEndpoints,
} from './constructs/chat-function.js';
import { Monitoring } from './constructs/monitoring.js';
import { OriginSecret } from './constructs/origin-secret.js';
import { ViewLimits } from './constructs/view-limits.js';
import { BASELINE_CSP, WebApp } from './constructs/web-app.js';
import { PLAYER_MEDIA_SRC } from '../web/headers.js';
import {
  assertStage,
  type CapacityTiming,
  type Stage,
  stageSettings,
  validateViewerToken,
  type ViewerTokenSettings,
} from './stage-config.js';

/** The longest any response may stay in the CDN: at least a day, since closed segments are sent with that. */
export const EDGE_MAX_TTL = Duration.seconds(Math.max(86_400, CLOSED_SEGMENT_CDN_SECONDS));

/**
 * The SSM parameter naming the CloudFront distribution (`{"distributionId","url"}`) for the admin
 * function. A fixed name, so the function can be told it before the distribution exists (ADR 0011).
 */
export function edgeParameterName(stage: Stage): string {
  return `/hybrid-chat/${stage}/edge`;
}

/**
 * The REST API's name: its metrics' `ApiName` dimension, so stages sharing an account and region
 * keep apart (the stage name alone does not: two `dev` deployments would mix) — ADR 0033.
 */
export function restApiName(stage: Stage): string {
  return `hybrid-chat-${stage}`;
}

export interface ApiStackProps extends StackProps {
  readonly stage: Stage;
  /** The comment feed (`DataStack.comments`). */
  readonly comments: ITable;
  /** The control table (`DataStack.control`). */
  readonly control: ITable;
  /**
   * The segment archive's bucket (`DataStack.archive`, ADR 0037): its grants use the Data stack's
   * named exports (`archiveBucketExports`), so this only says the bucket exists.
   */
  readonly archive: IBucket;
  /** The host service's viewer tokens. */
  readonly viewerToken: ViewerTokenSettings;
  /** The admin user pool (`AuthStack.userPool`): the admin routes' authoriser trusts its ID tokens. */
  readonly adminUserPool: IUserPool;
  /** The realtime API (`RealtimeStack`), for the functions that publish or read its metrics. */
  readonly realtime: RealtimeEndpoints;
  /** When the scaler runs around events (`-c capacityLeadMinutes`, `-c capacityTailMinutes`). */
  readonly capacity: CapacityTiming;
  /**
   * AWS WAF on the API stage (ADR 0031; `-c waf=false` turns it off).
   * @default true
   */
  readonly waf?: boolean;
  /**
   * `LIVE_COMMENT_LIMIT` for every function (`-c liveCommentLimit`): the read functions, the admin
   * function and the scaler must agree on it, or the plan's `live_document_truncated` advice would
   * not match the documents (ADR 0035).
   * @default unset: the functions' default (500)
   */
  readonly liveCommentLimit?: number;
  /**
   * @default PriceClass.PRICE_CLASS_200 (see `ChatCdnProps.priceClass`)
   */
  readonly priceClass?: PriceClass;
  /**
   * The web player's build output (the web build writes it): when given, the player is deployed to
   * S3 behind the distribution at `PLAYER_PATH_PREFIX`, with a `config.json` from this stage's
   * values (`playerConfig`). Synth fails, saying to run the web build, if the directory is missing.
   * @default the player is not deployed
   */
  readonly playerDirectory?: string;
  /**
   * The admin console's build output: when given, the console is deployed to S3 behind the
   * distribution at `CONSOLE_PATH_PREFIX`, with a `config.json` naming the user pool, its console
   * app client (`adminConsoleClient`, then required) and the realtime endpoints (`consoleConfig`).
   * @default the console is not deployed
   */
  readonly consoleDirectory?: string;
  /** The user pool's app client the console signs in with (`AdminUsers.consoleClient`). */
  readonly adminConsoleClient?: IUserPoolClient;
  /**
   * Whether this stack sets API Gateway's account-level CloudWatch Logs role, which stage logging needs.
   * @default true
   */
  readonly apiGatewayCloudWatchRole?: boolean;
  /**
   * Subscribes this address to the alarm topic (`-c alarmEmail=…`; AWS sends a confirmation mail first).
   * @default no subscription
   */
  readonly alarmEmail?: string;
}

/**
 * The request path: one function per route, the REST API built from the
 * route table (the admin routes behind the admin user pool's authoriser) and
 * invoking each function's `live` alias, CloudFront in front of it, the
 * parameter that tells the admin function which distribution that is, and the
 * capacity scaler with the scheduler that runs it around events (ADR 0016).
 */
export class ApiStack extends Stack {
  /** Each route function itself (unqualified). */
  readonly functions: Readonly<Record<FunctionName, IFunction>>;
  /** Each route function's `live` alias: what the API invokes. */
  readonly aliases: Readonly<Record<FunctionName, Alias>>;
  readonly capacity: CapacityScaler;
  readonly http: ChatApi;
  readonly cdn: ChatCdn;
  /** The secret CloudFront sends and the functions check, and its rotation (ADR 0030). */
  readonly originSecret: OriginSecret;
  /** The API stage's web ACL (ADR 0031); undefined with `waf: false`. Its metrics: `blockedRequests()`. */
  readonly firewall?: ApiFirewall;
  /** `edgeParameterName(stage)`: `{"distributionId","url"}` of `cdn.distribution`. */
  readonly edgeParameter: StringParameter;
  /** The web player behind the distribution, when `playerDirectory` was given (ADR 0025). */
  readonly player?: WebApp;
  /** The admin console behind the distribution, when `consoleDirectory` was given. */
  readonly console?: WebApp;
  /** The dashboard and the alarms, to one SNS topic (ADR 0033). */
  readonly monitoring: Monitoring;
  /** The canary through the distribution and AppSync, every minute, and its metrics (ADR 0032). */
  readonly canary: Canary;
  /** The daily view-limit batch: schedule, scheduler, queue and DLQ, worker (ADR 0039). */
  readonly viewLimits: ViewLimits;
  /** The archiver and its schedule (ADR 0037). */
  readonly archiver: Archiver;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    // Strong references (exports): CloudFormation refuses to delete or replace a table this stack still uses.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    assertStage(props.stage, `ApiStack ${id}`);
    if (!props.comments || !props.control) {
      throw new Error(`ApiStack ${id}: pass both tables (comments and control) from the DataStack.`);
    }
    validateViewerToken(props.viewerToken);
    const settings = stageSettings(props.stage);
    const waf = props.waf ?? true;
    this.originSecret = new OriginSecret(this, 'Origin', { removalPolicy: settings.removalPolicy });

    const environment: FunctionEnvironment = {
      ORIGIN_SECRET_ARN: this.originSecret.secret.secretArn,
      COMMENTS_TABLE_NAME: props.comments.tableName,
      CONTROL_TABLE_NAME: props.control.tableName,
      VIEWER_TOKEN_JWKS_URL: props.viewerToken.jwksUrl,
      VIEWER_TOKEN_ISSUER: props.viewerToken.issuer,
      VIEWER_TOKEN_AUDIENCE: props.viewerToken.audience,
      ...(props.liveCommentLimit !== undefined ? { LIVE_COMMENT_LIMIT: String(props.liveCommentLimit) } : {}),
    };

    // By the Data stack's named exports: the grants' ARN, and so their acknowledgement, is fixed.
    const archiveExports = archiveBucketExports(props.stage);
    const archive = Bucket.fromBucketAttributes(this, 'ArchiveBucket', {
      bucketArn: Fn.importValue(archiveExports.arn),
      bucketName: Fn.importValue(archiveExports.name),
    });
    this.node.addDependency(props.archive);

    const parameterName = edgeParameterName(props.stage);
    const tables = { comments: props.comments, control: props.control };
    const built: Partial<Record<FunctionName, ChatFunction>> = {};
    const build = (name: FunctionName, capacity?: CapacityScaler) => {
      // The capability flags of the definition decide which of these a function actually gets.
      const fn = new ChatFunction(this, `${name[0]?.toUpperCase()}${name.slice(1)}`, {
        definition: functions[name],
        environment,
        capabilities: {
          realtime: props.realtime,
          stage: props.stage,
          edgeParameterName: parameterName,
          archive,
          ...(capacity ? { capacity: capacity.scheduling } : {}),
        },
        logRetention: settings.logRetention,
        logRemovalPolicy: settings.removalPolicy,
      });
      fn.grantTableAccess(tables);
      this.originSecret.grantRead(fn.function);
      built[name] = fn;
    };

    // The scaler needs the functions it scales; the functions that schedule it need the scaler.
    const names = Object.keys(functions) as FunctionName[];
    const schedulers = names.filter((name) => functions[name].schedulesCapacity);
    for (const name of names.filter((n) => !schedulers.includes(n))) build(name);
    const scaled = Object.fromEntries(
      SCALED_FUNCTIONS.map((name) => {
        const fn = built[name];
        if (!fn) throw new Error(`ApiStack ${id}: the scaled function ${name} must not schedule capacity.`);
        return [name, fn];
      }),
    ) as Record<ScaledFunction, ChatFunction>;
    this.capacity = new CapacityScaler(this, 'Capacity', {
      stage: props.stage,
      environment,
      tables,
      scaled,
      timing: props.capacity,
      logRetention: settings.logRetention,
      logRemovalPolicy: settings.removalPolicy,
    });
    for (const name of schedulers) build(name, this.capacity);

    const chatFunctions = names.map((name) => built[name]!);
    this.functions = Object.fromEntries(names.map((name) => [name, built[name]!.function])) as Record<
      FunctionName,
      IFunction
    >;
    this.aliases = Object.fromEntries(names.map((name) => [name, built[name]!.alias])) as Record<
      FunctionName,
      Alias
    >;

    this.http = new ChatApi(this, 'Http', {
      restApiName: restApiName(props.stage),
      stageName: props.stage,
      routes,
      // The aliases, not the functions: provisioned concurrency lives on the alias (ADR 0016).
      functions: this.aliases,
      cors,
      binaryMediaTypes,
      gatewayResponses,
      adminUserPool: props.adminUserPool,
      // CloudFormation deploys the baseline; the scaler raises it for events and returns to it after.
      throttling: BASELINE_STAGE_THROTTLING,
      logRetention: settings.logRetention,
      logRemovalPolicy: settings.removalPolicy,
      cloudWatchRole: props.apiGatewayCloudWatchRole ?? true,
      firewall: waf,
    });
    this.capacity.manageStage(this.http.restApi, props.stage);
    if (waf) {
      this.firewall = new ApiFirewall(this, 'Firewall', {
        name: `hybrid-chat-${props.stage}-api`,
        stageArn: this.http.restApi.deploymentStage.stageArn,
      });
    }

    this.cdn = new ChatCdn(this, 'Edge', {
      api: this.http.restApi,
      routes,
      maxTtl: EDGE_MAX_TTL,
      ...(props.priceClass ? { priceClass: props.priceClass } : {}),
      // A dynamic reference: the template never holds the value (ADR 0030).
      originHeaders: { [ORIGIN_HEADER]: this.originSecret.headerValue },
      ...(waf ? { viewerAddressHeader: VIEWER_ADDRESS_HEADER } : {}),
    });
    this.originSecret.rotateWith({
      distribution: this.cdn.distribution,
      environment,
      logRetention: settings.logRetention,
      logRemovalPolicy: settings.removalPolicy,
    });

    const edgeUrl = `https://${this.cdn.distribution.distributionDomainName}`;
    // The distribution fronts the functions' API, so the functions cannot reference it: they read
    // this parameter (by its fixed name) at run time instead (ADR 0011).
    this.edgeParameter = new StringParameter(this, 'EdgeParameter', {
      parameterName,
      description: 'The CloudFront distribution in front of the API: the admin function invalidates it',
      stringValue: this.toJsonString({ distributionId: this.cdn.distribution.distributionId, url: edgeUrl }),
      tier: ParameterTier.STANDARD,
    });
    // Derived from the distribution: nothing to keep once the stack is gone.
    this.edgeParameter.applyRemovalPolicy(RemovalPolicy.DESTROY);
    for (const fn of chatFunctions) {
      fn.grantEdgeAccess({ distribution: this.cdn.distribution, parameter: this.edgeParameter });
    }

    // After the distribution: the canary goes through it, and nothing in front of it needs the canary.
    this.canary = new Canary(this, 'Canary', {
      stage: props.stage,
      environment,
      control: props.control,
      realtime: props.realtime,
      edgeUrl,
      logRetention: settings.logRetention,
      logRemovalPolicy: settings.removalPolicy,
    });
    this.archiver = new Archiver(this, 'Archiver', {
      stage: props.stage,
      environment,
      comments: props.comments,
      control: props.control,
      bucket: archive,
      logRetention: settings.logRetention,
      logRemovalPolicy: settings.removalPolicy,
    });
    new CfnOutput(this, 'CanaryTokenSecretName', {
      description:
        "Store the canary's viewer token here: aws secretsmanager put-secret-value --secret-id <this> " +
        '--secret-string \'{"token":"<JWT for the canary user>"}\' (README: runbook)',
      value: this.canary.tokenSecret.secretName,
    });

    this.viewLimits = new ViewLimits(this, 'ViewLimits', {
      stage: props.stage,
      scheduler: limitsSchedulerFunction,
      worker: limitsWorkerFunction,
      environment,
      tables,
      edgeParameterName: parameterName,
      logRetention: settings.logRetention,
      logRemovalPolicy: settings.removalPolicy,
    });
    this.viewLimits.worker.grantEdgeAccess({
      distribution: this.cdn.distribution,
      parameter: this.edgeParameter,
    });
    // Saving or removing a plan, and "run now", queue that channel's computation (ADR 0039).
    this.viewLimits.sendsJobs(built.admin!);

    const edgeFunctions = [...new Set(routes.filter((r) => r.cache === 'edge').map((r) => r.function))];
    this.monitoring = new Monitoring(this, 'Monitoring', {
      stage: props.stage,
      apiStage: this.http.restApi.deploymentStage,
      routeFunctions: this.functions,
      postFunction: this.functions.postComment,
      edgeOriginFunctions: edgeFunctions.map((name) => this.functions[name]),
      scaler: this.capacity.scaler.function,
      tables,
      distribution: this.cdn.distribution,
      realtimeApiId: props.realtime.apiId,
      removalPolicy: settings.removalPolicy,
      ...(props.alarmEmail ? { alarmEmail: props.alarmEmail } : {}),
      canary: this.canary,
      viewLimits: { deadLetters: this.viewLimits.deadLetters() },
      ...(this.firewall ? { webAcl: { blockedRequests: this.firewall.blockedRequests() } } : {}),
    });

    if (props.playerDirectory !== undefined) {
      this.player = new WebApp(this, 'Player', {
        distribution: this.cdn.distribution,
        pathPrefix: PLAYER_PATH_PREFIX,
        directory: props.playerDirectory,
        routes,
        runtimeConfig: playerConfig(edgeUrl, props.realtime),
        contentSecurityPolicy: {
          // The demo page subscribes to AppSync: its two endpoints, exactly (CSP matches the path too).
          'connect-src': [
            ...BASELINE_CSP['connect-src'],
            props.realtime.graphqlUrl,
            props.realtime.realtimeUrl,
          ],
          // Replay mode on the demo page plays a silent track it makes (a Blob URL, ADR 0040).
          'media-src': PLAYER_MEDIA_SRC,
        },
        removalPolicy: settings.removalPolicy,
        logRetention: settings.logRetention,
        logRemovalPolicy: settings.removalPolicy,
      });
      new CfnOutput(this, 'PlayerUrl', {
        description:
          'The web player: the demo page (add ?room=<roomId>); host pages load embed.js from here.',
        value: this.player.url,
      });
    }

    if (props.consoleDirectory !== undefined) {
      if (!props.adminConsoleClient) {
        throw new Error(
          `ApiStack ${id}: consoleDirectory needs adminConsoleClient (the console's app client).`,
        );
      }
      // The console signs in to the user pool's regional endpoint; the pool lives in this region.
      const cognitoEndpoint = `https://cognito-idp.${this.region}.amazonaws.com`;
      this.console = new WebApp(this, 'Console', {
        distribution: this.cdn.distribution,
        pathPrefix: CONSOLE_PATH_PREFIX,
        directory: props.consoleDirectory,
        routes,
        runtimeConfig: consoleConfig({
          stage: props.stage,
          userPoolId: props.adminUserPool.userPoolId,
          userPoolClientId: props.adminConsoleClient.userPoolClientId,
          realtime: props.realtime,
        }),
        contentSecurityPolicy: {
          // Its own origin (the admin API and the live view's polls), Cognito, and AppSync for the live view.
          'connect-src': [
            ...BASELINE_CSP['connect-src'],
            cognitoEndpoint,
            props.realtime.graphqlUrl,
            props.realtime.realtimeUrl,
          ],
        },
        removalPolicy: settings.removalPolicy,
        logRetention: settings.logRetention,
        logRemovalPolicy: settings.removalPolicy,
      });
      new CfnOutput(this, 'ConsoleUrl', {
        description: 'The admin console: sign in with an account of the admin user pool.',
        value: this.console.url,
      });
    }

    new CfnOutput(this, 'CloudFrontUrl', {
      description: 'Give this to players: every read and post goes through it.',
      value: edgeUrl,
    });
    new CfnOutput(this, 'AdminApiUrl', {
      description:
        'The admin API base URL for the console: send the admin user pool ID token as Authorization.',
      value: `${edgeUrl}${ADMIN_API_PREFIX}`,
    });
    new CfnOutput(this, 'ScalerFunctionName', {
      description:
        'The capacity scaler. Dry run: aws lambda invoke --function-name <this> --qualifier live ' +
        '--cli-binary-format raw-in-base64-out --payload \'{"reason":"manual","dryRun":true}\' out.json',
      value: this.capacity.scaler.function.functionName,
    });
    new CfnOutput(this, 'DashboardUrl', {
      description: 'The CloudWatch dashboard: every alarm and signal (README: Runbook).',
      value: this.monitoring.dashboardUrl,
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      description:
        'Every alarm notifies this SNS topic: subscribe on-call here (or deploy with -c alarmEmail=…).',
      value: this.monitoring.topic.topicArn,
    });
    new CfnOutput(this, 'ApiUrl', {
      description: 'The API stage behind CloudFront (uncached; for diagnostics).',
      value: this.http.restApi.url,
    });
  }
}

/**
 * The player's `config.json`: what its viewer SDK needs besides a room and a token. The API is this
 * distribution (`edgeUrl`); the realtime values are the Realtime stack's, resolved at deploy time.
 */
export interface PlayerConfig {
  readonly baseUrl: string;
  readonly realtime: { readonly graphqlUrl: string; readonly realtimeUrl: string; readonly apiKey: string };
}

export function playerConfig(edgeUrl: string, realtime: RealtimeEndpoints): PlayerConfig {
  return {
    baseUrl: edgeUrl,
    realtime: { graphqlUrl: realtime.graphqlUrl, realtimeUrl: realtime.realtimeUrl, apiKey: realtime.apiKey },
  };
}

/**
 * The console's `config.json` (web/console/config.ts): the API is the console's own origin (the same
 * distribution), the user pool and its app client sign people in, the realtime values feed the live view.
 */
export function consoleConfig(options: {
  stage: string;
  userPoolId: string;
  userPoolClientId: string;
  realtime: RealtimeEndpoints;
}): ConsoleConfigInput {
  const { realtime } = options;
  return {
    apiUrl: '',
    auth: { userPoolId: options.userPoolId, userPoolClientId: options.userPoolClientId },
    realtime: { graphqlUrl: realtime.graphqlUrl, realtimeUrl: realtime.realtimeUrl, apiKey: realtime.apiKey },
    stage: options.stage,
  };
}
