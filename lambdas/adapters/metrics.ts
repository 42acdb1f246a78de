import { Metrics } from '@aws-lambda-powertools/metrics';
import { SERVICE_NAME } from './logger.js';

/** The CloudWatch namespace of every metric the functions emit. */
export const METRICS_NAMESPACE = 'HybridLiveChat';

/** The admin function's metrics emitter (CloudWatch EMF on stdout): failed publishes. */
export function createMetrics(): Metrics {
  return new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
}

/**
 * The canary's metrics emitter: the stage as a dimension beside the service, so stages sharing an
 * account never mix (lib/constructs/canary.ts exposes metrics with exactly these dimensions).
 */
export function createCanaryMetrics(stage: string): Metrics {
  return new Metrics({
    namespace: METRICS_NAMESPACE,
    serviceName: SERVICE_NAME,
    defaultDimensions: { stage },
  });
}
