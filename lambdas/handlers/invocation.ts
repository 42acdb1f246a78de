import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { withCorrelationId } from '../adapters/correlation.js';

/**
 * What every invocation does around the handler's work (ADR 0021): the
 * logger gets the Lambda context (request id, cold start, function) and the
 * correlation id, the work runs with that id in scope (the adapters that call
 * out pass it on), and the id is dropped afterwards so the next invocation
 * starts clean.
 */
export async function invocation<T>(
  logger: Logger,
  context: Context | undefined,
  correlationId: string | undefined,
  work: () => Promise<T>,
): Promise<T> {
  if (context) logger.addContext(context);
  if (correlationId) logger.setCorrelationId(correlationId);
  try {
    return await withCorrelationId(correlationId, work);
  } finally {
    logger.resetKeys();
  }
}
