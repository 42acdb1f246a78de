import * as z from 'zod/mini';
import '../zod-english.js';
import { ChannelId, RoomId } from '../rooms/room.js';

/** A whole number from `min` to `max`. */
const wholeNumber = (min: number, max: number) => z.int().check(z.minimum(min), z.maximum(max));

/**
 * A channel's view limit (ADR 0038): its archives show only the newest `maxComments` visible
 * items across all of its rooms, and only those within `days` days.
 */
export const ChannelPlan = z.strictObject({
  /** N: the newest visible items kept across the channel's rooms. */
  maxComments: wholeNumber(1, 1_000_000),
  /** D: how far back the archives reach. */
  days: wholeNumber(1, 3_650),
});
export type ChannelPlan = z.infer<typeof ChannelPlan>;

/** One room's outcome in a run: its cutoff (null: none, everything shown) and whether it moved. */
export const RoomCutoff = z.strictObject({
  roomId: RoomId,
  /** Items with a lower id are hidden from segments, the archive and replay; null: no cutoff. */
  cutoff: z.nullable(z.string()),
  /** Visible items of this room among the newest N. */
  taken: z.int().check(z.minimum(0)),
  /** The cutoff differs from the one the room had (it was written and its edge paths invalidated). */
  changed: z.boolean(),
});
export type RoomCutoff = z.infer<typeof RoomCutoff>;

/** What one computation did, kept on the plan for the admin API (and returned to the worker). */
export const CutoffRun = z.strictObject({
  channelId: ChannelId,
  reason: z.enum(['schedule', 'plan-changed', 'run-now']),
  /** `computed`: the plan's cutoffs were written; `cleared`: no plan, every cutoff removed. */
  outcome: z.enum(['computed', 'cleared']),
  /** The plan version computed against (absent when cleared). */
  planVersion: z.optional(z.int().check(z.minimum(1))),
  maxComments: z.optional(ChannelPlan.shape.maxComments),
  days: z.optional(ChannelPlan.shape.days),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  durationMs: z.int().check(z.minimum(0)),
  /** Items (visible or not) the run read from the comments table. */
  commentsRead: z.int().check(z.minimum(0)),
  /** Read capacity units DynamoDB reported for those reads. */
  readUnits: z.number().check(z.minimum(0)),
  /** Visible items among the newest N: N, or fewer when the window holds fewer. */
  taken: z.int().check(z.minimum(0)),
  cutoffs: z.array(RoomCutoff),
});
export type CutoffRun = z.infer<typeof CutoffRun>;

/** A channel's stored plan: what operators set, and the last computation against it. */
export const StoredPlan = z.strictObject({
  channelId: ChannelId,
  plan: ChannelPlan,
  updatedAt: z.iso.datetime(),
  /** The admin user who set it. */
  updatedBy: z.optional(z.string()),
  /** Bumped by every change of the plan (not by runs); a change must name the version it read. */
  version: z.int().check(z.minimum(1)),
  lastRun: z.optional(CutoffRun),
});
export type StoredPlan = z.infer<typeof StoredPlan>;

/** Where channel plans are kept; adapters implement it. */
export interface PlanStore {
  get(channelId: string): Promise<StoredPlan | undefined>;
  /**
   * Sets the plan: creates it when `expectedVersion` is undefined (stale if one exists), else
   * replaces it if still at that version, bumping the version. The last run stays.
   */
  put(
    channelId: string,
    plan: ChannelPlan,
    change: { readonly expectedVersion?: number; readonly updatedAt: string; readonly updatedBy?: string },
  ): Promise<StoredPlan | 'stale'>;
  /** Removes the plan; false when there was none. The channel's cutoffs are cleared by its next job. */
  remove(channelId: string): Promise<boolean>;
  /**
   * Keeps the run on the plan if the plan is still at `run.planVersion`: 'stale' when it changed or
   * was removed meanwhile (the run's cutoffs may be the old plan's: compute again).
   */
  recordRun(channelId: string, run: CutoffRun): Promise<'recorded' | 'stale'>;
  /** Every channel with a plan, each once: the enqueuer sends one job per channel. */
  limitedChannels(): AsyncIterable<string>;
}
