import { describe, expect, it } from 'vitest';
import { DEFAULT_ASSUMPTIONS } from '../../../lambdas/domain/capacity/assumptions.js';
import type { DesignEstimate } from '../../../lambdas/domain/cost/design.js';
import { estimateCost } from '../../../lambdas/domain/cost/estimate.js';
import type { CostInputFields } from '../../../lambdas/domain/cost/input.js';
import type { CostLine } from '../../../lambdas/domain/cost/lines.js';
import { PRICES } from '../../../lambdas/domain/cost/prices.js';
import { UnprocessableError } from '../../../lambdas/domain/errors.js';

const TOKYO: CostInputFields = {
  viewers: 100_000,
  hours: 2,
  commentsPerSecond: 50,
  pollSeconds: 3,
  region: 'ap-northeast-1',
};

/** ANCHORS' fixed 4 KB response, where a test is about prices rather than sizes. */
const TOKYO_4KB: CostInputFields = { ...TOKYO, responseKb: 4 };

function line(design: DesignEstimate, item: string): CostLine {
  const found = design.lines.find((l) => l.item === item);
  if (!found) throw new Error(`no line "${item}" in ${design.design}`);
  return found;
}

function byItem(design: DesignEstimate): Map<string, number> {
  return new Map(design.lines.map((l) => [l.item, l.costUsd]));
}

describe('estimateCost: regions', () => {
  it('prices us-east-1 and Tokyo as the table says', () => {
    // Act
    const tokyo = estimateCost(TOKYO_4KB).hybrid;
    const us = estimateCost({ ...TOKYO_4KB, region: 'us-east-1' }).hybrid;

    // Assess: 240M polls at $0.010 vs $0.012 per 10k; 915.5 GB at $0.085 vs $0.114; writes $0.625 vs $0.715 per M.
    expect(line(us, 'CloudFront requests (live polls)').costUsd).toBeCloseTo(240, 6);
    expect(line(tokyo, 'CloudFront requests (live polls)').costUsd).toBeCloseTo(288, 6);
    const gb = (240_000_000 * 4_096) / 2 ** 30;
    expect(line(us, 'CloudFront data out (live polls)').costUsd).toBeCloseTo(gb * 0.085, 6);
    expect(line(tokyo, 'CloudFront data out (live polls)').costUsd).toBeCloseTo(gb * 0.114, 6);
    const units =
      360_000 *
      (DEFAULT_ASSUMPTIONS.commentsWriteUnitsPerPost + DEFAULT_ASSUMPTIONS.controlWriteUnitsPerPost);
    expect(line(us, 'DynamoDB writes (posts)').costUsd).toBeCloseTo((units / 1e6) * 0.625, 9);
    expect(line(tokyo, 'DynamoDB writes (posts)').costUsd).toBeCloseTo((units / 1e6) * 0.715, 9);
  });

  it('marks AppSync verified in us-east-1 and unverified in Tokyo, where the US price is reused', () => {
    const tokyo = estimateCost(TOKYO).hybrid;
    const us = estimateCost({ ...TOKYO, region: 'us-east-1' }).hybrid;
    const item = 'AppSync real-time updates (artist messages)';
    expect(line(us, item).verified).toBe(true);
    expect(line(tokyo, item)).toMatchObject({
      verified: false,
      priceNote: expect.stringContaining('reused'),
    });
    expect(line(tokyo, item).costUsd).toBe(line(us, item).costUsd);
    expect(tokyo.verified).toBe(false);
  });
});

describe('estimateCost: how the hybrid scales', () => {
  it('scales linearly with hours, except the one connect per viewer, when no capacity or price band is added', () => {
    // Act
    const two = estimateCost(TOKYO).hybrid;
    const six = estimateCost({ ...TOKYO, hours: 6 }).hybrid;

    // Assess
    const connects = line(two, 'AppSync connects').costUsd;
    expect(line(six, 'AppSync connects').costUsd).toBe(connects);
    expect(six.totalUsd - connects).toBeCloseTo(3 * (two.totalUsd - connects), 6);
    for (const l of two.lines) {
      if (l.item !== 'AppSync connects') expect(line(six, l.item).costUsd).toBeCloseTo(3 * l.costUsd, 6);
    }
  });

  it('grows with comments/s only on the post path and the origin’s reads when the response size is fixed', () => {
    // Act
    const calm = estimateCost(TOKYO_4KB).hybrid;
    const busy = estimateCost({ ...TOKYO_4KB, commentsPerSecond: 500 }).hybrid;

    // Assess: post lines grow tenfold; the origin reads a fuller window; nothing else moves.
    const calmCosts = byItem(calm);
    for (const l of busy.lines) {
      const before = calmCosts.get(l.item) ?? Number.NaN;
      if (l.path === 'post') expect(l.costUsd).toBeCloseTo(10 * before, 9);
      else if (l.item === 'DynamoDB reads (origin polls)') expect(l.costUsd).toBeGreaterThan(before);
      else expect(l.costUsd).toBe(before);
    }
    const postCost = (d: DesignEstimate) =>
      d.lines.filter((l) => l.path === 'post').reduce((sum, l) => sum + l.costUsd, 0);
    expect(postCost(busy) / busy.totalUsd).toBeLessThan(0.1);
  });

  it('grows on the receive path only by the bytes each comment adds, and the reads of the window', () => {
    // Act: twice the comments, still under the live document's limit (100/s × 4.5 s = 450 < 500).
    const calm = estimateCost(TOKYO);
    const busy = estimateCost({ ...TOKYO, commentsPerSecond: 100 });

    // Assess: requests, invocations and connections stay; data out follows the response size.
    const { liveDocumentOverheadBytes: fixed, liveBytesPerComment: perItem } = DEFAULT_ASSUMPTIONS;
    const items = 100 + 1 / 60; // comments and one artist message a minute
    const bytes = fixed + perItem * items * 4.5; // P + 1.5 s of items
    expect(busy.input).toMatchObject({ responseSize: 'measured' });
    expect(busy.input.responseKb).toBeCloseTo(bytes / 1024, 9);
    expect(line(busy.hybrid, 'CloudFront data out (live polls)').quantity).toBeCloseTo(
      (240_000_000 * bytes) / 2 ** 30,
      6,
    );
    const calmCosts = byItem(calm.hybrid);
    const grows = new Set(['CloudFront data out (live polls)', 'DynamoDB reads (origin polls)']);
    for (const l of busy.hybrid.lines) {
      const before = calmCosts.get(l.item) ?? Number.NaN;
      if (l.path === 'post') expect(l.costUsd).toBeCloseTo(2 * before, 9);
      else if (grows.has(l.item)) expect(l.costUsd).toBeGreaterThan(before);
      else expect(l.costUsd).toBe(before);
    }
  });

  it('sizes a response from the measured bytes, the room’s rate and the poll interval', () => {
    const { liveDocumentOverheadBytes: fixed, liveBytesPerComment: perItem } = DEFAULT_ASSUMPTIONS;
    const kb = (fields: Partial<CostInputFields>) => estimateCost({ ...TOKYO, ...fields }).input.responseKb;

    // 5 comments/s and no artist messages at P = 3 s: 4.5 s of items.
    expect(kb({ commentsPerSecond: 5, artistMessagesPerMinute: 0 }) * 1024).toBeCloseTo(
      fixed + perItem * 5 * 4.5,
      9,
    );
    // P = 10 s: 11.5 s of items.
    expect(kb({ commentsPerSecond: 5, artistMessagesPerMinute: 0, pollSeconds: 10 }) * 1024).toBeCloseTo(
      fixed + perItem * 5 * 11.5,
      9,
    );
    // Past the limit the document is cut at 500 items, whatever the rate.
    expect(kb({ commentsPerSecond: 1_000 })).toBeCloseTo(kb({ commentsPerSecond: 10_000 }), 9);
    expect(kb({ commentsPerSecond: 1_000 }) * 1024).toBeCloseTo(fixed + perItem * 500, 9);
    // A size given wins.
    expect(estimateCost({ ...TOKYO, responseKb: 4 }).input).toMatchObject({
      responseKb: 4,
      responseSize: 'given',
    });
  });

  it('finds the break-even where a viewer-second of polls costs what pushing that many messages costs', () => {
    const { breakEven } = estimateCost(TOKYO);

    // The response at the break-even rate is mostly the fixed part: polling is cheaper than with 4 KB.
    expect(breakEven.pollCostPerViewerSecondUsd).toBeCloseTo(
      breakEven.messagesPerSecond * breakEven.pushCostPerDeliveryUsd,
      15,
    );
    expect(breakEven.messagesPerSecond).toBeLessThan(estimateCost(TOKYO_4KB).breakEven.messagesPerSecond);
  });

  it('bills the alternatives per delivery: ten times the comments cost about ten times as much', () => {
    const calm = estimateCost(TOKYO).alternatives;
    const busy = estimateCost({ ...TOKYO, commentsPerSecond: 500 }).alternatives;
    calm.forEach((design, i) => expect((busy[i]?.totalUsd ?? 0) / design.totalUsd).toBeGreaterThan(8));
  });

  it('costs only the post path and the artist messages’ publishing with zero viewers', () => {
    // Act
    const empty = estimateCost({ ...TOKYO, viewers: 0 });

    // Assess
    for (const l of empty.hybrid.lines) {
      if (l.path === 'receive') expect(l.quantity).toBe(0);
      expect(Number.isFinite(l.share)).toBe(true);
    }
    expect(line(empty.hybrid, 'AppSync connects').costUsd).toBe(0);
    expect(line(empty.hybrid, 'AppSync real-time updates (artist messages)').costUsd).toBe(0);
    expect(line(empty.hybrid, 'AppSync publish mutations').quantity).toBe(120);
    const postPath = empty.hybrid.lines.filter((l) => l.path === 'post').reduce((s, l) => s + l.costUsd, 0);
    expect(empty.hybrid.totalUsd).toBeCloseTo(postPath + (120 / 1e6) * 4, 9);
    expect(empty.hybrid.quotas.every((q) => !q.crossed)).toBe(true);
    expect(empty.breakEven.messagesPerSecond).toBe(estimateCost(TOKYO).breakEven.messagesPerSecond);
  });

  it('gives every share as 0 when nothing happens at all', () => {
    const nothing = estimateCost({ ...TOKYO, viewers: 0, commentsPerSecond: 0, artistMessagesPerMinute: 0 });
    expect(nothing.hybrid.totalUsd).toBe(0);
    expect(nothing.hybrid.lines.every((l) => l.share === 0)).toBe(true);
  });

  it('bills the data out tiered once the month passes 10 TB, and flags the later bands unverified', () => {
    // 1M viewers × 24 h / 3 s = 28.8B polls × 4 KB = 109,863.3 GB: 10,240 GB at $0.114,
    // 40,960 GB at $0.089, the remaining 58,663.3 GB at $0.086.
    const big = estimateCost({ ...TOKYO_4KB, viewers: 1_000_000, hours: 24 }).hybrid;
    const dataOut = line(big, 'CloudFront data out (live polls)');
    const gb = (28_800_000_000 * 4_096) / 2 ** 30;
    expect(dataOut.quantity).toBeCloseTo(gb, 6);
    expect(dataOut.costUsd).toBeCloseTo(10_240 * 0.114 + 40_960 * 0.089 + (gb - 51_200) * 0.086, 6);
    expect(dataOut.priceLabel).toContain('tiered');
    expect(dataOut.verified).toBe(false);
    expect(line(estimateCost(TOKYO).hybrid, 'CloudFront data out (live polls)').verified).toBe(true);
  });

  it('reports the quotas a design would cross at its mean rates', () => {
    // 1M viewers / 3 s = 333,333 requests/s against CloudFront's 250,000.
    const big = estimateCost({ ...TOKYO, viewers: 1_000_000 }).hybrid;
    expect(big.quotas.find((q) => q.quota === 'CloudFront requests')).toMatchObject({
      crossed: true,
      limit: 250_000,
    });
    expect(big.blocked).toBe(true);
  });

  it('uses the capacity plan’s coefficients, and their overrides', () => {
    const slow = estimateCost({ ...TOKYO, assumptions: { postHandlerMs: 100 } }).hybrid;
    const base = estimateCost(TOKYO).hybrid;
    expect(line(slow, 'Lambda duration (posts)').costUsd).toBeCloseTo(
      2 * line(base, 'Lambda duration (posts)').costUsd,
      9,
    );
    // 50 locations × 2,400 intervals; each poll reads 50.02 items/s × 4.5 s = 225 items × 210 B =
    // 47,266 B from the one shard (12 blocks) and the global feed (1 block), half a unit each: 6.5 units.
    expect(line(base, 'API Gateway REST (origin polls)').quantity).toBe(120_000);
    expect(line(base, 'DynamoDB reads (origin polls)').quantity).toBe(120_000 * 6.5);
  });
});

describe('estimateCost: capacity from the plan', () => {
  const capacity = {
    provisionedConcurrency: { postComment: 15, getLive: 2, getSegment: 1 },
    warmThroughput: {
      comments: { readUnitsPerSecond: 0, writeUnitsPerSecond: 6_000 },
      control: { readUnitsPerSecond: 20_000, writeUnitsPerSecond: 1_000 },
    },
    hours: 2.75,
  };

  it('bills provisioned concurrency for the hours it is in force, and runs invocations on it', () => {
    // Act
    const hybrid = estimateCost({ ...TOKYO, capacity }).hybrid;

    // Assess: 18 instances × 0.5 GB × 9,900 s × $0.0000041667.
    const prices = PRICES['ap-northeast-1'].lambda;
    expect(line(hybrid, 'Lambda provisioned concurrency').costUsd).toBeCloseTo(
      18 * 0.5 * 9_900 * prices.provisionedConfiguredArm64.usd,
      9,
    );
    // 360,000 posts × 50 ms × 0.5 GB = 9,000 GB-s, all on the 15 instances (mean concurrency 2.5).
    expect(line(hybrid, 'Lambda duration on provisioned instances (posts)')).toMatchObject({
      quantity: 9_000,
      unitPriceUsd: prices.provisionedDurationArm64.usd,
    });
    expect(hybrid.lines.some((l) => l.item === 'Lambda duration (posts)')).toBe(false);
  });

  it('spills the invocations that do not fit the provisioned instances to on-demand', () => {
    // Mean post concurrency is 50/s × 50 ms = 2.5; one instance takes 40% of the duration.
    const hybrid = estimateCost({
      ...TOKYO,
      capacity: { ...capacity, provisionedConcurrency: { postComment: 1, getLive: 0, getSegment: 0 } },
    }).hybrid;
    expect(line(hybrid, 'Lambda duration on provisioned instances (posts)').quantity).toBeCloseTo(3_600, 9);
    expect(line(hybrid, 'Lambda duration spilled to on-demand (posts)').quantity).toBeCloseTo(5_400, 9);
    expect(line(hybrid, 'Lambda duration (origin polls)').quantity).toBeGreaterThan(0);
  });

  it('charges warm throughput only for the raise above a new on-demand table’s 4,000 W / 12,000 R', () => {
    const hybrid = estimateCost({ ...TOKYO, capacity }).hybrid;
    const db = PRICES['ap-northeast-1'].dynamoDb;
    // Writes: 6,000 − 4,000 on comments, nothing on control; reads: 20,000 − 12,000 on control.
    expect(line(hybrid, 'DynamoDB warm throughput (writes)')).toMatchObject({
      quantity: 2_000,
      verified: false,
    });
    expect(line(hybrid, 'DynamoDB warm throughput (reads)').costUsd).toBeCloseTo(
      8_000 * db.warmReadUnits.usd,
      9,
    );
  });

  it('leaves the capacity out of the alternatives, which do not use it', () => {
    const alternatives = estimateCost({ ...TOKYO, capacity }).alternatives;
    for (const d of alternatives) expect(d.lines.every((l) => l.path !== 'capacity')).toBe(true);
    expect(alternatives[0]?.totalUsd).toBe(estimateCost(TOKYO).alternatives[0]?.totalUsd);
  });
});

describe('estimateCost: invalid input', () => {
  it.each([
    ['viewers', { viewers: -1 }],
    ['viewers', { viewers: 1.5 }],
    ['viewers', { viewers: 20_000_000 }],
    ['hours', { hours: 0 }],
    ['hours', { hours: 10_000 }],
    ['commentsPerSecond', { commentsPerSecond: Number.NaN }],
    ['commentsPerSecond', { commentsPerSecond: 1e9 }],
    ['pollSeconds', { pollSeconds: 0 }],
    ['pollSeconds', { pollSeconds: 2.5 }],
    ['pollSeconds', { pollSeconds: 61 }],
    ['region', { region: 'eu-west-1' }],
    ['responseKb', { responseKb: 0 }],
    ['responseKb', { responseKb: 1e6 }],
    ['artistMessagesPerMinute', { artistMessagesPerMinute: 120 }],
    ['assumptions.postHandlerMs', { assumptions: { postHandlerMs: -5 } }],
    [
      'capacity.provisionedConcurrency.postComment',
      { capacity: { provisionedConcurrency: { postComment: -1, getLive: 0, getSegment: 0 } } },
    ],
    [
      'capacity.provisionedConcurrency.getSegment',
      { capacity: { provisionedConcurrency: { postComment: 1, getLive: 0 } } },
    ],
    ['input: Unrecognized key', { viewrs: 10 }],
  ])('refuses an absurd %s with a message naming it', (field, change) => {
    // Act
    const act = () => estimateCost({ ...TOKYO, ...change } as CostInputFields);

    // Assess
    expect(act).toThrow(UnprocessableError);
    try {
      act();
    } catch (error) {
      expect(error).toMatchObject({ code: 'invalid_cost_input', status: 422 });
      expect((error as Error).message).toContain(`${field}`);
    }
  });
});
