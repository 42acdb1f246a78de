/**
 * Local stand-ins for the scaler's AWS control plane (`npm start`; ADR 0015), wired by the local
 * composition root (local/composition.ts) and the room CLI's `--control-plane`; never in a bundle.
 * They talk HTTP to the local runtime, which records what AWS would have been
 * asked and keeps the resulting state. JSON bodies, `content-type:
 * application/json`; every call times out after 2 s (a run, 30 s); any other
 * status than those listed is an error.
 *
 * Capacity (LocalCapacityControls):
 * - `GET  {base}/local/control-plane/state` → 200 `CapacityState`
 *   (lambdas/domain/capacity/ports.ts): `{ provisionedConcurrency: {postComment, getLive, getSegment},
 *   warmThroughput: {comments: {readUnitsPerSecond, writeUnitsPerSecond}, control: {…}},
 *   stageThrottling: {rateLimit, burstLimit} | null, routeThrottling: {"POST /v1/rooms/{roomId}/comments":
 *   {rateLimit, burstLimit}, …} }`. Before any call: the baseline (nothing provisioned, the stage's
 *   baseline throttle, no route throttles, warm throughput as the runtime chooses).
 * - `POST {base}/local/control-plane/calls` body `{ calls: [{ change: CapacityChange, api: ApiCall }] }`
 *   → 200 `{ state: CapacityState }`: records the calls in order and applies each `change` to the
 *   state as AWS would (`provisioned-concurrency.set` → `to`, `.remove` → 0, `warm-throughput.raise` →
 *   `to`, `stage-throttle.set` → `to`, `route-throttle.set` → `to`, `route-throttle.remove` → drop the
 *   route). `api` is the exact AWS request (aws-calls.ts), for display. The scaler sends one call per
 *   request. `room-shards.grow` never comes here: rooms live in DynamoDB Local, which the scaler writes
 *   itself with the same conditional UpdateItem as in AWS.
 *
 * Schedules (LocalScheduleStore), standing in for EventBridge Scheduler:
 * - `PUT    {base}/local/schedules/{name}` body `{ at: ISO-8601 string, request: ScalerRequest }` →
 *   201 created / 200 updated (moved). At `at` the runtime runs the scaler with `request`, then
 *   forgets the schedule (as `ActionAfterCompletion: DELETE` does).
 * - `DELETE {base}/local/schedules/{name}` → 204 deleted / 404 no such schedule.
 *
 * Scaler runs (LocalScalerInvoker), standing in for Lambda Invoke:
 * - `POST {base}/local/scaler/invocations` body `{ request: ScalerRequest, invocationType: 'Event' |
 *   'RequestResponse' }` → 202 (Event: queued, run in the background) / 200 `ScalerRun`
 *   (RequestResponse: the run's result). A run that throws answers 500 `{ errorMessage }`.
 */
import { z } from 'zod';
import type {
  ApiCall,
  CapacityChange,
  CapacityControls,
  CapacityState,
  ScalerInvoker,
  ScalerRequest,
  ScalerRun,
  ScheduleStore,
} from '../../lambdas/domain/capacity/ports.js';
import { THROTTLED_ROUTES } from '../../lambdas/domain/capacity/target.js';
import { describeCapacityCall, type CapacityResources } from '../../lambdas/adapters/capacity/aws-calls.js';
import type { RoomShardGrower } from '../../lambdas/adapters/capacity/aws-capacity-controls.js';
import { asScalerRun, correlated } from '../../lambdas/adapters/capacity/lambda-scaler-invoker.js';

/** Local calls answer at once; two seconds means the runtime is not there. */
export const LOCAL_CALL_TIMEOUT_MS = 2_000;
/** A synchronous run lists rooms and makes its calls: allow it the time a real run would get. */
export const LOCAL_RUN_TIMEOUT_MS = 30_000;

/** Names the local stand-ins describe requests with: there are no real functions, API or stage. */
export const LOCAL_RESOURCES: Omit<CapacityResources, 'tableNames'> = {
  functionNames: {
    postComment: 'local-postComment',
    getLive: 'local-getLive',
    getSegment: 'local-getSegment',
  },
  restApiId: 'local',
  stageName: 'local',
};

// The wire shapes, shared with the local runtime's side (local/control-plane.ts).
export const UnitCount = z.number().int().min(0);
export const ThrottleBody = z.strictObject({ rateLimit: z.number().min(0), burstLimit: UnitCount });
export const ThroughputBody = z.strictObject({
  readUnitsPerSecond: UnitCount,
  writeUnitsPerSecond: UnitCount,
});
const CapacityStateBody = z.object({
  provisionedConcurrency: z.object({ postComment: UnitCount, getLive: UnitCount, getSegment: UnitCount }),
  warmThroughput: z.object({ comments: ThroughputBody, control: ThroughputBody }),
  stageThrottling: ThrottleBody.nullable(),
  routeThrottling: z.partialRecord(z.enum(THROTTLED_ROUTES), ThrottleBody),
});

async function call(
  url: string,
  init: { method: string; body?: unknown; timeoutMs?: number },
  expected: readonly number[],
): Promise<Response> {
  const res = await fetch(url, {
    method: init.method,
    ...(init.body !== undefined
      ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) }
      : {}),
    signal: AbortSignal.timeout(init.timeoutMs ?? LOCAL_CALL_TIMEOUT_MS),
  });
  if (!expected.includes(res.status)) {
    const detail = await res.text().catch(() => '');
    throw new Error(
      `The local control plane answered ${res.status} to ${init.method} ${new URL(url).pathname}${detail ? `: ${detail.slice(0, 200)}` : ''}.`,
    );
  }
  return res;
}

/** Capacity controls against the local runtime; room shards against DynamoDB Local. */
export class LocalCapacityControls implements CapacityControls {
  private readonly resources: CapacityResources;

  constructor(
    private readonly baseUrl: string,
    tableNames: CapacityResources['tableNames'],
    private readonly shards: RoomShardGrower,
  ) {
    this.resources = { ...LOCAL_RESOURCES, tableNames };
  }

  async read(): Promise<CapacityState> {
    const res = await call(`${this.baseUrl}/local/control-plane/state`, { method: 'GET' }, [200]);
    const parsed = CapacityStateBody.safeParse(await res.json());
    if (!parsed.success)
      throw new Error(`The local control plane's state is malformed: ${parsed.error.message}`);
    return parsed.data;
  }

  describe(change: CapacityChange): ApiCall {
    return describeCapacityCall(change, this.resources);
  }

  async apply(change: CapacityChange): Promise<void> {
    if (change.kind === 'room-shards.grow') {
      const outcome = await this.shards.growWriteShards(change.roomId, change.from, change.to);
      if (outcome !== 'grown') throw new Error(`Room ${change.roomId}'s shards could not grow (${outcome}).`);
      return;
    }
    await call(
      `${this.baseUrl}/local/control-plane/calls`,
      { method: 'POST', body: { calls: [{ change, api: this.describe(change) }] } },
      [200],
    );
  }
}

/** Schedules kept by the local runtime's timers. */
export class LocalScheduleStore implements ScheduleStore {
  constructor(private readonly baseUrl: string) {}

  async put(name: string, atMs: number, request: ScalerRequest): Promise<'created' | 'updated'> {
    const res = await call(
      `${this.baseUrl}/local/schedules/${encodeURIComponent(name)}`,
      { method: 'PUT', body: { at: new Date(atMs).toISOString(), request } },
      [200, 201],
    );
    return res.status === 201 ? 'created' : 'updated';
  }

  async delete(name: string): Promise<boolean> {
    const res = await call(
      `${this.baseUrl}/local/schedules/${encodeURIComponent(name)}`,
      { method: 'DELETE' },
      [204, 404],
    );
    return res.status === 204;
  }
}

/** Scaler runs by the local runtime; the request carries the caller's correlation id. */
export class LocalScalerInvoker implements ScalerInvoker {
  constructor(
    private readonly baseUrl: string,
    private readonly correlationId: () => string | undefined = () => undefined,
  ) {}

  async runSoon(request: ScalerRequest): Promise<void> {
    await call(
      `${this.baseUrl}/local/scaler/invocations`,
      { method: 'POST', body: { request: correlated(request, this.correlationId), invocationType: 'Event' } },
      [202],
    );
  }

  async run(request: ScalerRequest): Promise<ScalerRun> {
    const res = await call(
      `${this.baseUrl}/local/scaler/invocations`,
      {
        method: 'POST',
        body: { request: correlated(request, this.correlationId), invocationType: 'RequestResponse' },
        timeoutMs: LOCAL_RUN_TIMEOUT_MS,
      },
      [200],
    );
    return asScalerRun(await res.json(), 'The local scaler');
  }
}
