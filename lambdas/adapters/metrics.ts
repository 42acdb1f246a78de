import { Metrics } from '@aws-lambda-powertools/metrics';
import { SERVICE_NAME } from './logger.js';

/** The admin function's metrics emitter (CloudWatch EMF on stdout): failed publishes. */
export function createMetrics(): Metrics {
  return new Metrics({ namespace: 'HybridLiveChat', serviceName: SERVICE_NAME });
}
