/**
 * One step of the plan: the rooms whose windows cover a stretch of time, their
 * loads summed, and the capacity target that serves the sum.
 */
import { LIMITS, type AssumptionValues } from './assumptions.js';
import { recommendPollIntervals } from './poll-interval.js';
import { apiRequests, provisionedFor, type RoomLoad } from './room-load.js';
import { round3, roundUp } from './rounding.js';
import type { StepFigures } from './step-figures.js';
import { stepWarnings } from './step-warnings.js';
import {
  BASELINE_STAGE_THROTTLING,
  SCALED_FUNCTIONS,
  type CapacityTarget,
  type ScaledFunction,
  type Throttle,
  type Throughput,
} from './target.js';
import type { QuotaWarning } from './warnings.js';

export interface StepLoad {
  /** Concurrent viewers of every room in the step. */
  readonly viewers: number;
  /** `live` polls viewers make. */
  readonly viewerRequestsPerSecond: number;
  /** Everything the CloudFront distribution answers: polls and posts. */
  readonly cloudFrontRequestsPerSecond: number;
  /** `live` and segment requests reaching the origin. */
  readonly originRequestsPerSecond: number;
  /** Everything reaching API Gateway: origin requests, room info, posts. */
  readonly apiRequestsPerSecond: number;
  readonly postsPerSecond: number;
  readonly commentsWriteUnitsPerSecond: number;
  readonly commentsReadUnitsPerSecond: number;
  readonly controlWriteUnitsPerSecond: number;
  readonly controlReadUnitsPerSecond: number;
  /** Provisioned concurrency plus the expected on-demand concurrency (getRoom). */
  readonly lambdaConcurrency: number;
}

export interface CapacityStep {
  readonly fromMs: number;
  /** Exclusive. */
  readonly toMs: number;
  /** Rooms whose windows cover the step, by room id. */
  readonly roomIds: readonly string[];
  readonly target: CapacityTarget;
  readonly load: StepLoad;
}

export interface BuiltStep {
  readonly step: CapacityStep;
  readonly warnings: readonly QuotaWarning[];
  /** Poll interval each room of the step should use to keep CloudFront under its budget. */
  readonly recommendedPoll: ReadonlyMap<string, number>;
}

export function buildStep(
  fromMs: number,
  toMs: number,
  loads: readonly RoomLoad[],
  a: AssumptionValues,
): BuiltStep {
  const figures = sumLoads(loads, a);
  const poll = recommendPollIntervals(loads, figures.postsPerSecond, a);
  const target: CapacityTarget = {
    provisionedConcurrency: figures.provisionedConcurrency,
    warmThroughput: {
      comments: warmThroughput(figures.units.comments.write, figures.units.comments.read, a),
      control: warmThroughput(figures.units.control.write, figures.units.control.read, a),
    },
    stageThrottling: throttleFor(figures.apiRequestsPerSecond, a),
    routeThrottling: {
      'POST /v1/rooms/{roomId}/comments': throttleFor(figures.postsPerSecond, a),
      'GET /v1/rooms/{roomId}/live': throttleFor(figures.liveOriginPerSecond, a),
      'GET /v1/rooms/{roomId}/live/{tick}': throttleFor(figures.liveOriginPerSecond, a),
      'GET /v1/rooms/{roomId}/segments/{n}': throttleFor(figures.segmentOriginPerSecond, a),
    },
    roomShards: Object.fromEntries(loads.map((l) => [l.room.roomId, l.writeShards])),
  };
  return {
    step: {
      fromMs,
      toMs,
      roomIds: loads.map((l) => l.room.roomId),
      target,
      load: {
        viewers: figures.viewers,
        viewerRequestsPerSecond: round3(figures.viewerRequestsPerSecond),
        cloudFrontRequestsPerSecond: round3(figures.cloudFrontRequestsPerSecond),
        originRequestsPerSecond: round3(figures.liveOriginPerSecond + figures.segmentOriginPerSecond),
        apiRequestsPerSecond: round3(figures.apiRequestsPerSecond),
        postsPerSecond: round3(figures.postsPerSecond),
        commentsWriteUnitsPerSecond: round3(figures.units.comments.write),
        commentsReadUnitsPerSecond: round3(figures.units.comments.read),
        controlWriteUnitsPerSecond: round3(figures.units.control.write),
        controlReadUnitsPerSecond: round3(figures.units.control.read),
        lambdaConcurrency: figures.lambdaConcurrency,
      },
    },
    warnings: stepWarnings({ fromMs, toMs, loads, figures, target, poll }, a),
    recommendedPoll: poll.intervals,
  };
}

/** Sums the rooms' exact rates, then rounds concurrency up once for the whole step. */
function sumLoads(loads: readonly RoomLoad[], a: AssumptionValues): StepFigures {
  const sum = (of: (load: RoomLoad) => number) => loads.reduce((total, load) => total + of(load), 0);
  const provisionedConcurrency = provisionedFor(
    Object.fromEntries(SCALED_FUNCTIONS.map((fn) => [fn, sum((l) => l.concurrency[fn])])) as Record<
      ScaledFunction,
      number
    >,
    a,
  );
  const provisioned = SCALED_FUNCTIONS.reduce((total, fn) => total + provisionedConcurrency[fn], 0);
  const onDemand = roundUp(sum((l) => l.onDemandConcurrency));
  const lambdaConcurrency = provisioned + onDemand;
  const postsPerSecond = sum((l) => l.postsPerSecond);
  const viewerRequestsPerSecond = sum((l) => l.viewerRequestsPerSecond);
  return {
    viewers: sum((l) => l.room.expectedViewers),
    postsPerSecond,
    viewerRequestsPerSecond,
    cloudFrontRequestsPerSecond: viewerRequestsPerSecond + postsPerSecond,
    liveOriginPerSecond: sum((l) => l.liveOriginPerSecond),
    segmentOriginPerSecond: sum((l) => l.segmentOriginPerSecond),
    apiRequestsPerSecond: sum(apiRequests),
    units: {
      comments: {
        write: sum((l) => l.commentsWriteUnitsPerSecond),
        read: sum((l) => l.commentsReadUnitsPerSecond),
      },
      control: {
        write: sum((l) => l.controlWriteUnitsPerSecond),
        // Every instance, provisioned or not, re-reads the cached control items.
        read: lambdaConcurrency * a.controlReadUnitsPerInstancePerSecond,
      },
    },
    provisionedConcurrency,
    provisioned,
    onDemand,
    lambdaConcurrency,
  };
}

/**
 * Warm throughput for planned units: the units × headroom, but only when that
 * is above what a new on-demand table serves at once (4,000 W / 12,000 R);
 * otherwise 0, no requirement. Raising warm throughput is charged and can never
 * be lowered, and any table already serves the default: asking for more than
 * the event needs would pay for capacity nobody uses, and keep it forever.
 */
export function warmThroughput(writeUnits: number, readUnits: number, a: AssumptionValues): Throughput {
  const need = (units: number, onDemandDefault: number) => {
    const wanted = roundUp(units * a.warmThroughputHeadroom);
    return wanted > onDemandDefault ? wanted : 0;
  };
  return {
    writeUnitsPerSecond: need(writeUnits, LIMITS.dynamoDbOnDemandInitialWriteUnits.value),
    readUnitsPerSecond: need(readUnits, LIMITS.dynamoDbOnDemandInitialReadUnits.value),
  };
}

/**
 * A throttle for a planned request rate: rate × headroom, burst half of that.
 * Never below the baseline (a route's cache misses arrive together, at a
 * segment's or an interval's turn, and a throttled miss is a 429 every viewer
 * behind that location sees), never above the account's 10,000/s and burst
 * 5,000 (the apigateway_account_rate warning says when that binds).
 */
export function throttleFor(requestsPerSecond: number, a: AssumptionValues): Throttle {
  const rateLimit = Math.min(
    LIMITS.apiGatewayAccountRate.value,
    Math.max(BASELINE_STAGE_THROTTLING.rateLimit, roundUp(requestsPerSecond * a.apiThrottleHeadroom)),
  );
  const burstLimit = Math.max(
    BASELINE_STAGE_THROTTLING.burstLimit,
    Math.min(LIMITS.apiGatewayAccountBurst.value, roundUp(rateLimit / 2)),
  );
  return { rateLimit, burstLimit };
}
