import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import { App, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Distribution } from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { afterAll, describe, expect, it } from 'vitest';
import { CONSOLE_PATH_PREFIX, PLAYER_PATH_PREFIX } from '../../lambdas/domain/paths.js';
import { ConsoleConfig } from '../../web/console/config.js';
import { routes } from '../../lambdas/routes.js';
import {
  BASELINE_CSP,
  ENTRY_CACHE_CONTROL,
  IMMUTABLE_CACHE_CONTROL,
  WebApp,
  type WebAppProps,
} from '../../lib/constructs/web-app.js';
import { STAGES } from '../../lib/stage-config.js';
import { staleAcknowledgements, unacknowledgedFindings } from './nag-findings.js';
import { buildTestApp, type CfnJson, logicalId, resourcesOfType, synthesize } from './synth.js';

const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';

const scratch = mkdtempSync(path.join(tmpdir(), 'web-app-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** What the web build writes for the player: entries at the root, hashed files under assets/. */
const PLAYER_BUILD = {
  'index.html': '<!doctype html><meta charset="utf-8"><script type="module" src="./embed.js"></script>',
  'embed.js': "import './assets/player-3F2A1B5C.js';",
  'assets/player-3F2A1B5C.js': 'customElements.define("hybrid-chat-player", class extends HTMLElement {});',
  'assets/player-7QK2M4ZD.css': ':host { display: block; }',
};

let builds = 0;
/** A build directory with these files (paths relative to it). */
function fakeBuild(files: Readonly<Record<string, string>> = PLAYER_BUILD): string {
  const directory = path.join(scratch, `build-${++builds}`);
  mkdirSync(directory);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(directory, file)), { recursive: true });
    writeFileSync(path.join(directory, file), content);
  }
  return directory;
}

type Overrides =
  Partial<WebAppProps> | ((scope: { stack: Stack; distribution: Distribution }) => Partial<WebAppProps>);

/** A stack with a bare distribution and one web app in it, synthesized. */
function synthWebApp(overrides: Overrides = {}) {
  const app = new App({ outdir: mkdtempSync(path.join(scratch, 'cdk.out-')) });
  const stack = new Stack(app, 'Web');
  const distribution = new Distribution(stack, 'Distribution', {
    defaultBehavior: { origin: new HttpOrigin('api.example.net') },
  });
  Validations.of(distribution).acknowledge(
    ...['CFR1', 'CFR2', 'CFR3', 'CFR4'].map((rule) => ({
      id: `AwsSolutions-${rule}`,
      reason: 'A stand-in for the chat distribution, whose own construct decides these (ADR 0007).',
    })),
  );
  const web = new WebApp(stack, 'Player', {
    distribution,
    pathPrefix: '/player/',
    directory: fakeBuild(),
    routes,
    removalPolicy: RemovalPolicy.DESTROY,
    logRetention: RetentionDays.ONE_WEEK,
    logRemovalPolicy: RemovalPolicy.DESTROY,
    ...(typeof overrides === 'function' ? overrides({ stack, distribution }) : overrides),
  });
  const assembly = app.synth();
  const template = Template.fromJSON(assembly.getStackByName(stack.stackName).template as CfnJson);
  return { app, stack, distribution, web, template, outdir: assembly.directory };
}

function behaviorFor(template: Template, pattern: string): CfnJson {
  const [[, distribution]] = resourcesOfType(template, 'AWS::CloudFront::Distribution') as [
    [string, CfnJson],
  ];
  return (distribution.Properties.DistributionConfig.CacheBehaviors as CfnJson[]).find(
    (b) => b.PathPattern === pattern,
  );
}

function deployments(template: Template): Record<string, CfnJson> {
  return Object.fromEntries(
    resourcesOfType(template, 'Custom::CDKBucketDeployment').map(([id, r]) => [id, r as CfnJson]),
  );
}

/** The deployment that uploads to this key prefix. */
function deploymentTo(template: Template, keyPrefix: string): CfnJson {
  const found = Object.values(deployments(template)).filter(
    (d) => d.Properties.DestinationBucketKeyPrefix === keyPrefix,
  );
  expect(found, keyPrefix).toHaveLength(1);
  return found[0];
}

/** The files of a deployment's n-th source, as staged in the cloud assembly (what CDK zips and uploads). */
function stagedFiles(outdir: string, deployment: CfnJson, source = 0): Record<string, string> {
  const key = deployment.Properties.SourceObjectKeys[source] as string;
  const directory = path.join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
  const files = readdirSync(directory, { recursive: true, encoding: 'utf8' }).filter((file) =>
    statSync(path.join(directory, file)).isFile(),
  );
  return Object.fromEntries(
    files.sort().map((file) => [file, readFileSync(path.join(directory, file), 'utf8')]),
  );
}

/**
 * A source file as the deployment function writes it: each marker replaced by the value CloudFormation
 * resolves its expression to (stand-ins here), JSON-escaped when the source asks for it — as the handler
 * does (UNQUOTED_JSON_VALUE encoding).
 */
function deployedContent(
  content: string,
  deployment: CfnJson,
  source: number,
  resolve: (expression: CfnJson) => string,
): string {
  const markers = (deployment.Properties.SourceMarkers?.[source] ?? {}) as Record<string, CfnJson>;
  const jsonEscape = deployment.Properties.SourceMarkersConfig?.[source]?.jsonEscape === true;
  let result = content;
  for (const [marker, expression] of Object.entries(markers)) {
    const value = resolve(expression);
    result = result.split(marker).join(jsonEscape ? JSON.stringify(value).slice(1, -1) : value);
  }
  return result;
}

/**
 * A CloudFormation value evaluated to a string: Fn::Join, Fn::Select and Fn::Split as CloudFormation
 * does them, anything else from `standIn` (references to other resources and stacks).
 */
function evaluate(value: CfnJson, standIn: (expression: CfnJson) => string | undefined): string {
  const list = (v: CfnJson): string[] =>
    v['Fn::Split']
      ? evaluate(v['Fn::Split'][1], standIn).split(v['Fn::Split'][0])
      : v.map((x: CfnJson) => evaluate(x, standIn));
  if (typeof value === 'string') return value;
  if (value['Fn::Join']) return list(value['Fn::Join'][1]).join(value['Fn::Join'][0]);
  if (value['Fn::Select']) return list(value['Fn::Select'][1])[value['Fn::Select'][0]]!;
  const stood = standIn(value);
  if (stood === undefined) throw new Error(`no stand-in for ${JSON.stringify(value)}`);
  return stood;
}

function bucketPolicyStatements(template: Template): CfnJson[] {
  const [[, policy]] = resourcesOfType(template, 'AWS::S3::BucketPolicy') as [[string, CfnJson]];
  return policy.Properties.PolicyDocument.Statement;
}

/** The response headers policy of the app at `prefix` (its comment starts with the prefix). */
function headersPolicy(template: Template, prefix = '/player/'): CfnJson {
  const found = (resourcesOfType(template, 'AWS::CloudFront::ResponseHeadersPolicy') as [string, CfnJson][])
    .map(([, policy]) => policy.Properties.ResponseHeadersPolicyConfig)
    .filter((config: CfnJson) => (config.Comment as string).startsWith(prefix));
  expect(found, prefix).toHaveLength(1);
  return found[0];
}

describe('WebApp', () => {
  const s = synthWebApp();
  const bucketId = logicalId(s.web.bucket);
  const distributionId = logicalId(s.distribution);

  describe('origin and behaviour', () => {
    it('serves <prefix>* from the bucket through origin access control, signing every request', () => {
      const behavior = behaviorFor(s.template, '/player/*');
      expect(behavior).toBeDefined();
      const [[, distribution]] = resourcesOfType(s.template, 'AWS::CloudFront::Distribution') as [
        [string, CfnJson],
      ];
      const origin = (distribution.Properties.DistributionConfig.Origins as CfnJson[]).find(
        (o) => o.Id === behavior.TargetOriginId,
      );
      expect(origin.DomainName).toEqual({ 'Fn::GetAtt': [bucketId, 'RegionalDomainName'] });
      // OAC, not the legacy origin access identity.
      expect(origin.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
      const oacId = origin.OriginAccessControlId['Fn::GetAtt'][0] as string;
      expect(s.template.toJSON().Resources[oacId].Properties.OriginAccessControlConfig).toMatchObject({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      });
    });

    it('lets only this distribution read the bucket, and nobody list it but CloudFront', () => {
      const allows = bucketPolicyStatements(s.template).filter((st) => st.Effect === 'Allow');
      const readers = allows.filter((st) =>
        [st.Action].flat().some((a: string) => /^s3:(GetObject|\*)/.test(a)),
      );
      expect(readers).toHaveLength(1);
      expect(readers[0].Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
      expect([readers[0].Action].flat().sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
      const sourceArn = readers[0].Condition.StringEquals['AWS:SourceArn'];
      expect(JSON.stringify(sourceArn)).toContain(':cloudfront::');
      expect(sourceArn['Fn::Join'][1]).toContainEqual({ Ref: distributionId });
      // The only other grant in the policy is CDK's empty-on-delete role of this stack (DESTROY).
      const others = allows.filter((st) => st !== readers[0]);
      expect(others.map((st) => st.Principal.AWS['Fn::GetAtt'][0])).toEqual([
        expect.stringMatching(/^CustomS3AutoDeleteObjectsCustomResourceProviderRole/),
      ]);
    });

    it('keeps the bucket private: public access blocked, no ACLs, TLS enforced, encrypted, no website', () => {
      const bucket = s.template.toJSON().Resources[bucketId].Properties;
      expect(bucket.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.OwnershipControls.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
      expect(
        bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault,
      ).toEqual({
        SSEAlgorithm: 'AES256',
      });
      expect(bucket.WebsiteConfiguration).toBeUndefined();
      const denies = bucketPolicyStatements(s.template).filter((st) => st.Effect === 'Deny');
      expect(denies.map((st) => st.Condition)).toEqual([
        { Bool: { 'aws:SecureTransport': 'false' } },
        { NumericLessThan: { 's3:TlsVersion': 1.2 } },
      ]);
      for (const statement of bucketPolicyStatements(s.template).filter((st) => st.Effect === 'Allow')) {
        expect(statement.Principal).not.toBe('*');
        expect(statement.Principal.AWS).not.toBe('*');
      }
    });

    it('keeps what S3 says in Cache-Control (the managed CachingOptimized policy), compressed, GET and HEAD only', () => {
      const behavior = behaviorFor(s.template, '/player/*');
      // CachingOptimized: path-only key, gzip and brotli, TTL from Cache-Control between 1 s and a year.
      expect(behavior.CachePolicyId).toBe(CACHING_OPTIMIZED);
      expect(behavior.OriginRequestPolicyId).toBeUndefined();
      expect(behavior.Compress).toBe(true);
      expect(behavior.AllowedMethods).toEqual(['GET', 'HEAD']);
      expect(behavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    });

    it('maps the prefix to its index.html and leaves every other path alone', () => {
      const behavior = behaviorFor(s.template, '/player/*');
      expect(behavior.FunctionAssociations).toHaveLength(1);
      const association = behavior.FunctionAssociations[0];
      expect(association.EventType).toBe('viewer-request');
      const functionId = association.FunctionARN['Fn::GetAtt'][0] as string;
      const fn = s.template.toJSON().Resources[functionId].Properties;
      expect(fn.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
      // Run the deployed code itself on CloudFront's event shape.
      const handler = runInNewContext(`${fn.FunctionCode}\nhandler`) as (event: CfnJson) => { uri: string };
      const uriAfter = (uri: string) =>
        handler({ request: { method: 'GET', uri, querystring: { room: { value: 'demo' } }, headers: {} } })
          .uri;
      expect(uriAfter('/player/')).toBe('/player/index.html');
      expect(uriAfter('/player/embed.js')).toBe('/player/embed.js');
      expect(uriAfter('/player/config.json')).toBe('/player/config.json');
      expect(uriAfter('/player/assets/player-3F2A1B5C.js')).toBe('/player/assets/player-3F2A1B5C.js');
    });
  });

  describe('deployments', () => {
    it('uploads the hashed files to <prefix>assets/, cached for a year as immutable, and never prunes them', () => {
      const assets = deploymentTo(s.template, 'player/assets/');
      expect(assets.Properties.SystemMetadata).toEqual({ 'cache-control': IMMUTABLE_CACHE_CONTROL });
      expect(IMMUTABLE_CACHE_CONTROL).toBe('public, max-age=31536000, immutable');
      expect(assets.Properties.Prune).toBe(false);
      expect(assets.Properties.DestinationBucketName).toEqual({ Ref: bucketId });
      expect(Object.keys(stagedFiles(s.outdir, assets))).toEqual([
        'player-3F2A1B5C.js',
        'player-7QK2M4ZD.css',
      ]);
    });

    it('uploads the entries and config.json to <prefix> for a minute, pruning old entries but not assets/', () => {
      const entries = deploymentTo(s.template, 'player/');
      expect(entries.Properties.SystemMetadata).toEqual({ 'cache-control': ENTRY_CACHE_CONTROL });
      expect(ENTRY_CACHE_CONTROL).toBe('public, max-age=60');
      expect(entries.Properties.Prune).toBe(true);
      // The sync leaves assets/ alone: neither uploaded nor deleted by this deployment.
      expect(entries.Properties.Exclude).toEqual(['assets/*']);
      expect(Object.keys(stagedFiles(s.outdir, entries))).toEqual(['embed.js', 'index.html']);
      expect(entries.Properties.SourceObjectKeys).toHaveLength(1);
    });

    it('uploads the entries only once the assets they name are there', () => {
      const [entriesId] = Object.entries(deployments(s.template)).find(
        ([, d]) => d.Properties.DestinationBucketKeyPrefix === 'player/',
      )!;
      const [assetsId] = Object.entries(deployments(s.template)).find(
        ([, d]) => d.Properties.DestinationBucketKeyPrefix === 'player/assets/',
      )!;
      expect(s.template.toJSON().Resources[entriesId].DependsOn).toContain(assetsId);
    });

    it('keeps every file it uploaded when the deployment is replaced or removed (retainOnDelete)', () => {
      for (const deployment of Object.values(deployments(s.template))) {
        expect(deployment.Properties.RetainOnDelete).toBeUndefined(); // CDK's default: true
        expect(deployment.Properties.DistributionId).toBeUndefined(); // no invalidation: entries live a minute
      }
    });

    it('logs the deployment function to one log group per stack, with a retention', () => {
      const logGroups = resourcesOfType(s.template, 'AWS::Logs::LogGroup');
      expect(logGroups).toHaveLength(1);
      expect(logGroups[0]![1].Properties!.RetentionInDays).toBe(7);
      const [[, fn]] = resourcesOfType(s.template, 'AWS::Lambda::Function').filter(([id]) =>
        id.startsWith('CustomCDKBucketDeployment'),
      ) as [[string, CfnJson]];
      expect(fn.Properties.LoggingConfig.LogGroup).toEqual({ Ref: logGroups[0]![0] });
    });
  });

  describe('config.json', () => {
    const withConfig = synthWebApp(({ stack, distribution }) => {
      const other = new Stack(stack.node.scope as App, 'Other');
      const parameter = new StringParameter(other, 'Value', { stringValue: 'x' });
      return {
        runtimeConfig: {
          baseUrl: `https://${distribution.distributionDomainName}`,
          realtime: { name: parameter.parameterName },
          pollFloorMs: 1000,
        },
      };
    });
    const entries = deploymentTo(withConfig.template, 'player/');
    const configSource = (entries.Properties.SourceObjectKeys as string[]).findIndex(
      (_key, i) => 'config.json' in stagedFiles(withConfig.outdir, entries, i),
    );

    it('is written at the prefix root by the entries deployment, next to the build’s entries', () => {
      expect(entries.Properties.SourceObjectKeys).toHaveLength(2);
      expect(configSource).toBeGreaterThanOrEqual(0);
      expect(Object.keys(stagedFiles(withConfig.outdir, entries, configSource))).toEqual(['config.json']);
      expect(entries.Properties.SystemMetadata).toEqual({ 'cache-control': ENTRY_CACHE_CONTROL });
    });

    it('holds this stack’s and other stacks’ values, substituted and JSON-escaped at deploy time', () => {
      const distributionDomain = { 'Fn::GetAtt': [logicalId(withConfig.distribution), 'DomainName'] };
      // A value with a quote and a backslash: only an escaped substitution leaves valid JSON.
      const awkward = 'say "hi" \\ bye';
      const deployed = deployedContent(
        stagedFiles(withConfig.outdir, entries, configSource)['config.json']!,
        entries,
        configSource,
        (expression) => {
          if (JSON.stringify(expression) === JSON.stringify(distributionDomain)) return 'd111.cloudfront.net';
          if (expression['Fn::ImportValue']) return awkward;
          throw new Error(`unexpected marker value ${JSON.stringify(expression)}`);
        },
      );
      expect(JSON.parse(deployed)).toEqual({
        baseUrl: 'https://d111.cloudfront.net',
        realtime: { name: awkward },
        pollFloorMs: 1000,
      });
    });

    it('refuses a build that ships its own config.json', () => {
      expect(() =>
        synthWebApp({
          directory: fakeBuild({ ...PLAYER_BUILD, 'config.json': '{}' }),
          runtimeConfig: { baseUrl: 'https://example.net' },
        }),
      ).toThrow(/config\.json comes from the build, but the deploy writes config\.json/);
    });
  });

  describe('response headers', () => {
    const headers = headersPolicy(s.template);

    it('sends the baseline CSP: own origin only, no inline code, no framing, no plugins, no form posts', () => {
      expect(headers.SecurityHeadersConfig.ContentSecurityPolicy).toEqual({
        ContentSecurityPolicy:
          "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
          "connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        Override: true,
      });
    });

    it('lets an app replace a directive, tokens included, and keeps the others', () => {
      const custom = synthWebApp(({ stack }) => {
        const other = new Stack(stack.node.scope as App, 'Other');
        const host = new StringParameter(other, 'Host', { stringValue: 'x' }).stringValue;
        return {
          contentSecurityPolicy: {
            'connect-src': [...BASELINE_CSP['connect-src'], `https://${host}/graphql`],
          },
        };
      });
      const csp = headersPolicy(custom.template).SecurityHeadersConfig.ContentSecurityPolicy
        .ContentSecurityPolicy;
      const rendered = evaluate(csp, (e) => (e['Fn::ImportValue'] ? 'api.example.net' : undefined));
      expect(rendered).toBe(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
          "connect-src 'self' https://api.example.net/graphql; manifest-src 'self'; base-uri 'none'; " +
          "form-action 'none'; frame-ancestors 'none'",
      );
    });

    it('refuses a CSP longer than CloudFront allows', () => {
      expect(() =>
        synthWebApp({
          contentSecurityPolicy: {
            'connect-src': Array.from(
              { length: 40 },
              (_, i) => `https://api-${i}.example-long-host-name.net`,
            ),
          },
        }),
      ).toThrow(/Content-Security-Policy would be about \d+ characters .* CloudFront allows 1783/);
    });

    it('forbids framing, sniffing and plain HTTP, and sends the origin only as referrer to other sites', () => {
      const security = headers.SecurityHeadersConfig;
      expect(security.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
      expect(security.ContentTypeOptions).toEqual({ Override: true });
      expect(security.StrictTransportSecurity).toEqual({
        AccessControlMaxAgeSec: 31_536_000,
        IncludeSubdomains: false,
        Override: true,
      });
      expect(security.ReferrerPolicy).toEqual({
        ReferrerPolicy: 'strict-origin-when-cross-origin',
        Override: true,
      });
      const custom = Object.fromEntries(
        (headers.CustomHeadersConfig.Items as CfnJson[]).map((h) => [h.Header, h.Value]),
      );
      expect(custom['Permissions-Policy']).toMatch(/camera=\(\), microphone=\(\), geolocation=\(\)/);
      expect(custom['Cross-Origin-Opener-Policy']).toBe('same-origin');
    });

    it('lets any page load the files with CORS (embed.js and the bundle are module scripts), without credentials', () => {
      expect(headers.CorsConfig).toEqual({
        AccessControlAllowCredentials: false,
        AccessControlAllowHeaders: { Items: ['*'] },
        AccessControlAllowMethods: { Items: ['GET', 'HEAD'] },
        AccessControlAllowOrigins: { Items: ['*'] },
        OriginOverride: true,
      });
      expect(behaviorFor(s.template, '/player/*').ResponseHeadersPolicyId).toEqual({
        Ref: resourcesOfType(s.template, 'AWS::CloudFront::ResponseHeadersPolicy')[0]![0],
      });
    });
  });

  describe('removal', () => {
    it('empties and deletes the bucket with a DESTROY stack', () => {
      expect(s.template.toJSON().Resources[bucketId].DeletionPolicy).toBe('Delete');
      expect(resourcesOfType(s.template, 'Custom::S3AutoDeleteObjects')).toHaveLength(1);
    });

    it('keeps the bucket, and grants nobody but CloudFront, with a RETAIN stack', () => {
      const kept = synthWebApp({ removalPolicy: RemovalPolicy.RETAIN });
      expect(kept.template.toJSON().Resources[logicalId(kept.web.bucket)].DeletionPolicy).toBe('Retain');
      expect(resourcesOfType(kept.template, 'Custom::S3AutoDeleteObjects')).toHaveLength(0);
      const allows = bucketPolicyStatements(kept.template).filter((st) => st.Effect === 'Allow');
      expect(allows.map((st) => st.Principal)).toEqual([{ Service: 'cloudfront.amazonaws.com' }]);
    });
  });

  describe('two apps on one distribution', () => {
    const both = synthWebApp(({ stack, distribution }) => {
      new WebApp(stack, 'Console', {
        distribution,
        pathPrefix: '/console/',
        directory: fakeBuild({ 'index.html': '<!doctype html>', 'assets/app-XYZ12345.js': '' }),
        routes,
        runtimeConfig: { userPoolId: 'pool' },
        removalPolicy: RemovalPolicy.DESTROY,
        logRetention: RetentionDays.ONE_WEEK,
        logRemovalPolicy: RemovalPolicy.DESTROY,
      });
      return {};
    });

    it('gives each its own bucket, behaviour and headers, and shares one deployment function and log group', () => {
      expect(behaviorFor(both.template, '/player/*')).toBeDefined();
      expect(behaviorFor(both.template, '/console/*')).toBeDefined();
      expect(resourcesOfType(both.template, 'AWS::S3::Bucket')).toHaveLength(2);
      expect(resourcesOfType(both.template, 'AWS::CloudFront::ResponseHeadersPolicy')).toHaveLength(2);
      expect(resourcesOfType(both.template, 'Custom::CDKBucketDeployment')).toHaveLength(4);
      const deploymentFunctions = resourcesOfType(both.template, 'AWS::Lambda::Function').filter(([id]) =>
        id.startsWith('CustomCDKBucketDeployment'),
      );
      expect(deploymentFunctions).toHaveLength(1);
      expect(resourcesOfType(both.template, 'AWS::Logs::LogGroup')).toHaveLength(1);
    });

    it('leaves no cdk-nag finding unacknowledged, and acknowledges only findings that occur', () => {
      expect(unacknowledgedFindings(both.app)).toEqual([]);
      expect(staleAcknowledgements(both.app)).toEqual([]);
    });
  });

  describe('cdk-nag', () => {
    it('leaves no finding unacknowledged: CloudFront reads through OAC, the bucket is private and TLS-only', () => {
      expect(unacknowledgedFindings(s.app)).toEqual([]);
    });

    it('acknowledges only findings that occur, on the construct where they occur', () => {
      expect(staleAcknowledgements(s.app)).toEqual([]);
    });
  });

  describe('validation', () => {
    it('fails with a message to run the web build when the directory is missing', () => {
      expect(() => synthWebApp({ directory: path.join(scratch, 'never-built') })).toThrow(
        /Player: the web build output .*never-built does not exist\. Run the web build first/,
      );
    });

    it('fails when the build has no index.html or no assets/', () => {
      expect(() => synthWebApp({ directory: fakeBuild({ 'assets/a-12345678.js': '' }) })).toThrow(
        /has no index\.html\. Run the web build first/,
      );
      expect(() => synthWebApp({ directory: fakeBuild({ 'index.html': '' }) })).toThrow(
        /has no assets\/\. Run the web build first/,
      );
    });

    it.each(['player', '/player', 'player/', '/Player/', '/', '//', '/play er/'])(
      'refuses the path prefix %j',
      (pathPrefix) => {
        expect(() => synthWebApp({ pathPrefix })).toThrow(/pathPrefix must start and end with "\/"/);
      },
    );

    it('refuses a prefix whose first segment an API route uses', () => {
      expect(() => synthWebApp({ pathPrefix: '/v1/player/' })).toThrow(
        /pathPrefix \/v1\/player\/ shares its first segment with the route \w+ \/v1\//,
      );
      expect(() => synthWebApp({ pathPrefix: '/admin/console/' })).toThrow(/shares its first segment/);
    });
  });
});

describe.each(STAGES)('the player in the Api stack (%s)', (stage) => {
  // The test app deploys FAKE_PLAYER_BUILD, as bin/app.ts deploys PLAYER_BUILD_DIRECTORY.
  const s = synthesize(stage, { bundle: false });
  const { api } = s.stacks;
  const player = api.player!;

  it('is served at PLAYER_PATH_PREFIX of the chat distribution, beside the API behaviours', () => {
    expect(PLAYER_PATH_PREFIX).toBe('/player/');
    expect(behaviorFor(s.api, '/player/*')).toBeDefined();
    expect(behaviorFor(s.api, '/admin/*')).toBeDefined();
    expect(behaviorFor(s.api, '/v1/rooms/*/comments')).toBeDefined();
    const outputs = (s.api.toJSON() as { Outputs: Record<string, CfnJson> }).Outputs;
    expect(outputs.PlayerUrl.Value).toEqual({
      'Fn::Join': [
        '',
        ['https://', { 'Fn::GetAtt': [logicalId(api.cdn.distribution), 'DomainName'] }, '/player/'],
      ],
    });
  });

  it('writes config.json with the CloudFront URL and the realtime values the admin API hands out', () => {
    const entries = deploymentTo(s.api, 'player/');
    const outdir = s.app.outdir;
    const source = (entries.Properties.SourceObjectKeys as string[]).findIndex(
      (_key, i) => 'config.json' in stagedFiles(outdir, entries, i),
    );
    // The admin function's environment carries the same values as the connection info (ADR 0011).
    const [[, admin]] = resourcesOfType(s.api, 'AWS::Lambda::Function').filter(
      ([, fn]) => (fn.Properties as CfnJson).Environment?.Variables?.REALTIME_CLIENT_GRAPHQL_URL,
    ) as [[string, CfnJson]];
    const env = admin.Properties.Environment.Variables;
    const standIns = new Map<string, string>([
      [
        JSON.stringify({ 'Fn::GetAtt': [logicalId(api.cdn.distribution), 'DomainName'] }),
        'd111.cloudfront.net',
      ],
      [
        JSON.stringify(env.REALTIME_CLIENT_GRAPHQL_URL),
        'https://abc.appsync-api.ap-northeast-1.amazonaws.com/graphql',
      ],
      [
        JSON.stringify(env.REALTIME_CLIENT_REALTIME_URL),
        'wss://abc.appsync-realtime-api.ap-northeast-1.amazonaws.com/graphql',
      ],
      [JSON.stringify(env.REALTIME_API_KEY), 'da2-examplekey'],
    ]);
    const deployed = deployedContent(
      stagedFiles(outdir, entries, source)['config.json']!,
      entries,
      source,
      (expression) => {
        const value = standIns.get(JSON.stringify(expression));
        if (value === undefined) throw new Error(`unexpected marker value ${JSON.stringify(expression)}`);
        return value;
      },
    );
    expect(JSON.parse(deployed)).toEqual({
      baseUrl: 'https://d111.cloudfront.net',
      realtime: {
        graphqlUrl: 'https://abc.appsync-api.ap-northeast-1.amazonaws.com/graphql',
        realtimeUrl: 'wss://abc.appsync-realtime-api.ap-northeast-1.amazonaws.com/graphql',
        apiKey: 'da2-examplekey',
      },
    });
  });

  it('lets the demo page connect to its own origin and the two AppSync endpoints, nothing else', () => {
    const csp = headersPolicy(s.api).SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy;
    // The Realtime stack's GraphQL URL, as CloudFormation would import it; the realtime URL derives from it.
    const rendered = evaluate(csp, (e) =>
      e['Fn::ImportValue'] ? 'https://abc.appsync-api.ap-northeast-1.amazonaws.com/graphql' : undefined,
    );
    const directives = Object.fromEntries(
      rendered.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)] as const),
    );
    expect(directives['connect-src']).toEqual([
      "'self'",
      'https://abc.appsync-api.ap-northeast-1.amazonaws.com/graphql',
      'wss://abc.appsync-realtime-api.ap-northeast-1.amazonaws.com/graphql',
    ]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    // Replay mode's silent track on the demo page (ADR 0040).
    expect(directives['media-src']).toEqual(["'self'", 'blob:']);
  });

  it('keeps the bucket as the stage keeps its other state', () => {
    const policy = s.api.toJSON().Resources[logicalId(player.bucket)].DeletionPolicy;
    expect(policy).toBe(stage === 'prod' ? 'Retain' : 'Delete');
  });

  it('leaves cdk-nag clean across the app, with only acknowledgements that match findings', () => {
    expect(unacknowledgedFindings(s.app)).toEqual([]);
    expect(staleAcknowledgements(s.app, api)).toEqual([]);
  });

  it('stops the app, saying to run the web build, when the player was not built', () => {
    expect(() =>
      buildTestApp(stage, { bundle: false, playerDirectory: path.join(scratch, 'web', 'player') }),
    ).toThrow(/Player: the web build output .*player does not exist\. Run the web build first/);
  });
});

describe.each(STAGES)('the admin console in the Api stack (%s)', (stage) => {
  // The test app deploys FAKE_CONSOLE_BUILD, as bin/app.ts deploys CONSOLE_BUILD_DIRECTORY.
  const s = synthesize(stage, { bundle: false });
  const { api, auth } = s.stacks;

  it('is served at CONSOLE_PATH_PREFIX of the chat distribution, the origin of the admin API it calls', () => {
    expect(CONSOLE_PATH_PREFIX).toBe('/console/');
    expect(behaviorFor(s.api, '/console/*')).toBeDefined();
    const outputs = (s.api.toJSON() as { Outputs: Record<string, CfnJson> }).Outputs;
    expect(outputs.ConsoleUrl.Value).toEqual({
      'Fn::Join': [
        '',
        ['https://', { 'Fn::GetAtt': [logicalId(api.cdn.distribution), 'DomainName'] }, '/console/'],
      ],
    });
  });

  it("writes config.json naming the user pool, the console's app client, the realtime values and the stage", () => {
    const entries = deploymentTo(s.api, 'console/');
    const source = (entries.Properties.SourceObjectKeys as string[]).findIndex(
      (_key, i) => 'config.json' in stagedFiles(s.app.outdir, entries, i),
    );
    const imported = (expression: CfnJson) => {
      const name = JSON.stringify(expression);
      if (name.includes('AdminConsole')) return 'console-client-id';
      if (name.includes('UserPool')) return 'ap-northeast-1_pool';
      if (name.includes('GraphQLUrl') || name.includes('GraphQlUrl') || name.includes('Graphql')) {
        return 'https://abc.appsync-api.ap-northeast-1.amazonaws.com/graphql';
      }
      if (name.includes('ApiKey')) return 'da2-examplekey';
      return undefined;
    };
    const deployed = deployedContent(
      stagedFiles(s.app.outdir, entries, source)['config.json']!,
      entries,
      source,
      (expression) => {
        const value = imported(expression);
        if (value === undefined) throw new Error(`unexpected marker value ${JSON.stringify(expression)}`);
        return value;
      },
    );
    const config = ConsoleConfig.parse(JSON.parse(deployed));
    expect(config).toMatchObject({
      apiUrl: '',
      auth: { userPoolId: 'ap-northeast-1_pool', userPoolClientId: 'console-client-id' },
      stage,
    });
    expect(config.auth.userPoolEndpoint).toBeUndefined();
    expect(config.devUsersUrl).toBeUndefined();
    expect(config.realtime?.apiKey).toBe('da2-examplekey');
    expect(auth.adminUsers.consoleClient).toBeDefined();
  });

  it('lets the console connect to its own origin, Cognito in its region and the two AppSync endpoints only', () => {
    const csp = headersPolicy(s.api, '/console/').SecurityHeadersConfig.ContentSecurityPolicy
      .ContentSecurityPolicy;
    const rendered = evaluate(csp, (e) =>
      e['Fn::ImportValue']
        ? 'https://abc.appsync-api.ap-northeast-1.amazonaws.com/graphql'
        : e.Ref === 'AWS::Region'
          ? 'ap-northeast-1'
          : undefined,
    );
    const directives = Object.fromEntries(
      rendered.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)] as const),
    );
    expect(directives['connect-src']).toEqual([
      "'self'",
      'https://cognito-idp.ap-northeast-1.amazonaws.com',
      'https://abc.appsync-api.ap-northeast-1.amazonaws.com/graphql',
      'wss://abc.appsync-realtime-api.ap-northeast-1.amazonaws.com/graphql',
    ]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['style-src']).toEqual(["'self'"]);
  });
});
