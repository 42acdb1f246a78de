import { describe, expect, it } from 'vitest';
import {
  PRICES,
  PRICES_DATE,
  REGIONS,
  type Price,
  type TieredPrice,
} from '../../../lambdas/domain/cost/prices.js';

function isTiered(entry: Price | TieredPrice): entry is TieredPrice {
  return 'tiers' in entry;
}

/** Every price of a region, named `group.name`. */
function entries(region: (typeof REGIONS)[number]): [string, Price | TieredPrice][] {
  return Object.entries(PRICES[region]).flatMap(([group, value]) =>
    'per' in value
      ? [[group, value as TieredPrice]]
      : Object.entries(value as Record<string, Price | TieredPrice>).map(
          ([name, price]): [string, Price | TieredPrice] => [`${group}.${name}`, price],
        ),
  );
}

describe('the price table', () => {
  it.each(REGIONS)('gives every price in %s a source, a date and a sane value', (region) => {
    for (const [name, entry] of entries(region)) {
      expect(entry.source, name).not.toBe('');
      expect(entry.date, name).toBe(PRICES_DATE);
      expect(entry.per, name).toBeGreaterThan(0);
      if (isTiered(entry)) {
        const bounds = entry.tiers.map((t) => t.upTo);
        expect(bounds.at(-1), name).toBeNull();
        const finite = bounds.slice(0, -1) as number[];
        expect(finite, name).toEqual([...finite].sort((a, b) => a - b));
        for (const tier of entry.tiers) expect(tier.usd, name).toBeGreaterThanOrEqual(0);
      } else {
        expect(Number.isFinite(entry.usd) && entry.usd >= 0, name).toBe(true);
      }
    }
  });

  it('explains every unverified price', () => {
    for (const region of REGIONS) {
      for (const [name, entry] of entries(region)) {
        const unverified = isTiered(entry)
          ? entry.tiers.filter((t) => !t.verified)
          : entry.verified
            ? []
            : [entry];
        for (const u of unverified) expect(u.note, `${region} ${name}`).toBeTruthy();
      }
    }
  });

  it('holds the ANCHORS prices that differ by region', () => {
    const us = PRICES['us-east-1'];
    const jp = PRICES['ap-northeast-1'];
    expect([us.cloudFront.httpsRequests.usd, jp.cloudFront.httpsRequests.usd]).toEqual([0.01, 0.012]);
    expect(jp.cloudFront.dataOut.tiers.map((t) => t.usd)).toEqual([
      0.114, 0.089, 0.086, 0.084, 0.08, 0.07, 0.06,
    ]);
    expect(us.cloudFront.dataOut.tiers[0]?.usd).toBe(0.085);
    expect([us.apiGateway.httpRequests.usd, jp.apiGateway.httpRequests.usd]).toEqual([1, 1.29]);
    expect([us.dynamoDb.writeUnits.usd, us.dynamoDb.readUnits.usd]).toEqual([0.625, 0.125]);
    expect([jp.dynamoDb.writeUnits.usd, jp.dynamoDb.readUnits.usd]).toEqual([0.715, 0.1425]);
  });

  it('marks unverified what ANCHORS marks unverified', () => {
    for (const region of REGIONS) {
      const p = PRICES[region];
      expect(p.lambda.provisionedConfiguredArm64.verified).toBe(false);
      expect(p.lambda.provisionedDurationArm64.verified).toBe(false);
      expect(p.ivsChat.messagesSent.verified).toBe(false);
      expect(p.ivsChat.messagesDelivered.verified).toBe(false);
      expect(p.dynamoDb.warmWriteUnits.verified).toBe(false);
      expect(p.internetDataOut.tiers.every((t) => !t.verified)).toBe(true);
    }
    expect(PRICES['us-east-1'].lambda.provisionedConfiguredX86.verified).toBe(true);
    expect(PRICES['ap-northeast-1'].lambda.provisionedConfiguredX86.verified).toBe(false);
  });

  it('reuses the US price, unverified, where ANCHORS gives no Tokyo price', () => {
    const us = PRICES['us-east-1'];
    const jp = PRICES['ap-northeast-1'];
    const reused = [
      [us.appSync.realtimeUpdates, jp.appSync.realtimeUpdates],
      [us.appSync.operations, jp.appSync.operations],
      [us.appSync.connectionMinutes, jp.appSync.connectionMinutes],
      [us.apiGateway.webSocketConnectionMinutes, jp.apiGateway.webSocketConnectionMinutes],
    ] as const;
    for (const [usPrice, jpPrice] of reused) {
      expect(jpPrice.usd).toBe(usPrice.usd);
      expect([usPrice.verified, jpPrice.verified]).toEqual([true, false]);
    }
    expect(jp.apiGateway.restRequests.tiers[0]).toMatchObject({ usd: 3.5, verified: false });
    expect(us.apiGateway.restRequests.tiers[0]).toMatchObject({
      usd: 3.5,
      verified: true,
      upTo: 333_000_000,
    });
  });
});
