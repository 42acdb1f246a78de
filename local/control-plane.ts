/**
 * The AWS control plane the scaler drives, locally (ARCHITECTURE §8): it
 * records every request the scaler would send to Lambda, DynamoDB and API
 * Gateway, and keeps the capacity those requests would leave behind, so a
 * second run sees the first one's effect — as in AWS. The wire protocol is the
 * one `local/adapters/control-plane-client.ts` documents.
 */
import { z } from 'zod';
import type { ApiCall, CapacityChange, CapacityState } from '../lambdas/domain/capacity/ports.js';
import { LIMITS } from '../lambdas/domain/capacity/assumptions.js';
import { ThrottleBody, ThroughputBody, UnitCount } from './adapters/control-plane-client.js';
import {
  BASELINE_STAGE_THROTTLING,
  CAPACITY_TABLES,
  SCALED_FUNCTIONS,
  THROTTLED_ROUTES,
  type ThrottledRoute,
  type Throttle,
} from '../lambdas/domain/capacity/target.js';

export interface RecordedCall {
  /** When the stand-in received it (ISO). */
  readonly at: string;
  readonly change: CapacityChange;
  readonly api: ApiCall;
}

/** At most this many calls are kept (oldest dropped): a long `npm start` must not grow without bound. */
const MAX_RECORDED_CALLS = 1_000;

const Fn = z.enum(SCALED_FUNCTIONS);
const Table = z.enum(CAPACITY_TABLES);
const Route = z.enum(THROTTLED_ROUTES);
const Change = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('provisioned-concurrency.set'), function: Fn, from: UnitCount, to: UnitCount }),
  z.object({ kind: z.literal('provisioned-concurrency.remove'), function: Fn, from: UnitCount }),
  z.object({
    kind: z.literal('warm-throughput.raise'),
    table: Table,
    from: ThroughputBody,
    to: ThroughputBody,
  }),
  z.object({ kind: z.literal('stage-throttle.set'), from: ThrottleBody.nullable(), to: ThrottleBody }),
  z.object({
    kind: z.literal('route-throttle.set'),
    route: Route,
    from: ThrottleBody.nullable(),
    to: ThrottleBody,
  }),
  z.object({ kind: z.literal('route-throttle.remove'), route: Route, from: ThrottleBody }),
]);
const Api = z.strictObject({
  service: z.enum(['lambda', 'dynamodb', 'apigateway']),
  operation: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
});
export const CallsRequest = z.strictObject({
  calls: z
    .array(z.strictObject({ change: Change, api: Api }))
    .min(1)
    .max(50),
});

export class LocalControlPlane {
  private provisioned: Record<string, number> = Object.fromEntries(SCALED_FUNCTIONS.map((f) => [f, 0]));
  // A new on-demand table reports the throughput it serves at once (ANCHORS: 4,000 W / 12,000 R).
  private warm: CapacityState['warmThroughput'] = Object.fromEntries(
    CAPACITY_TABLES.map((t) => [
      t,
      {
        readUnitsPerSecond: LIMITS.dynamoDbOnDemandInitialReadUnits.value,
        writeUnitsPerSecond: LIMITS.dynamoDbOnDemandInitialWriteUnits.value,
      },
    ]),
  ) as CapacityState['warmThroughput'];
  // What CDK deploys the stage with.
  private stage: Throttle | null = BASELINE_STAGE_THROTTLING;
  private routes: Partial<Record<ThrottledRoute, Throttle>> = {};
  private readonly recorded: RecordedCall[] = [];

  constructor(private readonly clock: () => number = Date.now) {}

  state(): CapacityState {
    return {
      provisionedConcurrency: { ...this.provisioned } as CapacityState['provisionedConcurrency'],
      warmThroughput: structuredClone(this.warm),
      stageThrottling: this.stage,
      routeThrottling: { ...this.routes },
    };
  }

  /** Records the calls in order and applies each as AWS would; refuses what AWS would refuse. */
  apply(calls: z.infer<typeof CallsRequest>['calls']): CapacityState {
    for (const { change, api } of calls) {
      if (change.kind === 'warm-throughput.raise') {
        const now = this.warm[change.table];
        if (
          change.to.readUnitsPerSecond < now.readUnitsPerSecond ||
          change.to.writeUnitsPerSecond < now.writeUnitsPerSecond
        ) {
          // DynamoDB answers ValidationException: warm throughput can only go up.
          throw new LocalControlPlaneError(`Warm throughput of ${change.table} cannot be lowered.`);
        }
      }
      this.recorded.push({ at: new Date(this.clock()).toISOString(), change, api } as RecordedCall);
      if (this.recorded.length > MAX_RECORDED_CALLS) this.recorded.shift();
      switch (change.kind) {
        case 'provisioned-concurrency.set':
          this.provisioned[change.function] = change.to;
          break;
        case 'provisioned-concurrency.remove':
          this.provisioned[change.function] = 0;
          break;
        case 'warm-throughput.raise':
          this.warm = { ...this.warm, [change.table]: change.to };
          break;
        case 'stage-throttle.set':
          this.stage = change.to;
          break;
        case 'route-throttle.set':
          this.routes = { ...this.routes, [change.route]: change.to };
          break;
        case 'route-throttle.remove': {
          const { [change.route]: _removed, ...rest } = this.routes;
          this.routes = rest;
          break;
        }
      }
    }
    return this.state();
  }

  /** Every recorded call, oldest first. */
  calls(): readonly RecordedCall[] {
    return [...this.recorded];
  }
}

/** A request AWS would refuse (400 from the stand-in). */
export class LocalControlPlaneError extends Error {}
