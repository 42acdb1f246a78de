import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** The event-loop delay of this process, as `GET /local/event-loop` reports it. */
export interface EventLoopDelay {
  /** Since when the samples run: the stack's start or the last reset. */
  readonly since: string;
  readonly samples: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
}

/**
 * The stack's event-loop delay from Node's own histogram (`monitorEventLoopDelay`, sampled every
 * 10 ms): how long a ready callback waited for the loop. Everything the local stack serves (edge,
 * origin, handlers) shares this loop, so this is the local stand-in for "the stack was busy".
 */
/** The sampling interval, ms. Node 20 records each whole interval, so the delay is a sample minus this. */
const RESOLUTION_MS = 10;

export class EventLoopMonitor {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private since = new Date();

  constructor() {
    this.histogram.enable();
  }

  read(): EventLoopDelay {
    const h = this.histogram;
    const ms = (ns: number) => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 100) / 100);
    const empty = h.count === 0;
    return {
      since: this.since.toISOString(),
      samples: h.count,
      p50Ms: empty ? 0 : ms(h.percentile(50)),
      p99Ms: empty ? 0 : ms(h.percentile(99)),
      maxMs: empty ? 0 : ms(h.max),
      meanMs: empty ? 0 : ms(h.mean),
    };
  }

  /** Starts the samples afresh (a load stage measures its own). */
  reset(): EventLoopDelay {
    this.histogram.reset();
    this.since = new Date();
    return this.read();
  }

  stop(): void {
    this.histogram.disable();
  }
}
