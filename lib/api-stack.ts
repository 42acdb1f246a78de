import {
  CfnOutput,
  CrossStackReferences,
  Duration,
  ReferenceStrength,
  RemovalPolicy,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { PriceClass } from 'aws-cdk-lib/aws-cloudfront';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { ParameterTier, StringParameter } from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { CLOSED_SEGMENT_CDN_SECONDS } from '../lambdas/handlers/cache-control.js';
import { cors, type FunctionName, functions, gatewayResponses, routes } from '../lambdas/routes.js';
import { ChatApi, type StageThrottling } from './constructs/chat-api.js';
import { ChatCdn } from './constructs/chat-cdn.js';
import {
  ChatFunction,
  type FunctionEnvironment,
  type RealtimeEndpoints,
} from './constructs/chat-function.js';
import {
  assertStage,
  type Stage,
  stageSettings,
  validateViewerToken,
  type ViewerTokenSettings,
} from './stage-config.js';

/**
 * A placeholder the scaler (ARCHITECTURE §7) will replace with each event's plan:
 * well under the account's default 10,000 rps, well above what one cached room needs.
 */
export const DEFAULT_STAGE_THROTTLING: StageThrottling = { rateLimit: 1_000, burstLimit: 500 };

/** The longest any response may stay in the CDN: at least a day, since closed segments are sent with that. */
export const EDGE_MAX_TTL = Duration.seconds(Math.max(86_400, CLOSED_SEGMENT_CDN_SECONDS));

/**
 * The SSM parameter naming the CloudFront distribution (`{"distributionId","url"}`) for the admin
 * function. A fixed name, so the function can be told it before the distribution exists (ADR 0011).
 */
export function edgeParameterName(stage: Stage): string {
  return `/hybrid-chat/${stage}/edge`;
}

/** Where the admin API is served, under the CloudFront URL. */
export const ADMIN_API_BASE_PATH = '/admin/v1';

export interface ApiStackProps extends StackProps {
  readonly stage: Stage;
  /** The comment feed (`DataStack.comments`). */
  readonly comments: ITable;
  /** The control table (`DataStack.control`). */
  readonly control: ITable;
  /** The host service's viewer tokens. */
  readonly viewerToken: ViewerTokenSettings;
  /** The admin user pool (`AuthStack.userPool`): the admin routes' authoriser trusts its ID tokens. */
  readonly adminUserPool: IUserPool;
  /** The realtime API (`RealtimeStack`), for the functions that publish or read its metrics. */
  readonly realtime: RealtimeEndpoints;
  /**
   * @default DEFAULT_STAGE_THROTTLING
   */
  readonly throttling?: StageThrottling;
  /**
   * @default PriceClass.PRICE_CLASS_200 (see `ChatCdnProps.priceClass`)
   */
  readonly priceClass?: PriceClass;
  /**
   * Whether this stack sets API Gateway's account-level CloudWatch Logs role, which stage logging needs.
   * @default true
   */
  readonly apiGatewayCloudWatchRole?: boolean;
}

/**
 * The request path: one function per route, the REST API built from the
 * route table (the admin routes behind the admin user pool's authoriser),
 * CloudFront in front of it, and the parameter that tells the admin function
 * which distribution that is.
 */
export class ApiStack extends Stack {
  readonly functions: Readonly<Record<FunctionName, IFunction>>;
  readonly http: ChatApi;
  readonly cdn: ChatCdn;
  /** `edgeParameterName(stage)`: `{"distributionId","url"}` of `cdn.distribution`. */
  readonly edgeParameter: StringParameter;

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

    const environment: FunctionEnvironment = {
      COMMENTS_TABLE_NAME: props.comments.tableName,
      CONTROL_TABLE_NAME: props.control.tableName,
      VIEWER_TOKEN_JWKS_URL: props.viewerToken.jwksUrl,
      VIEWER_TOKEN_ISSUER: props.viewerToken.issuer,
      VIEWER_TOKEN_AUDIENCE: props.viewerToken.audience,
    };

    const parameterName = edgeParameterName(props.stage);
    const chatFunctions: ChatFunction[] = [];
    const built: Partial<Record<FunctionName, IFunction>> = {};
    for (const name of Object.keys(functions) as FunctionName[]) {
      // The capability flags of the definition decide which of these a function actually gets.
      const fn = new ChatFunction(this, `${name[0]?.toUpperCase()}${name.slice(1)}`, {
        definition: functions[name],
        environment,
        capabilities: { realtime: props.realtime, edgeParameterName: parameterName },
        logRetention: settings.logRetention,
        logRemovalPolicy: settings.removalPolicy,
      });
      fn.grantTableAccess({ comments: props.comments, control: props.control });
      chatFunctions.push(fn);
      built[name] = fn.function;
    }
    this.functions = built as Record<FunctionName, IFunction>;

    this.http = new ChatApi(this, 'Http', {
      stageName: props.stage,
      routes,
      functions: this.functions,
      cors,
      gatewayResponses,
      adminUserPool: props.adminUserPool,
      throttling: props.throttling ?? DEFAULT_STAGE_THROTTLING,
      logRetention: settings.logRetention,
      logRemovalPolicy: settings.removalPolicy,
      cloudWatchRole: props.apiGatewayCloudWatchRole ?? true,
    });

    this.cdn = new ChatCdn(this, 'Edge', {
      api: this.http.restApi,
      routes,
      maxTtl: EDGE_MAX_TTL,
      ...(props.priceClass ? { priceClass: props.priceClass } : {}),
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

    new CfnOutput(this, 'CloudFrontUrl', {
      description: 'Give this to players: every read and post goes through it.',
      value: edgeUrl,
    });
    new CfnOutput(this, 'AdminApiUrl', {
      description:
        'The admin API base URL for the console: send the admin user pool ID token as Authorization.',
      value: `${edgeUrl}${ADMIN_API_BASE_PATH}`,
    });
    new CfnOutput(this, 'ApiUrl', {
      description: 'The API stage behind CloudFront (uncached; for diagnostics).',
      value: this.http.restApi.url,
    });
  }
}
