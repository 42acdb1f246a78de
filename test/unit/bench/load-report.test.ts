import { describe, expect, it } from 'vitest';
import { renderLoadMarkdown, stageReport, type StageInput } from '../../../bench/load-report.js';
import type { KindCounts, LoadStageResult } from '../../../bench/load-viewers.js';
import type { EdgeStats } from '../../../local/edge-cache.js';

const summary = (p50: number, p99 = p50) => ({ samples: 10, p50, p99, mean: p50 });
const kind = (over: Partial<KindCounts>): KindCounts => ({
  requests: 0,
  errors: 0,
  outcomes: {},
  latencyMs: summary(0),
  missLatencyMs: summary(0),
  bytes: 0,
  answeredInStage: (over.requests ?? 0) - (over.errors ?? 0),
  ...over,
});
const loop = (p99Ms: number) => ({ since: '', samples: 100, p50Ms: 1, p99Ms, maxMs: p99Ms, meanMs: 1 });
const edge = (requests: number, originCalls: number): EdgeStats => ({
  requests,
  hits: 0,
  misses: originCalls,
  collapsed: 0,
  originCalls,
  invalidations: 0,
  entries: 0,
});

/** 100 viewers for 30 s at P = 3 s (10 intervals), 20 posts/s. */
function input(over: Partial<LoadStageResult> = {}): StageInput {
  const result: LoadStageResult = {
    viewers: 100,
    elapsedMs: 30_000,
    drainMs: 200,
    unanswered: 0,
    kinds: {
      live: kind({ requests: 100, outcomes: { Miss: 1, Hit: 99 } }),
      liveTick: kind({ requests: 1_000, outcomes: { Miss: 10, Hit: 990 }, missLatencyMs: summary(40) }),
      segment: kind({ requests: 500, outcomes: { Miss: 20, Hit: 480 }, missLatencyMs: summary(90) }),
      post: kind({ requests: 600, errors: 0, latencyMs: summary(25, 80) }),
    },
    errorCodes: {},
    errorMessages: {},
    handled: {},
    postLateness: summary(1, 3),
    postsOffered: 600,
    generatorEventLoop: loop(10),
    generatorCpuSeconds: 9,
    capped: false,
    ...over,
  };
  return {
    pollIntervalSeconds: 3,
    postsPerSecond: 20,
    seconds: 30,
    result,
    edgeBefore: edge(0, 0),
    edgeAfter: edge(1_600, 31),
    stackEventLoop: loop(12),
    cpu: { wallSeconds: 32, stackSeconds: 16, dynamodbSeconds: 28.8 },
  };
}

describe('stageReport', () => {
  it('counts origin calls per poll interval from the edge misses on live documents and segments', () => {
    const report = stageReport(input());

    expect(report.originCallsPerInterval).toEqual({ live: 1.1, segments: 2 });
    expect(report.edgeOriginCalls).toBe(31);
    expect(report.segmentReadsPerViewerPerInterval).toBe(0.5);
  });

  it('sets the measured figures beside the plan’s named coefficients', () => {
    const byName = Object.fromEntries(stageReport(input()).coefficients.map((c) => [c.name, c]));

    expect(byName.originFetchesPerLocationPerInterval).toMatchObject({ plan: 1, measured: 1.1, ratio: 1.1 });
    expect(byName.postHandlerMs).toMatchObject({ plan: 50, measured: 25, ratio: 0.5 });
    expect(byName.liveHandlerMs).toMatchObject({ plan: 50, measured: 40, ratio: 0.8 });
    expect(byName.segmentHandlerMs).toMatchObject({ plan: 100, measured: 90 });
    // (100 + 1,000 polls + 500 segments) ÷ 100 viewers ÷ 10 intervals
    expect(byName['viewer requests (plan: viewers ÷ poll)']).toMatchObject({ plan: 1, measured: 1.6 });
  });

  it('offers the SDK’s schedule: a join poll, then one per tick from a join spread over the first interval', () => {
    const report = stageReport(input());

    // 100 × (1 + (30 − 1.5) ÷ 3) ÷ 30 s
    expect(report.pollsPerSecond).toEqual({ offered: 35, achieved: 36.67 });
    expect(report.generatorKeptUp).toBe(true);
  });

  it('says how many cores each process kept busy, and a dash where DynamoDB Local could not be read', () => {
    const report = stageReport(input());
    const unread = stageReport({
      ...input(),
      cpu: { wallSeconds: 32, stackSeconds: 16, dynamodbSeconds: undefined },
    });

    // stack 16 s ÷ 32 s of wall time, the JVM 28.8 ÷ 32, the generator 9 s ÷ its 30 s stage
    expect(report.cpuCores).toEqual({ stack: 0.5, dynamodbLocal: 0.9, generator: 0.3 });
    expect(renderLoadMarkdown([report])).toContain('| 0.5 / 0.9 / 0.3 |');
    expect(renderLoadMarkdown([unread])).toContain('| 0.5 / – / 0.3 |');
  });

  it('sums errors over every kind and says when the generator fell behind its schedule', () => {
    const base = input();
    const report = stageReport(
      input({
        kinds: { ...base.result.kinds, post: kind({ requests: 600, errors: 3 }) },
        errorCodes: { 'http_503:unavailable': 3 },
        generatorEventLoop: loop(120),
      }),
    );

    expect(report.errors).toBe(3);
    expect(report.errorsByKind).toEqual({ live: 0, liveTick: 0, segment: 0, post: 3 });
    expect(report.posts.achievedPerSecond).toBe(19.9);
    expect(report.generatorKeptUp).toBe(false);
    expect(renderLoadMarkdown([report])).toContain('(generator late)');
  });
});
