import * as z from 'zod';
import { coefficientRows } from '../../domain/capacity/assumptions.js';
import { targetAt } from '../../domain/capacity/plan.js';
import { roomCapacityView, upcomingPlan } from '../../domain/capacity/room-capacity.js';
import { listAllRooms } from '../../domain/capacity/scaler.js';
import { actorOf } from '../../domain/access/audit.js';
import { readAdminRoom } from '../../domain/rooms/room-admin.js';
import { authorize } from '../../domain/access/roles.js';
import { RoomId } from '../../domain/rooms/room.js';
import { leadTimeMs, scalerInvoker, tailMs } from '../capacity-deps.js';
import { clock, roomStore } from '../deps.js';
import { jsonBody, pathParam } from '../http.js';
import type { AdminOperations } from './operation.js';

/**
 * Capacity (ADR 0013–0015): a room's plan, schedules and cost estimate; the
 * deployment's plan over time; and running the scaler now or as a dry run.
 * Operators only: capacity is the deployment's, whatever the channel.
 */
const RunRequest = z.strictObject({
  /** Default true: a run that changes AWS capacity must be asked for explicitly. */
  dryRun: z.boolean().default(true),
});

const iso = (ms: number) => new Date(ms).toISOString();

export const capacityOperations: AdminOperations = {
  'GET /admin/v1/rooms/{roomId}/capacity': async ({ principal, event }) => {
    authorize(principal, 'capacity.read');
    const room = await readAdminRoom({ rooms: roomStore }, principal, pathParam(event, 'roomId', RoomId));
    const view = roomCapacityView(room, { leadTimeMs, tailMs, region: process.env.AWS_REGION });
    return { status: 200, body: { capacity: view } };
  },

  'GET /admin/v1/capacity': async ({ principal }) => {
    authorize(principal, 'capacity.read');
    const nowMs = clock();
    const { plan, leftOut } = upcomingPlan(await listAllRooms(roomStore), { leadTimeMs, tailMs }, nowMs);
    return {
      status: 200,
      body: {
        at: iso(nowMs),
        leadMinutes: leadTimeMs / 60_000,
        tailMinutes: tailMs / 60_000,
        // What the scaler applies now, and over time: the events not over yet.
        now: targetAt(plan, nowMs),
        peak: plan.peak,
        steps: plan.steps.map((step) => ({ ...step, from: iso(step.fromMs), to: iso(step.toMs) })),
        rooms: plan.rooms,
        warnings: plan.warnings,
        leftOut,
        assumptions: coefficientRows(plan.assumptions),
      },
    };
  },

  'POST /admin/v1/capacity/runs': async ({ principal, event }) => {
    authorize(principal, 'capacity.apply');
    const { dryRun } = jsonBody(event, RunRequest);
    // The scaler records the run in the audit log itself (with this operator as the actor).
    const run = await scalerInvoker().run({ reason: 'manual', dryRun, actor: actorOf(principal) });
    return { status: 200, body: { run } };
  },
};
