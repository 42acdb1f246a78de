import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccessLogField,
  AccessLogFormat,
  AuthorizationType,
  type CfnMethod,
  CognitoUserPoolsAuthorizer,
  EndpointType,
  IdentitySource,
  type IResource,
  LambdaIntegration,
  type MethodOptions,
  LogGroupLogDestination,
  MethodLoggingLevel,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct, type IConstruct } from 'constructs';
import type {
  cors as corsSettings,
  FunctionName,
  gatewayResponses as gatewayResponseTable,
  Route,
} from '../../lambdas/routes.js';

export type CorsSettings = typeof corsSettings;
export type GatewayResponses = typeof gatewayResponseTable;

/** Which API Gateway response type each of the route table's gateway responses answers. */
const GATEWAY_RESPONSE_TYPES: Record<keyof GatewayResponses, ResponseType> = {
  routeNotFound: ResponseType.MISSING_AUTHENTICATION_TOKEN,
  bodyTooLarge: ResponseType.REQUEST_TOO_LARGE,
  unauthorized: ResponseType.UNAUTHORIZED,
  accessDenied: ResponseType.ACCESS_DENIED,
  firewallBlocked: ResponseType.WAF_FILTERED,
  throttled: ResponseType.THROTTLED,
  serverError: ResponseType.DEFAULT_5XX,
};

/**
 * The Cache-Control of a gateway response, by status: the handlers' rule (ADR 0004) — 4xx may be
 * cached a second, 5xx and 429 never — except 401 and 403, which answer one caller's token, not
 * the path, and so must never be served to anyone else.
 */
export function gatewayResponseCacheControl(status: number): string {
  return status >= 500 || status === 429 || status === 401 || status === 403
    ? 'no-store'
    : 'public, max-age=1';
}

export interface StageThrottling {
  /** Steady-state requests per second for the whole stage. */
  readonly rateLimit: number;
  /** Requests the stage accepts in a burst above the rate. */
  readonly burstLimit: number;
}

export interface ChatApiProps {
  /**
   * The API's name, unique per account and region (`hybrid-chat-<stage>`): API Gateway's metrics
   * are keyed by it (`ApiName`), and `restApi.deploymentStage.metric*()` read it from here.
   */
  readonly restApiName: string;
  /** The deployment stage's name (`dev`, `prod`); the routes' paths carry the API version. */
  readonly stageName: string;
  readonly routes: readonly Route[];
  /** The function each route's `function` names. */
  readonly functions: Readonly<Record<FunctionName, IFunction>>;
  readonly cors: CorsSettings;
  /**
   * Request media types API Gateway base64-encodes for the functions (`binaryMediaTypes`): the
   * exact bytes, so a function can refuse a body that is not UTF-8 (ADR 0036). Proxy responses stay
   * text: the functions never set `isBase64Encoded`, and preflights convert to text.
   */
  readonly binaryMediaTypes: readonly string[];
  /** The answers API Gateway gives by itself, in the API's JSON error shape. */
  readonly gatewayResponses: GatewayResponses;
  readonly throttling: StageThrottling;
  /**
   * The user pool whose ID tokens the `admin` routes require (a Cognito authoriser on each of them).
   * Required when any route is `auth: 'admin'`.
   */
  readonly adminUserPool?: IUserPool;
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
  /**
   * Whether a WAF web ACL protects the stage (`ApiFirewall`, ADR 0031); without one, cdk-nag's
   * APIG3 is acknowledged as the operator's choice (`-c waf=false`).
   * @default true
   */
  readonly firewall?: boolean;
  /**
   * Whether this stack sets the API Gateway account's CloudWatch Logs role
   * (one per account and region), which stage logging needs. Turn off where the
   * account's platform team already set it.
   * @default true
   */
  readonly cloudWatchRole?: boolean;
}

/**
 * The REST API, built from the route table: one resource per path, one
 * Lambda proxy method per route, CORS preflights where routes are, gateway
 * responses in the API's error shape, JSON access logs, X-Ray, and a stage
 * throttle. Regional: CloudFront is the edge, so no second, API-managed one.
 */
export class ChatApi extends Construct {
  readonly restApi: RestApi;
  /** The Cognito authoriser of the `admin` routes; undefined when the route table has none. */
  readonly adminAuthorizer?: CognitoUserPoolsAuthorizer;

  constructor(scope: Construct, id: string, props: ChatApiProps) {
    super(scope, id);
    validateRoutes(props.routes, props.functions);
    const { rateLimit, burstLimit } = props.throttling;
    if (!(rateLimit > 0) || !Number.isInteger(burstLimit) || burstLimit < 1) {
      throw new Error(
        `${id}: throttling needs a positive rateLimit and a whole burstLimit of at least 1, got ${JSON.stringify(props.throttling)}.`,
      );
    }

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });

    const cloudWatchRole = props.cloudWatchRole ?? true;
    this.restApi = new RestApi(this, 'Api', {
      restApiName: props.restApiName,
      description: 'Hybrid live chat: comments API (behind CloudFront)',
      endpointTypes: [EndpointType.REGIONAL],
      binaryMediaTypes: [...props.binaryMediaTypes],
      cloudWatchRole,
      deployOptions: {
        stageName: props.stageName,
        tracingEnabled: true,
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: ACCESS_LOG_FORMAT,
        throttlingRateLimit: props.throttling.rateLimit,
        throttlingBurstLimit: props.throttling.burstLimit,
      },
    });

    const integrations = new Map<FunctionName, LambdaIntegration>();
    const integrationFor = (name: FunctionName): LambdaIntegration => {
      let integration = integrations.get(name);
      if (!integration) {
        // No test-invoke permission: only the deployed stage may invoke the function.
        integration = new LambdaIntegration(props.functions[name], { proxy: true, allowTestInvoke: false });
        integrations.set(name, integration);
      }
      return integration;
    };

    if (props.routes.some((route) => route.auth === 'admin')) {
      if (!props.adminUserPool) {
        throw new Error(`${id}: the route table has admin routes; pass adminUserPool for their authoriser.`);
      }
      // The console sends the ID token: unlike the access token it carries cognito:groups and
      // custom:channels, which the authoriser hands the admin function as claims.
      this.adminAuthorizer = new CognitoUserPoolsAuthorizer(this, 'AdminAuthorizer', {
        authorizerName: 'admin-user-pool',
        cognitoUserPools: [props.adminUserPool],
        identitySource: IdentitySource.header('Authorization'),
      });
    }

    const withPreflight = new Set<IResource>();
    for (const route of props.routes) {
      const resource = this.restApi.root.resourceForPath(route.path);
      const options: MethodOptions =
        route.auth === 'admin'
          ? { authorizer: this.adminAuthorizer, authorizationType: AuthorizationType.COGNITO }
          : {};
      const method = resource.addMethod(route.method, integrationFor(route.function), options);
      // Admin methods satisfy APIG4 and COG4 (a Cognito user pool authoriser): nothing to acknowledge.
      if (route.auth !== 'admin') {
        Validations.of(method).acknowledge(
          ...(route.cache === 'edge' ? PUBLIC_READ_ACKNOWLEDGEMENTS : TOKEN_IN_FUNCTION_ACKNOWLEDGEMENTS),
        );
      }
      // Preflights stay unauthenticated: browsers send OPTIONS without the Authorization header.
      if (!withPreflight.has(resource)) {
        withPreflight.add(resource);
        const preflight = resource.addCorsPreflight({
          allowOrigins: [props.cors.allowOrigin],
          allowMethods: [...props.cors.allowMethods],
          allowHeaders: [...props.cors.allowHeaders],
          exposeHeaders: [...props.cors.exposeHeaders],
          maxAge: Duration.seconds(props.cors.maxAgeSeconds),
        });
        // A preflight whose Content-Type or Accept names a binary media type would make the mock
        // integration's payload binary, skip its mapping template and answer 500: keep it text.
        const cfnPreflight = preflight.node.defaultChild as CfnMethod;
        cfnPreflight.addPropertyOverride('Integration.ContentHandling', 'CONVERT_TO_TEXT');
        cfnPreflight.addPropertyOverride(
          'Integration.IntegrationResponses.0.ContentHandling',
          'CONVERT_TO_TEXT',
        );
      }
    }

    for (const [key, type] of Object.entries(GATEWAY_RESPONSE_TYPES) as [
      keyof GatewayResponses,
      ResponseType,
    ][]) {
      const { status, code, message, retryable } = props.gatewayResponses[key];
      this.restApi.addGatewayResponse(`${key[0]?.toUpperCase()}${key.slice(1)}`, {
        type,
        statusCode: String(status),
        responseHeaders: {
          'Access-Control-Allow-Origin': quoted(props.cors.allowOrigin),
          'Access-Control-Expose-Headers': quoted(props.cors.exposeHeaders.join(', ')),
          'Cache-Control': quoted(gatewayResponseCacheControl(status)),
        },
        templates: { 'application/json': JSON.stringify({ code, message, retryable }) },
      });
    }

    Validations.of(this.restApi.node.defaultChild as IConstruct).acknowledge({
      id: 'AwsSolutions-APIG2',
      reason:
        'Requests are validated in the function (zod: path parameters, media type, size, and the body with ' +
        "unknown fields rejected), so every refusal carries the API's own error code and shape; an API " +
        'Gateway validator would answer its own {message} 400s, and a body model would duplicate the schema.',
    });
    if (props.firewall === false) {
      Validations.of(this.restApi.deploymentStage).acknowledge({
        id: 'AwsSolutions-APIG3',
        reason:
          'The operator turned the API stage web ACL off (-c waf=false, ADR 0031). The API answers only requests ' +
          'that came through CloudFront (ADR 0030), and the stage throttle bounds the load.',
      });
    }
    if (cloudWatchRole) {
      Validations.of(this.restApi.node.findChild('CloudWatchRole')).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          "The account-level role API Gateway logs with is AWS's service-role policy for exactly that purpose; " +
          'API Gateway, not our code, assumes it.',
      });
    }
  }
}

/** JSON access log lines with what an operator needs to follow a request to its function and trace. */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: AccessLogField.contextRequestId(),
    extendedRequestId: AccessLogField.contextExtendedRequestId(),
    requestTime: AccessLogField.contextRequestTime(),
    httpMethod: AccessLogField.contextHttpMethod(),
    resourcePath: AccessLogField.contextResourcePath(),
    path: AccessLogField.contextPath(),
    status: AccessLogField.contextStatus(),
    responseLength: AccessLogField.contextResponseLength(),
    responseLatency: AccessLogField.contextResponseLatency(),
    integrationStatus: AccessLogField.contextIntegrationStatus(),
    integrationLatency: AccessLogField.contextIntegrationLatency(),
    errorMessage: AccessLogField.contextErrorMessage(),
    errorType: AccessLogField.contextErrorResponseType(),
    xrayTraceId: AccessLogField.contextXrayTraceId(),
    userAgent: AccessLogField.contextIdentityUserAgent(),
  }),
);

const PUBLIC_READ_ACKNOWLEDGEMENTS = [
  {
    id: 'AwsSolutions-APIG4',
    reason:
      'Public read by design (ARCHITECTURE §4): every viewer requests the same URL with no credentials, so the ' +
      'CDN can cache it by path alone.',
  },
  {
    id: 'AwsSolutions-COG4',
    reason:
      'Public read by design (ARCHITECTURE §4): no user pool, no token, the cache key is the path only.',
  },
];

const TOKEN_IN_FUNCTION_ACKNOWLEDGEMENTS = [
  {
    id: 'AwsSolutions-APIG4',
    reason:
      "Authenticated in the function: the host service's viewer JWT is verified against its JWKS with jose " +
      "(signature, iss, aud, exp; ADR 0005), so a refusal is a 401 in the API's own error shape.",
  },
  {
    id: 'AwsSolutions-COG4',
    reason:
      'Viewers are authenticated by the host service, not a Cognito user pool; the function verifies its JWT (ADR 0005).',
  },
];

function quoted(value: string): string {
  return `'${value.replace(/'/g, "\\'")}'`;
}

/** Fails synth, not a deploy, when the route table cannot become an API. */
function validateRoutes(routes: readonly Route[], fns: Readonly<Record<string, IFunction>>): void {
  if (routes.length === 0)
    throw new Error('ChatApi: the route table is empty; add routes in lambdas/routes.ts.');
  const seen = new Set<string>();
  const parameterAt = new Map<string, string>();
  for (const route of routes) {
    const where = `Route ${route.method} ${route.path}`;
    if (!/^(\/([A-Za-z0-9._-]+|\{[A-Za-z0-9_]+\}))+$/.test(route.path)) {
      throw new Error(`${where}: the path must be /-separated literal or {param} segments.`);
    }
    const key = `${route.method} ${route.path}`;
    if (seen.has(key)) throw new Error(`${where} appears twice in lambdas/routes.ts.`);
    seen.add(key);
    if (!fns[route.function]) throw new Error(`${where}: no function named ${route.function}.`);
    if (route.auth === 'admin' && route.cache !== 'none') {
      throw new Error(`${where}: an admin route answers one caller; make it cache 'none', never 'edge'.`);
    }
    // API Gateway allows one parameter name per position: /rooms/{roomId} and /rooms/{id} cannot coexist.
    const segments = route.path.split('/').slice(1);
    segments.forEach((segment, i) => {
      if (!segment.startsWith('{')) return;
      const parent = segments.slice(0, i).join('/');
      const existing = parameterAt.get(parent);
      if (existing && existing !== segment) {
        throw new Error(
          `${where}: ${segment} conflicts with ${existing} at the same position; use one name.`,
        );
      }
      parameterAt.set(parent, segment);
    });
  }
}
