import { NotFoundError } from '../errors.js';
import { commentIdTime, highestIdAt, lowestIdAt } from '../feed/ids.js';
import type { Clock } from '../clock.js';
import type {
  FeedActivityReader,
  FeedActivityShard,
  GaugeTraffic,
  MinuteCount,
  PollTraffic,
  TrafficMetrics,
  TrafficSource,
} from './ports.js';
import type { RoomReader } from '../rooms/ports.js';
import { authorize, type Principal } from '../access/roles.js';
import type { Room } from '../rooms/room.js';

/**
 * A room's statistics for the console: comments per minute and distinct
 * posters from the room's feed (the source of truth, the same in AWS and
 * locally), poll requests and realtime connections from `TrafficMetrics`.
 *
 * Bounded cost: the window is at most a day, and one request reads at most
 * `MAX_SCANNED_RECORDS` feed records (a few attributes each; about 2.5k read
 * units at most), newest first. A busier window is counted exactly from the
 * newest record back to where the budget ran out (`countedFrom`); the minutes
 * before it, the total and the poster count are then lower bounds, and the
 * answer says so in `estimates`. Nothing is cached: a console refreshing every
 * few seconds on a small room reads a few hundred records each time.
 */
export const MAX_STATS_MINUTES = 1440;
export const DEFAULT_STATS_MINUTES = 60;
export const MAX_SCANNED_RECORDS = 20_000;

const MINUTE_MS = 60_000;
/** Why a figure is missing. The details go to the log (`onTrafficFailed`), never to the client. */
const UNAVAILABLE = 'Its source did not answer; the function log has the details.';

export interface StatsWindow {
  /** Start of the oldest minute. */
  readonly fromMs: number;
  /** Now: the newest minute is still running. */
  readonly toMs: number;
  readonly minutes: number;
}

/** `minutes` whole minutes ending with the current, running one. */
export function statsWindow(nowMs: number, minutes: number): StatsWindow {
  const currentMinute = minuteOf(nowMs);
  return { fromMs: currentMinute - (minutes - 1) * MINUTE_MS, toMs: nowMs, minutes };
}

export const minuteOf = (ms: number) => Math.floor(ms / MINUTE_MS) * MINUTE_MS;

export interface MinuteView {
  readonly minute: string;
  readonly count: number;
}

export interface CommentStats {
  /** Every minute of the window, oldest first, zeros included. */
  readonly perMinute: MinuteView[];
  readonly total: number;
  readonly distinctPosters: number;
  /**
   * Of `total`, the comments moderators removed since (deleted, or purged with
   * their author). Counted in the figures above: they were posted.
   */
  readonly removed: number;
  /** Minutes from here on are exact; equals the window's start unless `truncated`. */
  readonly countedFrom: string;
  /** The window held more feed records than one request reads. */
  readonly truncated: boolean;
}

/**
 * Viewers' comments in the window, from the feed read newest first per shard.
 * Artist messages, notices and tombstones are not comments and are not counted.
 */
export function countComments(
  shards: readonly FeedActivityShard[],
  window: StatsWindow,
  purges: Room['purges'] = {},
): CommentStats {
  const counts = new Map<number, number>();
  const posters = new Set<string>();
  let total = 0;
  let removed = 0;
  let countedFromMs = window.fromMs;
  for (const shard of shards) {
    for (const record of shard.records) {
      if (record.kind !== 'comment' || record.userId === undefined) continue;
      const atMs = commentIdTime(record.id);
      if (atMs < window.fromMs || atMs > window.toMs) continue;
      counts.set(minuteOf(atMs), (counts.get(minuteOf(atMs)) ?? 0) + 1);
      posters.add(record.userId);
      total++;
      const purgedAt = Object.hasOwn(purges, record.userId) ? purges[record.userId] : undefined;
      if (record.deleted || (purgedAt !== undefined && Date.parse(purgedAt) >= atMs)) removed++;
    }
    // The shard's oldest record read marks where its count may stop: the minute after is exact.
    const oldest = shard.records.at(-1);
    if (!shard.complete && oldest) {
      countedFromMs = Math.max(countedFromMs, minuteOf(commentIdTime(oldest.id)) + MINUTE_MS);
    }
  }
  const truncated = shards.some((s) => !s.complete);
  return {
    perMinute: minutesOf(window).map((minuteMs) => ({
      minute: iso(minuteMs),
      count: counts.get(minuteMs) ?? 0,
    })),
    total,
    distinctPosters: posters.size,
    removed,
    countedFrom: iso(Math.min(countedFromMs, minuteOf(window.toMs) + MINUTE_MS)),
    truncated,
  };
}

/** A source's sparse series cut to the window, as the API shows it. */
export function seriesIn(points: readonly MinuteCount[], window: StatsWindow): MinuteView[] {
  return points
    .filter((p) => p.minuteMs >= window.fromMs && p.minuteMs <= window.toMs)
    .sort((a, b) => a.minuteMs - b.minuteMs)
    .map((p) => ({ minute: iso(p.minuteMs), count: p.count }));
}

export interface StatsDeps {
  /** Uncached: the channel a room belongs to must be current. */
  readonly rooms: RoomReader;
  readonly feed: FeedActivityReader;
  readonly traffic: TrafficMetrics;
  readonly clock: Clock;
  /** Told when a traffic source failed; the answer leaves that figure out and says why. */
  readonly onTrafficFailed?: (figure: string, error: unknown) => void;
  /** Default `MAX_SCANNED_RECORDS`. */
  readonly maxScannedRecords?: number;
}

export interface FigureNote {
  readonly figure: string;
  readonly why: string;
}

interface SourceView {
  readonly scope: TrafficSource['scope'];
  readonly source: string;
}

export interface GaugeView extends SourceView {
  readonly current: number | null;
  /** Highest per-minute value in the window; null without history. */
  readonly peak: number | null;
  readonly perMinute: MinuteView[] | null;
}

export interface RoomStats {
  readonly roomId: string;
  readonly channelId: string;
  readonly window: { readonly from: string; readonly to: string; readonly minutes: number };
  readonly comments: CommentStats;
  /** Null when the source failed (see `unavailable`). */
  readonly pollRequests: (SourceView & { readonly perMinute: MinuteView[]; readonly total: number }) | null;
  readonly realtimeConnections: { readonly connections: GaugeView; readonly subscriptions: GaugeView } | null;
  /** Figures that are not exact counts for this room, and why. */
  readonly estimates: FigureNote[];
  /** Figures left out because their source failed. */
  readonly unavailable: FigureNote[];
  readonly generatedAt: string;
}

/**
 * GET a room's statistics: operators, and the moderators and artists of the
 * room's channel. Comments are counted from the feed; traffic figures come
 * from `deps.traffic`, and a failing source leaves its figure out.
 */
export async function roomStats(
  deps: StatsDeps,
  principal: Principal,
  roomId: string,
  minutes: number,
): Promise<RoomStats> {
  authorize(principal, 'stats.read');
  const room = await deps.rooms.get(roomId);
  if (!room) throw new NotFoundError('room_not_found', `Room ${roomId} does not exist.`);
  authorize(principal, 'stats.read', room.channelId);

  const nowMs = deps.clock();
  const window = statsWindow(nowMs, Math.min(Math.max(1, Math.trunc(minutes)), MAX_STATS_MINUTES));
  const budget = deps.maxScannedRecords ?? MAX_SCANNED_RECORDS;
  // Each shard gets an equal share: writes spread evenly over the write shards.
  const perShard = Math.max(1, Math.floor(budget / room.shards.read));
  const range = { fromMs: window.fromMs, toMs: window.toMs };
  const [feed, poll, realtime] = await Promise.all([
    deps.feed.activity(
      roomId,
      room.shards.read,
      lowestIdAt(window.fromMs),
      highestIdAt(window.toMs),
      perShard,
    ),
    settle(() => deps.traffic.pollRequests(roomId, range)),
    settle(() => deps.traffic.realtime(roomId, range)),
  ]);

  const comments = countComments(feed, window, room.purges);
  const estimates: FigureNote[] = [];
  const unavailable: FigureNote[] = [];
  if (comments.truncated) {
    estimates.push({
      figure: 'comments',
      why:
        `The window holds more than ${budget} feed records, more than one request reads: minutes from ` +
        `${comments.countedFrom} are exact; earlier minutes, the total and distinctPosters are lower bounds. ` +
        `Ask for fewer minutes for exact figures.`,
    });
  }

  let pollRequests: RoomStats['pollRequests'] = null;
  if (poll.ok) {
    const perMinute = seriesIn(poll.value.perMinute, window);
    pollRequests = {
      ...sourceView(poll.value),
      perMinute,
      total: perMinute.reduce((sum, p) => sum + p.count, 0),
    };
    noteScope('pollRequests', poll.value, estimates);
  } else {
    deps.onTrafficFailed?.('pollRequests', poll.error);
    unavailable.push({ figure: 'pollRequests', why: UNAVAILABLE });
  }

  let realtimeConnections: RoomStats['realtimeConnections'] = null;
  if (realtime.ok) {
    realtimeConnections = {
      connections: gaugeView(realtime.value.connections, window),
      subscriptions: gaugeView(realtime.value.subscriptions, window),
    };
    noteScope('realtimeConnections.connections', realtime.value.connections, estimates);
    noteScope('realtimeConnections.subscriptions', realtime.value.subscriptions, estimates);
  } else {
    deps.onTrafficFailed?.('realtimeConnections', realtime.error);
    unavailable.push({ figure: 'realtimeConnections', why: UNAVAILABLE });
  }

  return {
    roomId,
    channelId: room.channelId,
    window: { from: iso(window.fromMs), to: iso(window.toMs), minutes: window.minutes },
    comments,
    pollRequests,
    realtimeConnections,
    estimates,
    unavailable,
    generatedAt: iso(deps.clock()),
  };
}

/** A figure counted for the whole deployment stands in for the room's: an estimate, said so. */
function noteScope(figure: string, source: TrafficSource, estimates: FigureNote[]) {
  if (source.scope === 'room' && !source.note) return;
  const parts = [
    source.scope === 'deployment'
      ? `Deployment-wide: ${source.source} has no per-room figure, so this counts every room together.`
      : undefined,
    source.note,
  ].filter((p): p is string => p !== undefined);
  estimates.push({ figure, why: parts.join(' ') });
}

function gaugeView(gauge: GaugeTraffic, window: StatsWindow): GaugeView {
  const perMinute = gauge.perMinute === null ? null : seriesIn(gauge.perMinute, window);
  return {
    ...sourceView(gauge),
    current: gauge.current,
    peak: perMinute && perMinute.length > 0 ? Math.max(...perMinute.map((p) => p.count)) : null,
    perMinute,
  };
}

const sourceView = (source: PollTraffic | GaugeTraffic): SourceView => ({
  scope: source.scope,
  source: source.source,
});

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
async function settle<T>(run: () => Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    return { ok: false, error };
  }
}

function minutesOf(window: StatsWindow): number[] {
  return Array.from({ length: window.minutes }, (_, i) => window.fromMs + i * MINUTE_MS);
}

const iso = (ms: number) => new Date(ms).toISOString();
