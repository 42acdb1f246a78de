import { z } from 'zod';
import { AuditEntry, type AuditLog } from '../access/audit.js';
import { BadRequestError } from '../errors.js';
import { newCommentId } from '../feed/ids.js';
import type { Clock } from '../clock.js';
import type { RoomLister } from '../rooms/ports.js';
import { RoomId, type Room } from '../rooms/room.js';
import { capacityGaps } from './schedules.js';
import { MAX_SHARDS, withWriteShards, type RoomShards } from '../feed/shards.js';
import type {
  CapacityChange,
  CapacityControls,
  CapacityState,
  PlanCapacity,
  ScalerCall,
  ScalerRequest,
  ScalerRun,
} from './ports.js';
import {
  CAPACITY_TABLES,
  SCALED_FUNCTIONS,
  THROTTLED_ROUTES,
  type CapacityTarget,
  type PlannedRoom,
  type Throttle,
} from './target.js';

/**
 * The scaler (ADR 0015): plans capacity for every room's event, compares the
 * plan's target for now with what the controls report, and makes only the
 * calls that close the gap. Running it twice in a row makes no call the
 * second time; a run that failed midway is finished by the next one.
 */

/** Rooms per listing page: the room store reads a page in one batch, which takes at most 100 keys. */
export const ROOM_PAGE_SIZE = 100;

/** Who the audit log names when the scaler acts on its own (a schedule, a room change). */
export const SCALER_ACTOR: AuditEntry['actor'] = {
  userId: 'scaler',
  displayName: 'Capacity scaler',
  roles: [],
};

export interface ScalerDeps {
  readonly rooms: RoomLister;
  readonly controls: CapacityControls;
  readonly auditLog: Pick<AuditLog, 'record'>;
  readonly plan: PlanCapacity;
  readonly clock: Clock;
}

/** The scaler's input (from EventBridge Scheduler, the admin function, the local runtime). */
const ScalerRequestInput = z.strictObject({
  reason: z.enum(['schedule', 'room-changed', 'manual']),
  roomId: RoomId.optional(),
  dryRun: z.boolean().optional(),
  actor: AuditEntry.shape.actor.optional(),
  correlationId: z.string().min(1).max(200).optional(),
});

/** The request, or a BadRequestError saying what is wrong with it. */
export function parseScalerRequest(input: unknown): ScalerRequest {
  const parsed = ScalerRequestInput.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(request)'}: ${i.message}`);
    throw new BadRequestError('invalid_scaler_request', `Invalid scaler request (${problems.join('; ')}).`);
  }
  return parsed.data;
}

export async function runScaler(deps: ScalerDeps, request: ScalerRequest): Promise<ScalerRun> {
  const nowMs = deps.clock();
  const rooms = await listAllRooms(deps.rooms);
  const planned = planLeavingOut(plannedRooms(rooms), (some) => deps.plan(some, nowMs));
  const { target, warnings } = planned.result;
  const left = planned.leftOut.map(
    ({ roomId, reason }) => `room ${roomId}: left out of the plan (${reason})`,
  );
  const state = await deps.controls.read();
  const diff = diffCapacity(target, state, rooms);
  const { changes } = diff;
  const skipped = [...left, ...diff.skipped];
  const calls: ScalerCall[] = changes.map((change) => ({ change, api: deps.controls.describe(change) }));
  const dryRun = request.dryRun ?? false;
  const run = {
    at: new Date(nowMs).toISOString(),
    dryRun,
    reason: request.reason,
    ...(request.roomId ? { roomId: request.roomId } : {}),
    target,
    warnings,
    calls,
    skipped,
  };
  if (dryRun) return { ...run, applied: 0 };

  let applied = 0;
  let failed: ScalerRun['failed'];
  for (const call of calls) {
    try {
      await deps.controls.apply(call.change);
      applied++;
    } catch (error) {
      // Stop here: later calls were ordered on the assumption that this one is done.
      failed = { ...call, error: messageOf(error) };
      break;
    }
  }
  if (applied > 0) {
    await deps.auditLog.record({
      id: newCommentId(deps.clock()),
      at: new Date(deps.clock()).toISOString(),
      actor: request.actor ?? SCALER_ACTOR,
      action: 'capacity.apply',
      details: {
        reason: request.reason,
        ...(request.roomId ? { roomId: request.roomId } : {}),
        changes: calls.slice(0, applied).map((call) => call.change),
        ...(failed ? { failed: { change: failed.change, error: failed.error } } : {}),
        warnings: warnings.length,
      },
    });
  }
  return { ...run, applied, ...(failed ? { failed } : {}) };
}

/**
 * Plans the rooms; when the planner refuses them (one room's schedule it finds
 * absurd), the rooms it refuses on their own are left out and named, so one
 * bad room cannot stop capacity for every other. The scaler and the console's
 * capacity view both plan this way.
 */
export function planLeavingOut<T>(
  rooms: readonly PlannedRoom[],
  plan: (rooms: readonly PlannedRoom[]) => T,
): { readonly result: T; readonly leftOut: readonly { readonly roomId: string; readonly reason: string }[] } {
  try {
    return { result: plan(rooms), leftOut: [] };
  } catch (error) {
    const leftOut: { roomId: string; reason: string }[] = [];
    const accepted = rooms.filter((room) => {
      try {
        plan([room]);
        return true;
      } catch (refusal) {
        leftOut.push({ roomId: room.roomId, reason: messageOf(refusal) });
        return false;
      }
    });
    // Not one room's fault: let the failure show.
    if (accepted.length === rooms.length) throw error;
    return { result: plan(accepted), leftOut };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Every room, page after page to the end. */
export async function listAllRooms(lister: RoomLister): Promise<Room[]> {
  const rooms: Room[] = [];
  let cursor: string | undefined;
  do {
    const page = await lister.list({ limit: ROOM_PAGE_SIZE, ...(cursor ? { cursor } : {}) });
    rooms.push(...page.rooms);
    cursor = page.nextCursor;
  } while (cursor);
  return rooms;
}

/** The rooms with an event to plan for: open, sized, with both ends of the schedule set. */
export function plannedRooms(rooms: readonly Room[]): PlannedRoom[] {
  return rooms.flatMap((room) => {
    const { startsAt, endsAt } = room.schedule;
    if (capacityGaps(room).length > 0 || !startsAt || !endsAt) return [];
    return [
      {
        roomId: room.roomId,
        expectedViewers: room.expectedViewers,
        startsAtMs: Date.parse(startsAt),
        endsAtMs: Date.parse(endsAt),
        pollIntervalSeconds: room.settings.pollIntervalSeconds,
        segmentSeconds: room.settings.segmentSeconds,
        writeShards: room.shards.write,
      },
    ];
  });
}

/**
 * The changes from `state` to `target`, in the order to make them: capacity
 * added first (warm throughput, provisioned concurrency raised, write shards),
 * then throttles, then capacity taken away (provisioned concurrency lowered or
 * removed). So on the way up the throttles open only once capacity is there,
 * and on the way down they close before it goes. Differences that must not be
 * closed are reported in `skipped`.
 */
export function diffCapacity(
  target: CapacityTarget,
  state: CapacityState,
  rooms: readonly Pick<Room, 'roomId' | 'shards'>[],
): { changes: CapacityChange[]; skipped: string[] } {
  const raise: CapacityChange[] = [];
  const throttles: CapacityChange[] = [];
  const lower: CapacityChange[] = [];
  const skipped: string[] = [];

  for (const table of CAPACITY_TABLES) {
    const want = target.warmThroughput[table];
    const have = state.warmThroughput[table];
    const to = {
      readUnitsPerSecond: Math.max(want.readUnitsPerSecond, have.readUnitsPerSecond),
      writeUnitsPerSecond: Math.max(want.writeUnitsPerSecond, have.writeUnitsPerSecond),
    };
    if (
      to.readUnitsPerSecond > have.readUnitsPerSecond ||
      to.writeUnitsPerSecond > have.writeUnitsPerSecond
    ) {
      raise.push({ kind: 'warm-throughput.raise', table, from: have, to });
    }
    if (
      want.readUnitsPerSecond < have.readUnitsPerSecond ||
      want.writeUnitsPerSecond < have.writeUnitsPerSecond
    ) {
      skipped.push(
        `${table} table: warm throughput stays at ${units(have)} (target ${units(want)}); DynamoDB cannot lower it.`,
      );
    }
  }

  for (const fn of SCALED_FUNCTIONS) {
    const want = target.provisionedConcurrency[fn];
    const have = state.provisionedConcurrency[fn];
    if (want === have) continue;
    if (want === 0) lower.push({ kind: 'provisioned-concurrency.remove', function: fn, from: have });
    else
      (want > have ? raise : lower).push({
        kind: 'provisioned-concurrency.set',
        function: fn,
        from: have,
        to: want,
      });
  }

  const shardsById = new Map(rooms.map((room) => [room.roomId, room.shards]));
  for (const roomId of Object.keys(target.roomShards).sort()) {
    const wanted = target.roomShards[roomId]!;
    const shards: RoomShards | undefined = shardsById.get(roomId);
    if (!shards) {
      skipped.push(`room ${roomId}: the plan wants ${wanted} write shards, but the room no longer exists.`);
      continue;
    }
    let want = wanted;
    if (want > MAX_SHARDS) {
      skipped.push(
        `room ${roomId}: the plan wants ${wanted} write shards; a room has at most ${MAX_SHARDS}.`,
      );
      want = MAX_SHARDS;
    }
    if (want > shards.write) {
      raise.push({ kind: 'room-shards.grow', roomId, from: shards, to: withWriteShards(shards, want) });
    } else if (want < shards.write) {
      // Reads merge every shard ever written, so fewer write shards would save nothing.
      skipped.push(
        `room ${roomId}: keeps ${shards.write} write shards (plan: ${want}); shards never shrink.`,
      );
    }
  }

  if (!sameThrottle(state.stageThrottling, target.stageThrottling)) {
    throttles.push({ kind: 'stage-throttle.set', from: state.stageThrottling, to: target.stageThrottling });
  }
  for (const route of THROTTLED_ROUTES) {
    const want = target.routeThrottling[route];
    const have = state.routeThrottling[route];
    if (want && !sameThrottle(have ?? null, want)) {
      throttles.push({ kind: 'route-throttle.set', route, from: have ?? null, to: want });
    } else if (!want && have) {
      throttles.push({ kind: 'route-throttle.remove', route, from: have });
    }
  }

  return { changes: [...raise, ...throttles, ...lower], skipped };
}

function sameThrottle(a: Throttle | null, b: Throttle): boolean {
  return a !== null && a.rateLimit === b.rateLimit && a.burstLimit === b.burstLimit;
}

function units(t: { readUnitsPerSecond: number; writeUnitsPerSecond: number }): string {
  return `${t.readUnitsPerSecond} read / ${t.writeUnitsPerSecond} write units/s`;
}
