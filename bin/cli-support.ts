import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { LambdaScalerInvoker } from '../lambdas/adapters/capacity/lambda-scaler-invoker.js';
import { createDynamoClient } from '../lambdas/adapters/dynamodb/client.js';
import { LocalScalerInvoker, LocalScheduleStore } from '../local/adapters/control-plane-client.js';
import { EventBridgeScheduleStore } from '../lambdas/adapters/capacity/scheduler-store.js';
import type { ScheduleDeps } from '../lambdas/domain/capacity/schedules.js';
import { Config, DEFAULT_CAPACITY_LEAD_MINUTES, DEFAULT_CAPACITY_TAIL_MINUTES } from '../lambdas/config.js';
import { LOCAL_CREDENTIALS } from '../local/appsync/auth.js';

/** DynamoDB Local and the local AppSync endpoint get the local credentials; never real ones. */
export { LOCAL_CREDENTIALS } from '../local/appsync/auth.js';

export function isLoopback(url: string | undefined): boolean {
  return url !== undefined && /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(url);
}

/**
 * The stores' DynamoDB client for `endpoint` (loopback: local credentials), or for AWS with the
 * default chain, in `region` (default: $AWS_REGION, else us-east-1).
 */
export function dynamoClient(
  endpoint: string | undefined,
  region: string | undefined,
): DynamoDBDocumentClient {
  return createDynamoClient({
    region: region ?? 'us-east-1',
    ...(endpoint ? { endpoint } : {}),
    ...(isLoopback(endpoint) ? { credentials: LOCAL_CREDENTIALS } : {}),
  });
}

/** The room-settings flags both CLIs take, as the settings fields they name; flags not given are left out. */
export function settingsFlags(values: {
  'slow-mode'?: string | undefined;
  'max-length'?: string | undefined;
  'poll-seconds'?: string | undefined;
  'segment-seconds'?: string | undefined;
  'ng-words'?: string | undefined;
}): Record<string, number | string[]> {
  const numbers = {
    slowModeSeconds: values['slow-mode'],
    maxCommentLength: values['max-length'],
    pollIntervalSeconds: values['poll-seconds'],
    segmentSeconds: values['segment-seconds'],
  };
  return {
    ...Object.fromEntries(
      Object.entries(numbers)
        .filter((entry): entry is [string, string] => entry[1] !== undefined)
        .map(([field, value]) => [field, Number(value)]),
    ),
    // Comma-separated; an empty value clears the list.
    ...(values['ng-words'] !== undefined
      ? {
          ngWords: values['ng-words']
            .split(',')
            .map((w) => w.trim())
            .filter((w) => w.length > 0),
        }
      : {}),
  };
}

/**
 * A number flag as typed: a plain decimal (`-5` and `2.5` pass, so the schema
 * that takes the value names what is wrong with it), never `""` or `1e3`,
 * which `Number` would quietly turn into 0 and 1000.
 */
export function numberFlag(flag: string, value: string): number {
  if (!/^-?\d+(\.\d+)?$/.test(value.trim())) throw new Error(`--${flag} must be a number, not "${value}".`);
  return Number(value);
}

/** The flags that say where a room's capacity schedules go (the room CLI). */
export interface ScheduleFlags {
  'control-plane'?: string | undefined;
  'schedule-group'?: string | undefined;
  'scaler-arn'?: string | undefined;
  'scheduler-role-arn'?: string | undefined;
  'lead-minutes'?: string | undefined;
  'tail-minutes'?: string | undefined;
}

/** Schedule adapters for a CLI run; `close` releases their AWS clients so the process can exit. */
export interface ScheduleControl {
  readonly deps: ScheduleDeps;
  close(): void;
}

/** A flag, else its variable; an empty one is unset (as loadConfig treats the functions' variables). */
function flagOrEnv(flag: string | undefined, variable: string | undefined): string | undefined {
  const value = flag ?? variable;
  return value === '' ? undefined : value;
}

/** Whole minutes within the bounds the functions' configuration allows (lambdas/config.ts). */
function minutes(
  flag: 'lead-minutes' | 'tail-minutes',
  variable: 'CAPACITY_LEAD_MINUTES' | 'CAPACITY_TAIL_MINUTES',
  value: string | undefined,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  const schema = Config.shape[variable].unwrap();
  const checked = schema.safeParse(/^\d+$/.test(value.trim()) ? Number(value) : Number.NaN);
  if (!checked.success) {
    throw new Error(
      `--${flag} / ${variable} must be whole minutes from ${schema.minValue} to ${schema.maxValue}, not "${value}".`,
    );
  }
  return checked.data;
}

/**
 * The schedule store and scaler invoker the room CLI syncs schedules with,
 * chosen from flags and the environment: the local runtime when a control
 * plane URL is given, else
 * EventBridge Scheduler and Lambda. Every missing AWS setting is named at
 * once, before anything is written.
 */
export function scheduleControl(
  values: ScheduleFlags,
  env: Record<string, string | undefined>,
): ScheduleControl {
  const leadTimeMs =
    minutes(
      'lead-minutes',
      'CAPACITY_LEAD_MINUTES',
      flagOrEnv(values['lead-minutes'], env.CAPACITY_LEAD_MINUTES),
      DEFAULT_CAPACITY_LEAD_MINUTES,
    ) * 60_000;
  const tailMs =
    minutes(
      'tail-minutes',
      'CAPACITY_TAIL_MINUTES',
      flagOrEnv(values['tail-minutes'], env.CAPACITY_TAIL_MINUTES),
      DEFAULT_CAPACITY_TAIL_MINUTES,
    ) * 60_000;

  const controlPlane = flagOrEnv(values['control-plane'], env.LOCAL_CONTROL_PLANE_URL);
  if (controlPlane !== undefined) {
    const baseUrl = controlPlane.replace(/\/+$/, '');
    return {
      deps: {
        schedules: new LocalScheduleStore(baseUrl),
        scaler: new LocalScalerInvoker(baseUrl),
        leadTimeMs,
        tailMs,
      },
      close: () => {},
    };
  }

  const missing: string[] = [];
  const required = (flag: keyof ScheduleFlags, variable: string): string => {
    const value = flagOrEnv(values[flag], env[variable]);
    if (value === undefined) missing.push(`--${flag} (or ${variable})`);
    return value ?? '';
  };
  const groupName = required('schedule-group', 'SCHEDULE_GROUP_NAME');
  const scalerFunctionArn = required('scaler-arn', 'SCALER_FUNCTION_ARN');
  const roleArn = required('scheduler-role-arn', 'SCHEDULER_ROLE_ARN');
  if (missing.length > 0) {
    throw new Error(
      `Scheduling the room's capacity needs ${missing.join(', ')}; ` +
        'or, for the local runtime, --control-plane (or LOCAL_CONTROL_PLANE_URL).',
    );
  }
  const scheduler = new SchedulerClient({});
  const lambda = new LambdaClient({});
  return {
    deps: {
      schedules: new EventBridgeScheduleStore({ groupName, scalerFunctionArn, roleArn }, scheduler),
      scaler: new LambdaScalerInvoker(scalerFunctionArn, lambda),
      leadTimeMs,
      tailMs,
    },
    close: () => {
      scheduler.destroy();
      lambda.destroy();
    },
  };
}
