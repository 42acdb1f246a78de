import { App, Stack } from 'aws-cdk-lib';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { Function as LambdaFunction, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { RemovalPolicy } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { BASELINE_STAGE_THROTTLING } from '../../lambdas/domain/capacity/target.js';
import {
  binaryMediaTypes,
  cors,
  type FunctionName,
  functions,
  gatewayResponses,
  type Route,
  routes,
} from '../../lambdas/routes.js';
import { restApiName } from '../../lib/api-stack.js';
import { ChatApi, gatewayResponseCacheControl } from '../../lib/constructs/chat-api.js';
import { STAGES } from '../../lib/stage-config.js';
import {
  logicalId,
  resources,
  resourcesOfType,
  synthesize,
  type Synthesized,
  type CfnJson,
} from './synth.js';

const synthesized = Object.fromEntries(STAGES.map((stage) => [stage, synthesize(stage, { bundle: false })]));

/** Full path of every API Gateway resource, by logical id (the root is `/`). */
function resourcePaths(s: Synthesized): Map<string, string> {
  const all = resources(s.api);
  const paths = new Map<string, string>();
  const pathOf = (id: string): string => {
    const known = paths.get(id);
    if (known) return known;
    const props = all[id]!.Properties as { ParentId: { Ref?: string }; PathPart: string };
    const parent = props.ParentId.Ref ? pathOf(props.ParentId.Ref) : '';
    const full = `${parent}/${props.PathPart}`;
    paths.set(id, full);
    return full;
  };
  for (const [id] of resourcesOfType(s.api, 'AWS::ApiGateway::Resource')) pathOf(id);
  return paths;
}

function methods(s: Synthesized) {
  const paths = resourcePaths(s);
  return resourcesOfType(s.api, 'AWS::ApiGateway::Method').map(([, m]) => {
    const props = m.Properties as Record<string, CfnJson>;
    return { method: props.HttpMethod as string, path: paths.get(props.ResourceId.Ref) ?? '/', props };
  });
}

describe.each(STAGES)('REST API (%s)', (stage) => {
  const s = synthesized[stage]!;

  it('is regional: CloudFront is the only edge', () => {
    const [[, api]] = resourcesOfType(s.api, 'AWS::ApiGateway::RestApi') as [[string, CfnJson]];
    expect(api.Properties.EndpointConfiguration).toEqual({ Types: ['REGIONAL'] });
  });

  it('is named for its stage, so stages sharing an account and region keep their API metrics apart', () => {
    const [[, api]] = resourcesOfType(s.api, 'AWS::ApiGateway::RestApi') as [[string, CfnJson]];
    expect(api.Properties.Name).toBe(`hybrid-chat-${stage}`);
    expect(api.Properties.Name).toBe(restApiName(stage));
    // What the stage's metrics (the monitoring's ApiName dimension) read.
    expect(s.stacks.api.http.restApi.restApiName).toBe(api.Properties.Name);
    const others = STAGES.filter((other) => other !== stage).map(restApiName);
    expect(others).not.toContain(api.Properties.Name);
  });

  it('lets the admin function queue view-limit jobs: the queue URL set, SendMessage on that queue', () => {
    const admin = s.stacks.api.functions.admin;
    const queue = s.stacks.api.viewLimits.queue;
    const template = resources(s.api);
    const variables = (template[logicalId(admin)]!.Properties as CfnJson).Environment.Variables;
    expect(variables.LIMITS_QUEUE_URL).toEqual({ Ref: logicalId(queue) });
    const role = (template[logicalId(admin)]!.Properties as CfnJson).Role['Fn::GetAtt'][0];
    const sends = resourcesOfType(s.api, 'AWS::IAM::Policy')
      .filter(([, p]) => (p.Properties!.Roles as { Ref: string }[]).some((r) => r.Ref === role))
      .flatMap(([, p]) => (p.Properties!.PolicyDocument as CfnJson).Statement as CfnJson[])
      .filter((statement) => [statement.Action].flat().includes('sqs:SendMessage'));
    expect(sends.map((statement) => statement.Resource)).toEqual([
      { 'Fn::GetAtt': [logicalId(queue), 'Arn'] },
    ]);
  });

  it('has a method for every route, with a Lambda proxy integration to the route function’s live alias', () => {
    const all = methods(s);
    for (const route of routes) {
      const found = all.find((m) => m.method === route.method && m.path === route.path);
      expect(found, `${route.method} ${route.path}`).toBeDefined();
      expect(found!.props.Integration.Type).toBe('AWS_PROXY');
      expect(found!.props.Integration.IntegrationHttpMethod).toBe('POST');
      const uri = JSON.stringify(found!.props.Integration.Uri);
      // The alias ARN (Ref of AWS::Lambda::Alias), never the unqualified function: that would
      // bypass the alias's provisioned concurrency.
      expect(uri).toContain(JSON.stringify({ Ref: logicalId(s.stacks.api.aliases[route.function]) }));
      expect(uri).not.toContain(logicalId(s.stacks.api.functions[route.function]));
    }
  });

  it('has no method the route table does not name, except CORS preflights on route paths', () => {
    const expected = new Set([
      ...routes.map((r) => `${r.method} ${r.path}`),
      ...routes.map((r) => `OPTIONS ${r.path}`),
    ]);
    expect(new Set(methods(s).map((m) => `${m.method} ${m.path}`))).toEqual(expected);
  });

  it('hands JSON request bodies to the functions as their exact bytes, base64-encoded', () => {
    const [[, api]] = resourcesOfType(s.api, 'AWS::ApiGateway::RestApi') as [[string, CfnJson]];
    expect(api.Properties.BinaryMediaTypes).toEqual(['application/json']);
    expect(binaryMediaTypes).toEqual(['application/json']);
  });

  it('keeps every Lambda proxy method free of content conversion, so responses stay the functions’ text', () => {
    for (const method of methods(s).filter((m) => m.method !== 'OPTIONS')) {
      expect(method.props.Integration.ContentHandling, `${method.method} ${method.path}`).toBeUndefined();
    }
  });

  it('converts preflights to text, so a binary media type in Content-Type or Accept cannot break them', () => {
    const preflights = methods(s).filter((m) => m.method === 'OPTIONS');
    expect(preflights.length).toBeGreaterThan(0);
    for (const preflight of preflights) {
      expect(preflight.props.Integration.Type).toBe('MOCK');
      expect(preflight.props.Integration.ContentHandling).toBe('CONVERT_TO_TEXT');
      expect(preflight.props.Integration.IntegrationResponses).toEqual([
        expect.objectContaining({ ContentHandling: 'CONVERT_TO_TEXT' }),
      ]);
    }
  });

  it('answers preflights from the CORS settings of lambdas/routes.ts', () => {
    for (const preflight of methods(s).filter((m) => m.method === 'OPTIONS')) {
      const [response] = preflight.props.Integration.IntegrationResponses;
      expect(response.ResponseParameters).toMatchObject({
        'method.response.header.Access-Control-Allow-Origin': `'${cors.allowOrigin}'`,
        'method.response.header.Access-Control-Allow-Methods': `'${cors.allowMethods.join(',')}'`,
        'method.response.header.Access-Control-Allow-Headers': `'${cors.allowHeaders.join(',')}'`,
        'method.response.header.Access-Control-Max-Age': `'${cors.maxAgeSeconds}'`,
      });
    }
  });

  it('lets API Gateway invoke each function’s live alias only through its own route on this stage', () => {
    // The others: the canary's rule (canary.test.ts) and Secrets Manager on the rotation function (edge-protection.test.ts).
    const permissions = resourcesOfType(s.api, 'AWS::Lambda::Permission')
      .map(([, p]) => p.Properties as CfnJson)
      .filter((p) => p.Principal === 'apigateway.amazonaws.com');
    expect(permissions).toHaveLength(routes.length);
    const stageRef = { Ref: logicalId(s.stacks.api.http.restApi.deploymentStage) };
    for (const route of routes) {
      const suffix = `/${route.method}${route.path.replace(/\{[^}]+\}/g, '*')}`;
      const permission = permissions.find((p) => {
        const parts = p.SourceArn['Fn::Join'][1] as unknown[];
        return parts.at(-1) === suffix && JSON.stringify(parts).includes(JSON.stringify(stageRef));
      });
      expect(permission, `${route.method} ${route.path}`).toBeDefined();
      expect(permission.Principal).toBe('apigateway.amazonaws.com');
      expect(permission.Action).toBe('lambda:InvokeFunction');
      expect(permission.FunctionName).toEqual({ Ref: logicalId(s.stacks.api.aliases[route.function]) });
    }
  });

  it('names the deployment stage after the stage, traces it, and logs access as JSON', () => {
    const [[, apiStage]] = resourcesOfType(s.api, 'AWS::ApiGateway::Stage') as [[string, CfnJson]];
    expect(apiStage.Properties.StageName).toBe(stage);
    expect(apiStage.Properties.TracingEnabled).toBe(true);
    const format = JSON.parse(apiStage.Properties.AccessLogSetting.Format) as Record<string, string>;
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
    const logGroupId = apiStage.Properties.AccessLogSetting.DestinationArn['Fn::GetAtt'][0];
    expect(resources(s.api)[logGroupId]!.Properties!.RetentionInDays).toBe(stage === 'prod' ? 30 : 7);
  });

  it('throttles the stage at the baseline the scaler returns to after events, and logs errors', () => {
    const [[, apiStage]] = resourcesOfType(s.api, 'AWS::ApiGateway::Stage') as [[string, CfnJson]];
    expect(apiStage.Properties.MethodSettings).toEqual([
      expect.objectContaining({
        HttpMethod: '*',
        ResourcePath: '/*',
        LoggingLevel: 'ERROR',
        DataTraceEnabled: false,
        ThrottlingRateLimit: BASELINE_STAGE_THROTTLING.rateLimit,
        ThrottlingBurstLimit: BASELINE_STAGE_THROTTLING.burstLimit,
      }),
    ]);
    expect(BASELINE_STAGE_THROTTLING).toEqual({ rateLimit: 1000, burstLimit: 500 });
  });

  it('answers with the route table’s gateway responses, in the API’s error shape', () => {
    const byType = Object.fromEntries(
      resourcesOfType(s.api, 'AWS::ApiGateway::GatewayResponse').map(([, r]) => [
        r.Properties!.ResponseType,
        r.Properties,
      ]),
    ) as Record<string, CfnJson>;
    const expected: Record<keyof typeof gatewayResponses, string> = {
      routeNotFound: 'MISSING_AUTHENTICATION_TOKEN',
      bodyTooLarge: 'REQUEST_TOO_LARGE',
      unauthorized: 'UNAUTHORIZED',
      accessDenied: 'ACCESS_DENIED',
      firewallBlocked: 'WAF_FILTERED',
      throttled: 'THROTTLED',
      serverError: 'DEFAULT_5XX',
    };
    expect(Object.keys(byType).sort()).toEqual(Object.values(expected).sort());
    for (const [key, type] of Object.entries(expected) as [keyof typeof gatewayResponses, string][]) {
      const { status, code, message, retryable } = gatewayResponses[key];
      expect(byType[type].StatusCode).toBe(String(status));
      expect(JSON.parse(byType[type].ResponseTemplates['application/json'])).toEqual({
        code,
        message,
        retryable,
      });
      expect(byType[type].ResponseParameters['gatewayresponse.header.Access-Control-Allow-Origin']).toBe(
        "'*'",
      );
    }
    const cacheControl = (type: string) =>
      byType[type].ResponseParameters['gatewayresponse.header.Cache-Control'];
    expect(cacheControl('THROTTLED')).toBe("'no-store'");
    expect(cacheControl('DEFAULT_5XX')).toBe("'no-store'");
    // A missing route is the same for everyone: a second at the edge, like the handlers' 4xx.
    expect(cacheControl('MISSING_AUTHENTICATION_TOKEN')).toBe("'public, max-age=1'");
  });

  it('refuses a missing or bad admin token with 401 and a denial with 403, in the error shape, never cached', () => {
    const byType = Object.fromEntries(
      resourcesOfType(s.api, 'AWS::ApiGateway::GatewayResponse').map(([, r]) => [
        r.Properties!.ResponseType,
        r.Properties,
      ]),
    ) as Record<string, CfnJson>;
    for (const [type, status, code] of [
      ['UNAUTHORIZED', '401', 'unauthorized'],
      ['ACCESS_DENIED', '403', 'forbidden'],
    ] as const) {
      expect(byType[type].StatusCode).toBe(status);
      const body = JSON.parse(byType[type].ResponseTemplates['application/json']) as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(['code', 'message', 'retryable']);
      expect(body.code).toBe(code);
      expect(body.retryable).toBe(false);
      // Per token, not per path: no cache may hand one caller's refusal to another.
      expect(byType[type].ResponseParameters['gatewayresponse.header.Cache-Control']).toBe("'no-store'");
      // The console (another origin) must be able to read the refusal.
      expect(byType[type].ResponseParameters['gatewayresponse.header.Access-Control-Allow-Origin']).toBe(
        `'${cors.allowOrigin}'`,
      );
    }
  });

  describe('the admin user pool authoriser', () => {
    const authorizers = () => resourcesOfType(s.api, 'AWS::ApiGateway::Authorizer');
    const authorizerId = () => logicalId(s.stacks.api.http.adminAuthorizer!);
    const adminRoutes = routes.filter((r) => r.auth === 'admin');

    it('is one Cognito authoriser reading the Authorization header and trusting the Auth stack’s pool', () => {
      expect(authorizers()).toHaveLength(1);
      const [[id, authorizer]] = authorizers() as [[string, CfnJson]];
      expect(id).toBe(authorizerId());
      expect(authorizer.Properties.Type).toBe('COGNITO_USER_POOLS');
      expect(authorizer.Properties.IdentitySource).toBe('method.request.header.Authorization');
      const [provider] = authorizer.Properties.ProviderARNs as CfnJson[];
      expect(authorizer.Properties.ProviderARNs).toHaveLength(1);
      const exportName = provider['Fn::ImportValue'] as string;
      expect(exportName.startsWith(`${s.stacks.auth.stackName}:`)).toBe(true);
      const outputs = (s.auth.toJSON() as { Outputs: Record<string, CfnJson> }).Outputs;
      const exported = Object.values(outputs).find((o) => o.Export?.Name === exportName);
      expect(exported.Value).toEqual({
        'Fn::GetAtt': [logicalId(s.stacks.auth.adminUsers.userPool), 'Arn'],
      });
    });

    it('guards every admin method', () => {
      expect(adminRoutes.length).toBeGreaterThan(0);
      const all = methods(s);
      for (const route of adminRoutes) {
        const method = all.find((m) => m.method === route.method && m.path === route.path);
        expect(method?.props.AuthorizationType, `${route.method} ${route.path}`).toBe('COGNITO_USER_POOLS');
        expect(method!.props.AuthorizerId).toEqual({ Ref: authorizerId() });
      }
    });

    it('guards no public method: reads are anonymous, the post function checks the viewer’s own token', () => {
      const publicRoutes = routes.filter((r) => (r.auth ?? 'public') === 'public');
      expect(publicRoutes.length).toBeGreaterThan(0);
      const all = methods(s);
      for (const route of publicRoutes) {
        const method = all.find((m) => m.method === route.method && m.path === route.path)!;
        expect(method.props.AuthorizationType, `${route.method} ${route.path}`).toBe('NONE');
        expect(method.props.AuthorizerId).toBeUndefined();
      }
    });

    it('leaves every CORS preflight unauthenticated, admin paths included', () => {
      const preflights = methods(s).filter((m) => m.method === 'OPTIONS');
      expect(preflights.some((m) => m.path.startsWith('/admin/'))).toBe(true);
      for (const preflight of preflights) {
        expect(preflight.props.AuthorizationType, preflight.path).toBe('NONE');
        expect(preflight.props.AuthorizerId).toBeUndefined();
      }
    });

    it('is the only authoriser-guarded thing: exactly the admin routes use it', () => {
      const guarded = methods(s)
        .filter((m) => m.props.AuthorizerId !== undefined)
        .map((m) => `${m.method} ${m.path}`)
        .sort();
      expect(guarded).toEqual(adminRoutes.map((r) => `${r.method} ${r.path}`).sort());
    });
  });
});

describe('gateway response caching', () => {
  it('lets the edge keep a 4xx a second, except 401, 403 and 429; never a 5xx', () => {
    expect(gatewayResponseCacheControl(404)).toBe('public, max-age=1');
    expect(gatewayResponseCacheControl(413)).toBe('public, max-age=1');
    for (const status of [401, 403, 429, 500, 502, 504]) {
      expect(gatewayResponseCacheControl(status), String(status)).toBe('no-store');
    }
  });
});

describe('ChatApi route checks', () => {
  const build = (table: readonly Route[], options: { userPool?: boolean } = {}) => {
    const stack = new Stack(new App(), 'T');
    const fn = LambdaFunction.fromFunctionArn(stack, 'F', 'arn:aws:lambda:us-east-1:111111111111:function:f');
    const fns = Object.fromEntries(Object.keys(functions).map((name) => [name, fn])) as Record<
      FunctionName,
      IFunction
    >;
    return new ChatApi(stack, 'Api', {
      restApiName: 'hybrid-chat-dev',
      stageName: 'dev',
      routes: table,
      functions: fns,
      cors,
      binaryMediaTypes,
      gatewayResponses,
      throttling: { rateLimit: 1, burstLimit: 1 },
      ...(options.userPool === false
        ? {}
        : { adminUserPool: UserPool.fromUserPoolId(stack, 'Pool', 'us-east-1_abcdefghi') }),
      logRetention: RetentionDays.ONE_DAY,
      logRemovalPolicy: RemovalPolicy.DESTROY,
    });
  };

  it('accepts the real route table', () => {
    expect(() => build(routes)).not.toThrow();
  });

  it('refuses admin routes without a user pool to authorise them', () => {
    expect(() => build(routes, { userPool: false })).toThrow(/admin routes; pass adminUserPool/);
  });

  it('needs no user pool, and makes no authoriser, when no route is an admin route', () => {
    const api = build(
      routes.filter((r) => r.auth !== 'admin'),
      { userPool: false },
    );
    expect(api.adminAuthorizer).toBeUndefined();
  });

  it('refuses an admin route the edge would cache', () => {
    expect(() =>
      build([{ method: 'GET', path: '/admin/v1/me', function: 'admin', cache: 'edge', auth: 'admin' }]),
    ).toThrow(/admin route answers one caller/);
  });

  it('refuses two names for the same path parameter position', () => {
    expect(() =>
      build([
        { method: 'GET', path: '/v1/rooms/{roomId}', function: 'getRoom', cache: 'edge' },
        { method: 'GET', path: '/v1/rooms/{id}/live', function: 'getLive', cache: 'edge' },
      ]),
    ).toThrow(/\{id\} conflicts with \{roomId\}/);
  });

  it('refuses a route listed twice', () => {
    const route: Route = { method: 'GET', path: '/v1/rooms/{roomId}', function: 'getRoom', cache: 'edge' };
    expect(() => build([route, route])).toThrow(/appears twice/);
  });
});
