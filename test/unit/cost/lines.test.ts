import { describe, expect, it } from 'vitest';
import { flatLine, tieredCost, tieredLine, totalLines } from '../../../lambdas/domain/cost/lines.js';
import { PRICES } from '../../../lambdas/domain/cost/prices.js';

const TOKYO_DATA_OUT = PRICES['ap-northeast-1'].cloudFront.dataOut;
const REST = PRICES['us-east-1'].apiGateway.restRequests;
const TB = 1_024;

describe('tieredCost at CloudFront’s band boundaries (Tokyo)', () => {
  it('bills exactly 10 TB in the first band', () => {
    const { costUsd, bandsUsed } = tieredCost(10 * TB, TOKYO_DATA_OUT);
    expect(costUsd).toBeCloseTo(10_240 * 0.114, 9);
    expect(bandsUsed.map((b) => b.usd)).toEqual([0.114]);
  });

  it('bills the first GB past 10 TB at the second band’s rate', () => {
    const { costUsd, bandsUsed } = tieredCost(10 * TB + 1, TOKYO_DATA_OUT);
    expect(costUsd).toBeCloseTo(10_240 * 0.114 + 0.089, 9);
    expect(bandsUsed.map((b) => b.usd)).toEqual([0.114, 0.089]);
  });

  it('walks every band up to over 5 PB', () => {
    // Bands end at 10, 50, 150, 500, 1,024 and 5,120 TB.
    const gb = 6_000 * TB;
    const expected =
      10 * TB * 0.114 +
      40 * TB * 0.089 +
      100 * TB * 0.086 +
      350 * TB * 0.084 +
      524 * TB * 0.08 +
      4_096 * TB * 0.07 +
      880 * TB * 0.06;
    expect(tieredCost(gb, TOKYO_DATA_OUT).costUsd).toBeCloseTo(expected, 6);
  });

  it('starts where earlier usage of the same price left off', () => {
    // 5 TB already billed: the next 10 TB are half in the first band, half in the second.
    const { costUsd } = tieredCost(10 * TB, TOKYO_DATA_OUT, 5 * TB);
    expect(costUsd).toBeCloseTo(5 * TB * 0.114 + 5 * TB * 0.089, 9);
  });

  it('costs nothing for nothing, labelled with the band it would start in', () => {
    expect(tieredCost(0, TOKYO_DATA_OUT)).toEqual({ costUsd: 0, bandsUsed: [TOKYO_DATA_OUT.tiers[0]] });
    expect(tieredCost(0, TOKYO_DATA_OUT, 20 * TB).bandsUsed).toEqual([TOKYO_DATA_OUT.tiers[1]]);
  });
});

describe('tieredLine', () => {
  it('is verified while it stays in a verified band, and not once it reaches an unverified one', () => {
    // REST in us-east-1: the first 333M are ANCHORS' price; later ones reuse it, unverified.
    expect(tieredLine('posts', 'post', 333_000_000, 'requests', REST).verified).toBe(true);
    const over = tieredLine('posts', 'post', 333_000_001, 'requests', REST);
    expect(over.verified).toBe(false);
    expect(over.priceNote).toContain('first 333M');
  });

  it('shows the mean rate over the bands it used', () => {
    const line = tieredLine('data', 'receive', 20 * TB, 'GB', TOKYO_DATA_OUT);
    expect(line.unitPriceUsd).toBeCloseTo((0.114 + 0.089) / 2, 9);
    expect(line.priceLabel).toBe('$0.114–$0.089 / GB (tiered)');
  });
});

describe('flatLine and totalLines', () => {
  it('prices per the quoted unit and gives each line its share of the total', () => {
    // 240M requests at $0.012 per 10,000 = $288; 1M requests at $0.2/M = $0.2.
    const lines = totalLines([
      flatLine(
        'polls',
        'receive',
        240_000_000,
        'requests',
        PRICES['ap-northeast-1'].cloudFront.httpsRequests,
      ),
      flatLine('invocations', 'post', 1_000_000, 'requests', PRICES['ap-northeast-1'].lambda.requests),
    ]);
    expect(lines.totalUsd).toBeCloseTo(288.2, 9);
    expect(lines.lines.map((l) => l.share)).toEqual([288 / 288.2, 0.2 / 288.2]);
    expect(lines.lines[0]?.priceLabel).toBe('$0.012 / 10,000');
    expect(lines.verified).toBe(true);
  });

  it('carries an unverified price’s reason and makes the total unverified', () => {
    const ivs = PRICES['us-east-1'].ivsChat.messagesSent;
    const lines = totalLines([flatLine('sent', 'post', 1_000, 'messages', ivs)]);
    expect(lines.lines[0]).toMatchObject({ verified: false, priceNote: ivs.note, costUsd: 0.56 });
    expect(lines.verified).toBe(false);
  });
});
