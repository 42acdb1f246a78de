import { ADMIN_API_PREFIX } from '../../lambdas/domain/paths.js';
import { Duration, Validations } from 'aws-cdk-lib';
import type { RestApiBase } from 'aws-cdk-lib/aws-apigateway';
import {
  AllowedMethods,
  CacheCookieBehavior,
  CachedMethods,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Distribution,
  type ErrorResponse,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HttpVersion,
  OriginRequestPolicy,
  PriceClass,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { RestApiOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Construct } from 'constructs';
import type { Route } from '../../lambdas/routes.js';

/**
 * How long CloudFront keeps each error status it caches, in seconds. Its
 * default, 10 s, is longer than a poll interval. One second keeps a burst of
 * polls for a missing room or a failing origin to about one origin request per
 * second per edge location, and costs a viewer at most one poll. (For 500,
 * 502, 503 and 504 CloudFront ignores the origin's `no-store` and keeps the
 * error exactly this long; for 404 it keeps the larger of this and the
 * origin's max-age, which the handlers set to one second on the edge routes.)
 *
 * 400 and 403 get 0 (ADR 0011): on the admin routes they answer one caller —
 * a refused token, a role or channel it lacks, its own query string — and
 * CloudFront ignores `no-store` for them too, under a cache key (the path) that
 * every caller shares. With 0, only an origin max-age keeps them: the edge
 * routes send one second, the admin and post routes send `no-store`.
 */
export const ERROR_CACHING_SECONDS: Readonly<Record<number, number>> = {
  400: 0,
  403: 0,
  404: 1,
  405: 1,
  414: 1,
  500: 1,
  501: 1,
  502: 1,
  503: 1,
  504: 1,
};

/**
 * The most cache behaviours (the default one included) the distribution may have. CloudFront's
 * default quota is 75 today and was 25 for years; staying within 25 works in any account without a
 * quota request, and each behaviour is one more thing to read when a request lands in the wrong one.
 */
export const MAX_CACHE_BEHAVIORS = 25;

/**
 * The one behaviour for the whole control plane: every route under `/admin/` is uncached and
 * forwards everything, so one pattern serves them all instead of one per route (ADR 0011).
 */
export const ADMIN_PATH_PATTERN = `/${ADMIN_API_PREFIX.split('/')[1]}/*`;

export interface ChatCdnProps {
  readonly api: RestApiBase;
  readonly routes: readonly Route[];
  /**
   * The longest `s-maxage` the origin sends: the cache policy's maximum TTL.
   * The origin decides every lifetime below it through `Cache-Control`.
   */
  readonly maxTtl: Duration;
  /**
   * @default PriceClass.PRICE_CLASS_200 — North America, Europe, Asia (Japan included), the Middle East
   * and Africa. South America and Oceania, the most expensive per request, are served from the nearest
   * included edge; a few more milliseconds do not matter to a seconds-long poll interval.
   */
  readonly priceClass?: PriceClass;
  /**
   * Headers CloudFront adds to every request to the API (ADR 0030): the origin secret, as a
   * dynamic reference. CloudFront replaces a header of the same name a viewer sent.
   */
  readonly originHeaders?: Readonly<Record<string, string>>;
  /**
   * When given, a CloudFront Function on the viewer routes' uncached behaviour (the posts) sets
   * this header to the viewer's address, for the API's WAF rate rule (ADR 0031). Posts only: the
   * function is billed per invocation.
   */
  readonly viewerAddressHeader?: string;
}

/**
 * CloudFront in front of the API. `edge` routes share the default behaviour:
 * cache key = path only, TTLs from the origin's `Cache-Control`, request
 * collapsing on. Each `none` route gets an uncached behaviour that forwards
 * everything but `Host` (so `Authorization`, `Content-Type` and query strings
 * reach the API); the admin routes share one, `/admin/*`.
 */
export class ChatCdn extends Construct {
  readonly distribution: Distribution;
  readonly edgeCachePolicy: CachePolicy;
  /** Sets `viewerAddressHeader` on posts; undefined without it. */
  readonly viewerAddressFunction?: CloudFrontFunction;

  constructor(scope: Construct, id: string, props: ChatCdnProps) {
    super(scope, id);
    const uncachedPatterns = uncachedPathPatterns(props.routes);

    this.edgeCachePolicy = new CachePolicy(this, 'EdgeCachePolicy', {
      comment: 'Path-only cache key; lifetimes come from the origin Cache-Control (absent = not cached).',
      headerBehavior: CacheHeaderBehavior.none(),
      cookieBehavior: CacheCookieBehavior.none(),
      queryStringBehavior: CacheQueryStringBehavior.none(),
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: props.maxTtl,
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    const origin = new RestApiOrigin(props.api, {
      ...(props.originHeaders ? { customHeaders: { ...props.originHeaders } } : {}),
    });
    if (props.viewerAddressHeader !== undefined) {
      this.viewerAddressFunction = new CloudFrontFunction(this, 'ViewerAddress', {
        comment: `Sets ${props.viewerAddressHeader} to the viewer's address (the API's WAF rate rule)`,
        runtime: FunctionRuntime.JS_2_0,
        code: FunctionCode.fromInline(viewerAddressCode(props.viewerAddressHeader)),
      });
    }
    const viewerAddress = this.viewerAddressFunction;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Hybrid live chat: cached reads, uncached posts',
      defaultBehavior: {
        origin,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
        cachedMethods: CachedMethods.CACHE_GET_HEAD,
        cachePolicy: this.edgeCachePolicy,
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        compress: true,
      },
      additionalBehaviors: Object.fromEntries(
        uncachedPatterns.map((pattern) => [
          pattern,
          {
            origin,
            allowedMethods: AllowedMethods.ALLOW_ALL,
            cachePolicy: CachePolicy.CACHING_DISABLED,
            originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
            // A redirect would turn a POST into a GET and drop its body: refuse plain HTTP instead.
            viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
            compress: true,
            ...(viewerAddress && pattern !== ADMIN_PATH_PATTERN
              ? {
                  functionAssociations: [
                    { function: viewerAddress, eventType: FunctionEventType.VIEWER_REQUEST },
                  ],
                }
              : {}),
          },
        ]),
      ),
      errorResponses: Object.entries(ERROR_CACHING_SECONDS).map(([status, seconds]): ErrorResponse => ({
        httpStatus: Number(status),
        ttl: Duration.seconds(seconds),
      })),
      priceClass: props.priceClass ?? PriceClass.PRICE_CLASS_200,
      httpVersion: HttpVersion.HTTP2_AND_3,
      enableIpv6: true,
    });

    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'Live chat is for viewers in any country; where a stream has territorial rights, the host service ' +
          'enforces them when it issues tokens and plays the stream.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'WAF is on the regional API stage by design (ADR 0031), not the distribution: there it inspects posts ' +
          'and cache misses only, not the polls the cache answers, and WAF bills per request inspected. The API ' +
          'answers only requests that came through this distribution (ADR 0030).',
      },
      {
        id: 'AwsSolutions-CFR3',
        reason:
          'Standard logs are one line per poll (hundreds of thousands of viewers); API Gateway access logs ' +
          'record every request that reaches the origin and CloudFront metrics cover the edge. ' +
          'Operators can add a log destination per deployment.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'No custom domain yet: the *.cloudfront.net default certificate has a security policy fixed at ' +
          'TLSv1 whatever minimumProtocolVersion says. With a custom domain and ACM certificate, set TLSv1.2_2021.',
      },
    );
  }
}

/**
 * The viewer-request function: the header set from `event.viewer.ip`, replacing any a client sent
 * (unlike X-Forwarded-For, to which CloudFront appends).
 */
export function viewerAddressCode(headerName: string): string {
  return [
    'function handler(event) {',
    `  event.request.headers[${JSON.stringify(headerName)}] = { value: event.viewer.ip };`,
    '  return event.request;',
    '}',
  ].join('\n');
}

/** CloudFront's pattern for an API Gateway path: each `{param}` segment becomes `*`. */
export function pathPattern(path: string): string {
  return path.replace(/\{[^}/]+\}/g, '*');
}

/**
 * The path patterns of the `none` routes, most specific first; every route
 * under `/admin/` shares `ADMIN_PATH_PATTERN`. Throws if an `edge` route would
 * fall under one of them (CloudFront chooses behaviours by path alone, so such
 * a route would silently lose its cache), or if the patterns would not fit in
 * one distribution.
 */
export function uncachedPathPatterns(routes: readonly Route[]): string[] {
  for (const route of routes) {
    if (route.cache === 'edge' && route.method !== 'GET') {
      throw new Error(
        `Route ${route.method} ${route.path} is 'edge', but CloudFront caches only GET and HEAD; make it 'none'.`,
      );
    }
  }
  const patterns = [
    ...new Set(
      routes
        .filter((r) => r.cache === 'none')
        .map((r) => (r.path.startsWith('/admin/') ? ADMIN_PATH_PATTERN : pathPattern(r.path))),
    ),
  ];
  for (const pattern of patterns) {
    const matcher = globToRegExp(pattern);
    const shadowed = routes.find(
      (r) => r.cache === 'edge' && matcher.test(r.path.replace(/\{[^}/]+\}/g, 'x')),
    );
    if (shadowed) {
      throw new Error(
        `Route ${shadowed.method} ${shadowed.path} is 'edge' but falls under the uncached behaviour ${pattern} ` +
          `of a 'none' route; CloudFront matches behaviours by path only. Give it its own path or make it 'none'.`,
      );
    }
  }
  if (patterns.length + 1 > MAX_CACHE_BEHAVIORS) {
    throw new Error(
      `The route table needs ${patterns.length} uncached behaviours plus the default, more than the ` +
        `${MAX_CACHE_BEHAVIORS} this distribution allows itself: group the 'none' routes under fewer path prefixes.`,
    );
  }
  return patterns.sort((a, b) => b.length - a.length);
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}
