import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { runCanary, type CanaryDeps } from '../domain/canary/canary.js';
import { CANARY_STEPS, type CanaryRun } from '../domain/canary/ports.js';
import { invocation } from './invocation.js';
import { CANARY_METRICS, canaryStepMetric } from '../domain/canary/metrics.js';

export { CANARY_METRICS, canaryStepMetric };

/** What the handler emits metrics through: Powertools Metrics in AWS, a recorder locally. */
export interface CanaryMetricsSink {
  addMetric(name: string, unit: 'Count' | 'Milliseconds', value: number): void;
  publishStoredMetrics(): void;
}

export interface CanaryHandlerDeps {
  readonly canary: CanaryDeps;
  readonly metrics: CanaryMetricsSink;
  readonly logger: Logger;
}

export type CanaryHandler = (event: unknown, context?: Context) => Promise<CanaryRun>;

/**
 * The canary function (ADR 0032), invoked every minute by an EventBridge rule (locally by a
 * timer). A failed run is a result, not an error: it is logged and counted, and the function
 * returns normally, so nothing retries a run whose point was to be timely.
 */
export function createCanaryHandler(deps: CanaryHandlerDeps): CanaryHandler {
  const { logger, metrics } = deps;
  return (_event, context) =>
    invocation(logger, context, context?.awsRequestId, async () => {
      const run = await runCanary(deps.canary);
      metrics.addMetric(CANARY_METRICS.runFailed, 'Count', run.failed ? 1 : 0);
      for (const step of CANARY_STEPS) {
        metrics.addMetric(canaryStepMetric(step), 'Count', run.steps[step].outcome === 'failed' ? 1 : 0);
      }
      const { push, poll } = run.steps;
      if (push.outcome === 'ok')
        metrics.addMetric(CANARY_METRICS.pushLatency, 'Milliseconds', push.latencyMs!);
      if (poll.outcome === 'ok') {
        metrics.addMetric(CANARY_METRICS.postToPollLatency, 'Milliseconds', poll.latencyMs!);
      }
      metrics.publishStoredMetrics();
      if (run.failed) logger.error('canary run failed', { run });
      else if (run.steps.post.outcome === 'not_configured') {
        logger.warn('canary run: no viewer token is configured, so comments are not checked', { run });
      } else logger.info('canary run', { run });
      return run;
    });
}
