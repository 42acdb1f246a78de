/** The quotas one step of the plan comes close to or exceeds, and the warm throughput it commits to. */
import { LIMITS, type AssumptionValues } from './assumptions.js';
import { MAX_POLL_INTERVAL_SECONDS, type PollRecommendation } from './poll-interval.js';
import type { RoomLoad } from './room-load.js';
import { round3 } from './rounding.js';
import type { StepFigures } from './step-figures.js';
import { CAPACITY_TABLES, type CapacityTarget } from './target.js';
import { formatNumber, quotaLevel, type QuotaWarning } from './warnings.js';

export interface StepFacts {
  readonly fromMs: number;
  readonly toMs: number;
  readonly loads: readonly RoomLoad[];
  readonly figures: StepFigures;
  readonly target: CapacityTarget;
  readonly poll: PollRecommendation;
}

export function stepWarnings(facts: StepFacts, a: AssumptionValues): QuotaWarning[] {
  const at = { fromMs: facts.fromMs, toMs: facts.toMs };
  return [...dynamoDbWarnings(facts, a), ...accountWarnings(facts, a), ...cloudFrontWarnings(facts, a)].map(
    (warning) => ({ ...warning, ...at }),
  );
}

type Unplaced = Omit<QuotaWarning, 'fromMs' | 'toMs'>;

function dynamoDbWarnings({ figures, target }: StepFacts, a: AssumptionValues): Unplaced[] {
  const warnings: Unplaced[] = [];
  const tableMax = LIMITS.dynamoDbTableMaxUnitsPerSecond.value;
  for (const table of CAPACITY_TABLES) {
    for (const units of ['write', 'read'] as const) {
      const warm =
        target.warmThroughput[table][units === 'write' ? 'writeUnitsPerSecond' : 'readUnitsPerSecond'];
      const onDemandDefault = (
        units === 'write' ? LIMITS.dynamoDbOnDemandInitialWriteUnits : LIMITS.dynamoDbOnDemandInitialReadUnits
      ).value;
      if (warm > 0) {
        warnings.push({
          level: 'info',
          code: 'dynamodb_warm_throughput',
          table,
          units,
          limit: onDemandDefault,
          planned: warm,
          message:
            `The ${table} table's warm ${units} throughput will be raised to ${formatNumber(warm)} ` +
            `units/s ahead of the event: above the ${formatNumber(onDemandDefault)} a new on-demand table ` +
            `serves at once. Raising it is charged, and it can never be lowered.`,
        });
      }
      const planned = figures.units[table][units];
      const level = quotaLevel(planned, tableMax, a.quotaSafetyFactor);
      if (level) {
        warnings.push({
          level,
          code: 'dynamodb_table_throughput',
          table,
          units,
          limit: tableMax,
          planned: round3(planned),
          message:
            `The ${table} table would take ${formatNumber(planned)} ${units} units/s against an ` +
            `on-demand table's default maximum of 40,000 (an unverified figure): ask AWS to raise the ` +
            `table's throughput quota before the event.`,
        });
      }
    }
  }
  return warnings;
}

function accountWarnings({ figures }: StepFacts, a: AssumptionValues): Unplaced[] {
  const warnings: Unplaced[] = [];

  const apiLimit = LIMITS.apiGatewayAccountRate.value;
  const apiLevel = quotaLevel(figures.apiRequestsPerSecond, apiLimit, a.quotaSafetyFactor);
  if (apiLevel) {
    warnings.push({
      level: apiLevel,
      code: 'apigateway_account_rate',
      limit: apiLimit,
      planned: round3(figures.apiRequestsPerSecond),
      message:
        `${formatNumber(figures.apiRequestsPerSecond)} requests/s would reach API Gateway ` +
        `(${formatNumber(figures.postsPerSecond)} of them posts) against the account's 10,000/s ` +
        `(not adjustable); throttles are capped there. Lower the peak post rate (slow mode) or spread events apart.`,
    });
  }

  const lambdaLimit = LIMITS.lambdaAccountConcurrency.value;
  const lambdaLevel = quotaLevel(figures.lambdaConcurrency, lambdaLimit, a.quotaSafetyFactor);
  if (lambdaLevel) {
    warnings.push({
      level: lambdaLevel,
      code: 'lambda_concurrency',
      limit: lambdaLimit,
      planned: figures.lambdaConcurrency,
      message:
        `${formatNumber(figures.lambdaConcurrency)} concurrent executions planned ` +
        `(${formatNumber(figures.provisioned)} provisioned, ${formatNumber(figures.onDemand)} on demand) ` +
        `against the account's default 1,000: ask AWS for a concurrency increase before the event.`,
    });
  }

  const outboundLimit = LIMITS.appSyncOutboundMessagesPerSecond.value;
  const outboundLevel = quotaLevel(figures.viewers, outboundLimit, a.quotaSafetyFactor);
  if (outboundLevel) {
    warnings.push({
      level: outboundLevel,
      code: 'appsync_outbound',
      limit: outboundLimit,
      planned: figures.viewers,
      message:
        `A global notice would go to ${formatNumber(figures.viewers)} subscribers at once against AppSync's ` +
        `1,000,000 outbound messages/s: above it AppSync throttles deliveries, and the viewers it misses ` +
        `see the notice on their next poll (the live document carries notices). Ask AWS about the quota.`,
    });
  }
  return warnings;
}

function cloudFrontWarnings({ figures, loads, poll }: StepFacts, a: AssumptionValues): Unplaced[] {
  const limit = LIMITS.cloudFrontRequestsPerSecond.value;
  const level = quotaLevel(figures.cloudFrontRequestsPerSecond, limit, a.quotaSafetyFactor);
  if (!level) return [];
  const raised = loads
    .filter((l) => poll.intervals.get(l.room.roomId) !== l.room.pollIntervalSeconds)
    .map((l) => `"${l.room.roomId}"`);
  const advice = poll.fits
    ? `Poll every ${poll.floorSeconds} s (at least) in ${raised.join(', ')}`
    : `Even ${MAX_POLL_INTERVAL_SECONDS} s polls do not fit: split the rooms over more distributions`;
  return [
    {
      level,
      code: 'cloudfront_requests',
      limit,
      planned: round3(figures.cloudFrontRequestsPerSecond),
      message:
        `Viewers would make ${formatNumber(figures.cloudFrontRequestsPerSecond)} requests/s to the CloudFront ` +
        `distribution against its 250,000/s quota (planned to stay under ${formatNumber(poll.budget)}). ` +
        `${advice}, or ask AWS to raise the quota (it is adjustable).`,
    },
  ];
}
