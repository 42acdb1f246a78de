import { beforeAll, describe, expect, it } from 'vitest';

/**
 * capacity-deps in AWS mode (no LOCAL_CONTROL_PLANE_URL), with only some of the
 * scaler's settings: what is missing is named when first needed, not at import.
 */
beforeAll(() => {
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    COMMENTS_TABLE_NAME: 'comments',
    CONTROL_TABLE_NAME: 'control',
    VIEWER_TOKEN_JWKS_URL: 'https://host.test/.well-known/jwks.json',
    VIEWER_TOKEN_ISSUER: 'https://host.test/',
    VIEWER_TOKEN_AUDIENCE: 'hybrid-live-chat',
    SCALED_FUNCTION_NAMES: JSON.stringify({ postComment: 'p', getLive: 'l', getSegment: 's' }),
    REST_API_STAGE: 'v1',
    SCALER_FUNCTION_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:scaler:live',
    CAPACITY_TAIL_MINUTES: '20',
  });
  delete process.env.LOCAL_CONTROL_PLANE_URL;
});

const deps = () => import('../../../lambdas/handlers/capacity-deps.js');

describe('capacity-deps in AWS', () => {
  it('imports without the scaler settings, and takes the lead time default and the tail as set', async () => {
    const { leadTimeMs, tailMs } = await deps();

    expect(leadTimeMs).toBe(30 * 60_000);
    expect(tailMs).toBe(20 * 60_000);
  });

  it('names the missing variable when the controls are first needed', async () => {
    const { capacityControls, scalerDeps } = await deps();

    expect(() => capacityControls()).toThrow(/^REST_API_ID is not set: the scaler needs it/);
    expect(() => scalerDeps()).toThrow(/REST_API_ID/);
  });

  it('names the missing schedule settings', async () => {
    const { scheduleStore, scheduleDeps } = await deps();

    expect(() => scheduleStore()).toThrow(/^SCHEDULE_GROUP_NAME is not set/);
    expect(() => scheduleDeps()).toThrow(/SCHEDULE_GROUP_NAME/);
  });

  it('builds the Lambda invoker from what is set, once', async () => {
    const { scalerInvoker } = await deps();
    const { LambdaScalerInvoker } =
      await import('../../../lambdas/adapters/capacity/lambda-scaler-invoker.js');

    expect(scalerInvoker()).toBeInstanceOf(LambdaScalerInvoker);
    expect(scalerInvoker()).toBe(scalerInvoker());
  });

  it('plans with the real planner over the lead and tail windows', async () => {
    const { planFor, leadTimeMs, tailMs } = await deps();
    const start = Date.UTC(2030, 0, 1, 12);
    const room = {
      roomId: 'gig',
      expectedViewers: 50_000,
      startsAtMs: start,
      endsAtMs: start + 3_600_000,
      pollIntervalSeconds: 3,
      segmentSeconds: 10,
      writeShards: 1,
    };

    const before = planFor([room], start - leadTimeMs - 1);
    const ahead = planFor([room], start - leadTimeMs);
    const tail = planFor([room], start + 3_600_000 + tailMs - 1);
    const after = planFor([room], start + 3_600_000 + tailMs);

    expect(before.target.provisionedConcurrency.postComment).toBe(0);
    expect(ahead.target.provisionedConcurrency.postComment).toBeGreaterThan(0);
    expect(tail.target.provisionedConcurrency.postComment).toBeGreaterThan(0);
    expect(after.target.provisionedConcurrency.postComment).toBe(0);
    expect(Array.isArray(ahead.warnings)).toBe(true);
  });
});
