/**
 * The scaler's world, locally: the control-plane stand-in (what AWS would
 * have been asked, and the capacity it would now have), one-time schedules as
 * timers, and the scaler function itself — the same handler CDK deploys
 * (`createScalerHandler`, built by local/composition.ts), invoked as Lambda would.
 */
import type { Context } from 'aws-lambda';
import { scalerFunction } from '../lambdas/routes.js';
import { lambdaContext } from './api-gateway.js';
import { LocalControlPlane } from './control-plane.js';
import { LocalSchedules } from './schedules.js';

type ScalerHandler = (event: unknown, context: Context) => Promise<unknown>;

export interface ScalerInvocation {
  readonly at: string;
  readonly invocationType: 'Event' | 'RequestResponse';
  readonly request: unknown;
  readonly outcome: 'ok' | 'failed';
  readonly error?: string;
  /** The run's result (calls, applied, skipped…), when it returned one. */
  readonly result?: unknown;
}

const MAX_INVOCATIONS = 200;

export class LocalCapacity {
  readonly controlPlane: LocalControlPlane;
  readonly schedules: LocalSchedules;
  private readonly invocationLog: ScalerInvocation[] = [];
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly scaler: ScalerHandler,
    private readonly clock: () => number = Date.now,
  ) {
    this.controlPlane = new LocalControlPlane(clock);
    // A firing waits for its run, so `fired` records how it ended.
    this.schedules = new LocalSchedules((request) => this.run(request, 'Event'), clock);
  }

  /**
   * Runs the scaler. `RequestResponse` answers its result (or rejects); `Event`
   * answers at once and runs in the background, as Lambda's asynchronous invoke.
   */
  async invoke(request: unknown, invocationType: 'Event' | 'RequestResponse'): Promise<unknown> {
    const run = this.run(request, invocationType);
    if (invocationType === 'RequestResponse') return run;
    const settled = run.catch(() => undefined).finally(() => this.pending.delete(settled));
    this.pending.add(settled);
    return undefined;
  }

  /** What the scaler did and would do next, for `GET /local/capacity`. */
  report() {
    return {
      state: this.controlPlane.state(),
      calls: this.controlPlane.calls(),
      schedules: this.schedules.list(),
      fired: [...this.schedules.fired],
      invocations: [...this.invocationLog],
    };
  }

  /** Stops the timers and waits for background runs to end. */
  async stop(): Promise<void> {
    this.schedules.stop();
    await Promise.all([...this.pending]);
  }

  private async run(request: unknown, invocationType: 'Event' | 'RequestResponse'): Promise<unknown> {
    const at = new Date(this.clock()).toISOString();
    try {
      const result = await this.scaler(request, lambdaContext('scaler', scalerFunction.timeoutMs));
      this.log({ at, invocationType, request, outcome: 'ok', result });
      return result;
    } catch (error) {
      this.log({ at, invocationType, request, outcome: 'failed', error: (error as Error).message });
      if (invocationType === 'Event') console.error('[local] scaler run failed:', error);
      throw error;
    }
  }

  private log(invocation: ScalerInvocation): void {
    this.invocationLog.push(invocation);
    if (this.invocationLog.length > MAX_INVOCATIONS) this.invocationLog.shift();
  }
}
