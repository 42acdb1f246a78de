/**
 * Where pushing beats polling for one room: a viewer's polls cost the same
 * every second whatever the room says, a push costs per message delivered.
 * Below the break-even rate pushing every message is cheaper; above it
 * polling is. Both sides use the first price band (a single room's volume).
 * The AppSync connection is left out: the hybrid keeps one per viewer too.
 */
import { BYTES_PER_GB } from './coefficients.js';
import type { LiveResponseSize } from './live-response.js';
import type { Price, PriceTable, TieredPrice } from './prices.js';

export interface BreakEven {
  /** Messages per second per room at which pushing each one costs what polling costs. */
  readonly messagesPerSecond: number;
  /** CloudFront request + response bytes per poll (at the break-even rate), divided by the poll interval. */
  readonly pollCostPerViewerSecondUsd: number;
  /** One AppSync real-time update + its bytes out. */
  readonly pushCostPerDeliveryUsd: number;
  readonly verified: boolean;
}

function each(price: Price): number {
  return price.usd / price.per;
}

function firstBand(price: TieredPrice): { readonly perGb: number; readonly verified: boolean } {
  const band = price.tiers[0];
  if (!band) throw new Error(`the ${price.unit} price has no bands`);
  return { perGb: band.usd / price.per, verified: band.verified };
}

/**
 * The response grows with the room's rate (live-response.ts), so the poll side
 * is linear in it: per viewer-second (request + (fixed + perItem × r) × byte
 * price) / P, against r × the push cost. Solved for r; with a fixed response
 * size (`responseKb` given) it is the plain ratio.
 */
export function breakEven(
  prices: PriceTable,
  inputs: {
    readonly pollSeconds: number;
    readonly response: LiveResponseSize;
    readonly pushedMessageBytes: number;
  },
): BreakEven {
  const cdnBytes = firstBand(prices.cloudFront.dataOut);
  const pushBytes = firstBand(prices.internetDataOut);
  const perByte = cdnBytes.perGb / BYTES_PER_GB;
  const pushCostPerDeliveryUsd =
    each(prices.appSync.realtimeUpdates) + (inputs.pushedMessageBytes / BYTES_PER_GB) * pushBytes.perGb;
  const fixedPerViewerSecond =
    (each(prices.cloudFront.httpsRequests) + inputs.response.fixedBytes * perByte) / inputs.pollSeconds;
  const perMessagePerViewerSecond = (inputs.response.bytesPerItemPerSecond * perByte) / inputs.pollSeconds;
  const messagesPerSecond = fixedPerViewerSecond / (pushCostPerDeliveryUsd - perMessagePerViewerSecond);
  return {
    messagesPerSecond,
    pollCostPerViewerSecondUsd: fixedPerViewerSecond + perMessagePerViewerSecond * messagesPerSecond,
    pushCostPerDeliveryUsd,
    verified:
      prices.cloudFront.httpsRequests.verified &&
      cdnBytes.verified &&
      prices.appSync.realtimeUpdates.verified &&
      pushBytes.verified,
  };
}
