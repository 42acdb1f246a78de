import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import type { ScalerRun } from '../domain/capacity/ports.js';
import { parseScalerRequest, runScaler, type ScalerDeps } from '../domain/capacity/scaler.js';
import { invocation } from './invocation.js';

export interface ScalerHandlerDeps {
  readonly scaler: ScalerDeps;
  readonly logger: Logger;
}

export type ScalerHandler = (event: unknown, context?: Context) => Promise<ScalerRun>;

/**
 * The scaler function (ADR 0015). Invoked with a ScalerRequest by EventBridge
 * Scheduler and by the admin function (asynchronously after a room change,
 * synchronously for a dry run or an immediate apply). Returns the run. A run
 * the admin function asked for logs under the admin request's correlation id.
 *
 * A run that fails midway throws unless it was a manual one: the
 * asynchronous invocations (schedules, room changes) are then retried by
 * Lambda, and each retry diffs again, so it finishes what is left. A manual
 * run returns its failure to the operator instead.
 */
export function createScalerHandler(deps: ScalerHandlerDeps): ScalerHandler {
  const { logger } = deps;
  return (event, context) =>
    invocation(logger, context, correlationIdOf(event) ?? context?.awsRequestId, async () => {
      // A bad request throws a BadRequestError (an Error) saying what is wrong: no HTTP here.
      const request = parseScalerRequest(event);
      const run = await runScaler(deps.scaler, request);
      const summary = {
        reason: run.reason,
        roomId: run.roomId,
        dryRun: run.dryRun,
        calls: run.calls.map((call) => `${call.api.operation} (${call.change.kind})`),
        applied: run.applied,
        skipped: run.skipped,
        warnings: run.warnings.length,
      };
      if (run.failed) {
        logger.error('capacity scaler run failed', {
          ...summary,
          failedCall: `${run.failed.api.operation} (${run.failed.change.kind})`,
          error: run.failed.error,
        });
        if (request.reason !== 'manual') {
          throw new Error(
            `Capacity scaler: ${run.failed.api.operation} failed after ${run.applied} of ${run.calls.length} calls: ${run.failed.error}`,
          );
        }
      } else {
        logger.info('capacity scaler run', summary);
      }
      return run;
    });
}

/** The caller's correlation id, read before the request is checked so a refusal is logged under it. */
function correlationIdOf(event: unknown): string | undefined {
  const id = (event as { correlationId?: unknown } | null)?.correlationId;
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}
