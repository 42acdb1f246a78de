import { describe, expect, it } from 'vitest';
import { ChatError } from '../../../../lambdas/domain/errors.js';
import {
  liveSpanMs,
  liveWindow,
  parseTick,
  SETTLE_MS,
  TICK_EARLY_MS,
  tickExpiresAtMs,
  tickOf,
  tickRefusal,
  tickStartMs,
  tickState,
} from '../../../../lambdas/domain/feed/ticks.js';

const P = 3_000;
/** A tick well after the epoch: 2030-01-01 is a whole tick of 3 s. */
const T = Date.UTC(2030, 0, 1) / P;
const START = tickStartMs(T, P);

function thrown(run: () => unknown): ChatError {
  try {
    run();
  } catch (error) {
    if (error instanceof ChatError) return error;
    throw error;
  }
  throw new Error('expected a ChatError');
}

describe('tickOf and tickStartMs', () => {
  it('numbers ticks from the epoch in poll intervals', () => {
    expect(tickOf(START, P)).toBe(T);
    expect(tickOf(START + P - 1, P)).toBe(T);
    expect(tickOf(START + P, P)).toBe(T + 1);
    expect(tickOf(START - 1, P)).toBe(T - 1);
  });

  it('expires a tick when the one after next starts', () => {
    expect(tickExpiresAtMs(T, P)).toBe(START + 2 * P);
  });
});

describe('tickState', () => {
  it.each([
    ['the tick at its first millisecond', T, START, 'current'],
    ['the tick at its last millisecond', T, START + P - 1, 'current'],
    ['the previous tick', T - 1, START + P - 1, 'previous'],
    ['the tick before the previous one', T - 2, START, 'expired'],
    ['the next tick within the early tolerance', T + 1, START + P - TICK_EARLY_MS, 'early'],
    ['the next tick just before the early tolerance', T + 1, START + P - TICK_EARLY_MS - 1, 'not-started'],
    ['the tick after next, whatever the moment', T + 2, START + P - 1, 'not-started'],
  ] as const)('calls %s %s', (_what, tick, nowMs, state) => {
    expect(tickState(tick, nowMs, P)).toBe(state);
  });

  it('answers a tick exactly from its start minus the early tolerance until the tick after next starts', () => {
    // A sweep over every 7 ms around the tick's life.
    const answered = ['early', 'current', 'previous'];
    for (let nowMs = START - 2 * P; nowMs < START + 4 * P; nowMs += 7) {
      const expected = nowMs >= START - TICK_EARLY_MS && nowMs < tickExpiresAtMs(T, P);
      expect(answered.includes(tickState(T, nowMs, P)), `at ${nowMs - START} ms`).toBe(expected);
    }
  });
});

describe('liveWindow', () => {
  it('starts a poll interval before the tick, less the settle time and the early tolerance, and settles a second before it was made', () => {
    const window = liveWindow(T, P, START + 120);

    expect(window).toEqual({
      tick: T,
      fromMs: START - P - SETTLE_MS - TICK_EARLY_MS,
      settledUntilMs: START + 120 - SETTLE_MS,
    });
  });

  it('covers P + settle + early tolerance when made as its tick starts', () => {
    const window = liveWindow(T, P, START);

    expect(window.settledUntilMs - window.fromMs + SETTLE_MS).toBe(liveSpanMs(P));
    expect(liveSpanMs(P)).toBe(4_500);
  });

  // The no-gap rule, for every pair of moments the origin may make two consecutive ticks'
  // documents (a cache may hand either out later): the next one starts before the first settled.
  it.each([1_000, 3_000, 60_000])(
    'joins any document of tick t to any of tick t + 1 at P = %i ms',
    (pollMs) => {
      const t = Math.floor(Date.UTC(2030, 0, 1) / pollMs);
      const answeredMoments = (tick: number) => {
        const from = tickStartMs(tick, pollMs) - TICK_EARLY_MS;
        const to = tickExpiresAtMs(tick, pollMs);
        const step = (to - from) / 61;
        return [...Array.from({ length: 61 }, (_, i) => from + Math.floor(i * step)), to - 1];
      };
      let pairs = 0;
      for (const first of answeredMoments(t)) {
        for (const second of answeredMoments(t + 1)) {
          if (second < first) continue;
          expect(liveWindow(t + 1, pollMs, second).fromMs).toBeLessThanOrEqual(
            liveWindow(t, pollMs, first).settledUntilMs,
          );
          pairs++;
        }
      }
      expect(pairs).toBeGreaterThan(1_000);
    },
  );
});

describe('parseTick', () => {
  it.each(['abc', '-1', '1.5', '', '1e3', '1234567890123456', ' 1', '0x10', '+1'])(
    'refuses %j with 400 invalid_tick',
    (raw) => {
      expect(thrown(() => parseTick(raw))).toMatchObject({
        status: 400,
        code: 'invalid_tick',
        retryable: false,
      });
    },
  );

  it('reads digits, leading zeros included', () => {
    expect(parseTick(`00${T}`)).toBe(T);
    expect(parseTick('999999999999999')).toBe(999_999_999_999_999);
  });
});

describe('tickRefusal', () => {
  it('answers the early, current and previous ticks', () => {
    expect(tickRefusal(T + 1, START + P - TICK_EARLY_MS, P)).toBeUndefined();
    expect(tickRefusal(T, START, P)).toBeUndefined();
    expect(tickRefusal(T - 1, START, P)).toBeUndefined();
  });

  it('refuses an older tick with 404 tick_expired, not retryable, pointing at live and segments', () => {
    const error = tickRefusal(T - 2, START, P);

    expect(error).toMatchObject({ status: 404, code: 'tick_expired', retryable: false });
    expect(error?.retryAfterSec).toBeUndefined();
    expect(error?.message).toMatch(/segments/);
  });

  it('refuses the next tick before its early tolerance with a retryable 404 and the seconds until it is answered', () => {
    const error = tickRefusal(T + 1, START + 100, P);

    // Answered from START + 3,000 − 500: 2.4 s away, so retry after 3 s.
    expect(error).toMatchObject({ status: 404, code: 'tick_not_started', retryable: true, retryAfterSec: 3 });
  });

  it('waits at least a second before a retry', () => {
    expect(tickRefusal(T + 1, START + P - TICK_EARLY_MS - 1, P)?.retryAfterSec).toBe(1);
  });

  it('refuses a tick further ahead as not worth waiting for: a wrong clock or a changed interval', () => {
    const error = tickRefusal(T + 2, START, P);

    expect(error).toMatchObject({ status: 404, code: 'tick_not_started', retryable: false });
    expect(error?.retryAfterSec).toBeUndefined();
    expect(error?.message).toMatch(/poll interval/);
  });
});
