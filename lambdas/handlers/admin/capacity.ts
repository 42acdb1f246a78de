import {
  readCapacityPlan,
  readRoomCapacity,
  runScalerNow,
  type CapacityAdminDeps,
} from '../../domain/capacity/capacity-admin.js';
import { RoomId } from '../../domain/rooms/room.js';
import { jsonBody, pathParam } from '../http.js';
import type { AdminDeps } from './deps.js';
import type { AdminOperations } from './operation.js';
import { RunRequest } from '../../admin-api.js';

/**
 * Capacity (ADR 0013–0015): a room's plan, schedules and cost estimate; the
 * deployment's plan over time; and running the scaler now or as a dry run.
 */

export function capacityOperations(admin: AdminDeps): AdminOperations {
  const deps: CapacityAdminDeps = {
    rooms: admin.rooms,
    scaler: admin.scaler,
    windows: {
      leadTimeMs: admin.capacity.leadTimeMs,
      tailMs: admin.capacity.tailMs,
      ...(admin.capacity.liveCommentLimit === undefined
        ? {}
        : { liveCommentLimit: admin.capacity.liveCommentLimit }),
    },
    ...(admin.capacity.region ? { region: admin.capacity.region } : {}),
    clock: admin.clock,
  };
  return {
    'GET /admin/v1/rooms/{roomId}/capacity': async ({ principal, event }) => {
      const capacity = await readRoomCapacity(deps, principal, pathParam(event, 'roomId', RoomId));
      return { status: 200, body: { capacity } };
    },

    'GET /admin/v1/capacity': async ({ principal }) => ({
      status: 200,
      body: await readCapacityPlan(deps, principal),
    }),

    'POST /admin/v1/capacity/runs': async ({ principal, event }) => {
      const { dryRun } = jsonBody(event, RunRequest);
      // The scaler records an applied run in the audit log itself.
      const run = await runScalerNow(deps, principal, dryRun);
      return { status: 200, body: { run } };
    },
  };
}
