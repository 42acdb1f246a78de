import type { Logger } from '@aws-lambda-powertools/logger';
import type { OriginGuard } from '../origin-guard.js';
import type { AuditLog } from '../../domain/access/audit.js';
import type { CapacityWindows, ScalerInvoker, ScheduleStore } from '../../domain/capacity/ports.js';
import type { Clock } from '../../domain/clock.js';
import type { CommentHistory, EdgeInvalidator, FeedWriter, SegmentArchive } from '../../domain/feed/ports.js';
import type { ModerationReader, ModerationWriter } from '../../domain/moderation/ports.js';
import type { RealtimePublisher } from '../../domain/realtime/ports.js';
import type { RoomLister, RoomReader, RoomUpdater, RoomWriter } from '../../domain/rooms/ports.js';
import type { FeedActivityReader, TrafficMetrics } from '../../domain/stats/ports.js';
import type { LimitJobQueue } from '../../domain/limits/job.js';
import type { PlanStore } from '../../domain/limits/plans.js';

/**
 * Everything the admin function's operations use, built once per runtime by
 * its composition root (lambdas/functions/admin.ts in AWS, local/composition.ts
 * locally) and shared: one audit log, one publisher, one of each store.
 */
export interface AdminDeps {
  /** Uncached: versions must be current. */
  readonly rooms: RoomReader & RoomWriter & RoomUpdater & RoomLister;
  readonly comments: CommentHistory & FeedWriter;
  /** Uncached, consistent reads: changes start from the current state. */
  readonly moderation: ModerationReader & ModerationWriter;
  readonly auditLog: AuditLog;
  readonly feedActivity: FeedActivityReader;
  readonly traffic: TrafficMetrics;
  readonly publisher: RealtimePublisher;
  /** Drops CDN copies of segments a deletion or purge changed. */
  readonly edge: EdgeInvalidator;
  /** The CDN's base URL, which players poll and post through. */
  readonly edgeUrl: () => Promise<string>;
  /** What players subscribe with; while any is missing, connection info answers 503. */
  readonly realtimeClient: {
    readonly graphqlUrl?: string | undefined;
    readonly realtimeUrl?: string | undefined;
    readonly apiKey?: string | undefined;
  };
  readonly schedules: ScheduleStore;
  readonly scaler: ScalerInvoker;
  readonly capacity: CapacityWindows & {
    /** The deployment's region: what cost estimates price in. */
    readonly region?: string | undefined;
  };
  readonly retentionDays: number;
  /** Channels' view-limit plans (ADR 0038): uncached, consistent reads. */
  readonly plans: PlanStore;
  /** Where plan changes and runs-now queue their channel's job: SQS in AWS, the local queue locally. */
  readonly limitJobs: LimitJobQueue;
  /** Archived closed segments (ADR 0037): a deletion rewrites the item's archived segment. */
  readonly archive?: SegmentArchive;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The origin header check every HTTP function runs first (ADR 0030). */
  readonly origin: OriginGuard;
}

/** The failure reports every operation shares: a push or invalidation that failed is logged, never thrown. */
export function failureReports(logger: Logger) {
  return {
    /** The event is persisted: the poll path carries it. */
    onPublishFailed: (event: { kind: string; roomId: string }, error: unknown) =>
      logger.warn('realtime publish failed; the poll path still carries the event', {
        kind: event.kind,
        roomId: event.roomId,
        error: error as Error,
      }),
    onInvalidateFailed: (paths: readonly string[], error: unknown) =>
      logger.warn('edge invalidation failed', { paths, error: error as Error }),
  };
}
