import { describe, expect, it } from 'vitest';
import { CLOSED_SEGMENT_CDN_SECONDS } from '../../lambdas/cache-control.js';
import { type Route, routes } from '../../lambdas/routes.js';
import { edgeParameterName } from '../../lib/api-stack.js';
import { pathPattern, uncachedPathPatterns } from '../../lib/constructs/chat-cdn.js';
import { STAGES } from '../../lib/stage-config.js';
import { logicalId, resources, resourcesOfType, synthesize, type CfnJson } from './synth.js';

const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

const synthesized = Object.fromEntries(STAGES.map((stage) => [stage, synthesize(stage, { bundle: false })]));

/** CloudFront path-pattern matching (`*` CfnJson characters, `?` one), written independently of lib/. */
function matches(pattern: string, path: string): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`).test(path);
}

/** A concrete request path for a route: every `{param}` filled in. */
const concrete = (route: Route) => route.path.replace(/\{[^}]+\}/g, 'abc123');

describe.each(STAGES)('CloudFront (%s)', (stage) => {
  const s = synthesized[stage]!;
  const [[, distribution]] = resourcesOfType(s.api, 'AWS::CloudFront::Distribution') as [[string, CfnJson]];
  const config = distribution.Properties.DistributionConfig;
  const defaultBehavior = config.DefaultCacheBehavior;
  const behaviors = (config.CacheBehaviors ?? []) as Record<string, CfnJson>[];

  describe('default behaviour (the edge routes)', () => {
    const policyId = () => (defaultBehavior.CachePolicyId as { Ref: string }).Ref;
    const policy = () =>
      resources(s.api)[policyId()]!.Properties!.CachePolicyConfig as Record<string, CfnJson>;

    it('uses this stack’s own cache policy, not a managed one', () => {
      expect(resources(s.api)[policyId()]?.Type).toBe('AWS::CloudFront::CachePolicy');
      expect(policyId()).toBe(logicalId(s.stacks.api.cdn.edgeCachePolicy));
    });

    it('keys the cache on the path only: no headers, cookies or query strings', () => {
      const key = policy().ParametersInCacheKeyAndForwardedToOrigin;
      expect(key.HeadersConfig).toEqual({ HeaderBehavior: 'none' });
      expect(key.CookiesConfig).toEqual({ CookieBehavior: 'none' });
      expect(key.QueryStringsConfig).toEqual({ QueryStringBehavior: 'none' });
    });

    it('takes lifetimes from the origin: min 0, default 0 (no header = not cached), max at least a day', () => {
      expect(policy().MinTTL).toBe(0);
      expect(policy().DefaultTTL).toBe(0);
      expect(policy().MaxTTL).toBeGreaterThanOrEqual(86_400);
      expect(policy().MaxTTL).toBeGreaterThanOrEqual(CLOSED_SEGMENT_CDN_SECONDS);
    });

    it('compresses with gzip and brotli', () => {
      const key = policy().ParametersInCacheKeyAndForwardedToOrigin;
      expect(key.EnableAcceptEncodingGzip).toBe(true);
      expect(key.EnableAcceptEncodingBrotli).toBe(true);
      expect(defaultBehavior.Compress).toBe(true);
    });

    it('forwards no viewer headers, cookies or query strings to the origin', () => {
      expect(defaultBehavior.OriginRequestPolicyId).toBeUndefined();
    });

    it('serves only reads, cached, over HTTPS', () => {
      expect(defaultBehavior.AllowedMethods).toEqual(['GET', 'HEAD', 'OPTIONS']);
      expect(defaultBehavior.CachedMethods).toEqual(['GET', 'HEAD']);
      expect(defaultBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
      expect(defaultBehavior.CachePolicyId).not.toBe(CACHING_DISABLED);
    });

    it('is where every edge route lands: no other behaviour matches one', () => {
      const edge = routes.filter((r) => r.cache === 'edge');
      expect(edge.length).toBeGreaterThan(0);
      for (const route of edge) {
        const hit = behaviors.find((b) => matches(b.PathPattern, concrete(route)));
        expect(hit?.PathPattern, `${route.method} ${route.path}`).toBeUndefined();
      }
    });
  });

  describe('post behaviour', () => {
    const post = () => behaviors.find((b) => b.PathPattern === '/v1/rooms/*/comments');

    it('exists for /v1/rooms/*/comments', () => {
      expect(post()).toBeDefined();
    });

    it('disables caching and forwards every viewer header but Host', () => {
      expect(post()!.CachePolicyId).toBe(CACHING_DISABLED);
      expect(post()!.OriginRequestPolicyId).toBe(ALL_VIEWER_EXCEPT_HOST_HEADER);
    });

    it('allows POST (and the OPTIONS preflight) over HTTPS only', () => {
      expect(post()!.AllowedMethods).toEqual(expect.arrayContaining(['POST', 'OPTIONS']));
      expect(post()!.ViewerProtocolPolicy).toBe('https-only');
    });

    it('catches every route whose cache class is none', () => {
      for (const route of routes.filter((r) => r.cache === 'none')) {
        const hit = behaviors.find((b) => matches(b.PathPattern, concrete(route)));
        expect(hit?.CachePolicyId, `${route.method} ${route.path}`).toBe(CACHING_DISABLED);
        expect(hit?.AllowedMethods).toContain(route.method);
      }
    });
  });

  describe('admin behaviour', () => {
    const admin = () => behaviors.find((b) => b.PathPattern === '/admin/*');
    const adminRoutes = routes.filter((r) => r.path.startsWith('/admin/'));

    it('is one behaviour for every admin route, and no other behaviour matches one', () => {
      expect(adminRoutes.length).toBeGreaterThan(10);
      expect(admin()).toBeDefined();
      for (const route of adminRoutes) {
        const hits = behaviors.filter((b) => matches(b.PathPattern, concrete(route)));
        expect(
          hits.map((b) => b.PathPattern),
          `${route.method} ${route.path}`,
        ).toEqual(['/admin/*']);
        expect(admin()!.AllowedMethods, `${route.method} ${route.path}`).toContain(route.method);
      }
      expect(behaviors.filter((b) => String(b.PathPattern).startsWith('/admin/'))).toHaveLength(1);
    });

    it('caches nothing and forwards Authorization and query strings (every viewer header but Host)', () => {
      expect(admin()!.CachePolicyId).toBe(CACHING_DISABLED);
      // AllViewerExceptHostHeader: all viewer headers except Host, all cookies, all query strings.
      expect(admin()!.OriginRequestPolicyId).toBe(ALL_VIEWER_EXCEPT_HOST_HEADER);
    });

    it('allows every method, over HTTPS only', () => {
      expect([...admin()!.AllowedMethods].sort()).toEqual(
        ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'].sort(),
      );
      expect(admin()!.ViewerProtocolPolicy).toBe('https-only');
    });
  });

  it('stays well under CloudFront’s cache behaviour quota however many admin routes there are', () => {
    // The default behaviour plus one per uncached prefix, not one per route.
    expect(behaviors.length + 1).toBeLessThanOrEqual(5);
    expect(behaviors.length).toBeLessThan(routes.filter((r) => r.cache === 'none').length);
  });

  it('caches errors for a second, not CloudFront’s default ten; 400 and 403 only as long as the origin says', () => {
    const ttl = Object.fromEntries(
      (config.CustomErrorResponses as Record<string, CfnJson>[]).map((e) => [
        e.ErrorCode,
        e.ErrorCachingMinTTL,
      ]),
    );
    expect(ttl[404]).toBe(1);
    // CloudFront ignores no-store on 400 and 403, and the admin behaviour's cache key is the path alone:
    // a minimum above 0 would hand one caller's refusal to the next caller of the same path.
    expect(ttl[400]).toBe(0);
    expect(ttl[403]).toBe(0);
    for (const status of [500, 502, 503, 504]) expect(ttl[status], String(status)).toBeLessThanOrEqual(1);
    // Every status CloudFront caches has an entry, so none falls back to 10 s.
    for (const status of [400, 403, 404, 405, 414, 500, 501, 502, 503, 504]) {
      expect(ttl[status], String(status)).toBeLessThanOrEqual(1);
    }
  });

  it('changes no error into a page or another status', () => {
    for (const response of config.CustomErrorResponses as Record<string, unknown>[]) {
      expect(response.ResponsePagePath).toBeUndefined();
      expect(response.ResponseCode).toBeUndefined();
    }
  });

  it('speaks HTTP/2 and HTTP/3 from PriceClass_200 edges', () => {
    expect(config.HttpVersion).toBe('http2and3');
    expect(config.PriceClass).toBe('PriceClass_200');
    expect(config.Enabled).toBe(true);
  });

  it('reaches the REST API stage over HTTPS', () => {
    const origin = config.Origins.find((o: CfnJson) => o.Id === config.DefaultCacheBehavior.TargetOriginId);
    // The other origins are the web player's and the admin console's buckets (ADR 0025).
    expect(config.Origins).toHaveLength(3);
    expect(config.Origins.filter((o: CfnJson) => o.CustomOriginConfig)).toEqual([origin]);
    expect(JSON.stringify(origin.DomainName)).toContain(logicalId(s.stacks.api.http.restApi));
    expect(JSON.stringify(origin.OriginPath)).toContain(logicalId(s.stacks.api.http.restApi.deploymentStage));
    expect(origin.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
  });

  it('writes the distribution’s id and URL to the edge parameter the admin function reads', () => {
    const [[, parameter]] = resourcesOfType(s.api, 'AWS::SSM::Parameter') as [[string, CfnJson]];
    expect(resourcesOfType(s.api, 'AWS::SSM::Parameter')).toHaveLength(1);
    expect(parameter.Properties.Name).toBe(edgeParameterName(stage));
    expect(parameter.Properties.Name).toBe(`/hybrid-chat/${stage}/edge`);
    expect(parameter.Properties.Type).toBe('String');
    const distributionId = logicalId(s.stacks.api.cdn.distribution);
    // Evaluate the Fn::Join with stand-ins for the distribution's Ref and DomainName.
    const [separator, parts] = parameter.Properties.Value['Fn::Join'] as [string, CfnJson[]];
    const value = parts
      .map((part) => {
        if (typeof part === 'string') return part;
        if (part.Ref === distributionId) return 'E2EXAMPLE';
        if (JSON.stringify(part) === JSON.stringify({ 'Fn::GetAtt': [distributionId, 'DomainName'] })) {
          return 'd111.cloudfront.net';
        }
        throw new Error(`unexpected part ${JSON.stringify(part)}`);
      })
      .join(separator);
    expect(JSON.parse(value)).toEqual({ distributionId: 'E2EXAMPLE', url: 'https://d111.cloudfront.net' });
  });

  it('outputs the CloudFront URL and the API URL', () => {
    s.api.hasOutput('CloudFrontUrl', {
      Value: {
        'Fn::Join': [
          '',
          ['https://', { 'Fn::GetAtt': [logicalId(s.stacks.api.cdn.distribution), 'DomainName'] }],
        ],
      },
    });
    const outputs = (s.api.toJSON() as { Outputs: Record<string, { Value: unknown }> }).Outputs;
    expect(JSON.stringify(outputs.ApiUrl?.Value)).toContain(logicalId(s.stacks.api.http.restApi));
    expect(JSON.stringify(outputs.ApiUrl?.Value)).toContain('execute-api');
  });

  it('outputs the admin API base URL: the CloudFront URL and /admin/v1', () => {
    s.api.hasOutput('AdminApiUrl', {
      Value: {
        'Fn::Join': [
          '',
          [
            'https://',
            { 'Fn::GetAtt': [logicalId(s.stacks.api.cdn.distribution), 'DomainName'] },
            '/admin/v1',
          ],
        ],
      },
    });
    expect(routes.filter((r) => r.auth === 'admin').every((r) => r.path.startsWith('/admin/v1/'))).toBe(true);
  });
});

describe('path patterns', () => {
  it('turns each {param} segment into *', () => {
    expect(pathPattern('/v1/rooms/{roomId}/comments')).toBe('/v1/rooms/*/comments');
    expect(pathPattern('/v1/rooms/{roomId}/segments/{n}')).toBe('/v1/rooms/*/segments/*');
  });

  it('refuses an edge route that an uncached behaviour would shadow', () => {
    expect(() =>
      uncachedPathPatterns([
        { method: 'POST', path: '/v1/rooms/{roomId}/comments', function: 'postComment', cache: 'none' },
        { method: 'GET', path: '/v1/rooms/{roomId}/comments', function: 'getLive', cache: 'edge' },
      ]),
    ).toThrow(/GET \/v1\/rooms\/\{roomId\}\/comments is 'edge' but falls under/);
  });

  it('collapses every /admin/ route into /admin/* and keeps the others, most specific first', () => {
    const table: Route[] = [
      { method: 'POST', path: '/v1/rooms/{roomId}/comments', function: 'postComment', cache: 'none' },
      ...Array.from({ length: 40 }, (_, i): Route => ({
        method: 'PUT',
        path: `/admin/v1/thing${i}/{id}`,
        function: 'admin',
        cache: 'none',
        auth: 'admin',
      })),
    ];
    expect(uncachedPathPatterns(table)).toEqual(['/v1/rooms/*/comments', '/admin/*']);
  });

  it('refuses an edge route under /admin/: the admin behaviour would take its cache', () => {
    expect(() =>
      uncachedPathPatterns([
        { method: 'GET', path: '/admin/v1/me', function: 'admin', cache: 'none', auth: 'admin' },
        { method: 'GET', path: '/admin/v1/public', function: 'getRoom', cache: 'edge' },
      ]),
    ).toThrow(/GET \/admin\/v1\/public is 'edge' but falls under the uncached behaviour \/admin\/\*/);
  });

  it('refuses more uncached patterns than fit in 25 behaviours with the default', () => {
    const table = (count: number): Route[] =>
      Array.from({ length: count }, (_, i) => ({
        method: 'POST' as const,
        path: `/v1/x${i}`,
        function: 'postComment' as const,
        cache: 'none' as const,
      }));
    expect(uncachedPathPatterns(table(24))).toHaveLength(24);
    expect(() => uncachedPathPatterns(table(25))).toThrow(/25 uncached behaviours plus the default/);
  });

  it('refuses an edge route that is not a GET', () => {
    expect(() =>
      uncachedPathPatterns([{ method: 'POST', path: '/v1/x', function: 'postComment', cache: 'edge' }]),
    ).toThrow(/caches only GET and HEAD/);
  });
});
