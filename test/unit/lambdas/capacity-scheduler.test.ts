import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  atExpression,
  EventBridgeScheduleStore,
} from '../../../lambdas/adapters/capacity/scheduler-store.js';

const scheduler = mockClient(SchedulerClient);
afterEach(() => scheduler.reset());

const settings = {
  groupName: 'chat-capacity',
  scalerFunctionArn: 'arn:aws:lambda:ap-northeast-1:123456789012:function:chat-scaler:live',
  roleArn: 'arn:aws:iam::123456789012:role/chat-scheduler',
};
const store = () => new EventBridgeScheduleStore(settings, new SchedulerClient({ region: 'ap-northeast-1' }));
const AT = Date.UTC(2030, 4, 6, 18, 30, 5, 750);
const request = { reason: 'schedule', roomId: 'gig' } as const;

const expectedInput = {
  Name: 'scale-up-gig',
  GroupName: 'chat-capacity',
  Description: 'Capacity scaler run for room gig',
  ScheduleExpression: 'at(2030-05-06T18:30:05)',
  ScheduleExpressionTimezone: 'UTC',
  FlexibleTimeWindow: { Mode: 'OFF' },
  ActionAfterCompletion: 'DELETE',
  Target: {
    Arn: settings.scalerFunctionArn,
    RoleArn: settings.roleArn,
    Input: '{"reason":"schedule","roomId":"gig"}',
  },
};

describe('atExpression', () => {
  it('is the UTC time to the second, without a zone', () => {
    expect(atExpression(AT)).toBe('at(2030-05-06T18:30:05)');
  });
});

describe('EventBridgeScheduleStore', () => {
  it('creates a one-time schedule that invokes the scaler with the request and deletes itself', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });

    await expect(store().put('scale-up-gig', AT, request)).resolves.toBe('created');

    const calls = scheduler.commandCalls(CreateScheduleCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual(expectedInput);
    expect(scheduler.commandCalls(UpdateScheduleCommand)).toHaveLength(0);
  });

  it('moves the schedule with the full definition when one of that name exists', async () => {
    scheduler.on(CreateScheduleCommand).rejects(
      new ConflictException({
        message: 'Schedule scale-up-gig already exists.',
        Message: 'Schedule scale-up-gig already exists.',
        $metadata: {},
      }),
    );
    scheduler.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });

    await expect(store().put('scale-up-gig', AT, request)).resolves.toBe('updated');

    const updates = scheduler.commandCalls(UpdateScheduleCommand);
    expect(updates).toHaveLength(1);
    expect(updates[0]!.args[0].input).toEqual(expectedInput);
  });

  it('lets other refusals through without trying an update', async () => {
    scheduler.on(CreateScheduleCommand).rejects(new Error('AccessDenied'));

    await expect(store().put('scale-up-gig', AT, request)).rejects.toThrow('AccessDenied');
    expect(scheduler.commandCalls(UpdateScheduleCommand)).toHaveLength(0);
  });

  it('deletes by name in the group, and reports whether the schedule existed', async () => {
    scheduler
      .on(DeleteScheduleCommand)
      .resolvesOnce({})
      .rejectsOnce(
        new ResourceNotFoundException({
          message: 'Schedule scale-down-gig does not exist.',
          Message: 'Schedule scale-down-gig does not exist.',
          $metadata: {},
        }),
      );

    await expect(store().delete('scale-down-gig')).resolves.toBe(true);
    await expect(store().delete('scale-down-gig')).resolves.toBe(false);

    expect(scheduler.commandCalls(DeleteScheduleCommand).map((c) => c.args[0].input)).toEqual([
      { Name: 'scale-down-gig', GroupName: 'chat-capacity' },
      { Name: 'scale-down-gig', GroupName: 'chat-capacity' },
    ]);
  });

  it('lets a failed delete through', async () => {
    scheduler.on(DeleteScheduleCommand).rejects(new Error('ThrottlingException'));

    await expect(store().delete('scale-down-gig')).rejects.toThrow('ThrottlingException');
  });

  it('describes a run without a room plainly', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });

    await store().put('nightly', AT, { reason: 'schedule' });

    expect(scheduler.commandCalls(CreateScheduleCommand)[0]!.args[0].input).toMatchObject({
      Description: 'Capacity scaler run',
      Target: { Input: '{"reason":"schedule"}' },
    });
  });
});
