import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  Annotations,
  DefaultStackSynthesizer,
  Duration,
  RemovalPolicy,
  Stack,
  Token,
  Tokenization,
  Validations,
} from 'aws-cdk-lib';
import {
  AccessLevel,
  AllowedMethods,
  CachedMethods,
  CachePolicy,
  type Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct, type IConstruct } from 'constructs';
import type { Route } from '../../lambdas/routes.js';
import {
  BASELINE_CSP,
  type ContentSecurityPolicy,
  cspHeaderValue,
  ENTRY_CACHE_CONTROL,
  IMMUTABLE_CACHE_CONTROL,
  PERMISSIONS_POLICY,
} from '../../web/headers.js';

export {
  BASELINE_CSP,
  type ContentSecurityPolicy,
  type CspDirective,
  ENTRY_CACHE_CONTROL,
  IMMUTABLE_CACHE_CONTROL,
  PERMISSIONS_POLICY,
} from '../../web/headers.js';

/** Where the web build puts hashed, immutable files, inside an app's directory and under its prefix. */
export const ASSETS_DIRECTORY = 'assets';

/** The page a request for the prefix itself (`/player/`) is served. */
export const INDEX_DOCUMENT = 'index.html';

/** The runtime settings file written at the prefix's root at deploy time. */
export const RUNTIME_CONFIG_FILE = 'config.json';

/** CloudFront's limit on a Content-Security-Policy value. */
export const MAX_CSP_LENGTH = 1783;

/**
 * A CloudFront Function (viewer request) mapping a directory to its index document: CloudFront's
 * `defaultRootObject` maps only the distribution root, and S3 through origin access control has no
 * website hosting to do it. A path ending in `/` gets `index.html`; every other path is untouched.
 */
export const DIRECTORY_INDEX_FUNCTION_CODE = `function handler(event) {
  var request = event.request;
  if (request.uri.endsWith('/')) request.uri += '${INDEX_DOCUMENT}';
  return request;
}`;

export interface WebAppProps {
  /** The distribution that serves the app: it gets one behaviour, `<pathPrefix>*`, for it. */
  readonly distribution: Distribution;
  /**
   * The URL path the app lives under, with a leading and a trailing slash (`/player/`). Also the key
   * prefix in the bucket, so a URL path is its object key. Its first segment must be one no API
   * route uses (CloudFront picks a behaviour by path alone).
   */
  readonly pathPrefix: string;
  /**
   * The web build's output for this app: entry files at its root (`index.html` at least), hashed
   * immutable files under `assets/`. Synth fails, saying to run the web build, when it is missing.
   */
  readonly directory: string;
  /** The API's route table: synth fails if a route shares the prefix's first segment. */
  readonly routes: readonly Pick<Route, 'method' | 'path'>[];
  /**
   * Written as `<pathPrefix>config.json` at deploy time, so one build serves every stage. Values may
   * be CDK tokens (URLs and ids of this or other stacks); they are substituted, JSON-escaped, when
   * the deployment runs.
   * @default no config.json
   */
  readonly runtimeConfig?: object;
  /**
   * Directives that replace the baseline's (`BASELINE_CSP`); to add to one, spread the baseline's:
   * `{ 'connect-src': [...BASELINE_CSP['connect-src'], graphqlUrl] }`. Sources may be tokens.
   * @default BASELINE_CSP
   */
  readonly contentSecurityPolicy?: ContentSecurityPolicy;
  /**
   * What happens to the bucket when the stack is deleted. `DESTROY` empties it first (its content is
   * all rebuilt by a deploy); `RETAIN` leaves it.
   */
  readonly removalPolicy: RemovalPolicy;
  /** How long the deployment function's logs are kept (one log group per stack, whichever app comes first). */
  readonly logRetention: RetentionDays;
  /** What happens to that log group when the stack is deleted. */
  readonly logRemovalPolicy: RemovalPolicy;
}

/**
 * A static web app (the player, the admin console) served from S3 behind the chat's distribution
 * (ADR 0025): a private bucket that only this distribution may read (origin access control), a
 * behaviour for `<pathPrefix>*` that keeps what S3 says in `Cache-Control`, a directory index, CORS
 * for every origin (the player is loaded into host pages), security headers with the app's CSP, and
 * two deployments:
 *   1. `assets/` first, `Cache-Control: IMMUTABLE_CACHE_CONTROL`, never pruned: a page loaded before
 *      a deploy (or an entry an edge still holds for a minute) can still fetch the files it names;
 *   2. then the entries and `config.json`, `ENTRY_CACHE_CONTROL`, pruned (outside `assets/`).
 */
export class WebApp extends Construct {
  readonly bucket: Bucket;
  /** `<pathPrefix>*`, the behaviour's path pattern. */
  readonly pathPattern: string;
  /** The app's URL: `https://<distribution domain><pathPrefix>`. */
  readonly url: string;
  readonly responseHeadersPolicy: ResponseHeadersPolicy;
  readonly directoryIndex: CloudFrontFunction;
  /** The hashed files, uploaded first. */
  readonly assetsDeployment: BucketDeployment;
  /** The entries and `config.json`, uploaded once the assets are there. */
  readonly entriesDeployment: BucketDeployment;

  constructor(scope: Construct, id: string, props: WebAppProps) {
    super(scope, id);
    validatePathPrefix(id, props.pathPrefix, props.routes);
    validateBuildDirectory(id, props.directory, props.runtimeConfig !== undefined);
    const keyPrefix = props.pathPrefix.slice(1);
    this.pathPattern = `${props.pathPrefix}*`;
    this.url = `https://${props.distribution.distributionDomainName}${props.pathPrefix}`;

    const destroy = props.removalPolicy === RemovalPolicy.DESTROY;
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: destroy,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Viewers reach this bucket only through CloudFront (origin access control), and only the ' +
        'deployment writes to it; every object is rebuilt from the repository by a deploy, so an access log ' +
        'would record CloudFront fetching build output. CloudFront metrics cover the reads.',
    });

    this.directoryIndex = new CloudFrontFunction(this, 'DirectoryIndex', {
      comment: `${props.pathPrefix} → ${props.pathPrefix}${INDEX_DOCUMENT}`,
      code: FunctionCode.fromInline(DIRECTORY_INDEX_FUNCTION_CODE),
      runtime: FunctionRuntime.JS_2_0,
    });

    this.responseHeadersPolicy = new ResponseHeadersPolicy(this, 'Headers', {
      comment: `${props.pathPrefix}: security headers, CSP, CORS for any origin`,
      // Any page may load the files (the player's embed.js and bundle are module scripts, which
      // browsers fetch with CORS, and config.json): they are public and sent without credentials.
      corsBehavior: {
        accessControlAllowOrigins: ['*'],
        accessControlAllowMethods: ['GET', 'HEAD'],
        accessControlAllowHeaders: ['*'],
        accessControlAllowCredentials: false,
        originOverride: true,
      },
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: renderCsp(id, { ...BASELINE_CSP, ...props.contentSecurityPolicy }),
          override: true,
        },
        contentTypeOptions: { override: true },
        // The pages are never framed (CSP frame-ancestors says the same to newer browsers). The
        // player is embedded as a script, which framing rules do not touch.
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
        // No includeSubdomains: with a custom domain later it would bind every sibling host to HTTPS.
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: false,
          override: true,
        },
      },
      customHeadersBehavior: {
        customHeaders: [
          { header: 'Permissions-Policy', value: PERMISSIONS_POLICY, override: true },
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
        ],
      },
    });

    props.distribution.addBehavior(
      this.pathPattern,
      S3BucketOrigin.withOriginAccessControl(this.bucket, {
        // LIST as well as READ, so a missing file is S3's 404, not a 403 that reads like a broken
        // origin access control. Viewers cannot list: CloudFront only ever sends GetObject.
        originAccessLevels: [AccessLevel.READ, AccessLevel.LIST],
      }),
      {
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachedMethods: CachedMethods.CACHE_GET_HEAD,
        // Path-only key, gzip and brotli, and the lifetime S3 sends in Cache-Control (at least a
        // second, at most a year); managed, so it takes nothing from the account's policy quota.
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.responseHeadersPolicy,
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        compress: true,
        functionAssociations: [
          { function: this.directoryIndex, eventType: FunctionEventType.VIEWER_REQUEST },
        ],
      },
    );
    // CDK warns that LIST lets a request for the bucket's root list it, when the origin serves the
    // default behaviour without a default root object. Here it serves only `<pathPrefix>*`, whose
    // paths are object keys below the prefix, and the directory index maps `…/` to `index.html`.
    Annotations.of(props.distribution).acknowledgeWarning(
      '@aws-cdk/aws-cloudfront-origins:listBucketSecurityRisk',
      'The bucket serves only this prefix behaviour, never the root; directories map to index.html.',
    );

    const logGroup = deploymentLogGroup(this, props);
    const assetsPrefix = `${ASSETS_DIRECTORY}/`;
    this.assetsDeployment = new BucketDeployment(this, 'Assets', {
      sources: [Source.asset(path.join(props.directory, ASSETS_DIRECTORY))],
      destinationBucket: this.bucket,
      destinationKeyPrefix: `${keyPrefix}${assetsPrefix}`,
      cacheControl: [CacheControl.fromString(IMMUTABLE_CACHE_CONTROL)],
      // Hashed files of earlier deploys stay: open pages and entries still cached name them. They
      // are a few hundred kilobytes per deploy; ADR 0025 says how to clear old ones.
      prune: false,
      logGroup,
    });
    this.entriesDeployment = new BucketDeployment(this, 'Entries', {
      sources: [
        Source.asset(props.directory, { exclude: [`${ASSETS_DIRECTORY}/**`] }),
        ...(props.runtimeConfig ? [Source.jsonData(RUNTIME_CONFIG_FILE, props.runtimeConfig)] : []),
      ],
      destinationBucket: this.bucket,
      destinationKeyPrefix: keyPrefix,
      cacheControl: [CacheControl.fromString(ENTRY_CACHE_CONTROL)],
      // Entries of an earlier build that this one no longer has are removed; assets are not.
      prune: true,
      exclude: [`${assetsPrefix}*`],
      logGroup,
    });
    // An entry must never name a hashed file that is not there yet.
    this.entriesDeployment.node.addDependency(this.assetsDeployment);

    acknowledgeDeploymentFunction(this.assetsDeployment, this.bucket);
  }
}

/** Throws unless `prefix` is `/segment/…/` and no route shares its first segment. */
export function validatePathPrefix(
  id: string,
  prefix: string,
  routes: readonly Pick<Route, 'method' | 'path'>[],
): void {
  if (!/^(\/[a-z0-9][a-z0-9._-]*)+\/$/.test(prefix)) {
    throw new Error(
      `${id}: pathPrefix must start and end with "/" and hold lower-case path segments, like "/player/"; ` +
        `got ${JSON.stringify(prefix)}.`,
    );
  }
  const first = `/${prefix.split('/')[1]}/`;
  const clash = routes.find((route) => route.path.startsWith(first));
  if (clash) {
    throw new Error(
      `${id}: pathPrefix ${prefix} shares its first segment with the route ${clash.method} ${clash.path}; ` +
        'CloudFront picks behaviours by path alone, so one would shadow the other. Choose another prefix.',
    );
  }
}

/** Throws, saying to run the web build, unless `directory` holds `index.html` and `assets/`. */
export function validateBuildDirectory(id: string, directory: string, writesConfig: boolean): void {
  const missing = [INDEX_DOCUMENT, `${ASSETS_DIRECTORY}/`].filter(
    (entry) => !existsSync(path.join(directory, entry)),
  );
  if (!existsSync(directory) || !statSync(directory).isDirectory() || missing.length > 0) {
    throw new Error(
      `${id}: the web build output ${directory} ${
        existsSync(directory) ? `has no ${missing.join(' or ')}` : 'does not exist'
      }. Run the web build first (it writes index.html and the hashed files under ${ASSETS_DIRECTORY}/).`,
    );
  }
  if (writesConfig && existsSync(path.join(directory, RUNTIME_CONFIG_FILE))) {
    throw new Error(
      `${id}: ${path.join(directory, RUNTIME_CONFIG_FILE)} comes from the build, but the deploy writes ` +
        `${RUNTIME_CONFIG_FILE} from the stack's values: remove it from the build output.`,
    );
  }
}

/** `directive source source; …`, checked against CloudFront's length limit (tokens counted generously). */
export function renderCsp(id: string, policy: ContentSecurityPolicy): string {
  const value = cspHeaderValue(policy);
  // A token stands for a URL from another resource; AppSync's are under 100 characters.
  const estimate = String(
    Tokenization.reverseString(value)
      .mapTokens({ mapToken: () => 'x'.repeat(TOKEN_LENGTH_ALLOWANCE) })
      .join({ join: (left: unknown, right: unknown) => `${String(left)}${String(right)}` }),
  ).length;
  if (estimate > MAX_CSP_LENGTH) {
    throw new Error(
      `${id}: the Content-Security-Policy would be about ${estimate} characters (each deploy-time value counted ` +
        `as ${TOKEN_LENGTH_ALLOWANCE}); CloudFront allows ${MAX_CSP_LENGTH}. Use fewer or broader sources.`,
    );
  }
  return value;
}

const TOKEN_LENGTH_ALLOWANCE = 200;

/**
 * BucketDeployment runs one Lambda function per stack (a singleton, whichever deployment comes
 * first), so its log group is one per stack too: with retention and a removal policy, unlike the
 * group Lambda would make itself.
 */
function deploymentLogGroup(scope: Construct, props: WebAppProps): LogGroup {
  const stack = Stack.of(scope);
  const id = 'WebDeploymentLogs';
  return (
    (stack.node.tryFindChild(id) as LogGroup | undefined) ??
    new LogGroup(stack, id, { retention: props.logRetention, removalPolicy: props.logRemovalPolicy })
  );
}

/** The deployment functions whose shared findings are acknowledged already. */
const acknowledgedDeploymentFunctions = new WeakSet<IConstruct>();

/**
 * Acknowledges the findings cdk-nag raises on BucketDeployment's own function and role, which CDK
 * builds and no prop changes: once per stack for what every deployment shares, and once per bucket
 * for that bucket's object wildcard. On the singleton function, which holds the role.
 */
function acknowledgeDeploymentFunction(deployment: BucketDeployment, bucket: Bucket): void {
  const fn = deployment.handlerRole.node.scope as IConstruct;
  const stack = Stack.of(bucket);
  const bucketId = stack.resolve((bucket.node.defaultChild as CfnBucket).logicalId) as string;
  Validations.of(fn).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`,
    reason:
      'CDK’s BucketDeployment function syncs the build into this bucket, so it may read, write and delete its ' +
      'objects: the grant is on this bucket’s objects and no others.',
  });
  if (acknowledgedDeploymentFunctions.has(fn)) return;
  acknowledgedDeploymentFunctions.add(fn);
  // As cdk-nag prints it: the stack's account, region and partition where the CLI knows them
  // (`npm run synth` on a machine with a default region), else their pseudo-parameters.
  const known = (value: string, name: string) => (Token.isUnresolved(value) ? `<AWS::${name}>` : value);
  const assetBucket = DefaultStackSynthesizer.DEFAULT_FILE_ASSETS_BUCKET_NAME.replace(
    '${Qualifier}',
    DefaultStackSynthesizer.DEFAULT_QUALIFIER,
  )
    .replace('${AWS::AccountId}', known(stack.account, 'AccountId'))
    .replace('${AWS::Region}', known(stack.region, 'Region'));
  const partition = known(stack.partition, 'Partition');
  const actions =
    'CDK’s BucketDeployment function reads the build’s zip from the CDK asset bucket and syncs it into the ' +
    'web buckets with the AWS CLI; CDK grants it these action families on exactly those buckets.';
  Validations.of(fn).acknowledge(
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        'CDK’s BucketDeployment function: the managed basic-execution policy only lets it write its logs; CDK ' +
        'builds the role, and a hand-made one would still be given the same grants by the construct.',
    },
    ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map((action) => ({
      id: `AwsSolutions-IAM5[Action::${action}]`,
      reason: actions,
    })),
    {
      id: `AwsSolutions-IAM5[Resource::arn:${partition}:s3:::${assetBucket}/*]`,
      reason:
        'CDK’s BucketDeployment function reads the build’s zip from the CDK asset bucket, whose object keys are ' +
        'content hashes known only at synth: CDK grants reads on that bucket’s objects.',
    },
    {
      id: 'AwsSolutions-L1',
      reason:
        'CDK’s BucketDeployment function runs CDK’s own Python handler on the runtime CDK chose and tested it ' +
        'with; it moves with aws-cdk-lib upgrades, and it runs only during deploys.',
    },
  );
}
