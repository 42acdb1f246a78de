import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { Config, ReadConfig } from '../../lambdas/config.js';
import { MAX_LIVE_COMMENT_LIMIT } from '../../lambdas/domain/feed/ticks.js';
import {
  DEV_VIEWER_TOKEN_PLACEHOLDERS,
  MAX_CAPACITY_MINUTES,
  resolveStageConfig,
  stageSettings,
} from '../../lib/stage-config.js';

const prodTokens = {
  viewerTokenJwksUrl: 'https://host.example.net/jwks.json',
  viewerTokenIssuer: 'https://host.example.net/',
  viewerTokenAudience: 'chat',
};

describe('resolveStageConfig', () => {
  it('defaults to dev with the documented placeholder viewer-token settings', () => {
    expect(resolveStageConfig({})).toEqual({
      stage: 'dev',
      viewerToken: DEV_VIEWER_TOKEN_PLACEHOLDERS,
      capacity: { leadMinutes: 30, tailMinutes: 15 },
      waf: true,
    });
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
      capacity: { leadMinutes: 30, tailMinutes: 15 },
      waf: true,
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

describe('resolveStageConfig: capacity lead and tail minutes', () => {
  const capacity = (context: { capacityLeadMinutes?: unknown; capacityTailMinutes?: unknown }) =>
    resolveStageConfig(context).capacity;

  it('takes whole minutes as given on the command line (strings) or in cdk.json (numbers)', () => {
    expect(capacity({ capacityLeadMinutes: '45', capacityTailMinutes: '0' })).toEqual({
      leadMinutes: 45,
      tailMinutes: 0,
    });
    expect(capacity({ capacityLeadMinutes: 60, capacityTailMinutes: MAX_CAPACITY_MINUTES })).toEqual({
      leadMinutes: 60,
      tailMinutes: 1440,
    });
  });

  it('accepts exactly what the functions’ Config accepts, so a synth never deploys a value they refuse', () => {
    const parses = (minutes: number) =>
      Config.shape.CAPACITY_LEAD_MINUTES.safeParse(String(minutes)).success &&
      Config.shape.CAPACITY_TAIL_MINUTES.safeParse(String(minutes)).success;
    expect(parses(0)).toBe(true);
    expect(parses(MAX_CAPACITY_MINUTES)).toBe(true);
    expect(parses(MAX_CAPACITY_MINUTES + 1)).toBe(false);
    expect(() => capacity({ capacityLeadMinutes: MAX_CAPACITY_MINUTES + 1 })).toThrow(/whole minutes/);
  });

  it('falls back to the defaults when a value is unset or empty', () => {
    expect(capacity({ capacityLeadMinutes: '', capacityTailMinutes: undefined })).toEqual({
      leadMinutes: 30,
      tailMinutes: 15,
    });
  });

  it('refuses fractions, negatives, more than a day, units and non-numbers, naming the key and the value', () => {
    for (const bad of ['1.5', 1.5, '-5', -1, '1441', 1441, '30m', 'soon', true, Number.NaN, null]) {
      expect(() => capacity({ capacityLeadMinutes: bad }), JSON.stringify(bad)).toThrow(
        /capacityLeadMinutes must be whole minutes from 0 to 1440/,
      );
    }
    expect(() => capacity({ capacityTailMinutes: '2h' })).toThrow(/capacityTailMinutes .*"2h"/);
  });
});

describe('resolveStageConfig: liveCommentLimit', () => {
  const limit = (liveCommentLimit: unknown) => resolveStageConfig({ liveCommentLimit }).liveCommentLimit;

  it('takes a whole number from 1 to 1,000, from the command line (a string) or cdk.json (a number)', () => {
    expect(limit('900')).toBe(900);
    expect(limit(1)).toBe(1);
    expect(limit(MAX_LIVE_COMMENT_LIMIT)).toBe(1_000);
  });

  it('leaves it unset when absent or empty, so the functions keep their default', () => {
    expect(limit(undefined)).toBeUndefined();
    expect(limit('')).toBeUndefined();
    expect(resolveStageConfig({})).not.toHaveProperty('liveCommentLimit');
  });

  it('accepts exactly what the read functions’ Config accepts', () => {
    const parses = (n: number) => ReadConfig.shape.LIVE_COMMENT_LIMIT.safeParse(String(n)).success;
    for (const n of [1, 500, MAX_LIVE_COMMENT_LIMIT]) expect(parses(n) && limit(n) === n).toBe(true);
    for (const n of [0, MAX_LIVE_COMMENT_LIMIT + 1]) {
      expect(parses(n)).toBe(false);
      expect(() => limit(n)).toThrow(/liveCommentLimit must be a whole number from 1 to 1000/);
    }
  });

  it('refuses fractions, units and non-numbers, naming the value', () => {
    for (const bad of ['1.5', 2.5, '-5', '900 items', true, null]) {
      expect(() => limit(bad), JSON.stringify(bad)).toThrow(/liveCommentLimit must be a whole number/);
    }
  });
});
