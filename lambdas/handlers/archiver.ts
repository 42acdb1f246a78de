import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { runArchiver, type ArchiveRun, type ArchiverDeps } from '../domain/feed/archiver.js';
import { invocation } from './invocation.js';

export interface ArchiverHandlerDeps {
  readonly archiver: ArchiverDeps;
  readonly logger: Logger;
}

export type ArchiverHandler = (event: unknown, context?: Context) => Promise<ArchiveRun>;

/**
 * The archiver function (ADR 0037), invoked every 5 minutes by EventBridge Scheduler (locally by a
 * timer). A failed run throws: the next run starts from the watermarks, which only move after a
 * step's objects are written, so nothing is skipped.
 */
export function createArchiverHandler(deps: ArchiverHandlerDeps): ArchiverHandler {
  const { logger } = deps;
  return (_event, context) =>
    invocation(logger, context, context?.awsRequestId, async () => {
      const run = await runArchiver(deps.archiver);
      logger.info('archiver run', { run });
      return run;
    });
}
