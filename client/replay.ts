/**
 * Replay of a recorded event (ADR 0040): shows each feed item when the host's media reaches its
 * offset `vpos` (hundredths of a second from the event's start). The host drives it — a media
 * element through `attach`, or `setTime`/`setPlaying`/`setRate` — and the replay maps media time
 * t to wall time (event start + t), reads the segments covering it plus a few ahead, and emits
 * each item once as time passes it. Timers and the clock are injectable, so the core runs in
 * tests with no browser and no animation frames.
 */
import { roomPath } from '../lambdas/domain/paths.js';
import { createBackoff, type Backoff } from './backoff.js';
import { Emitter } from './emitter.js';
import { ChatClientError, requestJson, type Fetch } from './http.js';
import type { PublicRoom, ReplayItem, SegmentDocument } from './types.js';

export interface ReplayOptions {
  /** The CDN's base URL, e.g. `https://d111.cloudfront.net`. */
  readonly baseUrl: string;
  readonly roomId: string;
  readonly fetch?: Fetch;
  /** Segments read ahead of the one playing. Default 2. */
  readonly aheadSegments?: number;
  /** Segments kept in memory (least recently used go first). Default 24. */
  readonly maxCachedSegments?: number;
  /** After a seek (and at the first position): the items of this many seconds before it show at once. Default 10. */
  readonly seekContextSeconds?: number;
  /** `setTime` only: a jump forward of more than this many seconds, or back by more than one, is a seek. Default 3. */
  readonly seekThresholdSeconds?: number;
  readonly timers?: ReplayTimers;
  readonly random?: () => number;
}

/** The clock and timers the replay uses (the platform's by default; tests pass their own). */
export interface ReplayTimers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** What `attach` needs of a media element: `HTMLMediaElement` is one. */
export interface MediaLike {
  readonly currentTime: number;
  readonly paused: boolean;
  readonly playbackRate: number;
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

/** The room as replay knows it: the public room and where offsets count from. */
export interface ReplayRoom {
  readonly room: PublicRoom;
  readonly eventStartsAt: string;
}

export interface ReplayEvents {
  /** The room was read: title, settings, event start. */
  readonly room: ReplayRoom;
  /** Items whose offset media time has just reached, oldest first. */
  readonly items: readonly ReplayItem[];
  /** A seek: clear what is shown; the items around the new position follow as `items`. */
  readonly reset: { readonly time: number };
  /** Media time passed the end of the recording (the first segment that has not started). */
  readonly ended: { readonly time: number };
  /** Whether items due now are still being read (a slow or failing network). */
  readonly waiting: boolean;
  readonly error: ChatClientError;
}

export interface Replay {
  on<K extends keyof ReplayEvents>(type: K, listener: (value: ReplayEvents[K]) => void): () => void;
  /** Reads the room; listen first. Positions given before the room is read apply once it is. */
  start(): void;
  /** Follows a media element (play, pause, seek, rate); returns the function that stops following it. */
  attach(media: MediaLike): () => void;
  /** The media's position in seconds; a jump (see `seekThresholdSeconds`) counts as a seek. */
  setTime(seconds: number): void;
  /** Whether media time is moving (between `setTime` calls the replay moves it at the rate). */
  setPlaying(playing: boolean): void;
  setRate(rate: number): void;
  /** Jumps to a position: clears what is shown and shows the items of the seconds before it. */
  seek(seconds: number): void;
  close(): void;
  /** The media time the replay is at, in seconds. */
  readonly time: number;
  readonly room: ReplayRoom | undefined;
}

type SegmentEntry =
  | { readonly state: 'loading' }
  | { readonly state: 'loaded'; readonly items: readonly ReplayItem[] }
  /** Not started when asked (the recording ends here); asked again after `retryAtMs`. */
  | { readonly state: 'not-started'; readonly retryAtMs: number }
  /** A failure to retry at `retryAtMs`. */
  | { readonly state: 'failed'; readonly retryAtMs: number; readonly attempt: number };

const platformTimers: ReplayTimers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The longest the replay goes without looking at the position while playing. */
const MAX_TIMER_MS = 1_000;
/** A position this close behind the last one is jitter, not a seek (hundredths). */
const BACKWARD_JITTER = 100;

export function createReplay(options: ReplayOptions): Replay {
  const fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  const timers = options.timers ?? platformTimers;
  const random = options.random ?? Math.random;
  const backoff: Backoff = createBackoff({ baseMs: 1_000, maxMs: 30_000, random });
  const ahead = Math.max(0, options.aheadSegments ?? 2);
  const maxCached = Math.max(ahead + 2, options.maxCachedSegments ?? 24);
  const contextVpos = Math.round((options.seekContextSeconds ?? 10) * 100);
  const thresholdSeconds = options.seekThresholdSeconds ?? 3;
  const roomUrl = `${options.baseUrl.replace(/\/+$/, '')}${roomPath(encodeURIComponent(options.roomId))}`;
  const events = new Emitter<ReplayEvents>();
  const segments = new Map<number, SegmentEntry>();

  let room: ReplayRoom | undefined;
  let startMs = 0;
  let lengthMs = 0;
  let closed = false;
  let started = false;
  let roomAttempt = 0;
  let roomTimer: unknown;
  let wakeTimer: unknown;
  let retryTimer: unknown;
  let retryAtMs = Infinity;

  // The position: the last sample, moved on at `rate` while playing (manual hosts).
  let sampleTime = 0;
  let sampleAtMs = timers.now();
  let playing = false;
  let rate = 1;
  /** Attached media: the position is read from it, not extrapolated. */
  let media: MediaLike | undefined;
  /** Everything with vpos up to this was shown; undefined until the first position after a reset. */
  let shownThrough: number | undefined;
  let pendingReset = true;
  let endedAt: number | undefined;
  let waiting = false;

  const position = (): number => {
    if (media) return media.currentTime;
    return playing ? sampleTime + ((timers.now() - sampleAtMs) / 1000) * rate : sampleTime;
  };
  const moving = () => (media ? !media.paused && media.playbackRate > 0 : playing && rate > 0);
  const currentRate = () => (media ? media.playbackRate : rate);

  // ---- offsets ↔ segments ----

  /** The segment holding wall time `ms`. */
  const segmentAt = (ms: number) => Math.floor(ms / lengthMs);
  /** The segments that can hold items of vpos `v` (its hundredth spans 10 ms of wall time). */
  const firstSegmentOf = (v: number) => segmentAt(startMs + v * 10);
  const lastSegmentOf = (v: number) => segmentAt(startMs + v * 10 + 9);
  /** The largest vpos all of whose wall time lies before segment `n`. */
  const lastVposBefore = (n: number) => Math.ceil((n * lengthMs - startMs - 9) / 10) - 1;

  function touch(n: number, entry: SegmentEntry) {
    segments.delete(n);
    segments.set(n, entry);
    if (segments.size <= maxCached) return;
    // Least recently used first; never a request in flight.
    for (const [key, value] of segments) {
      if (segments.size <= maxCached) break;
      if (value.state !== 'loading') segments.delete(key);
    }
  }

  /** Reads segment `n` unless it is loaded, loading, or waiting for its retry time. */
  function request(n: number) {
    const entry = segments.get(n);
    if (entry && (entry.state === 'loading' || entry.state === 'loaded')) return;
    if (entry && timers.now() < entry.retryAtMs) return;
    const attempt = entry?.state === 'failed' ? entry.attempt + 1 : 0;
    touch(n, { state: 'loading' });
    void requestJson<SegmentDocument>(fetchFn, `${roomUrl}/segments/${n}`).then((result) => {
      if (closed || segments.get(n)?.state !== 'loading') return;
      if (result.ok) {
        touch(n, { state: 'loaded', items: result.body.comments as ReplayItem[] });
      } else if (result.error.code === 'segment_before_room') {
        touch(n, { state: 'loaded', items: [] }); // the room did not exist yet: nothing was said
      } else if (result.error.code === 'segment_not_started') {
        const wait = (result.error.retryAfterSec ?? 1) * 1000;
        touch(n, { state: 'not-started', retryAtMs: timers.now() + wait });
      } else if (result.error.retryable) {
        events.emit('error', result.error);
        touch(n, { state: 'failed', attempt, retryAtMs: timers.now() + retryDelay(attempt, result.error) });
        scheduleRetry();
      } else {
        // Nothing will change by asking again: report it and play on without this segment.
        events.emit('error', result.error);
        touch(n, { state: 'loaded', items: [] });
      }
      step();
    });
  }

  const retryDelay = (attempt: number, error: ChatClientError) =>
    backoff.delayMs(attempt, (error.retryAfterSec ?? 0) * 1000);

  /** Wakes the replay when the earliest failed segment may be read again. */
  function scheduleRetry() {
    let next = Infinity;
    for (const entry of segments.values())
      if (entry.state === 'failed') next = Math.min(next, entry.retryAtMs);
    if (next >= retryAtMs) return;
    retryAtMs = next;
    timers.clearTimeout(retryTimer);
    retryTimer = timers.setTimeout(
      () => {
        retryAtMs = Infinity;
        step();
        scheduleRetry();
      },
      Math.max(0, next - timers.now()),
    );
  }

  // ---- the step: show what is due, read ahead, sleep until the next item ----

  function step() {
    if (closed || !room) return;
    const t = position();
    const target = Math.floor(t * 100);
    if (pendingReset || shownThrough === undefined) {
      pendingReset = false;
      shownThrough = target - contextVpos;
      endedAt = undefined;
      events.emit('reset', { time: t });
    }
    readAround(target);
    advance(target);
    scheduleWake(t);
  }

  /** Requests every segment between what was shown and `ahead` segments past the position. */
  function readAround(target: number) {
    const from = firstSegmentOf((shownThrough ?? target) + 1);
    const to = lastSegmentOf(target) + ahead;
    for (let n = from; n <= to; n++) request(n);
  }

  /** Emits the items with vpos in (shownThrough, target], as far as the segments are read. */
  function advance(target: number) {
    if (shownThrough === undefined || target <= shownThrough) return setWaiting(false);
    let through = target;
    let end: number | undefined;
    for (let n = firstSegmentOf(shownThrough + 1); n <= lastSegmentOf(target); n++) {
      const entry = segments.get(n);
      if (entry?.state === 'loaded') continue;
      if (entry?.state === 'not-started') end = n;
      through = Math.min(target, lastVposBefore(n));
      break;
    }
    setWaiting(end === undefined && through < target);
    if (through > shownThrough) {
      const from = shownThrough;
      const due: ReplayItem[] = [];
      for (let n = firstSegmentOf(from + 1); n <= lastSegmentOf(through); n++) {
        const entry = segments.get(n);
        if (entry?.state !== 'loaded') continue;
        touch(n, entry);
        for (const item of entry.items) if (item.vpos > from && item.vpos <= through) due.push(item);
      }
      shownThrough = through;
      if (due.length > 0) events.emit('items', due);
    }
    if (end !== undefined && endedAt === undefined) {
      // At the last recorded segment's end: nothing more to show (unless it starts later: a live event).
      endedAt = (end * lengthMs - startMs) / 1000;
      events.emit('ended', { time: endedAt });
    }
  }

  function setWaiting(next: boolean) {
    if (next === waiting) return;
    waiting = next;
    events.emit('waiting', waiting);
  }

  /** While media time moves: wakes when the next known item is due, and at least every second. */
  function scheduleWake(t: number) {
    timers.clearTimeout(wakeTimer);
    wakeTimer = undefined;
    if (!moving() || shownThrough === undefined) return;
    const after = shownThrough;
    // Segments hold their items in id (time) order: the first later one of the nearest segment is next.
    let next = Infinity;
    for (let n = firstSegmentOf(after + 1); n <= lastSegmentOf(Math.floor(t * 100)) + ahead; n++) {
      const entry = segments.get(n);
      if (entry?.state !== 'loaded') break;
      const item = entry.items.find((candidate) => candidate.vpos > after);
      if (item) {
        next = item.vpos;
        break;
      }
    }
    const dueInMs = ((next / 100 - t) / currentRate()) * 1000;
    const delay = Math.min(MAX_TIMER_MS, Math.max(1, Math.ceil(dueInMs)));
    wakeTimer = timers.setTimeout(step, delay);
  }

  // ---- the host's position ----

  function sample(seconds: number) {
    sampleTime = Math.max(0, seconds);
    sampleAtMs = timers.now();
  }

  function seek(seconds: number) {
    sample(seconds);
    pendingReset = true;
    step();
  }

  function setTime(seconds: number) {
    const expected = position();
    const v = Math.floor(seconds * 100);
    const jumped =
      v < Math.floor(expected * 100) - BACKWARD_JITTER ||
      (shownThrough !== undefined && v < shownThrough - BACKWARD_JITTER) ||
      seconds > expected + thresholdSeconds;
    sample(seconds);
    if (jumped) pendingReset = true;
    step();
  }

  // ---- the room ----

  async function loadRoom() {
    const result = await requestJson<{
      room: PublicRoom;
      eventStartsAt?: string;
      currentSegment: number;
    }>(fetchFn, roomUrl);
    if (closed) return;
    if (!result.ok) {
      events.emit('error', result.error);
      if (!result.error.retryable && result.error.code !== 'room_not_found') return;
      roomTimer = timers.setTimeout(() => void loadRoom(), retryDelay(roomAttempt++, result.error));
      return;
    }
    const { room: publicRoom } = result.body;
    // An API older than vpos: the scheduled start, else nothing better than the epoch of the first item.
    const eventStartsAt = result.body.eventStartsAt ?? publicRoom.schedule.startsAt;
    if (!eventStartsAt) {
      events.emit(
        'error',
        new ChatClientError({
          code: 'no_event_start',
          message: 'The server does not say when this event started.',
          retryable: false,
        }),
      );
      return;
    }
    startMs = Date.parse(eventStartsAt);
    lengthMs = publicRoom.settings.segmentSeconds * 1000;
    room = { room: publicRoom, eventStartsAt };
    events.emit('room', room);
    pendingReset = true;
    step();
  }

  return {
    on: (type, listener) => events.on(type, listener),
    start() {
      if (started || closed) return;
      started = true;
      void loadRoom();
    },
    attach(element) {
      // A position behind what was shown without a `seeking` event is still a seek (setTime tells).
      const follow = () => setTime(element.currentTime);
      const onSeeking = () => seek(element.currentTime);
      const listeners: [string, () => void][] = [
        ['timeupdate', follow],
        ['play', follow],
        ['playing', follow],
        ['pause', follow],
        ['waiting', follow],
        ['ratechange', follow],
        ['seeking', onSeeking],
        ['seeked', follow],
      ];
      media = element;
      for (const [type, listener] of listeners) element.addEventListener(type, listener);
      seek(element.currentTime);
      return () => {
        for (const [type, listener] of listeners) element.removeEventListener(type, listener);
        if (media !== element) return;
        sample(element.currentTime);
        playing = false;
        media = undefined;
        step();
      };
    },
    setTime,
    setPlaying(next) {
      sample(position());
      playing = next;
      step();
    },
    setRate(next) {
      sample(position());
      rate = next > 0 ? next : 0;
      step();
    },
    seek,
    close() {
      closed = true;
      for (const timer of [wakeTimer, retryTimer, roomTimer]) timers.clearTimeout(timer);
      segments.clear();
    },
    get time() {
      return position();
    },
    get room() {
      return room;
    },
  };
}
