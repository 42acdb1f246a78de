/**
 * EventBridge Scheduler's part, locally: one-time schedules that fire as
 * timers in this process and invoke the scaler with their input, then delete
 * themselves (`ActionAfterCompletion: DELETE`, as the AWS adapter asks).
 */
export interface LocalSchedule {
  readonly name: string;
  /** When it fires (ISO). */
  readonly at: string;
  /** The scaler's input. */
  readonly request: unknown;
}

export interface ScheduleFiring {
  readonly name: string;
  readonly at: string;
  readonly firedAt: string;
  readonly outcome: 'ok' | 'failed';
  readonly error?: string;
}

/** setTimeout's longest delay (about 24.8 days); longer waits re-arm. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class LocalSchedules {
  private readonly schedules = new Map<string, { schedule: LocalSchedule; timer: NodeJS.Timeout }>();
  /** What fired, oldest first (bounded). */
  readonly fired: ScheduleFiring[] = [];

  constructor(
    /** Runs the scaler with a schedule's input (the local Lambda invoke). */
    private readonly fire: (request: unknown) => Promise<unknown>,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Creates or moves a schedule; a time in the past fires at once (Scheduler would refuse it; the adapter never asks). */
  put(name: string, at: string, request: unknown): 'created' | 'updated' {
    const existed = this.delete(name);
    const schedule: LocalSchedule = { name, at, request };
    this.schedules.set(name, { schedule, timer: this.arm(schedule) });
    return existed ? 'updated' : 'created';
  }

  delete(name: string): boolean {
    const entry = this.schedules.get(name);
    if (!entry) return false;
    clearTimeout(entry.timer);
    this.schedules.delete(name);
    return true;
  }

  list(): LocalSchedule[] {
    return [...this.schedules.values()]
      .map(({ schedule }) => schedule)
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }

  stop(): void {
    for (const { timer } of this.schedules.values()) clearTimeout(timer);
    this.schedules.clear();
  }

  private arm(schedule: LocalSchedule): NodeJS.Timeout {
    const delay = Math.max(0, Date.parse(schedule.at) - this.clock());
    const timer = setTimeout(
      () => {
        if (delay > MAX_TIMER_MS) {
          const entry = this.schedules.get(schedule.name);
          if (entry?.schedule === schedule) entry.timer = this.arm(schedule);
          return;
        }
        void this.run(schedule);
      },
      Math.min(delay, MAX_TIMER_MS),
    );
    // A pending schedule must not keep `npm start` (or a test process) alive by itself.
    timer.unref();
    return timer;
  }

  private async run(schedule: LocalSchedule): Promise<void> {
    if (this.schedules.get(schedule.name)?.schedule !== schedule) return;
    this.schedules.delete(schedule.name);
    const firedAt = new Date(this.clock()).toISOString();
    try {
      await this.fire(schedule.request);
      this.record({ name: schedule.name, at: schedule.at, firedAt, outcome: 'ok' });
    } catch (error) {
      console.error(`[local] schedule ${schedule.name} failed:`, error);
      this.record({
        name: schedule.name,
        at: schedule.at,
        firedAt,
        outcome: 'failed',
        error: (error as Error).message,
      });
    }
  }

  private record(firing: ScheduleFiring): void {
    this.fired.push(firing);
    if (this.fired.length > 500) this.fired.shift();
  }
}
