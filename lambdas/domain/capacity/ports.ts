import type { AuditEntry } from '../access/audit.js';
import type { RoomShards } from '../feed/shards.js';
import type {
  CapacityTable,
  CapacityTarget,
  PlannedRoom,
  ScaledFunction,
  Throttle,
  ThrottledRoute,
  Throughput,
} from './target.js';

/**
 * What the scaler and the room schedules talk to (ADR 0015): the capacity
 * controls (Lambda, DynamoDB, API Gateway, the room store's shards), the
 * schedules (EventBridge Scheduler) and the scaler itself (Lambda Invoke).
 * AWS adapters and local stand-ins implement them.
 */

/**
 * When an event's capacity is in force: from `leadTimeMs` before it starts to `tailMs` after it ends;
 * and the one deployment setting the plan checks against.
 */
export interface CapacityWindows {
  readonly leadTimeMs: number;
  readonly tailMs: number;
  /** The read functions' `LIVE_COMMENT_LIMIT`, which the plan checks `live` documents against (default 500). */
  readonly liveCommentLimit?: number;
}

/** The capacity in force now, as the controls report it. */
export interface CapacityState {
  /** Provisioned concurrency requested on each function's alias; 0 when none is configured. */
  readonly provisionedConcurrency: Readonly<Record<ScaledFunction, number>>;
  /** Warm throughput each table reports (a new on-demand table reports its starting level). */
  readonly warmThroughput: Readonly<Record<CapacityTable, Throughput>>;
  /** The stage's default throttle; null when the stage has none (the account's limits apply). */
  readonly stageThrottling: Throttle | null;
  /** The routes that have a throttle of their own. */
  readonly routeThrottling: Readonly<Partial<Record<ThrottledRoute, Throttle>>>;
}

/** One step from the state towards the target. Each is one AWS request. */
export type CapacityChange =
  | {
      readonly kind: 'provisioned-concurrency.set';
      readonly function: ScaledFunction;
      readonly from: number;
      readonly to: number;
    }
  | {
      readonly kind: 'provisioned-concurrency.remove';
      readonly function: ScaledFunction;
      readonly from: number;
    }
  | {
      readonly kind: 'warm-throughput.raise';
      readonly table: CapacityTable;
      readonly from: Throughput;
      /** Never below `from` in either dimension: DynamoDB cannot lower warm throughput. */
      readonly to: Throughput;
    }
  | { readonly kind: 'stage-throttle.set'; readonly from: Throttle | null; readonly to: Throttle }
  | {
      readonly kind: 'route-throttle.set';
      readonly route: ThrottledRoute;
      readonly from: Throttle | null;
      readonly to: Throttle;
    }
  | { readonly kind: 'route-throttle.remove'; readonly route: ThrottledRoute; readonly from: Throttle }
  | {
      readonly kind: 'room-shards.grow';
      readonly roomId: string;
      /** The room's shards as read: the write is conditional on them, so a concurrent change fails it. */
      readonly from: RoomShards;
      readonly to: RoomShards;
    };

export type CapacityChangeKind = CapacityChange['kind'];

/** The exact request an adapter makes for a change (shown by dry runs, kept by the local stand-in). */
export interface ApiCall {
  readonly service: 'lambda' | 'dynamodb' | 'apigateway';
  /** The API action, e.g. `PutProvisionedConcurrencyConfig`. */
  readonly operation: string;
  /** The action's input as the SDK command takes it. */
  readonly input: Readonly<Record<string, unknown>>;
}

export interface CapacityControls {
  read(): Promise<CapacityState>;
  /** The request `apply` makes for the change; no I/O. */
  describe(change: CapacityChange): ApiCall;
  /** Makes the change (exactly the request `describe` gives); rejects when AWS refuses it. */
  apply(change: CapacityChange): Promise<void>;
}

/** What starts a scaler run. */
export type ScalerReason = 'schedule' | 'room-changed' | 'manual';

export interface ScalerRequest {
  readonly reason: ScalerReason;
  /** The room whose schedule or change asked for the run (the run plans every room regardless). */
  readonly roomId?: string;
  /** Plan and describe the calls, make none, write nothing. */
  readonly dryRun?: boolean;
  /** Who asked (the admin API); the scaler itself otherwise. */
  readonly actor?: AuditEntry['actor'];
  /** The request that asked for the run (an admin call's id), for the logs of both. */
  readonly correlationId?: string;
}

export interface ScalerCall {
  readonly change: CapacityChange;
  readonly api: ApiCall;
}

export interface ScalerRun {
  /** When the run planned (ISO). */
  readonly at: string;
  readonly dryRun: boolean;
  readonly reason: ScalerReason;
  readonly roomId?: string;
  /** The capacity the plan wants now. */
  readonly target: CapacityTarget;
  /** The plan's warnings (quotas, caps), as it gave them. */
  readonly warnings: readonly unknown[];
  /** Every change the run found, in the order it makes them, with the request for each. */
  readonly calls: readonly ScalerCall[];
  /** How many of `calls` were made (0 on a dry run). */
  readonly applied: number;
  /** The call that failed; those after it were not made. The next run diffs again and converges. */
  readonly failed?: ScalerCall & { readonly error: string };
  /** Differences deliberately left alone, and why (warm throughput cannot be lowered, ...). */
  readonly skipped: readonly string[];
}

/** The planning function (plan.ts): the capacity target in force at `nowMs` for these rooms. */
export type PlanCapacity = (
  rooms: readonly PlannedRoom[],
  nowMs: number,
) => { readonly target: CapacityTarget; readonly warnings: readonly unknown[] };

/** One-time schedules that fire the scaler (EventBridge Scheduler in AWS). */
export interface ScheduleStore {
  /** Creates the schedule, or moves it if one of that name exists. */
  put(name: string, atMs: number, request: ScalerRequest): Promise<'created' | 'updated'>;
  /** Resolves false when there was no such schedule (already fired, or never made). */
  delete(name: string): Promise<boolean>;
}

export interface ScalerInvoker {
  /** Starts a run and returns without waiting for it (asynchronous invocation). */
  runSoon(request: ScalerRequest): Promise<void>;
  /** Runs the scaler and returns its result (admin dry runs and apply-now). */
  run(request: ScalerRequest): Promise<ScalerRun>;
}
