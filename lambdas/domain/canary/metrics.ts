import type { CanaryStepName } from './ports.js';

/**
 * The canary's metric names (namespace `HybridLiveChat`), one set per run: the handler emits them,
 * lib/constructs/canary.ts exposes them as CloudWatch metrics for the dashboard and alarms.
 */
export const CANARY_METRICS = {
  /** 1 when any step failed, else 0. */
  runFailed: 'CanaryRunFailed',
  /** ms from the PING's publish call to its arrival on the subscription; only when it arrived. */
  pushLatency: 'CanaryPushLatency',
  /** ms from the post's start to the comment showing in a polled `live`; only when it showed. */
  postToPollLatency: 'CanaryPostToPollLatency',
} as const;

/** Per step, 1 when it failed, else 0: `CanaryRoomFailed`, `CanarySubscribeFailed`, `CanaryPushFailed`, … */
export const canaryStepMetric = (step: CanaryStepName) =>
  `Canary${step[0]!.toUpperCase()}${step.slice(1)}Failed`;
