import { describe, expect, it } from 'vitest';
import {
  CanaryConfig,
  LimitsSchedulerConfig,
  LimitsWorkerConfig,
  loadConfig,
  parseConfig,
} from '../../../lambdas/config.js';

const required = {
  COMMENTS_TABLE_NAME: 'comments',
  CONTROL_TABLE_NAME: 'control',
  VIEWER_TOKEN_JWKS_URL: 'https://host.test/.well-known/jwks.json',
  VIEWER_TOKEN_ISSUER: 'https://host.test/',
  VIEWER_TOKEN_AUDIENCE: 'hybrid-live-chat',
};

/** The message of the error `loadConfig` throws for `env`. */
function failure(env: Record<string, string | undefined>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return (error as Error).message;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
  it('applies the defaults to the required settings', () => {
    expect(loadConfig({ ...required })).toEqual({
      ...required,
      ROOM_CACHE_TTL_MS: 1_000,
      LIVE_COMMENT_LIMIT: 500,
      COMMENT_RETENTION_DAYS: 30,
      CANARY_ROOM_ID: 'canary',
    });
  });

  it('coerces numbers from environment strings', () => {
    const config = loadConfig({
      ...required,
      ROOM_CACHE_TTL_MS: '250',
      LIVE_COMMENT_LIMIT: '50',
      COMMENT_RETENTION_DAYS: '7',
    });

    expect(config).toMatchObject({
      ROOM_CACHE_TTL_MS: 250,
      LIVE_COMMENT_LIMIT: 50,
      COMMENT_RETENTION_DAYS: 7,
    });
  });

  it('ignores unrelated variables', () => {
    const config = loadConfig({ ...required, PATH: '/usr/bin', AWS_REGION: 'eu-west-1' });

    expect(config).not.toHaveProperty('PATH');
  });

  it.each(['COMMENTS_TABLE_NAME', 'CONTROL_TABLE_NAME', 'VIEWER_TOKEN_ISSUER', 'VIEWER_TOKEN_AUDIENCE'])(
    'throws an error naming %s when it is missing',
    (name) => {
      const message = failure({ ...required, [name]: undefined });

      expect(message).toContain(name);
    },
  );

  it('throws an error naming a table name set to the empty string', () => {
    expect(failure({ ...required, COMMENTS_TABLE_NAME: '' })).toContain('COMMENTS_TABLE_NAME');
  });

  it.each(['not a url', 'host.test/jwks.json', ''])(
    'throws an error naming VIEWER_TOKEN_JWKS_URL for %j',
    (url) => {
      expect(failure({ ...required, VIEWER_TOKEN_JWKS_URL: url })).toContain('VIEWER_TOKEN_JWKS_URL');
    },
  );

  it.each([
    ['ROOM_CACHE_TTL_MS', '-1'],
    ['ROOM_CACHE_TTL_MS', '60001'],
    ['LIVE_COMMENT_LIMIT', '0'],
    ['LIVE_COMMENT_LIMIT', '1001'],
    ['LIVE_COMMENT_LIMIT', 'many'],
    ['COMMENT_RETENTION_DAYS', '1.5'],
    ['COMMENT_RETENTION_DAYS', '0'],
  ])('throws an error naming %s for %j', (name, value) => {
    expect(failure({ ...required, [name]: value })).toContain(name);
  });

  it('names every problem at once', () => {
    const message = failure({ ...required, COMMENTS_TABLE_NAME: undefined, VIEWER_TOKEN_JWKS_URL: 'nope' });

    expect(message).toContain('COMMENTS_TABLE_NAME');
    expect(message).toContain('VIEWER_TOKEN_JWKS_URL');
  });

  it('treats an empty variable as unset, so an empty cache TTL keeps the default', () => {
    const config = loadConfig({ ...required, ROOM_CACHE_TTL_MS: '', LIVE_COMMENT_LIMIT: '' });

    expect(config.ROOM_CACHE_TTL_MS).toBe(1_000);
    expect(config.LIVE_COMMENT_LIMIT).toBe(500);
  });
});

describe('CanaryConfig', () => {
  const canaryEnv = {
    AWS_REGION: 'eu-west-1',
    CONTROL_TABLE_NAME: 'control',
    REALTIME_GRAPHQL_URL: 'https://a.appsync-api.eu-west-1.amazonaws.com/graphql',
    REALTIME_CLIENT_GRAPHQL_URL: 'https://a.appsync-api.eu-west-1.amazonaws.com/graphql',
    REALTIME_CLIENT_REALTIME_URL: 'wss://a.appsync-realtime-api.eu-west-1.amazonaws.com/graphql',
    REALTIME_API_KEY: 'da2-key',
    CANARY_EDGE_URL: 'https://d111.cloudfront.net',
    STAGE: 'prod',
  };

  it('runs in room canary, without a token secret, when neither is set', () => {
    const config = parseConfig(CanaryConfig, canaryEnv);

    expect(config.CANARY_ROOM_ID).toBe('canary');
    expect(config.CANARY_TOKEN_SECRET_ARN).toBeUndefined();
  });

  it('refuses to start without the edge, naming it, and refuses a room id no URL can carry', () => {
    expect(() => parseConfig(CanaryConfig, { ...canaryEnv, CANARY_EDGE_URL: undefined })).toThrow(
      /CANARY_EDGE_URL/,
    );
    expect(() => parseConfig(CanaryConfig, { ...canaryEnv, CANARY_ROOM_ID: 'room#1' })).toThrow(
      /CANARY_ROOM_ID: a room id/,
    );
  });
});

describe('the view-limit functions’ configs', () => {
  const queueUrl = 'https://sqs.ap-northeast-1.amazonaws.com/123456789012/view-limits';

  it('gives the scheduler its queue URL and control table', () => {
    const config = parseConfig(LimitsSchedulerConfig, {
      AWS_REGION: 'ap-northeast-1',
      CONTROL_TABLE_NAME: 'control',
      LIMITS_QUEUE_URL: queueUrl,
    });

    expect(config).toMatchObject({ LIMITS_QUEUE_URL: queueUrl, CONTROL_TABLE_NAME: 'control' });
  });

  it('refuses to start the scheduler without a queue URL, or with one that is not a URL, naming it', () => {
    const env = { AWS_REGION: 'ap-northeast-1', CONTROL_TABLE_NAME: 'control' };

    expect(() => parseConfig(LimitsSchedulerConfig, env)).toThrow(/LIMITS_QUEUE_URL/);
    expect(() => parseConfig(LimitsSchedulerConfig, { ...env, LIMITS_QUEUE_URL: 'view-limits' })).toThrow(
      /LIMITS_QUEUE_URL/,
    );
  });

  it('refuses to start the worker without the comments table', () => {
    expect(() =>
      parseConfig(LimitsWorkerConfig, { AWS_REGION: 'ap-northeast-1', CONTROL_TABLE_NAME: 'control' }),
    ).toThrow(/COMMENTS_TABLE_NAME/);
  });
});
