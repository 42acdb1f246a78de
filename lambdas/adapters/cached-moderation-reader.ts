import type { ChannelModeration, NgWordList } from '../domain/moderation/moderation.js';
import type { Clock } from '../domain/clock.js';
import type { ModerationReader } from '../domain/moderation/ports.js';
import { TtlCache } from './ttl-cache.js';

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
