/**
 * One room's load while its event runs, from its expected viewers and the
 * assumptions. Rates are exact (fractional) here; the step that sums rooms
 * rounds up once, so many small rooms are not each rounded up.
 */
import { MAX_SHARDS } from '../feed/shards.js';
import { LIMITS, READ_UNIT_BYTES, type AssumptionValues } from './assumptions.js';
import { liveReadUnitsPerOriginCall } from './live-reads.js';
import { round3, roundUp } from './rounding.js';
import { SCALED_FUNCTIONS, type PlannedRoom, type ScaledFunction } from './target.js';

export interface RoomLoad {
  readonly room: PlannedRoom;
  /** When the room's capacity must be in force: start − lead … end + tail (exclusive). */
  readonly windowFromMs: number;
  readonly windowToMs: number;
  /** `live` polls CloudFront answers: viewers / poll interval. */
  readonly viewerRequestsPerSecond: number;
  /** Peak accepted posts: viewers × comments per viewer per minute / 60 × burst. */
  readonly postsPerSecond: number;
  /** `live` requests reaching the origin: cache locations × fetches per location / poll interval. */
  readonly liveOriginPerSecond: number;
  /** Segment requests reaching the origin: each new segment once per location. */
  readonly segmentOriginPerSecond: number;
  /** Room-info requests reaching the origin (cached like `live`): an upper bound. */
  readonly roomInfoOriginPerSecond: number;
  readonly commentsWriteUnitsPerSecond: number;
  readonly commentsReadUnitsPerSecond: number;
  readonly controlWriteUnitsPerSecond: number;
  /** Mean concurrent executions per scaled function (Little's law: rate × duration), without headroom. */
  readonly concurrency: Readonly<Record<ScaledFunction, number>>;
  /** Mean concurrency of getRoom, which runs on demand. */
  readonly onDemandConcurrency: number;
  /** Write shards the room's peak write units need at the planned partition headroom (may exceed MAX_SHARDS). */
  readonly shardsNeeded: number;
  /** Shards to plan: at least the current count (shards only grow), at most MAX_SHARDS. */
  readonly writeShards: number;
  /** Realtime connections per second in the start window. */
  readonly realtimeConnectsPerSecond: number;
}

export function roomLoad(
  room: PlannedRoom,
  options: { readonly leadTimeMs: number; readonly tailMs: number; readonly liveCommentLimit: number },
  a: AssumptionValues,
): RoomLoad {
  const viewers = room.expectedViewers;
  const poll = room.pollIntervalSeconds;
  const segment = room.segmentSeconds;

  // A location only misses if a viewer asks it: never more locations than viewers.
  const fetchingLocations = Math.min(a.edgeLocations, viewers) * a.originFetchesPerLocationPerInterval;
  const liveOriginPerSecond = fetchingLocations / poll;
  const segmentOriginPerSecond = fetchingLocations / segment;
  const roomInfoOriginPerSecond = fetchingLocations / poll;

  const postsPerSecond = ((viewers * a.commentsPerViewerPerMinute) / 60) * a.burstFactor;
  const commentsWriteUnitsPerSecond = postsPerSecond * a.commentsWriteUnitsPerPost;
  const shardsNeeded = Math.max(
    1,
    roundUp(commentsWriteUnitsPerSecond / (LIMITS.dynamoDbPartitionWriteUnits.value * a.partitionHeadroom)),
  );
  const writeShards = Math.min(MAX_SHARDS, Math.max(room.writeShards, shardsNeeded));

  // Reads query every shard plus the global feed. A room that once had more
  // shards reads more; the plan only knows the shards it plans.
  const queriesPerRead = writeShards + 1;
  const perBlock = LIMITS.eventuallyConsistentReadUnitsPer4Kb.value;
  const liveReadUnits =
    liveOriginPerSecond *
    liveReadUnitsPerOriginCall(
      {
        itemsPerSecond: postsPerSecond,
        pollSeconds: poll,
        shards: writeShards,
        liveCommentLimit: options.liveCommentLimit,
      },
      a,
    );
  // A closed segment holds every comment of its slice, posted at up to the peak rate;
  // each query rounds up to a whole block, hence one block per query on top.
  const segmentBytes = postsPerSecond * segment * a.commentItemBytes;
  const readUnitsPerSegment = queriesPerRead * perBlock + (segmentBytes / READ_UNIT_BYTES) * perBlock;

  return {
    room,
    windowFromMs: room.startsAtMs - options.leadTimeMs,
    windowToMs: room.endsAtMs + options.tailMs,
    viewerRequestsPerSecond: viewers / poll,
    postsPerSecond,
    liveOriginPerSecond,
    segmentOriginPerSecond,
    roomInfoOriginPerSecond,
    commentsWriteUnitsPerSecond,
    commentsReadUnitsPerSecond: liveReadUnits + segmentOriginPerSecond * readUnitsPerSegment,
    controlWriteUnitsPerSecond: postsPerSecond * a.controlWriteUnitsPerPost,
    concurrency: {
      postComment: (postsPerSecond * a.postHandlerMs) / 1000,
      getLive: (liveOriginPerSecond * a.liveHandlerMs) / 1000,
      getSegment: (segmentOriginPerSecond * a.segmentHandlerMs) / 1000,
    },
    onDemandConcurrency: (roomInfoOriginPerSecond * a.liveHandlerMs) / 1000,
    shardsNeeded,
    writeShards,
    realtimeConnectsPerSecond: (viewers * a.realtimeConnectFraction) / a.realtimeConnectWindowSeconds,
  };
}

/** Provisioned concurrency per function for a mean concurrency: ceil(mean × headroom). */
export function provisionedFor(
  concurrency: Readonly<Record<ScaledFunction, number>>,
  a: AssumptionValues,
): Record<ScaledFunction, number> {
  return Object.fromEntries(
    SCALED_FUNCTIONS.map((fn) => [fn, roundUp(concurrency[fn] * a.provisionedConcurrencyHeadroom)]),
  ) as Record<ScaledFunction, number>;
}

/** One room's own figures, as the plan reports them (rates to three decimals). */
export interface RoomCapacity {
  readonly roomId: string;
  readonly windowFromMs: number;
  readonly windowToMs: number;
  readonly startsAtMs: number;
  readonly endsAtMs: number;
  readonly expectedViewers: number;
  readonly pollIntervalSeconds: number;
  /**
   * The smallest whole number of seconds ≥ the configured interval that keeps
   * the deployment's CloudFront requests under the quota × safety factor in
   * every step the room is in (60 when even that is not enough: see warnings).
   */
  readonly recommendedPollIntervalSeconds: number;
  readonly segmentSeconds: number;
  readonly peakPostsPerSecond: number;
  readonly viewerRequestsPerSecond: number;
  /** `live` and segment requests reaching the origin. */
  readonly originRequestsPerSecond: number;
  /** Everything reaching API Gateway: origin `live`, segments and room info, and posts. */
  readonly apiRequestsPerSecond: number;
  /** Comments table. */
  readonly writeUnitsPerSecond: number;
  /** Comments table. */
  readonly readUnitsPerSecond: number;
  readonly controlWriteUnitsPerSecond: number;
  readonly currentWriteShards: number;
  readonly shardsNeeded: number;
  /** Planned write shards: max(current, needed), at most MAX_SHARDS. */
  readonly writeShards: number;
  readonly realtimeConnectsPerSecond: number;
  /** What this room alone would get (steps sum rooms' exact rates, then round up). */
  readonly provisionedConcurrency: Readonly<Record<ScaledFunction, number>>;
}

export function roomCapacity(
  load: RoomLoad,
  recommendedPollIntervalSeconds: number,
  a: AssumptionValues,
): RoomCapacity {
  const { room } = load;
  return {
    roomId: room.roomId,
    windowFromMs: load.windowFromMs,
    windowToMs: load.windowToMs,
    startsAtMs: room.startsAtMs,
    endsAtMs: room.endsAtMs,
    expectedViewers: room.expectedViewers,
    pollIntervalSeconds: room.pollIntervalSeconds,
    recommendedPollIntervalSeconds,
    segmentSeconds: room.segmentSeconds,
    peakPostsPerSecond: round3(load.postsPerSecond),
    viewerRequestsPerSecond: round3(load.viewerRequestsPerSecond),
    originRequestsPerSecond: round3(load.liveOriginPerSecond + load.segmentOriginPerSecond),
    apiRequestsPerSecond: round3(apiRequests(load)),
    writeUnitsPerSecond: round3(load.commentsWriteUnitsPerSecond),
    readUnitsPerSecond: round3(load.commentsReadUnitsPerSecond),
    controlWriteUnitsPerSecond: round3(load.controlWriteUnitsPerSecond),
    currentWriteShards: room.writeShards,
    shardsNeeded: load.shardsNeeded,
    writeShards: load.writeShards,
    realtimeConnectsPerSecond: round3(load.realtimeConnectsPerSecond),
    provisionedConcurrency: provisionedFor(load.concurrency, a),
  };
}

/** Requests reaching API Gateway: the origin's cache misses and every post (posts are never cached). */
export const apiRequests = (load: RoomLoad): number =>
  load.liveOriginPerSecond + load.segmentOriginPerSecond + load.roomInfoOriginPerSecond + load.postsPerSecond;
