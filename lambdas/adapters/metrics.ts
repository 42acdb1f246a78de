import { Metrics } from '@aws-lambda-powertools/metrics';
import { SERVICE_NAME } from './logger.js';

/** The CloudWatch namespace of every metric the functions emit. */
export const METRICS_NAMESPACE = 'HybridLiveChat';

/**
 * A function's metrics emitter (CloudWatch EMF on stdout): the admin function's failed publishes,
 * the canary's runs. The stage is a dimension beside the service, so stages sharing an account
 * never mix; lib/constructs (monitoring.ts, canary.ts) read the metrics with exactly these dimensions.
 */
export function createMetrics(stage: string): Metrics {
  return new Metrics({
    namespace: METRICS_NAMESPACE,
    serviceName: SERVICE_NAME,
    defaultDimensions: { stage },
  });
}
