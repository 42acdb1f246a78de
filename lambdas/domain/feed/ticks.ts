/**
 * Poll ticks: the time-addressed `live` documents (ADR 0019). Tick `t` of a
 * room is `[t × P, (t + 1) × P)` ms since the Unix epoch, `P` = the room's poll
 * interval, so every viewer polling in the same tick asks for the same URL and
 * the CDN answers all of them from one origin call.
 *
 * The document for tick `t` holds every feed item with id time ≥
 * `(t − 1) × P − SETTLE_MS − TICK_EARLY_MS`, up to the moment it is generated,
 * and the origin generates it no earlier than `t × P − TICK_EARLY_MS`. So any
 * document of tick `t` and any of tick `t + 1` overlap: a viewer that receives
 * every tick in turn misses nothing, whenever in each tick it polls and
 * whichever cached copy it gets.
 */
import { BadRequestError, ChatError } from '../errors.js';
import { PATH_NUMBER } from './segments.js';

/**
 * How late an item may become readable after its id time: the write's own
 * latency after the post path chose the id (right before the write), plus
 * clock differences between the functions that write and read. DynamoDB
 * transactions take tens of milliseconds; one second covers retries too. An
 * item whose write commits later than this after its id time is still in its
 * segment, but a viewer reading only `live` may miss it.
 */
export const SETTLE_MS = 1_000;

/**
 * How long before its start a tick is answered, for clients whose clocks run
 * a little fast. Every window starts this much earlier too, so an early
 * document still joins the next one without a gap, and a CDN may keep it
 * like any other (early requests cost no extra origin calls).
 */
export const TICK_EARLY_MS = 500;

/**
 * Most items one `live` document carries (the `LIVE_COMMENT_LIMIT` default). A
 * document made as its tick starts covers P + 1.5 s; one made late in its tick
 * (a lone viewer at its edge location) up to 2P + 1.5 s. 500 holds 50
 * comments/s (the capacity plan's example event) whenever the document is made
 * at P = 3 s (7.5 s → 375), about 110/s when made as the tick starts (4.5 s),
 * and LINE LIVE's record broadcast (~170/s) at P = 1 s (2.5 s → 425). Past it
 * the document says `truncated` and players read segments for the rest, on
 * every poll: requests then grow with the comment rate. The capacity plan
 * warns about such rooms (`live_document_truncated`, ADR 0035).
 */
export const DEFAULT_LIVE_COMMENT_LIMIT = 500;

/** The most `LIVE_COMMENT_LIMIT` may be set to (config.ts); the capacity plan's advice stays within it. */
export const MAX_LIVE_COMMENT_LIMIT = 1_000;

export function tickOf(timeMs: number, pollMs: number): number {
  return Math.floor(timeMs / pollMs);
}

export function tickStartMs(tick: number, pollMs: number): number {
  return tick * pollMs;
}

/**
 * When the origin stops answering tick `t`: once tick `t + 2` starts (the
 * current and the previous tick are answered). A cached copy may live until then.
 */
export function tickExpiresAtMs(tick: number, pollMs: number): number {
  return tickStartMs(tick + 2, pollMs);
}

/**
 * - `current`, `previous`: answered.
 * - `early`: the next tick, within TICK_EARLY_MS of its start: answered.
 * - `not-started`: further ahead; `expired`: before the previous tick.
 */
export type TickState = 'early' | 'current' | 'previous' | 'not-started' | 'expired';

export function tickState(tick: number, nowMs: number, pollMs: number): TickState {
  const current = tickOf(nowMs, pollMs);
  if (tick === current) return 'current';
  if (tick === current - 1) return 'previous';
  if (tick < current) return 'expired';
  return nowMs >= tickStartMs(tick, pollMs) - TICK_EARLY_MS ? 'early' : 'not-started';
}

/** What one `live` document covers. */
export interface LiveWindow {
  readonly tick: number;
  /** Every item with id time ≥ this is in the document (unless truncated). */
  readonly fromMs: number;
  /** …up to this id time: items after it may still be committing and appear in the next tick. */
  readonly settledUntilMs: number;
}

export function liveWindow(tick: number, pollMs: number, generatedAtMs: number): LiveWindow {
  return {
    tick,
    fromMs: tickStartMs(tick - 1, pollMs) - SETTLE_MS - TICK_EARLY_MS,
    settledUntilMs: generatedAtMs - SETTLE_MS,
  };
}

/**
 * The time span a tick's document covers when it is made as its tick starts,
 * as at an edge location with many viewers: P + SETTLE_MS + TICK_EARLY_MS.
 * The cost model and the capacity plan size responses and reads with it.
 */
export function liveSpanMs(pollMs: number): number {
  return pollMs + SETTLE_MS + TICK_EARLY_MS;
}

/** A tick from the path: 400 `invalid_tick` unless digits only. */
export function parseTick(raw: string): number {
  if (!PATH_NUMBER.test(raw)) {
    throw new BadRequestError(
      'invalid_tick',
      'A tick is a non-negative integer: the server time in ms divided by pollAfterMs, rounded down.',
    );
  }
  return Number(raw);
}

/** 404 for a tick the origin does not answer. */
export function tickRefusal(tick: number, nowMs: number, pollMs: number): ChatError | undefined {
  const state = tickState(tick, nowMs, pollMs);
  if (state === 'expired') {
    return new ChatError(
      404,
      'tick_expired',
      `Tick ${tick} has expired: poll the current tick (GET …/live gives it) and read the segments for what you missed.`,
    );
  }
  if (state !== 'not-started') return undefined;
  // The next tick is worth waiting for; one further ahead means a wrong clock or a changed interval.
  // Either way the answer changes as the tick comes: never kept at an edge.
  const answeredInMs = tickStartMs(tick, pollMs) - TICK_EARLY_MS - nowMs;
  const next = tick === tickOf(nowMs, pollMs) + 1;
  return new ChatError(
    404,
    'tick_not_started',
    next
      ? `Tick ${tick} has not started yet; retry after ${Math.ceil(answeredInMs / 1000)} s.`
      : `Tick ${tick} starts more than a poll interval from now: check the clock against generatedAt, or poll GET …/live for the current tick (the poll interval may have changed).`,
    next
      ? { retryable: true, retryAfterSec: Math.max(1, Math.ceil(answeredInMs / 1000)), cacheable: false }
      : { cacheable: false },
  );
}
