import type { Clock } from '../domain/clock.js';

interface Entry<V> {
  readonly value: Promise<V>;
  readonly expiresAt: number;
  /** The read resolved: the value may be served stale while a newer one is read. */
  loaded: boolean;
  refreshing: boolean;
}

/**
 * Values by key for `ttlMs`, per function instance: absent values are cached
 * too (unknown keys cannot hammer the table), concurrent misses share one
 * read, a failed read is not remembered, and the oldest entry goes when full.
 *
 * Stale while revalidating: for one more `ttlMs` after a value expires, it is
 * still served while one read in the background replaces it, so a request
 * never waits on the hot key's periodic re-read. A value is never served more
 * than twice `ttlMs` after it was read; a failed refresh leaves the stale
 * value to age out.
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
    if (hit && hit.expiresAt > now) return hit.value;
    if (hit && hit.loaded && hit.expiresAt + this.ttlMs > now) {
      if (!hit.refreshing) this.refresh(key, hit, load);
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

  private refresh(key: string, stale: Entry<V>, load: () => Promise<V>): void {
    stale.refreshing = true;
    const next = load();
    next.then(
      () => {
        if (this.entries.get(key) === stale) this.fill(key, next, this.clock());
      },
      () => (stale.refreshing = false),
    );
  }
}
