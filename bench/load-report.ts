/**
 * `npm run load`'s report: per stage, what the viewers and posters got (from the generator), what
 * the edge did (its counters at `GET /local/edge`) and how busy the stack was (its event-loop
 * delay), set beside the capacity plan's named coefficients. Pure: load.ts gathers, this computes.
 */
import { ASSUMPTIONS } from '../lambdas/domain/capacity/assumptions.js';
import type { EventLoopDelay } from '../local/event-loop.js';
import type { EdgeStats } from '../local/edge-cache.js';
import type { LoadStageResult } from './load-viewers.js';

export interface StageInput {
  readonly pollIntervalSeconds: number;
  readonly postsPerSecond: number;
  readonly seconds: number;
  readonly result: LoadStageResult;
  /** The edge's counters before and after the stage. */
  readonly edgeBefore: EdgeStats;
  readonly edgeAfter: EdgeStats;
  /** The stack's event-loop delay over the stage. */
  readonly stackEventLoop: EventLoopDelay;
  /**
   * CPU seconds over the stage's wall time (from the generator's start to its last answer), for
   * the stack's process and DynamoDB Local's JVM (undefined where /proc could not be read).
   */
  readonly cpu: {
    readonly wallSeconds: number;
    readonly stackSeconds: number;
    readonly dynamodbSeconds: number | undefined;
  };
}

export interface CoefficientCheck {
  /** A name in `ASSUMPTIONS` (lambdas/domain/capacity/assumptions.ts), or the plan's formula. */
  readonly name: string;
  readonly unit: string;
  readonly plan: number;
  readonly measured: number;
  /** measured ÷ plan. */
  readonly ratio: number;
  readonly note: string;
}

export interface StageReport {
  readonly viewers: number;
  readonly seconds: number;
  readonly requests: number;
  readonly errors: number;
  readonly errorCodes: Record<string, number>;
  /** Errors by what was asked for: `live`, `live/{tick}`, segments, posts. */
  readonly errorsByKind: Record<string, number>;
  readonly errorMessages: Record<string, string>;
  /** How long the stage's in-flight requests took to be answered after its end: a backlog when large. */
  readonly drainSeconds: number;
  /** Refusals the SDK reads as "nothing there" (segments before the room or not started). */
  readonly handled: Record<string, number>;
  /** Polls (`live` and `live/{tick}`) per second: what the viewers' schedule asks for, what was answered. */
  readonly pollsPerSecond: { readonly offered: number; readonly achieved: number };
  /**
   * Whether the generator kept to its schedule: its own event-loop delay p99 and its posts' send
   * lateness p99 under 50 ms. False: timers fired late (a busy generator or a busy machine), so the
   * achieved rates are partly the generator's limit, not only the stack's.
   */
  readonly generatorKeptUp: boolean;
  readonly segmentReadsPerViewerPerInterval: number;
  /** Origin calls per poll interval: `live` documents (goal 1) and segments, from the edge's misses. */
  readonly originCallsPerInterval: { readonly live: number; readonly segments: number };
  /** The edge's own `originCalls` counter over the stage (the misses above add up to it). */
  readonly edgeOriginCalls: number;
  readonly edgeRequests: number;
  readonly posts: {
    readonly offeredPerSecond: number;
    readonly achievedPerSecond: number;
    readonly p50Ms: number;
    readonly p99Ms: number;
  };
  readonly liveMissP50Ms: number;
  readonly segmentMissP50Ms: number;
  readonly receivedMBPerSecond: number;
  readonly stackEventLoop: EventLoopDelay;
  readonly generatorEventLoop: EventLoopDelay;
  /**
   * Cores each process kept busy (CPU seconds ÷ wall seconds): on a small machine the three share
   * them, and this says which one the stage's limit was.
   */
  readonly cpuCores: {
    readonly stack: number;
    readonly dynamodbLocal: number;
    readonly generator: number;
  };
  readonly capped: boolean;
  readonly coefficients: readonly CoefficientCheck[];
}

/** Above this p99 delay (ms) in its own loop, or this late sending posts, the generator set the pace. */
const GENERATOR_LAG_MS = 50;

export function stageReport(input: StageInput): StageReport {
  const { result, pollIntervalSeconds: pollS } = input;
  const { live, liveTick, segment, post } = result.kinds;
  const elapsedS = result.elapsedMs / 1000;
  const intervals = elapsedS / pollS;
  const polls = live.requests + liveTick.requests;
  const pollsAnswered = live.answeredInStage + liveTick.answeredInStage;
  // The SDK's schedule: `live` on joining, then one `live/{tick}` per tick; viewers join spread over
  // the first interval, so on average each polls ticks for elapsed − P/2.
  const offeredPolls = result.viewers * (1 + Math.max(0, elapsedS - pollS / 2) / pollS);
  const misses = (k: { outcomes: Record<string, number> }) => k.outcomes.Miss ?? 0;
  const liveOrigin = (misses(live) + misses(liveTick)) / intervals;
  const postP50 = post.latencyMs.p50;
  const postsAnswered = post.answeredInStage;
  const generatorKeptUp =
    result.generatorEventLoop.p99Ms < GENERATOR_LAG_MS && !(result.postLateness.p99 > GENERATOR_LAG_MS);
  const viewerRequestsPerInterval = (polls + segment.requests) / Math.max(1, result.viewers) / intervals;
  const planPost = ASSUMPTIONS.postHandlerMs.value;

  const coefficients: CoefficientCheck[] = [
    check(
      'originFetchesPerLocationPerInterval',
      ASSUMPTIONS.originFetchesPerLocationPerInterval.unit,
      ASSUMPTIONS.originFetchesPerLocationPerInterval.value,
      liveOrigin,
      'the local edge is one cache location: `live` and `live/{tick}` misses per poll interval',
    ),
    check(
      'viewer requests (plan: viewers ÷ poll)',
      'requests / viewer / interval',
      1,
      viewerRequestsPerInterval,
      'the plan counts one CloudFront request per viewer per interval; segment reads for gaps add to it',
    ),
    check(
      'postHandlerMs',
      ASSUMPTIONS.postHandlerMs.unit,
      planPost,
      postP50,
      'post p50 at the edge: the handler plus HTTP and queueing on loopback, an upper bound; DynamoDB Local, not AWS',
    ),
    check(
      'postComment concurrency (Little’s law, no headroom)',
      'instances',
      (input.postsPerSecond * planPost) / 1000,
      (postsAnswered / elapsedS) * (postP50 / 1000),
      'posts/s × handler time: what the plan provisions before its 1.5× headroom',
    ),
    check(
      'liveHandlerMs',
      ASSUMPTIONS.liveHandlerMs.unit,
      ASSUMPTIONS.liveHandlerMs.value,
      liveTick.missLatencyMs.p50,
      'p50 of the edge misses on `live/{tick}`: the origin call as a viewer waited for it, an upper bound',
    ),
    check(
      'segmentHandlerMs',
      ASSUMPTIONS.segmentHandlerMs.unit,
      ASSUMPTIONS.segmentHandlerMs.value,
      segment.missLatencyMs.p50,
      'p50 of the edge misses on segments, as above',
    ),
  ];

  return {
    viewers: result.viewers,
    seconds: round(elapsedS),
    requests: live.requests + liveTick.requests + segment.requests + post.requests,
    errors: live.errors + liveTick.errors + segment.errors + post.errors + result.unanswered,
    drainSeconds: round(result.drainMs / 1000),
    errorCodes: result.errorCodes,
    errorsByKind: {
      live: live.errors,
      liveTick: liveTick.errors,
      segment: segment.errors,
      post: post.errors,
    },
    errorMessages: result.errorMessages,
    handled: result.handled,
    pollsPerSecond: { offered: round(offeredPolls / elapsedS), achieved: round(pollsAnswered / elapsedS) },
    generatorKeptUp,
    segmentReadsPerViewerPerInterval: round(segment.requests / Math.max(1, result.viewers) / intervals),
    originCallsPerInterval: { live: round(liveOrigin), segments: round(misses(segment) / intervals) },
    edgeOriginCalls: input.edgeAfter.originCalls - input.edgeBefore.originCalls,
    edgeRequests: input.edgeAfter.requests - input.edgeBefore.requests,
    posts: {
      offeredPerSecond: round(result.postsOffered / elapsedS),
      achievedPerSecond: round(postsAnswered / elapsedS),
      p50Ms: round(postP50),
      p99Ms: round(post.latencyMs.p99),
    },
    liveMissP50Ms: round(liveTick.missLatencyMs.p50),
    segmentMissP50Ms: round(segment.missLatencyMs.p50),
    receivedMBPerSecond: round((live.bytes + liveTick.bytes + segment.bytes + post.bytes) / 1e6 / elapsedS),
    stackEventLoop: input.stackEventLoop,
    generatorEventLoop: result.generatorEventLoop,
    cpuCores: {
      stack: round(input.cpu.stackSeconds / input.cpu.wallSeconds),
      dynamodbLocal: round((input.cpu.dynamodbSeconds ?? NaN) / input.cpu.wallSeconds),
      generator: round(result.generatorCpuSeconds / elapsedS),
    },
    capped: result.capped,
    coefficients,
  };
}

function check(name: string, unit: string, plan: number, measured: number, note: string): CoefficientCheck {
  return {
    name,
    unit,
    plan: round(plan),
    measured: round(measured),
    ratio: plan > 0 && Number.isFinite(measured) ? round(measured / plan) : NaN,
    note,
  };
}

const round = (n: number) => (Number.isFinite(n) ? Math.round(n * 100) / 100 : NaN);
const fmt = (n: number) => (Number.isFinite(n) ? n.toLocaleString('en-US') : '–');

/** The stage table and the coefficient table, as README shows them. */
export function renderLoadMarkdown(stages: readonly StageReport[]): string {
  const rows = stages.map((s) =>
    [
      fmt(s.viewers),
      `${fmt(s.requests)} / ${fmt(s.errors)}`,
      `${fmt(s.pollsPerSecond.offered)} → ${fmt(s.pollsPerSecond.achieved)}${s.generatorKeptUp ? '' : ' (generator late)'}`,
      `${fmt(s.originCallsPerInterval.live)} / ${fmt(s.originCallsPerInterval.segments)}`,
      fmt(s.segmentReadsPerViewerPerInterval),
      `${fmt(s.posts.achievedPerSecond)} of ${fmt(s.posts.offeredPerSecond)}`,
      `${fmt(s.posts.p50Ms)} / ${fmt(s.posts.p99Ms)}`,
      `${fmt(s.stackEventLoop.p50Ms)} / ${fmt(s.stackEventLoop.p99Ms)} / ${fmt(s.stackEventLoop.maxMs)}`,
      `${fmt(s.generatorEventLoop.p99Ms)}`,
      `${fmt(s.cpuCores.stack)} / ${fmt(s.cpuCores.dynamodbLocal)} / ${fmt(s.cpuCores.generator)}`,
      fmt(s.receivedMBPerSecond),
    ].join(' | '),
  );
  const stageTable = [
    '| viewers | requests / errors | polls/s offered → achieved | origin calls / interval: live / segments | segment reads / viewer / interval | posts/s answered | post p50 / p99 ms | stack event-loop delay p50 / p99 / max ms | generator loop p99 ms | CPU cores: stack / DynamoDB Local / generator | MB/s received |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r} |`),
  ];
  const names = stages[0]?.coefficients.map((c) => c.name) ?? [];
  const coefficientTable = [
    `| coefficient | plan | ${stages.map((s) => `${fmt(s.viewers)} viewers`).join(' | ')} |`,
    `|---|---|${stages.map(() => '---').join('|')}|`,
    ...names.map((name) => {
      const cells = stages.map((s) => {
        const c = s.coefficients.find((x) => x.name === name)!;
        return `${fmt(c.measured)} (${fmt(c.ratio)}×)`;
      });
      const first = stages[0]!.coefficients.find((x) => x.name === name)!;
      return `| \`${name}\` (${first.unit}) | ${fmt(first.plan)} | ${cells.join(' | ')} |`;
    }),
  ];
  return `${stageTable.join('\n')}\n\n${coefficientTable.join('\n')}\n`;
}
