import { Metrics } from '@aws-lambda-powertools/metrics';

/** One metrics emitter per function instance (CloudWatch EMF on stdout). */
export const metrics = new Metrics({ namespace: 'HybridLiveChat', serviceName: 'hybrid-live-chat' });
