import type { Clock } from '../domain/clock.js';

interface Entry<V> {
  readonly value: Promise<V>;
  readonly expiresAt: number;
  /** The read resolved: a newer value may be read while this one is still served. */
  loaded: boolean;
  refreshing: boolean;
}

/** In the last fifth of a value's lifetime, a request starts reading its successor. */
const REFRESH_AHEAD_FRACTION = 0.2;

/**
 * Values by key for `ttlMs`, per function instance: absent values are cached
 * too (unknown keys cannot hammer the table), concurrent misses share one
 * read, a failed read is not remembered, and the oldest entry goes when full.
 *
 * Refresh ahead: a request in the last fifth of a value's lifetime still gets
 * that value, and starts one background read of the next, so under steady
 * traffic no request waits on the hot key's periodic re-read — and no value is
 * ever served past `ttlMs` after it was read. A failed refresh changes nothing:
 * the value expires as it would have.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(
    private readonly ttlMs: number,
    private readonly clock: Clock = Date.now,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = this.clock();
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > now) {
      if (hit.loaded && !hit.refreshing && now >= hit.expiresAt - this.ttlMs * REFRESH_AHEAD_FRACTION) {
        this.refresh(key, hit, load);
      }
      return hit.value;
    }
    return this.fill(key, load(), now);
  }

  private fill(key: string, value: Promise<V>, now: number): Promise<V> {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      // Maps iterate in insertion order: drop the oldest entry.
      this.entries.delete(this.entries.keys().next().value!);
    }
    const entry: Entry<V> = { value, expiresAt: now + this.ttlMs, loaded: false, refreshing: false };
    this.entries.set(key, entry);
    value.then(
      () => (entry.loaded = true),
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return value;
  }

  private refresh(key: string, current: Entry<V>, load: () => Promise<V>): void {
    current.refreshing = true;
    // The new value's lifetime counts from when its read started: it can be no newer than that.
    const startedAt = this.clock();
    const next = load();
    next.then(
      () => {
        if (this.entries.get(key) === current) this.fill(key, next, startedAt);
      },
      () => (current.refreshing = false),
    );
  }
}
