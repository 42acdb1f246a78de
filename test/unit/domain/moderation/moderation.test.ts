import { describe, expect, it } from 'vitest';
import {
  channelStanding,
  distinctWords,
  emptyChannel,
  isPurged,
  MAX_ROOM_PURGES,
  NgWord,
  postingRefusal,
  purgeViews,
  restrictionOf,
  viewerBans,
  withBlock,
  withPurge,
  type ChannelModeration,
  type PostingContext,
} from '../../../../lambdas/domain/moderation/moderation.js';
import type { Room } from '../../../../lambdas/domain/rooms/room.js';
import { aComment, aRoom, rejection } from '../../fakes.js';

const T0 = Date.UTC(2030, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString();

function channel(overrides: Partial<ChannelModeration> = {}): ChannelModeration {
  return { ...emptyChannel('ch-1'), ...overrides };
}

function context(
  overrides: Partial<PostingContext> & { settings?: Partial<Room['settings']> } = {},
): PostingContext {
  const room = overrides.room ?? aRoom();
  return {
    room: { ...room, settings: { ...room.settings, ...overrides.settings } },
    channel: overrides.channel,
    globalNgWords: overrides.globalNgWords ?? [],
    userId: overrides.userId ?? 'viewer',
    text: overrides.text ?? 'hello',
    nowMs: overrides.nowMs ?? T0,
  };
}

describe('postingRefusal', () => {
  it('lets an ordinary comment through', () => {
    expect(postingRefusal(context())).toBeUndefined();
  });

  it.each([
    ['a closed room', context({ room: aRoom({ status: 'closed' }) }), 403, 'room_closed'],
    ['chat turned off', context({ settings: { enabled: false } }), 403, 'chat_disabled'],
    ['posting closed', context({ settings: { postingAllowed: 'nobody' } }), 403, 'posting_closed'],
    ['a room ban', context({ room: { ...aRoom(), bans: { viewer: { bannedAt: iso(T0) } } } }), 403, 'banned'],
    [
      'a channel ban',
      context({ channel: channel({ bans: { viewer: { bannedAt: iso(T0), until: iso(T0 + 60_000) } } }) }),
      403,
      'banned',
    ],
    [
      'a block',
      context({ channel: channel({ blocks: { viewer: { blockedAt: iso(T0) } } }) }),
      403,
      'blocked',
    ],
    ['a text over the limit', context({ settings: { maxCommentLength: 3 } }), 422, 'text_too_long'],
    ['a room NG word', context({ settings: { ngWords: ['hel'] } }), 422, 'ng_word'],
    ['a global NG word', context({ globalNgWords: ['ＨＥＬＬＯ'] }), 422, 'ng_word'],
  ])('refuses %s', (_, input, status, code) => {
    expect(postingRefusal(input)).toMatchObject({ status, code });
  });

  it('says the global list is the service’s, and a room’s list the room’s', () => {
    expect(postingRefusal(context({ globalNgWords: ['hello'] }))?.message).toMatch(
      /not allowed on this service/,
    );
    expect(postingRefusal(context({ settings: { ngWords: ['hello'] } }))?.message).toMatch(/this room/);
  });

  it('says until when a timed channel ban ends, and lets the user post once it has', () => {
    const until = iso(T0 + 60_000);
    const banned = context({ channel: channel({ bans: { viewer: { bannedAt: iso(T0), until } } }) });

    expect(postingRefusal(banned)?.message).toBe(`You are banned from this channel's rooms until ${until}.`);
    expect(postingRefusal({ ...banned, nowMs: T0 + 60_000 })).toBeUndefined();
  });

  it('checks the room before the user, and the user before the text', () => {
    const everything = context({
      room: { ...aRoom({ status: 'closed' }), bans: { viewer: { bannedAt: iso(T0) } } },
      globalNgWords: ['hello'],
    });
    expect(postingRefusal(everything)?.code).toBe('room_closed');
    expect(postingRefusal({ ...everything, room: { ...everything.room, status: 'open' } })?.code).toBe(
      'banned',
    );
  });

  it('does not refuse other users of a channel with bans and blocks', () => {
    const ch = channel({ bans: { a: { bannedAt: iso(T0) } }, blocks: { b: { blockedAt: iso(T0) } } });
    expect(postingRefusal(context({ channel: ch, userId: 'c' }))).toBeUndefined();
  });
});

describe('restrictionOf', () => {
  it('names the most lasting restriction: a block, then a channel ban, then a room ban', () => {
    const room = { bans: { u: { bannedAt: iso(T0) } } };
    const ch = channel({
      bans: { u: { bannedAt: iso(T0), until: iso(T0 + 1_000) } },
      blocks: { u: { blockedAt: iso(T0) } },
    });

    expect(restrictionOf(room, ch, 'u', T0)).toEqual({ scope: 'channel', type: 'block' });
    expect(restrictionOf(room, { ...ch, blocks: {} }, 'u', T0)).toEqual({
      scope: 'channel',
      type: 'ban',
      until: iso(T0 + 1_000),
    });
    expect(restrictionOf(room, undefined, 'u', T0)).toEqual({ scope: 'room', type: 'ban' });
    expect(restrictionOf({ bans: {} }, undefined, 'u', T0)).toBeUndefined();
  });
});

describe('viewerBans', () => {
  it('lists room bans and the channel’s bans and blocks with their scope, by user', () => {
    const room = {
      bans: { r: { bannedAt: iso(T0), until: iso(T0 + 5_000) }, gone: { bannedAt: iso(T0), until: iso(T0) } },
    };
    const ch = channel({
      bans: {
        c: { bannedAt: iso(T0), until: iso(T0 + 9_000) },
        both: { bannedAt: iso(T0), until: iso(T0 + 9_000) },
      },
      blocks: { both: { blockedAt: iso(T0) }, b: { blockedAt: iso(T0) } },
    });

    expect(viewerBans(room, ch, T0 + 1)).toEqual([
      { userId: 'b', scope: 'channel' },
      // A block is permanent: it wins over the user's timed channel ban.
      { userId: 'both', scope: 'channel' },
      { userId: 'c', until: iso(T0 + 9_000), scope: 'channel' },
      { userId: 'r', until: iso(T0 + 5_000), scope: 'room' },
    ]);
  });

  it('lists a user banned in both scopes once per scope', () => {
    const room = { bans: { u: { bannedAt: iso(T0) } } };
    const ch = channel({ bans: { u: { bannedAt: iso(T0) } } });
    expect(viewerBans(room, ch, T0)).toEqual([
      { userId: 'u', scope: 'room' },
      { userId: 'u', scope: 'channel' },
    ]);
  });
});

describe('channelStanding', () => {
  it('is what viewers see of a user at channel scope', () => {
    const ch = channel({
      bans: { timed: { bannedAt: iso(T0), until: iso(T0 + 1_000) }, perm: { bannedAt: iso(T0) } },
      blocks: { blocked: { blockedAt: iso(T0) } },
    });
    expect(channelStanding(ch, 'timed', T0)).toEqual({ until: iso(T0 + 1_000) });
    expect(channelStanding(ch, 'timed', T0 + 1_000)).toBeUndefined();
    expect(channelStanding(ch, 'perm', T0)).toEqual({});
    expect(channelStanding(ch, 'blocked', T0)).toEqual({});
    expect(channelStanding(ch, 'other', T0)).toBeUndefined();
  });
});

describe('purges', () => {
  const before = iso(T0);
  const purges = { spammer: before };

  it('hide the purged user’s comments created at or before the purge, and nothing else', () => {
    expect(isPurged(aComment('r', T0 - 1_000, { userId: 'spammer' }), purges)).toBe(true);
    expect(isPurged(aComment('r', T0, { userId: 'spammer' }), purges)).toBe(true);
    expect(isPurged(aComment('r', T0 + 1, { userId: 'spammer' }), purges)).toBe(false);
    expect(isPurged(aComment('r', T0 - 1_000, { userId: 'someone' }), purges)).toBe(false);
  });

  it('leave artist messages and notices alone', () => {
    expect(isPurged(aComment('r', T0 - 1, { userId: 'spammer', kind: 'notice' }), purges)).toBe(false);
  });

  it('are listed for live by user', () => {
    expect(purgeViews({ purges: { z: before, a: before } })).toEqual([
      { userId: 'a', before },
      { userId: 'z', before },
    ]);
  });

  it('only move forward when a user is purged again', () => {
    expect(withPurge({ u: iso(T0 + 5) }, 'u', iso(T0), 0)).toEqual({ u: iso(T0 + 5) });
    expect(withPurge({ u: iso(T0) }, 'u', iso(T0 + 5), 0)).toEqual({ u: iso(T0 + 5) });
  });

  it('forget purges older than the retention on the way', () => {
    expect(withPurge({ old: iso(T0 - 10), kept: iso(T0) }, 'new', iso(T0 + 1), T0)).toEqual({
      kept: iso(T0),
      new: iso(T0 + 1),
    });
  });

  it('are bounded: 409 too_many_purges for one more user, a repeat still allowed', async () => {
    const full = Object.fromEntries(Array.from({ length: MAX_ROOM_PURGES }, (_, i) => [`u${i}`, iso(T0)]));
    const error = await rejection(Promise.resolve().then(() => withPurge(full, 'one-more', iso(T0), 0)));

    expect(error).toMatchObject({ status: 409, code: 'too_many_purges' });
    expect(withPurge(full, 'u0', iso(T0 + 1), 0).u0).toBe(iso(T0 + 1));
  });
});

describe('blocks', () => {
  it('keep the first block time and replace the reason', () => {
    const first = withBlock({}, 'u', { by: 'artist', reason: 'rude' }, T0);
    const again = withBlock(first, 'u', { by: 'mod' }, T0 + 5_000);
    expect(again).toEqual({ u: { blockedAt: iso(T0), by: 'mod' } });
  });
});

describe('NG word lists', () => {
  it('drop words that fold to one already listed, keeping the first spelling', () => {
    expect(distinctWords(['Spoiler', 'ＳＰＯＩＬＥＲ', 'spo iler', 'other'])).toEqual(['Spoiler', 'other']);
  });

  it.each([
    ['an empty word', ''],
    ['spaces only', '   '],
    ['invisible characters only', '\u200B\u200B'],
    ['a control character', 'bad\u0007'],
    ['a bidi control', 'a\u202Eb'],
    ['a word over 50 characters', 'x'.repeat(51)],
  ])('refuse %s', (_, word) => {
    expect(NgWord.safeParse(word).success).toBe(false);
  });

  it('trim and normalise a word', () => {
    expect(NgWord.parse('  cafe\u0301 ')).toBe('café');
  });
});
