import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../lambdas/config.js';

const required = {
  COMMENTS_TABLE_NAME: 'comments',
  CONTROL_TABLE_NAME: 'control',
  VIEWER_TOKEN_JWKS_URL: 'https://host.test/.well-known/jwks.json',
  VIEWER_TOKEN_ISSUER: 'https://host.test/',
  VIEWER_TOKEN_AUDIENCE: 'hybrid-live-chat',
};

function failure(env: Record<string, string | undefined>): string {
  try {
    loadConfig(env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected loadConfig to throw');
}

const names = { postComment: 'chat-post', getLive: 'chat-live', getSegment: 'chat-segment' };

describe('loadConfig: the scaler settings', () => {
  it('leaves every scaler setting unset for a function that does not scale', () => {
    const config = loadConfig({ ...required });

    expect(config.SCALED_FUNCTION_NAMES).toBeUndefined();
    expect(config.CAPACITY_LEAD_MINUTES).toBeUndefined();
    expect(config.CAPACITY_TAIL_MINUTES).toBeUndefined();
  });

  it('reads them all', () => {
    const config = loadConfig({
      ...required,
      SCALED_FUNCTION_NAMES: JSON.stringify(names),
      REST_API_ID: 'a1b2c3',
      REST_API_STAGE: 'v1',
      SCALER_FUNCTION_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:scaler:live',
      SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/scheduler',
      SCHEDULE_GROUP_NAME: 'chat-capacity',
      CAPACITY_LEAD_MINUTES: '45',
      CAPACITY_TAIL_MINUTES: '0',
    });

    expect(config).toMatchObject({
      SCALED_FUNCTION_NAMES: names,
      REST_API_ID: 'a1b2c3',
      REST_API_STAGE: 'v1',
      SCHEDULE_GROUP_NAME: 'chat-capacity',
      CAPACITY_LEAD_MINUTES: 45,
      CAPACITY_TAIL_MINUTES: 0,
    });
  });

  it.each([
    ['not JSON', '{postComment:', /SCALED_FUNCTION_NAMES: is not JSON/],
    [
      'a function missing',
      JSON.stringify({ postComment: 'a', getLive: 'b' }),
      /SCALED_FUNCTION_NAMES\.getSegment/,
    ],
    ['an unknown function', JSON.stringify({ ...names, admin: 'x' }), /SCALED_FUNCTION_NAMES/],
    ['an empty name', JSON.stringify({ ...names, getLive: '' }), /SCALED_FUNCTION_NAMES\.getLive/],
  ])('refuses SCALED_FUNCTION_NAMES with %s', (_, value, message) => {
    expect(failure({ ...required, SCALED_FUNCTION_NAMES: value })).toMatch(message);
  });

  it.each([
    ['CAPACITY_LEAD_MINUTES', '1441'],
    ['CAPACITY_LEAD_MINUTES', '-1'],
    ['CAPACITY_TAIL_MINUTES', '7.5'],
    ['CAPACITY_TAIL_MINUTES', 'soon'],
  ])('refuses %s=%s', (name, value) => {
    expect(failure({ ...required, [name]: value })).toContain(name);
  });

  it('accepts a whole day of lead time, and no more', () => {
    expect(loadConfig({ ...required, CAPACITY_LEAD_MINUTES: '1440' }).CAPACITY_LEAD_MINUTES).toBe(1_440);
  });
});
