import { describe, expect, it } from 'vitest';
import { CachedModerationReader } from '../../../lambdas/adapters/cached-moderation-reader.js';
import {
  emptyChannel,
  type ChannelModeration,
  type NgWordList,
} from '../../../lambdas/domain/moderation/moderation.js';
import type { ModerationReader } from '../../../lambdas/domain/moderation/ports.js';
import { deferred, manualClock } from '../fakes.js';

const TTL_MS = 1_000;

/** Counts reads; answers from maps the test changes. */
function setup() {
  const channels = new Map<string, ChannelModeration>();
  let list: NgWordList = { words: [], version: 0 };
  const reads: string[] = [];
  let next: Promise<void> | undefined;
  let fail = false;
  const inner: ModerationReader = {
    async channel(channelId) {
      reads.push(`channel:${channelId}`);
      if (next) await next;
      if (fail) throw new Error('throttled');
      return channels.get(channelId);
    },
    async ngWords() {
      reads.push('ngWords');
      return list;
    },
  };
  const clock = manualClock(Date.UTC(2030, 0, 1));
  const reader = new CachedModerationReader(inner, TTL_MS, clock);
  return {
    channels,
    reads,
    clock,
    reader,
    setList: (value: NgWordList) => (list = value),
    hold: (p: Promise<void> | undefined) => (next = p),
    failing: (value: boolean) => (fail = value),
  };
}

describe('CachedModerationReader', () => {
  it('serves a channel from memory within the ttl, and reads it again after', async () => {
    const { channels, reads, clock, reader } = setup();
    channels.set('ch', emptyChannel('ch'));
    await reader.channel('ch');
    channels.set('ch', { ...emptyChannel('ch'), blocks: { u: { blockedAt: new Date(0).toISOString() } } });

    clock.advance(TTL_MS - 1);
    const cached = await reader.channel('ch');
    clock.advance(1);
    const fresh = await reader.channel('ch');

    expect(cached?.blocks).toEqual({});
    expect(Object.keys(fresh!.blocks)).toEqual(['u']);
    expect(reads).toEqual(['channel:ch', 'channel:ch']);
  });

  it('remembers that a channel has no item, so unknown channels cost one read per ttl', async () => {
    const { reads, reader } = setup();

    expect(await reader.channel('none')).toBeUndefined();
    expect(await reader.channel('none')).toBeUndefined();

    expect(reads).toEqual(['channel:none']);
  });

  it('shares one read among concurrent misses', async () => {
    const { reads, reader, hold } = setup();
    const gate = deferred<void>();
    hold(gate.promise);

    const all = Promise.all([reader.channel('ch'), reader.channel('ch'), reader.channel('ch')]);
    gate.resolve();
    await all;

    expect(reads).toEqual(['channel:ch']);
  });

  it('does not remember a failed read', async () => {
    const { reads, reader, failing } = setup();
    failing(true);
    await expect(reader.channel('ch')).rejects.toThrow('throttled');
    failing(false);

    await expect(reader.channel('ch')).resolves.toBeUndefined();
    expect(reads).toEqual(['channel:ch', 'channel:ch']);
  });

  it('keeps channels apart and caches the global list the same way', async () => {
    const { reads, clock, reader, setList } = setup();
    await Promise.all([reader.channel('a'), reader.channel('b'), reader.ngWords(), reader.ngWords()]);
    setList({ words: ['new'], version: 1 });

    const cached = await reader.ngWords();
    clock.advance(TTL_MS);
    const fresh = await reader.ngWords();

    expect(cached.version).toBe(0);
    expect(fresh.words).toEqual(['new']);
    expect(reads).toEqual(['channel:a', 'channel:b', 'ngWords', 'ngWords']);
  });
});
