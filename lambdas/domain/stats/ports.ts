import type { FeedRecord } from '../feed/comment.js';

/** What statistics read: the feed (few attributes) and traffic figures the feed cannot tell. */

/** A feed record as statistics read it: only who, what and whether it was deleted (its id dates it). */
export interface FeedActivityRecord {
  readonly id: string;
  readonly kind: FeedRecord['kind'];
  /** Absent on tombstones. */
  readonly userId?: string;
  readonly deleted: boolean;
}

export interface FeedActivityShard {
  /** Newest first. */
  readonly records: FeedActivityRecord[];
  /** False when the shard held more records in the range than the limit: the oldest ones were not read. */
  readonly complete: boolean;
}

/** Reads a room's feed for statistics: few attributes, newest first, a bounded number of records. */
export interface FeedActivityReader {
  /** Per shard: the newest records with `fromId` ≤ id ≤ `toId`, at most `limitPerShard` from each shard. */
  activity(
    roomId: string,
    shards: number,
    fromId: string,
    toId: string,
    limitPerShard: number,
  ): Promise<FeedActivityShard[]>;
}

/** A count for the minute starting at `minuteMs`. */
export interface MinuteCount {
  readonly minuteMs: number;
  readonly count: number;
}

/** Where a traffic figure comes from and what it covers. */
export interface TrafficSource {
  /** `room`: this room alone. `deployment`: every room together (the source has no per-room figure). */
  readonly scope: 'room' | 'deployment';
  /** E.g. `cloudwatch:AWS/CloudFront/Requests`, `local-edge`. */
  readonly source: string;
  /** A caveat worth showing beside the figure (publication delay, what else it counts). */
  readonly note?: string;
}

export interface PollTraffic extends TrafficSource {
  /** Minutes with a datapoint, oldest first; minutes without one are left out. */
  readonly perMinute: readonly MinuteCount[];
}

export interface GaugeTraffic extends TrafficSource {
  /** The latest value the source has; null when it has none. */
  readonly current: number | null;
  /** Minutes with a datapoint, oldest first; null when the source keeps no history. */
  readonly perMinute: readonly MinuteCount[] | null;
}

export interface RealtimeTraffic {
  /** Open WebSocket connections (a connection is not bound to a room). */
  readonly connections: GaugeTraffic;
  /** Subscriptions to the room's events. */
  readonly subscriptions: GaugeTraffic;
}

/** Traffic the feed cannot tell: CloudWatch in AWS, the local runtime's counters locally. */
export interface TrafficMetrics {
  /** Requests for the room's `live` and segments in the window. */
  pollRequests(
    roomId: string,
    window: { readonly fromMs: number; readonly toMs: number },
  ): Promise<PollTraffic>;
  realtime(
    roomId: string,
    window: { readonly fromMs: number; readonly toMs: number },
  ): Promise<RealtimeTraffic>;
}
