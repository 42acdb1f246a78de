import type { ChannelModeration, NgWordList } from '../domain/moderation.js';
import type { Clock, ModerationReader } from '../domain/ports.js';

interface Entry<V> {
  readonly value: Promise<V>;
  readonly expiresAt: number;
}

/**
 * Values by key for `ttlMs`, like CachedRoomReader: absent values are cached
 * too (unknown keys cannot hammer the table), concurrent misses share one
 * read, a failed read is not remembered, and the oldest entry goes when full.
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

    const value = load();
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, expiresAt: now + this.ttlMs });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }
}

/**
 * The post and poll paths read a room's channel item and the global NG words
 * on every request: each function instance keeps them `ttlMs` (1 s), so a
 * ban, block or list change applies within a second at one read per second.
 */
export class CachedModerationReader implements ModerationReader {
  private readonly channels: TtlCache<ChannelModeration | undefined>;
  private readonly lists: TtlCache<NgWordList>;

  constructor(
    private readonly inner: ModerationReader,
    ttlMs: number,
    clock: Clock = Date.now,
  ) {
    this.channels = new TtlCache(ttlMs, clock);
    this.lists = new TtlCache(ttlMs, clock, 1);
  }

  channel(channelId: string): Promise<ChannelModeration | undefined> {
    return this.channels.get(channelId, () => this.inner.channel(channelId));
  }

  ngWords(): Promise<NgWordList> {
    return this.lists.get('global', () => this.inner.ngWords());
  }
}
