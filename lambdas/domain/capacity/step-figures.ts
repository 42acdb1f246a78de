import type { CapacityTable, ScaledFunction } from './target.js';

/** A step's exact sums, before rounding for display. */
export interface StepFigures {
  readonly viewers: number;
  readonly postsPerSecond: number;
  readonly viewerRequestsPerSecond: number;
  readonly cloudFrontRequestsPerSecond: number;
  readonly liveOriginPerSecond: number;
  readonly segmentOriginPerSecond: number;
  readonly apiRequestsPerSecond: number;
  readonly units: Readonly<Record<CapacityTable, { readonly write: number; readonly read: number }>>;
  readonly provisionedConcurrency: Readonly<Record<ScaledFunction, number>>;
  /** Sum of the provisioned concurrency. */
  readonly provisioned: number;
  readonly onDemand: number;
  readonly lambdaConcurrency: number;
}
