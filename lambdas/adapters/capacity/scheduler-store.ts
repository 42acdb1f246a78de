import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import type { ScalerRequest, ScheduleStore } from '../../domain/capacity/ports.js';

export interface SchedulerSettings {
  /** The schedules' group (CDK creates it; deleting the group deletes its schedules). */
  readonly groupName: string;
  /** The scaler function the schedules invoke. */
  readonly scalerFunctionArn: string;
  /** The role EventBridge Scheduler assumes to invoke it. */
  readonly roleArn: string;
}

/** `at(yyyy-mm-ddThh:mm:ss)` in UTC: Scheduler's one-time expression takes whole seconds, no zone. */
export function atExpression(atMs: number): string {
  return `at(${new Date(atMs).toISOString().slice(0, 19)})`;
}

/** One-time EventBridge Scheduler schedules that invoke the scaler and delete themselves once run. */
export class EventBridgeScheduleStore implements ScheduleStore {
  constructor(
    private readonly settings: SchedulerSettings,
    private readonly client = new SchedulerClient({}),
  ) {}

  /** The full definition, for Create and Update alike (Update replaces every field). */
  scheduleInput(name: string, atMs: number, request: ScalerRequest): CreateScheduleCommandInput {
    return {
      Name: name,
      GroupName: this.settings.groupName,
      Description: `Capacity scaler run${request.roomId ? ` for room ${request.roomId}` : ''}`,
      ScheduleExpression: atExpression(atMs),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: this.settings.scalerFunctionArn,
        RoleArn: this.settings.roleArn,
        Input: JSON.stringify(request),
      },
    };
  }

  async put(name: string, atMs: number, request: ScalerRequest): Promise<'created' | 'updated'> {
    const input = this.scheduleInput(name, atMs, request);
    try {
      await this.client.send(new CreateScheduleCommand(input));
      return 'created';
    } catch (error) {
      if (!(error instanceof ConflictException)) throw error;
    }
    // It exists: move it. (Two admins racing both end with the later definition.)
    await this.client.send(new UpdateScheduleCommand(input));
    return 'updated';
  }

  async delete(name: string): Promise<boolean> {
    try {
      await this.client.send(new DeleteScheduleCommand({ Name: name, GroupName: this.settings.groupName }));
      return true;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return false;
      throw error;
    }
  }
}
