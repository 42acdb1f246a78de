import {
  PlanBody,
  readChannelPlan,
  removeChannelPlan,
  runChannelPlanNow,
  setChannelPlan,
  type PlanAdminDeps,
} from '../../domain/limits/plan-admin.js';
import { ChannelId } from '../../domain/rooms/room.js';
import { jsonBody, pathParam } from '../http.js';
import type { AdminDeps } from './deps.js';
import type { AdminOperations } from './operation.js';

/** A channel's view-limit plan (ADR 0038): read, set, remove, and run now. */
export function planOperations(admin: AdminDeps): AdminOperations {
  const deps: PlanAdminDeps = {
    plans: admin.plans,
    jobs: admin.limitJobs,
    clock: admin.clock,
    onQueueFailed: (job, error) =>
      admin.logger.warn('view-limit job not queued; the schedule computes the channel later', {
        channelId: job.channelId,
        reason: job.reason,
        error: error as Error,
      }),
  };
  const channelOf = (event: Parameters<typeof pathParam>[0]) => pathParam(event, 'channelId', ChannelId);
  return {
    'GET /admin/v1/channels/{channelId}/plan': async ({ principal, event }) => ({
      status: 200,
      body: await readChannelPlan(deps, principal, channelOf(event)),
    }),

    'PUT /admin/v1/channels/{channelId}/plan': async ({ principal, event }) => {
      const channelId = channelOf(event);
      const body = jsonBody(event, PlanBody);
      const result = await setChannelPlan(deps, principal, channelId, body);
      return {
        status: 200,
        body: result,
        audit: {
          action: 'plans.change',
          channelId,
          details: {
            maxComments: body.maxComments,
            days: body.days,
            version: result.version,
            queued: result.job !== null,
          },
        },
      };
    },

    'DELETE /admin/v1/channels/{channelId}/plan': async ({ principal, event }) => {
      const channelId = channelOf(event);
      const result = await removeChannelPlan(deps, principal, channelId);
      return {
        status: 200,
        body: result,
        // Audited when anything happened: a plan removed, or a job queued to clear cutoffs.
        ...(result.removed || result.job
          ? {
              audit: {
                action: 'plans.change' as const,
                channelId,
                details: { removed: result.removed, queued: result.job !== null },
              },
            }
          : {}),
      };
    },

    'POST /admin/v1/channels/{channelId}/plan/runs': async ({ principal, event }) => {
      const channelId = channelOf(event);
      const result = await runChannelPlanNow(deps, principal, channelId);
      return {
        status: 202,
        body: result,
        audit: {
          action: 'plans.run',
          channelId,
          details: { requestedAt: result.job.requestedAt },
        },
      };
    },
  };
}
