import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { LambdaScalerInvoker } from '../../../lambdas/adapters/capacity/lambda-scaler-invoker.js';
import type { ScalerRun } from '../../../lambdas/domain/capacity/ports.js';
import { BASELINE_TARGET } from '../../../lambdas/domain/capacity/target.js';

const lambda = mockClient(LambdaClient);
afterEach(() => lambda.reset());

const ARN = 'arn:aws:lambda:ap-northeast-1:123456789012:function:chat-scaler:live';
const invoker = () => new LambdaScalerInvoker(ARN, new LambdaClient({ region: 'ap-northeast-1' }));
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const sentPayload = (i = 0) =>
  JSON.parse(
    new TextDecoder().decode(lambda.commandCalls(InvokeCommand)[i]!.args[0].input.Payload as Uint8Array),
  );

const aRun: ScalerRun = {
  at: '2030-01-01T12:00:00.000Z',
  dryRun: true,
  reason: 'manual',
  target: BASELINE_TARGET,
  warnings: [],
  calls: [],
  applied: 0,
  skipped: [],
};

describe('LambdaScalerInvoker.runSoon', () => {
  it('invokes the scaler asynchronously with the request as its event', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });

    await invoker().runSoon({ reason: 'room-changed', roomId: 'gig' });

    const input = lambda.commandCalls(InvokeCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ FunctionName: ARN, InvocationType: 'Event' });
    expect(sentPayload()).toEqual({ reason: 'room-changed', roomId: 'gig' });
  });

  it('adds the caller’s correlation id to the request, so the run logs under it', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    const correlated = new LambdaScalerInvoker(
      ARN,
      new LambdaClient({ region: 'ap-northeast-1' }),
      () => 'api-req-7',
    );

    await correlated.runSoon({ reason: 'room-changed', roomId: 'gig' });
    await correlated.runSoon({ reason: 'room-changed', roomId: 'gig', correlationId: 'given' });

    expect(sentPayload(0)).toEqual({ reason: 'room-changed', roomId: 'gig', correlationId: 'api-req-7' });
    expect(sentPayload(1).correlationId).toBe('given');
  });

  it('fails when Lambda does not queue the run', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200 });

    await expect(invoker().runSoon({ reason: 'room-changed' })).rejects.toThrow(/did not queue.*200/);
  });
});

describe('LambdaScalerInvoker.run', () => {
  it('invokes the scaler synchronously and returns its run', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: bytes(aRun) as never });

    const run = await invoker().run({ reason: 'manual', dryRun: true });

    expect(run).toEqual(aRun);
    expect(lambda.commandCalls(InvokeCommand)[0]!.args[0].input).toMatchObject({
      FunctionName: ARN,
      InvocationType: 'RequestResponse',
    });
    expect(sentPayload()).toEqual({ reason: 'manual', dryRun: true });
  });

  it("surfaces the function's error with Lambda's message", async () => {
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      Payload: bytes({ errorType: 'Error', errorMessage: 'REST_API_ID is not set', trace: [] }) as never,
    });

    await expect(invoker().run({ reason: 'manual' })).rejects.toThrow(
      'The scaler failed (Unhandled): REST_API_ID is not set',
    );
  });

  it('refuses a payload that is not a scaler run', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: bytes({ hello: 1 }) as never });

    await expect(invoker().run({ reason: 'manual' })).rejects.toThrow('not a scaler run');
  });
});
