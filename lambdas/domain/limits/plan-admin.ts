import * as z from 'zod';
import { authorize, type Principal } from '../access/roles.js';
import type { Clock } from '../clock.js';
import { ConflictError, NotFoundError, UnavailableError } from '../errors.js';
import { LimitJob, type LimitJobQueue, type LimitJobReason } from './job.js';
import { ChannelPlan, CutoffRun, type PlanStore, type StoredPlan } from './plans.js';

/**
 * A channel's view-limit plan in the admin API (ADR 0038): read it with its last computation, set
 * or replace it at the version read, remove it, or queue a computation now. Operators change plans
 * and run them (a plan is a commercial setting, and a run costs reads); the channel's moderators
 * and artists may read theirs. Every change queues the channel's job, so its cutoffs follow.
 */
export interface PlanAdminDeps {
  /** Uncached, consistent reads: a change names the version it read. */
  readonly plans: PlanStore;
  readonly jobs: LimitJobQueue;
  readonly clock: Clock;
  /** A job that could not be queued after the change was stored: logged, never thrown. */
  readonly onQueueFailed: (job: LimitJob, error: unknown) => void;
}

/** `PUT …/plan`: N and D, and the version read (none: create, refused when a plan exists). */
export const PlanBody = z.strictObject({
  maxComments: ChannelPlan.shape.maxComments,
  days: ChannelPlan.shape.days,
  expectedVersion: z.number().int().min(1).optional(),
});
export type PlanBody = z.infer<typeof PlanBody>;

/**
 * A channel's plan as the admin API answers it. A channel without a plan answers too — `plan`,
 * `version`, `updatedAt` null — so "no plan" is a state the console shows, not a 404.
 */
export const PlanView = z.strictObject({
  channelId: z.string(),
  plan: z.nullable(ChannelPlan),
  /** Name it as `expectedVersion` to replace the plan; null without one. */
  version: z.number().int().nullable(),
  updatedAt: z.string().nullable(),
  /** The admin user who set it. */
  updatedBy: z.string().nullable(),
  /** The last computation kept on the plan; null before the first (and once the plan is removed). */
  lastRun: z.nullable(CutoffRun),
});
export type PlanView = z.infer<typeof PlanView>;

/** What a change did to the queue: the job, or null when it could not be queued. */
export type Queued = { readonly job: LimitJob | null };

function planView(channelId: string, stored: StoredPlan | undefined): PlanView {
  return {
    channelId,
    plan: stored ? stored.plan : null,
    version: stored ? stored.version : null,
    updatedAt: stored ? stored.updatedAt : null,
    updatedBy: stored?.updatedBy ?? null,
    lastRun: stored?.lastRun ?? null,
  };
}

/** The plan of a channel; operators, and the channel's moderators and artists. */
export async function readChannelPlan(
  deps: Pick<PlanAdminDeps, 'plans'>,
  principal: Principal,
  channelId: string,
): Promise<PlanView> {
  authorize(principal, 'plans.read', channelId);
  return planView(channelId, await deps.plans.get(channelId));
}

/**
 * Sets the plan at the version the caller read (none: creates it), then queues a `plan-changed`
 * job. A stale version is 409 naming the current one, and nothing changes. The plan is stored
 * first: if the job cannot be queued, the change stands (`job: null`) and the schedule's next pass
 * computes it.
 */
export async function setChannelPlan(
  deps: PlanAdminDeps,
  principal: Principal,
  channelId: string,
  body: PlanBody,
): Promise<PlanView & Queued> {
  authorize(principal, 'plans.change', channelId);
  const nowMs = deps.clock();
  const { expectedVersion, ...plan } = body;
  const stored = await deps.plans.put(channelId, plan, {
    ...(expectedVersion === undefined ? {} : { expectedVersion }),
    updatedAt: new Date(nowMs).toISOString(),
    updatedBy: principal.displayName,
  });
  if (stored === 'stale') throw staleVersion(channelId, expectedVersion, await deps.plans.get(channelId));
  const job = await queueAfterChange(deps, channelId, nowMs);
  return { ...planView(channelId, stored), job };
}

/**
 * Removes the plan and queues a `plan-changed` job, which clears the channel's cutoffs. Queued
 * even when there was no plan, so removing again clears cutoffs a lost job left behind.
 */
export async function removeChannelPlan(
  deps: PlanAdminDeps,
  principal: Principal,
  channelId: string,
): Promise<{ channelId: string; removed: boolean } & Queued> {
  authorize(principal, 'plans.change', channelId);
  const nowMs = deps.clock();
  const removed = await deps.plans.remove(channelId);
  const job = await queueAfterChange(deps, channelId, nowMs);
  return { channelId, removed, job };
}

/**
 * Queues a `run-now` job for a channel with a plan (404 without: there is nothing to compute, and
 * no run would be kept to show). Writes nothing else; a failed send is 503 and may be retried.
 * `previousFinishedAt`: when the last kept run finished, so a caller can wait for a newer one.
 */
export async function runChannelPlanNow(
  deps: Pick<PlanAdminDeps, 'plans' | 'jobs' | 'clock'>,
  principal: Principal,
  channelId: string,
): Promise<{ job: LimitJob; previousFinishedAt: string | null }> {
  authorize(principal, 'plans.run', channelId);
  const stored = await deps.plans.get(channelId);
  if (!stored) {
    throw new NotFoundError('plan_not_found', `Channel ${channelId} has no plan; set one first.`);
  }
  const job = jobOf(channelId, 'run-now', deps.clock());
  try {
    await deps.jobs.send([job]);
  } catch (error) {
    throw new UnavailableError('The computation could not be queued; try again.', error);
  }
  return { job, previousFinishedAt: stored.lastRun?.finishedAt ?? null };
}

function jobOf(channelId: string, reason: LimitJobReason, nowMs: number): LimitJob {
  return LimitJob.parse({ channelId, reason, requestedAt: new Date(nowMs).toISOString() });
}

async function queueAfterChange(deps: PlanAdminDeps, channelId: string, nowMs: number) {
  const job = jobOf(channelId, 'plan-changed', nowMs);
  try {
    await deps.jobs.send([job]);
    return job;
  } catch (error) {
    deps.onQueueFailed(job, error);
    return null;
  }
}

/** 409 with the current version and values in words: the error shape has no other fields. */
function staleVersion(channelId: string, expected: number | undefined, current: StoredPlan | undefined) {
  const values = (c: StoredPlan) =>
    `version ${c.version} (${c.plan.maxComments} comments within ${c.plan.days} days)`;
  const message =
    expected === undefined
      ? current
        ? `Channel ${channelId} has a plan already, at ${values(current)}. Send its version as expectedVersion to replace it.`
        : `Channel ${channelId}'s plan changed meanwhile. Read it again.`
      : current
        ? `Channel ${channelId}'s plan changed since version ${expected}: it is at ${values(current)} now. Read it again and send its version as expectedVersion.`
        : `Channel ${channelId}'s plan was removed since version ${expected}. Send no expectedVersion to create one.`;
  return new ConflictError('stale_version', message);
}
