import { describe, expect, it } from 'vitest';
import {
  AdminConfig,
  ArchiverConfig,
  capacityWindows,
  dynamoSettings,
  parseConfig,
  PostConfig,
  ReadConfig,
  ScalerConfig,
  SegmentConfig,
} from '../../../lambdas/config.js';

/** What the Lambda runtime sets, and the tables every function names. */
const base = { AWS_REGION: 'eu-west-1', COMMENTS_TABLE_NAME: 'comments', CONTROL_TABLE_NAME: 'control' };
/** Every HTTP function checks the origin header against this secret (ADR 0030). */
const http = {
  ...base,
  ORIGIN_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:origin-AbCdEf',
};
const tokens = {
  VIEWER_TOKEN_JWKS_URL: 'https://host.test/.well-known/jwks.json',
  VIEWER_TOKEN_ISSUER: 'https://host.test/',
  VIEWER_TOKEN_AUDIENCE: 'hybrid-live-chat',
};
const admin = {
  ...http,
  REALTIME_GRAPHQL_URL: 'https://abc.appsync-api.eu-west-1.amazonaws.com/graphql',
  EDGE_PARAMETER_NAME: '/hybrid-chat/dev/edge',
  SCALER_FUNCTION_ARN: 'arn:aws:lambda:eu-west-1:123456789012:function:scaler:live',
  SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/scheduler',
  SCHEDULE_GROUP_NAME: 'hybrid-chat-dev',
  ARCHIVE_BUCKET_NAME: 'hybridchat-dev-archive',
  // The dimension its publish-failure metric carries (ADR 0033).
  STAGE: 'dev',
};
const scaler = {
  ...base,
  SCALED_FUNCTION_NAMES: JSON.stringify({ postComment: 'p', getLive: 'l', getSegment: 's' }),
  REST_API_ID: 'a1b2c3',
  REST_API_STAGE: 'dev',
};

function failure(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('each kind of function parses only its own settings', () => {
  it('starts the read functions with their tables and the defaults, without any viewer-token setting', () => {
    expect(parseConfig(ReadConfig, http)).toEqual({
      ...http,
      ROOM_CACHE_TTL_MS: 1_000,
      LIVE_COMMENT_LIMIT: 500,
    });
  });

  it('keeps what a kind does not read out of its configuration', () => {
    const config = parseConfig(ReadConfig, { ...http, ...tokens, REST_API_ID: 'x' });

    expect(config).not.toHaveProperty('VIEWER_TOKEN_JWKS_URL');
    expect(config).not.toHaveProperty('REST_API_ID');
  });

  it('refuses to start the post function without the viewer-token settings, naming each', () => {
    const message = failure(() => parseConfig(PostConfig, http));

    for (const key of Object.keys(tokens)) expect(message).toContain(key);
    expect(parseConfig(PostConfig, { ...http, ...tokens }).COMMENT_RETENTION_DAYS).toBe(30);
  });

  it('refuses to start any HTTP function without the origin secret, and the scaler without needing it', () => {
    for (const [schema, env] of [
      [ReadConfig, base],
      [PostConfig, { ...base, ...tokens }],
      [AdminConfig, { ...admin, ORIGIN_SECRET_ARN: undefined }],
    ] as const) {
      expect(failure(() => parseConfig(schema, env))).toContain('ORIGIN_SECRET_ARN');
    }
    expect(
      parseConfig(ScalerConfig, { ...scaler, ORIGIN_SECRET_ARN: http.ORIGIN_SECRET_ARN }),
    ).not.toHaveProperty('ORIGIN_SECRET_ARN');
  });

  it('refuses to start the admin function without the settings CDK always gives it, naming every one at once', () => {
    const message = failure(() => parseConfig(AdminConfig, base));

    for (const key of Object.keys(admin).filter((k) => !(k in base))) expect(message).toContain(key);
  });

  it('starts the admin function without the players’ realtime settings (connection info then answers 503)', () => {
    const config = parseConfig(AdminConfig, admin);

    expect(config.REALTIME_API_KEY).toBeUndefined();
    expect(config.SCHEDULE_GROUP_NAME).toBe('hybrid-chat-dev');
  });

  it('refuses to start getSegment and the archiver without the archive bucket (ADR 0037); live and room do not need it', () => {
    expect(failure(() => parseConfig(SegmentConfig, http))).toContain('ARCHIVE_BUCKET_NAME');
    expect(failure(() => parseConfig(ArchiverConfig, base))).toContain('ARCHIVE_BUCKET_NAME');
    expect(parseConfig(ArchiverConfig, { ...base, ARCHIVE_BUCKET_NAME: 'b' }).ARCHIVE_BUCKET_NAME).toBe('b');
    expect(parseConfig(ReadConfig, http)).not.toHaveProperty('ARCHIVE_BUCKET_NAME');
  });

  it('refuses to start the scaler without what it scales, naming each', () => {
    const message = failure(() => parseConfig(ScalerConfig, base));

    for (const key of ['SCALED_FUNCTION_NAMES', 'REST_API_ID', 'REST_API_STAGE'])
      expect(message).toContain(key);
    expect(parseConfig(ScalerConfig, scaler).SCALED_FUNCTION_NAMES).toEqual({
      postComment: 'p',
      getLive: 'l',
      getSegment: 's',
    });
  });

  it('needs the region the Lambda runtime sets', () => {
    const { AWS_REGION: _region, ...withoutRegion } = base;

    expect(failure(() => parseConfig(ReadConfig, withoutRegion))).toContain('AWS_REGION');
  });
});

describe('the DynamoDB client settings', () => {
  it('uses the region’s endpoint unless the SDK’s endpoint variable names another', () => {
    expect(dynamoSettings(parseConfig(ReadConfig, http))).toEqual({ region: 'eu-west-1' });
    expect(
      dynamoSettings(
        parseConfig(ReadConfig, { ...http, AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000' }),
      ),
    ).toEqual({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:8000' });
  });

  it('refuses an endpoint that is not a URL', () => {
    expect(
      failure(() => parseConfig(ReadConfig, { ...base, AWS_ENDPOINT_URL_DYNAMODB: 'dynamodb' })),
    ).toContain('AWS_ENDPOINT_URL_DYNAMODB');
  });
});

describe('capacityWindows', () => {
  it('takes the lead time default and the tail as set', () => {
    expect(capacityWindows(parseConfig(ScalerConfig, { ...scaler, CAPACITY_TAIL_MINUTES: '20' }))).toEqual({
      leadTimeMs: 30 * 60_000,
      tailMs: 20 * 60_000,
    });
  });
});
