import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { DEV_VIEWER_TOKEN_PLACEHOLDERS, resolveStageConfig, stageSettings } from '../../lib/stage-config.js';

const prodTokens = {
  viewerTokenJwksUrl: 'https://host.example.net/jwks.json',
  viewerTokenIssuer: 'https://host.example.net/',
  viewerTokenAudience: 'chat',
};

describe('resolveStageConfig', () => {
  it('defaults to dev with the documented placeholder viewer-token settings', () => {
    expect(resolveStageConfig({})).toEqual({ stage: 'dev', viewerToken: DEV_VIEWER_TOKEN_PLACEHOLDERS });
    expect(DEV_VIEWER_TOKEN_PLACEHOLDERS).toEqual({
      jwksUrl: 'https://auth.example.com/.well-known/jwks.json',
      issuer: 'https://auth.example.com/',
      audience: 'hybrid-live-chat',
    });
  });

  it('lets dev override any placeholder', () => {
    const config = resolveStageConfig({ stage: 'dev', viewerTokenAudience: 'my-audience' });
    expect(config.viewerToken).toEqual({ ...DEV_VIEWER_TOKEN_PLACEHOLDERS, audience: 'my-audience' });
  });

  it('refuses an unknown stage, naming what was given and what is allowed', () => {
    expect(() => resolveStageConfig({ stage: 'staging' })).toThrow(/"staging".*-c stage=dev\|prod/);
  });

  it('refuses prod without viewer-token settings and lists every missing key', () => {
    expect(() =>
      resolveStageConfig({ stage: 'prod', viewerTokenIssuer: 'https://host.example.net/' }),
    ).toThrow(/missing viewerTokenJwksUrl, viewerTokenAudience\./);
  });

  it('accepts prod with all three settings', () => {
    expect(resolveStageConfig({ stage: 'prod', ...prodTokens })).toEqual({
      stage: 'prod',
      viewerToken: {
        jwksUrl: prodTokens.viewerTokenJwksUrl,
        issuer: prodTokens.viewerTokenIssuer,
        audience: 'chat',
      },
    });
  });

  it('refuses a JWKS URL that is not https', () => {
    expect(() =>
      resolveStageConfig({ stage: 'prod', ...prodTokens, viewerTokenJwksUrl: 'http://host/jwks' }),
    ).toThrow(/https:\/\/ URL.*"http:\/\/host\/jwks"/);
    expect(() => resolveStageConfig({ viewerTokenJwksUrl: 'not a url' })).toThrow(/https:\/\/ URL/);
  });

  it('refuses context values that are not strings', () => {
    expect(() => resolveStageConfig({ viewerTokenAudience: 42 })).toThrow(
      /viewerTokenAudience must be a string/,
    );
  });
});

describe('stageSettings', () => {
  it('keeps prod data and logs, discards dev ones, and lets only dev introspect the GraphQL API', () => {
    expect(stageSettings('prod')).toEqual({
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
      logRetention: RetentionDays.ONE_MONTH,
      graphqlIntrospection: false,
    });
    expect(stageSettings('dev')).toEqual({
      removalPolicy: RemovalPolicy.DESTROY,
      deletionProtection: false,
      logRetention: RetentionDays.ONE_WEEK,
      graphqlIntrospection: true,
    });
  });
});
