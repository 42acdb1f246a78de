import { describe, expect, it } from 'vitest';
import {
  bansInForce,
  STRIKE_MEMORY_MS,
  timeoutSeconds,
  withBan,
  withoutBan,
  type Bans,
} from '../../../../lambdas/domain/moderation/bans.js';
import { activeBan, type RoomBan } from '../../../../lambdas/domain/rooms/room.js';
import { rejection } from '../../fakes.js';

const T0 = Date.UTC(2030, 0, 1);
const LIMITS = { maxEntries: 10, maxBytes: 100_000 };
const seconds = (ban: RoomBan) => (Date.parse(ban.until!) - Date.parse(ban.bannedAt)) / 1000;

/** Times a user out `n` times in a row, each right after the previous one ended. */
function timeouts(n: number, start: Bans = {}) {
  let bans = start;
  let nowMs = T0;
  const lengths: number[] = [];
  for (let i = 0; i < n; i++) {
    const result = withBan(bans, 'u', 'timeout', {}, nowMs, LIMITS);
    bans = result.bans;
    lengths.push(seconds(result.ban));
    nowMs = Date.parse(result.ban.until!) + 1_000;
  }
  return { bans, lengths, nowMs };
}

describe('the timeout ladder', () => {
  it('escalates 60 s → 5 min → 1 h → 24 h and stays at 24 h', () => {
    expect(timeouts(6).lengths).toEqual([60, 300, 3_600, 86_400, 86_400, 86_400]);
  });

  it('counts strikes on the ban', () => {
    expect(timeouts(3).bans.u!.strikes).toBe(3);
  });

  it('climbs from a timeout still in force', () => {
    const first = withBan({}, 'u', 'timeout', {}, T0, LIMITS);
    const second = withBan(first.bans, 'u', 'timeout', {}, T0 + 10_000, LIMITS);
    expect(seconds(second.ban)).toBe(300);
  });

  it('remembers strikes for a week after a timeout ends, then starts over', () => {
    const { bans } = timeouts(2);
    const end = Date.parse(bans.u!.until!);

    const within = withBan(bans, 'u', 'timeout', {}, end + STRIKE_MEMORY_MS - 1_000, LIMITS);
    const after = withBan(bans, 'u', 'timeout', {}, end + STRIKE_MEMORY_MS + 1_000, LIMITS);

    expect(seconds(within.ban)).toBe(3_600);
    expect(seconds(after.ban)).toBe(60);
    expect(after.ban.strikes).toBe(1);
  });

  it('keeps each user’s strikes apart', () => {
    const { bans } = timeouts(3);
    expect(seconds(withBan(bans, 'other', 'timeout', {}, T0, LIMITS).ban)).toBe(60);
  });

  it.each([
    [0, 60],
    [1, 60],
    [4, 86_400],
    [99, 86_400],
  ])('gives strike %i a timeout of %i s', (strikes, expected) => {
    expect(timeoutSeconds(strikes)).toBe(expected);
  });
});

describe('withBan', () => {
  it('bans permanently without a length and for exactly the seconds given with one', () => {
    const permanent = withBan({}, 'a', undefined, { by: 'mod-1', reason: 'spam' }, T0, LIMITS).ban;
    const timed = withBan({}, 'b', 600, {}, T0, LIMITS).ban;

    expect(permanent).toEqual({ bannedAt: new Date(T0).toISOString(), by: 'mod-1', reason: 'spam' });
    expect(timed).toEqual({
      bannedAt: new Date(T0).toISOString(),
      until: new Date(T0 + 600_000).toISOString(),
    });
  });

  it('carries remembered strikes over an explicit ban, so the next timeout still climbs', () => {
    const { bans, nowMs } = timeouts(2);
    const explicit = withBan(bans, 'u', 120, {}, nowMs, LIMITS);
    const next = withBan(explicit.bans, 'u', 'timeout', {}, nowMs + 200_000, LIMITS);

    expect(explicit.ban.strikes).toBe(2);
    expect(seconds(next.ban)).toBe(3_600);
  });

  it('prunes expired bans without strikes, and remembered timeouts once forgotten', () => {
    const start: Bans = {
      expired: { bannedAt: new Date(T0).toISOString(), until: new Date(T0 + 1_000).toISOString() },
      remembered: {
        bannedAt: new Date(T0).toISOString(),
        until: new Date(T0 + 1_000).toISOString(),
        strikes: 1,
      },
    };

    const soon = withBan(start, 'x', undefined, {}, T0 + 5_000, LIMITS).bans;
    const late = withBan(start, 'x', undefined, {}, T0 + 1_000 + STRIKE_MEMORY_MS, LIMITS).bans;

    expect(Object.keys(soon).sort()).toEqual(['remembered', 'x']);
    expect(Object.keys(late)).toEqual(['x']);
  });

  it('forgets finished timeouts, oldest end first, to make room for a new ban', () => {
    const ended = (endMs: number): RoomBan => ({
      bannedAt: new Date(T0 - 60_000).toISOString(),
      until: new Date(endMs).toISOString(),
      strikes: 1,
    });
    const start: Bans = {
      older: ended(T0 - 2_000),
      newer: ended(T0 - 1_000),
      active: { bannedAt: new Date(T0).toISOString() },
    };

    const { bans } = withBan(start, 'new', undefined, {}, T0, { maxEntries: 3, maxBytes: 100_000 });

    expect(Object.keys(bans).sort()).toEqual(['active', 'new', 'newer']);
  });

  it('refuses a new ban with 409 when every entry is in force', async () => {
    const start: Bans = {
      a: { bannedAt: new Date(T0).toISOString() },
      b: { bannedAt: new Date(T0).toISOString() },
    };

    const error = await rejection(
      Promise.resolve().then(() =>
        withBan(start, 'c', undefined, {}, T0, { maxEntries: 2, maxBytes: 100_000 }),
      ),
    );

    expect(error).toMatchObject({ status: 409, code: 'too_many_bans' });
  });

  it('still replaces a banned user’s ban when the map is full', () => {
    const start: Bans = {
      a: { bannedAt: new Date(T0).toISOString() },
      b: { bannedAt: new Date(T0).toISOString() },
    };
    const { bans } = withBan(start, 'a', 60, {}, T0, { maxEntries: 2, maxBytes: 100_000 });
    expect(bans.a!.until).toBe(new Date(T0 + 60_000).toISOString());
  });

  it('refuses with 409 when the map would outgrow its share of the item', async () => {
    const error = await rejection(
      Promise.resolve().then(() =>
        withBan({}, 'u', undefined, { reason: 'x'.repeat(200) }, T0, { maxEntries: 10, maxBytes: 100 }),
      ),
    );
    expect(error).toMatchObject({ status: 409, code: 'too_many_bans' });
  });

  it.each([0, -1, 1.5, 365 * 86_400 + 1])('refuses %s seconds with 422 invalid_duration', async (length) => {
    const error = await rejection(Promise.resolve().then(() => withBan({}, 'u', length, {}, T0, LIMITS)));
    expect(error).toMatchObject({ status: 422, code: 'invalid_duration' });
  });
});

describe('withoutBan', () => {
  it('removes a ban without strikes', () => {
    const { bans } = withBan({}, 'u', undefined, {}, T0, LIMITS);
    expect(withoutBan(bans, 'u', T0 + 1)).toEqual({ bans: {}, lifted: true });
  });

  it('ends a laddered ban but keeps its strikes, so the next timeout climbs', () => {
    const first = withBan({}, 'u', 'timeout', {}, T0, LIMITS);
    const { bans, lifted } = withoutBan(first.bans, 'u', T0 + 10_000);

    expect(lifted).toBe(true);
    expect(activeBan({ bans }, 'u', T0 + 10_000)).toBeUndefined();
    expect(seconds(withBan(bans, 'u', 'timeout', {}, T0 + 20_000, LIMITS).ban)).toBe(300);
  });

  it('lifts nothing for a user without a ban in force', () => {
    const { bans } = timeouts(1);
    expect(withoutBan(bans, 'u', T0 + 3_600_000).lifted).toBe(false);
    expect(withoutBan(bans, 'nobody', T0).lifted).toBe(false);
  });
});

describe('bans in force', () => {
  it('leave out remembered timeouts that ended, as activeBan does', () => {
    const { bans, nowMs } = timeouts(1);
    const all = { ...bans, perm: { bannedAt: new Date(T0).toISOString() } };

    expect(bansInForce(all, nowMs).map(([userId]) => userId)).toEqual(['perm']);
    expect(activeBan({ bans: all }, 'u', nowMs)).toBeUndefined();
  });
});
