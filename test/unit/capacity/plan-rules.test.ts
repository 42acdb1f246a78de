import { coefficientTableMarkdown } from '../../../bin/format/coefficients.js';
import { describe, expect, it } from 'vitest';
import {
  ASSUMPTION_NAMES,
  ASSUMPTIONS,
  AssumptionOverrides,
  coefficientRows,
  DEFAULT_ASSUMPTIONS,
  LIMITS,
} from '../../../lambdas/domain/capacity/assumptions.js';
import { peakOf } from '../../../lambdas/domain/capacity/plan.js';
import { atMost, round3, roundUp } from '../../../lambdas/domain/capacity/rounding.js';
import { throttleFor, warmThroughput } from '../../../lambdas/domain/capacity/step.js';
import { sweep } from '../../../lambdas/domain/capacity/sweep.js';
import { BASELINE_TARGET, type CapacityTarget } from '../../../lambdas/domain/capacity/target.js';
import { quotaLevel, worstOfEach, type QuotaWarning } from '../../../lambdas/domain/capacity/warnings.js';

const a = DEFAULT_ASSUMPTIONS;

describe('warm throughput', () => {
  it('asks for nothing while units × 1.25 stay within what an on-demand table serves at once', () => {
    // 3,200 × 1.25 = 4,000 W: not above 4,000; 9,600 × 1.25 = 12,000 R: not above 12,000
    expect(warmThroughput(3_200, 9_600, a)).toEqual({ writeUnitsPerSecond: 0, readUnitsPerSecond: 0 });
  });

  it('asks for units × headroom, rounded up, once above the default', () => {
    // 3,200.8 × 1.25 = 4,001; 9,600.8 × 1.25 = 12,001
    expect(warmThroughput(3_200.8, 9_600.8, a)).toEqual({
      writeUnitsPerSecond: 4_001,
      readUnitsPerSecond: 12_001,
    });
  });

  it('follows the headroom override', () => {
    expect(warmThroughput(5_000, 0, { ...a, warmThroughputHeadroom: 2 })).toEqual({
      writeUnitsPerSecond: 10_000,
      readUnitsPerSecond: 0,
    });
  });
});

describe('throttles', () => {
  it('never go below the baseline stage throttle', () => {
    expect(throttleFor(0, a)).toEqual({ rateLimit: 1_000, burstLimit: 500 });
    expect(throttleFor(600, a)).toEqual({ rateLimit: 1_000, burstLimit: 500 });
  });

  it('are rate × 1.5 with a burst of half that', () => {
    // 1,000 × 1.5 = 1,500, burst 750; 4,001 × 1.5 = 6,001.5 → 6,002, burst 3,001
    expect(throttleFor(1_000, a)).toEqual({ rateLimit: 1_500, burstLimit: 750 });
    expect(throttleFor(4_001, a)).toEqual({ rateLimit: 6_002, burstLimit: 3_001 });
  });

  it('stop at the account’s 10,000/s and burst 5,000', () => {
    expect(throttleFor(7_000, a)).toEqual({ rateLimit: 10_000, burstLimit: 5_000 });
    expect(throttleFor(1_000_000, a)).toEqual({ rateLimit: 10_000, burstLimit: 5_000 });
  });
});

describe('sweep', () => {
  it('cuts overlapping intervals where the active set changes, leaving gaps out', () => {
    const stretches = sweep([
      { fromMs: 0, toMs: 10, item: 'a' },
      { fromMs: 5, toMs: 15, item: 'b' },
      { fromMs: 20, toMs: 30, item: 'c' },
    ]);
    expect(stretches).toEqual([
      { fromMs: 0, toMs: 5, items: ['a'] },
      { fromMs: 5, toMs: 10, items: ['a', 'b'] },
      { fromMs: 10, toMs: 15, items: ['b'] },
      { fromMs: 20, toMs: 30, items: ['c'] },
    ]);
  });

  it('treats intervals as half-open: touching ones do not overlap', () => {
    expect(
      sweep([
        { fromMs: 0, toMs: 10, item: 'a' },
        { fromMs: 10, toMs: 20, item: 'b' },
      ]).map((s) => s.items),
    ).toEqual([['a'], ['b']]);
  });

  it('nests an interval inside another', () => {
    expect(
      sweep([
        { fromMs: 0, toMs: 30, item: 'outer' },
        { fromMs: 10, toMs: 20, item: 'inner' },
      ]).map((s) => [s.fromMs, s.toMs, s.items]),
    ).toEqual([
      [0, 10, ['outer']],
      [10, 20, ['outer', 'inner']],
      [20, 30, ['outer']],
    ]);
  });
});

describe('peakOf', () => {
  const target = (postComment: number, shards: Record<string, number>, rate: number): CapacityTarget => ({
    ...BASELINE_TARGET,
    provisionedConcurrency: { postComment, getLive: 1, getSegment: 1 },
    warmThroughput: {
      comments: { readUnitsPerSecond: 0, writeUnitsPerSecond: postComment * 100 },
      control: { readUnitsPerSecond: rate, writeUnitsPerSecond: 0 },
    },
    stageThrottling: { rateLimit: rate, burstLimit: 600 - rate / 10 },
    routeThrottling: { 'GET /v1/rooms/{roomId}/live': { rateLimit: rate, burstLimit: 500 } },
    roomShards: shards,
  });

  it('takes each figure’s maximum, separately, and every room’s largest shard count', () => {
    const peak = peakOf([target(10, { a: 2 }, 3_000), target(40, { a: 1, b: 5 }, 1_000)]);
    expect(peak).toEqual({
      provisionedConcurrency: { postComment: 40, getLive: 1, getSegment: 1 },
      warmThroughput: {
        comments: { readUnitsPerSecond: 0, writeUnitsPerSecond: 4_000 },
        control: { readUnitsPerSecond: 3_000, writeUnitsPerSecond: 0 },
      },
      // rate from the first, burst from the second
      stageThrottling: { rateLimit: 3_000, burstLimit: 500 },
      routeThrottling: { 'GET /v1/rooms/{roomId}/live': { rateLimit: 3_000, burstLimit: 500 } },
      roomShards: { a: 2, b: 5 },
    });
  });

  it('is the baseline with no targets', () => {
    expect(peakOf([])).toBe(BASELINE_TARGET);
  });
});

describe('warnings', () => {
  it('are `info` above the safe share of a quota and `warning` above the quota', () => {
    expect(quotaLevel(800, 1_000, 0.8)).toBeUndefined();
    expect(quotaLevel(801, 1_000, 0.8)).toBe('info');
    expect(quotaLevel(1_000, 1_000, 0.8)).toBe('info');
    expect(quotaLevel(1_001, 1_000, 0.8)).toBe('warning');
  });

  it('keep the worst moment of each quota, per room and per table, in time order', () => {
    const w = (
      code: QuotaWarning['code'],
      planned: number,
      fromMs: number,
      extra: Partial<QuotaWarning> = {},
    ) => ({ level: 'info', code, message: '', limit: 1, planned, fromMs, ...extra }) as QuotaWarning;
    const kept = worstOfEach([
      w('lambda_concurrency', 900, 0),
      w('lambda_concurrency', 950, 10),
      w('lambda_concurrency', 950, 20),
      w('appsync_connect_rate', 300, 5, { roomId: 'b' }),
      w('appsync_connect_rate', 250, 1, { roomId: 'a' }),
      w('dynamodb_warm_throughput', 5_000, 0, { table: 'control', units: 'write' }),
      w('dynamodb_warm_throughput', 5_000, 0, { table: 'comments', units: 'write' }),
    ]);
    expect(kept.map((k) => [k.code, k.planned, k.fromMs, k.roomId ?? k.table])).toEqual([
      ['dynamodb_warm_throughput', 5_000, 0, 'comments'],
      ['dynamodb_warm_throughput', 5_000, 0, 'control'],
      ['appsync_connect_rate', 250, 1, 'a'],
      ['appsync_connect_rate', 300, 5, 'b'],
      // the earliest of the two worst
      ['lambda_concurrency', 950, 10, undefined],
    ]);
  });
});

describe('rounding', () => {
  it('does not turn floating-point noise into one more unit', () => {
    // 10,000 viewers / 3 s × 0.05 s × 1.5 = 250.00000000000003 in binary floating point
    expect((10_000 / 3) * 0.05 * 1.5).not.toBe(250);
    expect(roundUp((10_000 / 3) * 0.05 * 1.5)).toBe(250);
    expect(roundUp(0.1 * 3 * 10)).toBe(3);
    expect(roundUp(0.1 + 0.2 - 0.3 + 1)).toBe(1);
    expect(roundUp((10_000 / 3) * 0.05 * 1.5 * 3)).toBe(750);
    expect(roundUp(1.0001)).toBe(2);
    expect(roundUp(0)).toBe(0);
  });

  it('compares against budgets without noise', () => {
    expect(atMost(1_000_000 / 5, 250_000 * 0.8)).toBe(true);
    expect(atMost(200_000.01, 200_000)).toBe(false);
  });

  it('shows rates to three decimals', () => {
    expect(round3(10_000 / 3)).toBe(3333.333);
    expect(round3(2 / 3)).toBe(0.667);
  });
});

describe('the coefficient tables', () => {
  it('every default lies in its own range, so the defaults pass the override schema', () => {
    for (const name of ASSUMPTION_NAMES) {
      const { value, min, max } = ASSUMPTIONS[name];
      expect(value, name).toBeGreaterThanOrEqual(min);
      expect(value, name).toBeLessThanOrEqual(max);
    }
    expect(AssumptionOverrides.safeParse(DEFAULT_ASSUMPTIONS).success).toBe(true);
  });

  it('every entry says what it is, where it comes from and how sure we are', () => {
    const rows = coefficientRows();
    expect(rows).toHaveLength(ASSUMPTION_NAMES.length + Object.keys(LIMITS).length);
    for (const row of rows) {
      expect(row.unit, row.name).not.toBe('');
      expect(row.description, row.name).not.toBe('');
      expect(row.source, row.name).not.toBe('');
      expect(['sourced', 'assumption', 'unverified', 'measured-by-bench']).toContain(row.status);
    }
  });

  it('carries the ANCHORS quotas', () => {
    expect(LIMITS.cloudFrontRequestsPerSecond.value).toBe(250_000);
    expect(LIMITS.appSyncNewConnectionsPerSecond.value).toBe(200);
    expect(LIMITS.appSyncOutboundMessagesPerSecond.value).toBe(1_000_000);
    expect(LIMITS.lambdaAccountConcurrency.value).toBe(1_000);
    expect(LIMITS.apiGatewayAccountRate.value).toBe(10_000);
    expect(LIMITS.apiGatewayAccountBurst.value).toBe(5_000);
    expect(LIMITS.dynamoDbPartitionWriteUnits.value).toBe(1_000);
    expect(LIMITS.dynamoDbPartitionReadUnits.value).toBe(3_000);
    expect(LIMITS.dynamoDbOnDemandInitialWriteUnits.value).toBe(4_000);
    expect(LIMITS.dynamoDbOnDemandInitialReadUnits.value).toBe(12_000);
    expect(LIMITS.maxShards.value).toBe(64);
  });

  it('renders as Markdown with the values in use', () => {
    const table = coefficientTableMarkdown({ ...DEFAULT_ASSUMPTIONS, burstFactor: 6 });
    const lines = table.split('\n');
    expect(lines[0]).toBe('| name | value | unit | status | source |');
    expect(lines).toHaveLength(2 + ASSUMPTION_NAMES.length + Object.keys(LIMITS).length);
    expect(table).toContain('| `burstFactor` | 6 | × mean | assumption |');
    expect(table).toContain(
      '| `cloudFrontRequestsPerSecond` | 250,000 | requests/s per distribution | sourced |',
    );
    expect(table).toContain('| `edgeLocations` | 50 | locations / room | unverified |');
  });
});
