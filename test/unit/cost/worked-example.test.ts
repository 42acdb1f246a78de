import { describe, expect, it } from 'vitest';
import type { DesignEstimate, DesignId } from '../../../lambdas/domain/cost/design.js';
import { estimateCost } from '../../../lambdas/domain/cost/estimate.js';

/**
 * ANCHORS.md "One event, worked": Tokyo, 100,000 viewers, 2 h, 50 comments/s,
 * 1 artist message/min, 3 s polls, 4 KB responses. Each tolerance is the
 * tightest our line items reach; ADR 0014 says where each remaining gap comes from.
 * The last tests price the same event with the response size the benchmark
 * measures instead of ANCHORS' 4 KB (ADR 0019).
 */
const EVENT = {
  viewers: 100_000,
  hours: 2,
  commentsPerSecond: 50,
  pollSeconds: 3,
  region: 'ap-northeast-1',
  responseKb: 4,
  artistMessagesPerMinute: 1,
} as const;

const estimate = estimateCost(EVENT);
const designs = new Map<DesignId, DesignEstimate>(
  [estimate.hybrid, ...estimate.alternatives].map((d) => [d.design, d]),
);

function design(id: DesignId): DesignEstimate {
  const found = designs.get(id);
  if (!found) throw new Error(`no ${id}`);
  return found;
}

function expectWithin(actual: number, expected: number, tolerance: number) {
  expect(Math.abs(actual - expected) / expected).toBeLessThanOrEqual(tolerance);
}

function cost(d: DesignEstimate, item: string): number {
  const line = d.lines.find((l) => l.item === item);
  if (!line) throw new Error(`no line "${item}" in ${d.design}`);
  return line.costUsd;
}

describe('the ANCHORS worked example', () => {
  it('prices the polls exactly: 240M requests at $0.012/10k and 915.5 GB at $0.114', () => {
    const hybrid = design('hybrid');
    // 100,000 viewers × 7,200 s / 3 s = 240,000,000 polls; / 10,000 × $0.012 = $288.
    expect(cost(hybrid, 'CloudFront requests (live polls)')).toBeCloseTo(288, 6);
    // 240,000,000 × 4,096 B / 2^30 = 915.527 GB (first 10 TB band) × $0.114 = $104.370.
    expect(cost(hybrid, 'CloudFront data out (live polls)')).toBeCloseTo(104.37, 2);
  });

  it('puts the hybrid within 5% of ≈ $441, its CloudFront part within 0.5% of the 89% ANCHORS gives', () => {
    const hybrid = design('hybrid');
    // Ours: $422.2. The CloudFront part matches; ANCHORS' non-CloudFront remainder is $18 larger (ADR 0014).
    // (Before ADR 0019, $422.5: an origin poll was assumed to read 2 × 12.5 units; it reads its window,
    // 225 items × 210 B from one shard and the global feed's block, 6.5 units: −$0.32.)
    expectWithin(hybrid.totalUsd, 441, 0.05);
    const cloudFront = hybrid.lines
      .filter((l) => l.item.startsWith('CloudFront'))
      .reduce((sum, l) => sum + l.costUsd, 0);
    expectWithin(cloudFront, 0.89 * 441, 0.005);
    expect(hybrid.blocked).toBe(false);
  });

  it('puts every comment over AppSync within 0.5% of ≈ $73,800, blocked at 5M deliveries/s vs 1M/s', () => {
    const appSync = design('all-appsync');
    // 100,000 × (360,000 comments + 120 artist messages) = 36.012B deliveries × $2/M = $72,024, plus data out.
    expect(cost(appSync, 'AppSync real-time updates')).toBeCloseTo(72_024, 6);
    expectWithin(appSync.totalUsd, 73_800, 0.005);
    expect(appSync.blocked).toBe(true);
    const outbound = appSync.quotas.find((q) => q.quota === 'AppSync outbound messages');
    expect(outbound).toMatchObject({ limit: 1_000_000, crossed: true });
    expectWithin(outbound?.planned ?? 0, 5_000_000, 0.001);
  });

  it('puts API Gateway WebSocket fan-out within 1% of ≈ $31,100, blocked at 5M calls/s vs 10k/s', () => {
    const webSocket = design('apigw-websocket');
    // 1,000M messages × $1/M + 35,012M × $0.80/M = $29,009.60.
    expect(cost(webSocket, 'API Gateway WebSocket messages')).toBeCloseTo(29_009.6, 6);
    expectWithin(webSocket.totalUsd, 31_100, 0.01);
    const calls = webSocket.quotas.find((q) => q.quota.startsWith('API Gateway requests'));
    expect(calls).toMatchObject({ limit: 10_000, crossed: true });
    expectWithin(calls?.planned ?? 0, 5_000_000, 0.001);
  });

  it('puts IVS Chat within 0.5% of ≈ $288,400, blocked at 100k vs 50k connections', () => {
    const ivs = design('ivs-chat');
    // 360,120 sent × $0.56/1,000 = $201.67; 36.012B delivered × $0.008/1,000 = $288,096.
    expectWithin(ivs.totalUsd, 288_400, 0.005);
    expect(ivs.quotas.find((q) => q.quota === 'IVS Chat connections')).toMatchObject({
      planned: 100_000,
      limit: 50_000,
      crossed: true,
    });
    expect(ivs.quotas.find((q) => q.quota === 'IVS Chat room message rate')?.crossed).toBe(false);
  });

  it('finds the push/poll break-even within 2% of ≈ 0.27 messages/s at 3-second polls', () => {
    // Poll: ($1.2e-6 + 4 KB × $0.114/GB) / 3 s = $5.45e-7 per viewer-second;
    // push: $2e-6 + 512 B × $0.114/GB = $2.054e-6 per delivery; ratio 0.265.
    expectWithin(estimate.breakEven.messagesPerSecond, 0.27, 0.02);
    expect(estimate.breakEven.verified).toBe(false);
  });

  it('ranks the designs as ANCHORS does: hybrid, WebSocket, all-AppSync, IVS Chat', () => {
    const ranked = [...designs.values()].sort((a, b) => a.totalUsd - b.totalUsd).map((d) => d.design);
    expect(ranked).toEqual(['hybrid', 'apigw-websocket', 'all-appsync', 'ivs-chat']);
  });
});

describe('the same event with the measured response size (ADR 0019)', () => {
  // No responseKb: 650 B per document + 34 B per item (liveDocumentOverheadBytes and
  // liveBytesPerComment, brotli, from the benchmark) × 50.02 items/s × 4.5 s (P + 1.5 s) = 8,302.6 B.
  const { responseKb: _anchorsSize, ...event } = EVENT;
  const measured = estimateCost(event);
  const hybrid = measured.hybrid;

  it('sizes a response at 8.11 KB, twice ANCHORS’ 4 KB', () => {
    expect(measured.input).toMatchObject({ responseSize: 'measured' });
    expect(measured.input.responseKb * 1024).toBeCloseTo(650 + 34 * (50 + 1 / 60) * 4.5, 6);
    expect(measured.input.responseKb).toBeCloseTo(8.108, 3);
  });

  it('doubles the data out, leaves the requests, and puts the hybrid at $529.7 (WAF inspection included), still the cheapest by far', () => {
    // 240,000,000 × 8,302.6 B / 2^30 = 1,855.8 GB × $0.114 = $211.56 (ANCHORS: 915.5 GB, $104.37).
    expect(cost(hybrid, 'CloudFront data out (live polls)')).toBeCloseTo(211.56, 2);
    expect(cost(hybrid, 'CloudFront requests (live polls)')).toBeCloseTo(288, 6);
    // $529.39 before edge protection; WAF inspects 360,000 posts and 120,000 origin polls ($0.29), and
    // the viewer-address function runs on each post ($0.04) (ADR 0031).
    expect(hybrid.totalUsd).toBeCloseTo(529.72, 2);
    const ranked = [hybrid, ...measured.alternatives].sort((a, b) => a.totalUsd - b.totalUsd);
    expect(ranked[0]?.design).toBe('hybrid');
    expect((ranked[1]?.totalUsd ?? 0) / hybrid.totalUsd).toBeGreaterThan(50);
  });

  it('moves the push/poll break-even to 0.21 messages/s: a quiet room’s document is smaller than 4 KB', () => {
    expect(measured.breakEven.messagesPerSecond).toBeCloseTo(0.2064, 4);
  });
});
