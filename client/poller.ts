import type { Backoff } from './backoff.js';
import { ChatClientError, requestJson, type Fetch } from './http.js';
import type { LiveDocument, PollingState, SegmentDocument } from './types.js';

/** The SDK's poll settings (`createChatClient`'s defaults); the load generator runs viewers with the same. */
export const POLL_DEFAULTS = {
  backoff: { baseMs: 1_000, maxMs: 30_000 },
  /** The longest absence read back from segments. */
  maxBackfillMs: 30 * 60_000,
  /** What the first load shows from before joining. */
  history: { items: 50, maxMs: 2 * 60_000 },
} as const;

export interface PollerOptions {
  readonly fetch: Fetch;
  /** `<base>/v1/rooms/<roomId>`. */
  readonly roomUrl: string;
  readonly random: () => number;
  readonly now: () => number;
  readonly backoff: Backoff;
  /** The longest gap read back from segments; older comments of a longer absence are skipped. */
  readonly maxBackfillMs: number;
  /** What the first load shows from before joining: segments back until this many items, or `maxMs`. */
  readonly history: { readonly items: number; readonly maxMs: number };
  /** True while polling should pause (a hidden page); `wake()` resumes it. */
  readonly paused: () => boolean;
}

export interface PollerSink {
  /** A document, with the segments read to fill the gap before it (oldest first). */
  document(live: LiveDocument, backfill: readonly SegmentDocument[]): void;
  state(state: PollingState): void;
  error(error: ChatClientError): void;
}

/**
 * Polls a room's `live` by tick (ADR 0019): each tick's document once, at a
 * random moment of the tick of this client's own (so viewers spread over the
 * interval and share cached copies), never before the tick starts by the
 * server's clock. When documents do not join — a late poll, a paused page, a
 * truncated window — the segments between them are read first, so no comment
 * is missed.
 */
export class Poller {
  private tick: number | undefined;
  private settledUntilMs: number | undefined;
  /** Server time − local time: the largest lower bound the documents gave. */
  private offsetMs = -Infinity;
  private phase: number | undefined;
  private pollMs = 0;
  private failures = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private inFlight = false;
  private again = false;
  private pollingState: PollingState | undefined;

  constructor(
    private readonly options: PollerOptions,
    private readonly sink: PollerSink,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.wake();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }

  /** Polls now (a page shown again, a realtime reconnect): the current tick, with any gap backfilled. */
  wake(): void {
    if (!this.running) return;
    clearTimeout(this.timer);
    if (this.inFlight) this.again = true;
    else void this.poll();
  }

  /** Server time as this client knows it. */
  serverNow(): number {
    return this.options.now() + (Number.isFinite(this.offsetMs) ? this.offsetMs : 0);
  }

  private async poll(): Promise<void> {
    if (!this.running) return;
    if (this.options.paused()) return; // wake() resumes
    this.inFlight = true;
    let waitMs: number;
    try {
      waitMs = await this.pollOnce();
    } catch (error) {
      // Not a refusal (those are handled inside): a bug must not stop the polling for good.
      waitMs = this.failed(
        error instanceof ChatClientError
          ? error
          : new ChatClientError({ code: 'client_error', message: String(error), retryable: true }),
      );
    } finally {
      this.inFlight = false;
    }
    if (!this.running) return;
    if (this.again) {
      this.again = false;
      waitMs = 0;
    }
    this.timer = setTimeout(() => void this.poll(), Math.max(0, waitMs));
  }

  /** One poll; returns how long to wait before the next. */
  private async pollOnce(): Promise<number> {
    const url = `${this.options.roomUrl}/live${this.tick === undefined ? '' : `/${this.tick}`}`;
    const result = await requestJson<LiveDocument>(this.options.fetch, url);
    if (!result.ok) {
      const { error } = result;
      if (error.code === 'tick_expired' || (error.code === 'tick_not_started' && !error.retryable)) {
        // The page slept, or the clock or the interval changed: start again from the current tick.
        this.tick = undefined;
        if (error.code === 'tick_not_started') this.offsetMs = -Infinity;
        return 0;
      }
      if (error.code === 'tick_not_started') return (error.retryAfterSec ?? 1) * 1000;
      return this.failed(error);
    }
    const live = result.body;
    const receivedMs = this.options.now();
    let backfill: SegmentDocument[];
    try {
      backfill = await this.backfill(live);
    } catch (error) {
      return this.failed(error as ChatClientError);
    }
    this.offsetMs = Math.max(this.offsetMs, Date.parse(live.generatedAt) - receivedMs);
    this.settledUntilMs = Math.max(this.settledUntilMs ?? 0, Date.parse(live.window.settledUntil));
    if (live.pollAfterMs !== this.pollMs || this.phase === undefined) {
      this.pollMs = live.pollAfterMs;
      this.phase = this.options.random() * this.pollMs;
    }
    // The next tick, or the current one when this poll ran late (a slow answer, a long backfill):
    // the origin no longer answers ticks before the previous one, and the next document's
    // backfill reads the gap. The server clock is known as a lower bound, so the tick picked is
    // the current or the previous one, both answered.
    this.tick = Math.max(live.window.tick + 1, Math.floor(this.serverNow() / this.pollMs));
    this.failures = 0;
    this.setState('ok');
    this.sink.document(live, backfill);
    return this.tick * this.pollMs + this.phase - this.serverNow();
  }

  private failed(error: ChatClientError): number {
    this.setState('degraded');
    this.sink.error(error);
    const retryAfterMs = (error.retryAfterSec ?? 0) * 1000;
    return this.options.backoff.delayMs(this.failures++, retryAfterMs);
  }

  private setState(state: PollingState) {
    if (state === this.pollingState) return;
    this.pollingState = state;
    this.sink.state(state);
  }

  /** The segments between the last document and this one, when they do not join. */
  private async backfill(live: LiveDocument): Promise<SegmentDocument[]> {
    const lengthMs = live.segment.lengthSeconds * 1000;
    const fromMs = Date.parse(live.window.from);
    let gapFrom: number | undefined;
    let gapTo = fromMs;
    if (this.settledUntilMs === undefined) {
      if (!live.truncated) return this.history(live, lengthMs);
    } else if (fromMs > this.settledUntilMs) {
      gapFrom = this.settledUntilMs;
    }
    if (live.truncated) {
      // The window's oldest items were left out: read up to the oldest one it has.
      gapFrom ??= this.settledUntilMs ?? fromMs;
      const oldest = live.comments[0];
      gapTo = oldest ? Date.parse(oldest.createdAt) : Date.parse(live.window.settledUntil);
    }
    if (gapFrom === undefined || gapTo <= gapFrom) return [];
    gapFrom = Math.max(gapFrom, gapTo - this.options.maxBackfillMs);
    const segments: SegmentDocument[] = [];
    for (let n = Math.floor(gapFrom / lengthMs); n <= Math.floor(gapTo / lengthMs); n++) {
      const segment = await this.segment(n);
      if (segment) segments.push(segment);
    }
    return segments;
  }

  /** On joining: the segments before the first document, newest first, until enough items or time. */
  private async history(live: LiveDocument, lengthMs: number): Promise<SegmentDocument[]> {
    const { items, maxMs } = this.options.history;
    const segments: SegmentDocument[] = [];
    const first = Math.floor(Date.parse(live.window.from) / lengthMs);
    let count = live.comments.length;
    for (let n = first; count < items && (first - n) * lengthMs <= maxMs && n >= 0; n--) {
      const segment = await this.segment(n);
      if (!segment) break; // before the room existed
      segments.unshift(segment);
      count += segment.comments.length;
    }
    return segments;
  }

  /** Segment `n`; undefined when it has nothing to read (before the room existed, or not started). */
  private async segment(n: number): Promise<SegmentDocument | undefined> {
    const result = await requestJson<SegmentDocument>(
      this.options.fetch,
      `${this.options.roomUrl}/segments/${n}`,
    );
    if (result.ok) return result.body;
    if (result.error.code === 'segment_before_room' || result.error.code === 'segment_not_started') {
      return undefined;
    }
    throw result.error;
  }
}
