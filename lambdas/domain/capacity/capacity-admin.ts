import { actorOf } from '../access/audit.js';
import { authorize, type Principal } from '../access/roles.js';
import type { Clock } from '../clock.js';
import type { RoomLister, RoomReader } from '../rooms/ports.js';
import { readAdminRoom } from '../rooms/room-admin.js';
import { coefficientRows } from './assumptions.js';
import { targetAt } from './plan.js';
import type { CapacityWindows, ScalerInvoker, ScalerRun } from './ports.js';
import { roomCapacityView, upcomingPlan, type RoomCapacityView } from './room-capacity.js';
import { listAllRooms } from './scaler.js';

/**
 * Capacity in the admin API (ADR 0013–0015): a room's plan, schedules and
 * cost estimate; the deployment's plan over time; running the scaler now or
 * as a dry run. Operators only: capacity is the deployment's, whatever the
 * channel.
 */
export type { CapacityWindows };

export interface CapacityAdminDeps {
  readonly rooms: RoomReader & RoomLister;
  readonly scaler: Pick<ScalerInvoker, 'run'>;
  readonly windows: CapacityWindows;
  /** The deployment's region: what the cost estimate prices in. */
  readonly region?: string;
  readonly clock: Clock;
}

/** One room's capacity as the console shows it; 403 unless an operator, 404 for a missing room. */
export async function readRoomCapacity(
  deps: CapacityAdminDeps,
  principal: Principal,
  roomId: string,
): Promise<RoomCapacityView> {
  authorize(principal, 'capacity.read');
  const room = await readAdminRoom(deps, principal, roomId);
  return roomCapacityView(room, { ...deps.windows, ...(deps.region ? { region: deps.region } : {}) });
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The deployment's plan for every event not over yet: what the scaler applies now, and over time. */
export async function readCapacityPlan(deps: CapacityAdminDeps, principal: Principal) {
  authorize(principal, 'capacity.read');
  const nowMs = deps.clock();
  const { plan, leftOut } = upcomingPlan(await listAllRooms(deps.rooms), deps.windows, nowMs);
  return {
    at: iso(nowMs),
    leadMinutes: deps.windows.leadTimeMs / 60_000,
    tailMinutes: deps.windows.tailMs / 60_000,
    now: targetAt(plan, nowMs),
    peak: plan.peak,
    steps: plan.steps.map((step) => ({ ...step, from: iso(step.fromMs), to: iso(step.toMs) })),
    rooms: plan.rooms,
    warnings: plan.warnings,
    leftOut,
    assumptions: coefficientRows(plan.assumptions),
  };
}

/**
 * Runs the scaler now and waits for its run; a dry run plans and describes the calls without
 * making them. The scaler records an applied run in the audit log itself, with this operator as
 * the actor.
 */
export async function runScalerNow(
  deps: Pick<CapacityAdminDeps, 'scaler'>,
  principal: Principal,
  dryRun: boolean,
): Promise<ScalerRun> {
  authorize(principal, 'capacity.apply');
  return deps.scaler.run({ reason: 'manual', dryRun, actor: actorOf(principal) });
}
