import {
  CfnOutput,
  CrossStackReferences,
  Duration,
  ReferenceStrength,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { PriceClass } from 'aws-cdk-lib/aws-cloudfront';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { CLOSED_SEGMENT_CDN_SECONDS } from '../lambdas/handlers/cache-control.js';
import { cors, type FunctionName, functions, gatewayResponses, routes } from '../lambdas/routes.js';
import { ChatApi, type StageThrottling } from './constructs/chat-api.js';
import { ChatCdn } from './constructs/chat-cdn.js';
import { ChatFunction, type FunctionEnvironment } from './constructs/chat-function.js';
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

export interface ApiStackProps extends StackProps {
  readonly stage: Stage;
  /** The comment feed (`DataStack.comments`). */
  readonly comments: ITable;
  /** The control table (`DataStack.control`). */
  readonly control: ITable;
  /** The host service's viewer tokens. */
  readonly viewerToken: ViewerTokenSettings;
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
 * route table, and CloudFront in front of it.
 */
export class ApiStack extends Stack {
  readonly functions: Readonly<Record<FunctionName, IFunction>>;
  readonly http: ChatApi;
  readonly cdn: ChatCdn;

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

    const built: Partial<Record<FunctionName, IFunction>> = {};
    for (const name of Object.keys(functions) as FunctionName[]) {
      const fn = new ChatFunction(this, `${name[0]?.toUpperCase()}${name.slice(1)}`, {
        definition: functions[name],
        environment,
        logRetention: settings.logRetention,
        logRemovalPolicy: settings.removalPolicy,
      });
      fn.grantTableAccess({ comments: props.comments, control: props.control });
      built[name] = fn.function;
    }
    this.functions = built as Record<FunctionName, IFunction>;

    this.http = new ChatApi(this, 'Http', {
      stageName: props.stage,
      routes,
      functions: this.functions,
      cors,
      gatewayResponses,
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

    new CfnOutput(this, 'CloudFrontUrl', {
      description: 'Give this to players: every read and post goes through it.',
      value: `https://${this.cdn.distribution.distributionDomainName}`,
    });
    new CfnOutput(this, 'ApiUrl', {
      description: 'The API stage behind CloudFront (uncached; for diagnostics).',
      value: this.http.restApi.url,
    });
  }
}
