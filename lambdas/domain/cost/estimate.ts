/**
 * The cost model: what one event costs on this design and on the
 * alternatives, line by line from the price table, with the default quotas
 * each would cross and the push/poll break-even rate. Pure: no AWS calls.
 */
import { allAppSyncEstimate, ivsChatEstimate, webSocketEstimate } from './alternatives.js';
import { breakEven, type BreakEven } from './break-even.js';
import type { DesignEstimate } from './design.js';
import { hybridEstimate } from './hybrid.js';
import { validateCostInput, type CostInputFields, type ValidCostInput } from './input.js';
import { PRICES, PRICES_DATE, type PriceTable } from './prices.js';
import { eventVolumes, type EventVolumes } from './volumes.js';
import { responseModel } from './live-response.js';

export interface CostEstimate {
  /** The input with defaults filled in (and the capacity-plan assumptions used). */
  readonly input: ValidCostInput;
  readonly volumes: EventVolumes;
  /** When the prices were gathered. */
  readonly pricesDate: string;
  readonly hybrid: DesignEstimate;
  readonly alternatives: readonly DesignEstimate[];
  readonly breakEven: BreakEven;
}

/**
 * Estimates one event. Throws UnprocessableError('invalid_cost_input') naming
 * the field when the input is absurd. `prices` defaults to the repo's table.
 */
export function estimateCost(
  fields: CostInputFields,
  prices: Readonly<Record<ValidCostInput['region'], PriceTable>> = PRICES,
): CostEstimate {
  const input = validateCostInput(fields);
  const table = prices[input.region];
  const volumes = eventVolumes(input);
  return {
    input,
    volumes,
    pricesDate: PRICES_DATE,
    hybrid: hybridEstimate(input, volumes, table),
    alternatives: [
      allAppSyncEstimate(input, volumes, table),
      webSocketEstimate(input, volumes, table),
      ivsChatEstimate(input, volumes, table),
    ],
    breakEven: breakEven(table, {
      pollSeconds: input.pollSeconds,
      pushedMessageBytes: input.pushedMessageBytes,
      response: responseModel(
        {
          pollSeconds: input.pollSeconds,
          ...(input.responseSize === 'given' ? { responseKb: input.responseKb } : {}),
        },
        input.assumptions,
      ),
    }),
  };
}
