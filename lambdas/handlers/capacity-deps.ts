import { AwsCapacityControls } from '../adapters/capacity/aws-capacity-controls.js';
import type { CapacityResources } from '../adapters/capacity/aws-calls.js';
import { LambdaScalerInvoker } from '../adapters/capacity/lambda-scaler-invoker.js';
import {
  LocalCapacityControls,
  LocalScalerInvoker,
  LocalScheduleStore,
} from '../adapters/capacity/local-control-plane.js';
import { EventBridgeScheduleStore } from '../adapters/capacity/scheduler-store.js';
import { DynamoAuditStore } from '../adapters/dynamodb/audit-store.js';
import { planCapacity, targetAt } from '../domain/capacity/plan.js';
import type {
  CapacityControls,
  PlanCapacity,
  ScalerInvoker,
  ScheduleStore,
} from '../domain/capacity/ports.js';
import type { ScalerDeps } from '../domain/capacity/scaler.js';
import type { ScheduleDeps } from '../domain/capacity/schedules.js';
import { DEFAULT_CAPACITY_LEAD_MINUTES, DEFAULT_CAPACITY_TAIL_MINUTES, type Config } from '../config.js';
import { clock, config, doc, roomStore } from './deps.js';

/**
 * What the scaler function and the admin function (schedules, dry runs) share
 * to act on capacity (ADR 0015). Locally (`LOCAL_CONTROL_PLANE_URL`) the
 * control plane is the local runtime; in AWS it is Lambda, DynamoDB, API
 * Gateway and EventBridge Scheduler. Adapters are built on first use, so a
 * function that never scales needs none of the scaler's settings; a missing
 * one is named when first needed.
 */

/** How long before an event its capacity must be in place (CAPACITY_LEAD_MINUTES). */
export const leadTimeMs = (config.CAPACITY_LEAD_MINUTES ?? DEFAULT_CAPACITY_LEAD_MINUTES) * 60_000;
/** How long after an event its capacity is kept (CAPACITY_TAIL_MINUTES). */
export const tailMs = (config.CAPACITY_TAIL_MINUTES ?? DEFAULT_CAPACITY_TAIL_MINUTES) * 60_000;

/** The capacity plan for these rooms (plan.ts) and the target it sets for `nowMs`. */
export const planFor: PlanCapacity = (rooms, nowMs) => {
  const plan = planCapacity(rooms, { leadTimeMs, tailMs });
  return { target: targetAt(plan, nowMs), warnings: plan.warnings };
};

function required<K extends keyof Config>(name: K, forWhat: string): NonNullable<Config[K]> {
  const value = config[name];
  if (value === undefined) {
    throw new Error(`${name} is not set: ${forWhat} needs it (or LOCAL_CONTROL_PLANE_URL, locally).`);
  }
  return value as NonNullable<Config[K]>;
}

const tableNames: CapacityResources['tableNames'] = {
  comments: config.COMMENTS_TABLE_NAME,
  control: config.CONTROL_TABLE_NAME,
};

let controlsInstance: CapacityControls | undefined;
export function capacityControls(): CapacityControls {
  controlsInstance ??= config.LOCAL_CONTROL_PLANE_URL
    ? new LocalCapacityControls(config.LOCAL_CONTROL_PLANE_URL, tableNames, roomStore)
    : new AwsCapacityControls(
        {
          functionNames: required('SCALED_FUNCTION_NAMES', 'the scaler'),
          tableNames,
          restApiId: required('REST_API_ID', 'the scaler'),
          stageName: required('REST_API_STAGE', 'the scaler'),
        },
        roomStore,
      );
  return controlsInstance;
}

let schedulesInstance: ScheduleStore | undefined;
export function scheduleStore(): ScheduleStore {
  schedulesInstance ??= config.LOCAL_CONTROL_PLANE_URL
    ? new LocalScheduleStore(config.LOCAL_CONTROL_PLANE_URL)
    : new EventBridgeScheduleStore({
        groupName: required('SCHEDULE_GROUP_NAME', 'scheduling the scaler'),
        scalerFunctionArn: required('SCALER_FUNCTION_ARN', 'scheduling the scaler'),
        roleArn: required('SCHEDULER_ROLE_ARN', 'scheduling the scaler'),
      });
  return schedulesInstance;
}

let invokerInstance: ScalerInvoker | undefined;
export function scalerInvoker(): ScalerInvoker {
  invokerInstance ??= config.LOCAL_CONTROL_PLANE_URL
    ? new LocalScalerInvoker(config.LOCAL_CONTROL_PLANE_URL)
    : new LambdaScalerInvoker(required('SCALER_FUNCTION_ARN', 'invoking the scaler'));
  return invokerInstance;
}

const auditLog = new DynamoAuditStore(doc, config.CONTROL_TABLE_NAME);

/** What `runScaler` needs. */
export function scalerDeps(): ScalerDeps {
  return { rooms: roomStore, controls: capacityControls(), auditLog, plan: planFor, clock };
}

/** What `syncRoomSchedules` needs (the admin function, after a room changes). */
export function scheduleDeps(): ScheduleDeps {
  return { schedules: scheduleStore(), scaler: scalerInvoker(), leadTimeMs, tailMs };
}
