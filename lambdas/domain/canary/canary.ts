/**
 * The canary (ADR 0032): the LINE write-up's self-ping, for the whole path. One run checks, as a
 * viewer would, that
 * - the realtime path delivers: subscribe to the canary room over AppSync's realtime protocol,
 *   publish a PING through the backend's publisher, and wait for it on the subscription;
 * - the comment path round-trips: post a comment through the edge and poll the room's `live`
 *   through the edge until it shows.
 * The two probes are independent and run side by side; each step reports its outcome and latency.
 */
import { newCommentId } from '../feed/ids.js';
import { ping } from '../realtime/feed-events.js';
import type { RealtimePublisher } from '../realtime/ports.js';
import type { RoomReader, RoomWriter } from '../rooms/ports.js';
import { createRoom, type Room } from '../rooms/room.js';
import {
  CANARY_STEPS,
  type CanaryRun,
  type CanaryStep,
  type CanaryStepName,
  type EdgeViewer,
  type RoomSubscriber,
  type Subscription,
} from './ports.js';
import { CANARY_CHANNEL_ID, DEFAULT_CANARY_ROOM_ID } from './room-ids.js';

export { CANARY_CHANNEL_ID, DEFAULT_CANARY_ROOM_ID };

export interface CanaryTimeouts {
  /** Until the subscription is acknowledged. */
  readonly subscribeMs: number;
  /** From the publish call until the PING arrives on the subscription. */
  readonly pushMs: number;
  /** The post's round trip through the edge. */
  readonly postMs: number;
  /**
   * From the post until the comment shows in a polled `live`: this many poll intervals of the
   * room, plus `pollSlackMs`. A tick's document may have been made just before the comment was
   * stored and be served from the cache for that tick, so the next tick's is the latest that
   * must hold it.
   */
  readonly pollIntervals: number;
  readonly pollSlackMs: number;
  /**
   * The poll's wait never exceeds this, whatever the room's interval (an operator may set up to
   * 60 s): the post's 10 s and this stay inside the function's 60 s timeout.
   */
  readonly pollMaxMs: number;
}

export const DEFAULT_CANARY_TIMEOUTS: CanaryTimeouts = {
  subscribeMs: 10_000,
  pushMs: 10_000,
  postMs: 10_000,
  pollIntervals: 2,
  pollSlackMs: 2_000,
  pollMaxMs: 40_000,
};

export interface CanaryDeps {
  readonly roomId: string;
  /** The canary room is read and, when missing, created (the canary's own grant on the control table). */
  readonly rooms: RoomReader & Pick<RoomWriter, 'create'>;
  /** The backend's publisher: the one the admin function publishes with. */
  readonly publisher: RealtimePublisher;
  readonly subscriber: RoomSubscriber;
  readonly edge: EdgeViewer;
  /**
   * The canary viewer's token (a host-service JWT the operator stores; a dev token locally), or
   * undefined when none is configured: the post step then says `not_configured`.
   */
  readonly viewerToken: () => Promise<string | undefined>;
  readonly clock: () => number;
  readonly timeouts?: Partial<CanaryTimeouts>;
}

type Steps = Partial<Record<CanaryStepName, CanaryStep>>;

/** One run. Never throws: every failure is a step's outcome. */
export async function runCanary(deps: CanaryDeps): Promise<CanaryRun> {
  const timeouts = { ...DEFAULT_CANARY_TIMEOUTS, ...deps.timeouts };
  const startedAtMs = deps.clock();
  const steps: Steps = {};
  await Promise.all([pushProbe(deps, timeouts, steps), commentProbe(deps, timeouts, steps)]);
  const all = Object.fromEntries(
    CANARY_STEPS.map((name) => [name, steps[name] ?? { outcome: 'skipped' }]),
  ) as Record<CanaryStepName, CanaryStep>;
  return {
    startedAt: new Date(startedAtMs).toISOString(),
    durationMs: deps.clock() - startedAtMs,
    failed: Object.values(all).some((s) => s.outcome === 'failed'),
    steps: all,
  };
}

/** Subscribe, publish a PING through the backend, wait for it on the subscription. */
async function pushProbe(deps: CanaryDeps, timeouts: CanaryTimeouts, steps: Steps): Promise<void> {
  const { clock, roomId } = deps;
  const nonce = `canary-${newCommentId(clock())}`;
  let arrived: (atMs: number) => void = () => {};
  const arrival = new Promise<number>((resolve) => (arrived = resolve));

  let subscription: Subscription | undefined;
  const subscribeStart = clock();
  try {
    subscription = await deps.subscriber.subscribe(
      roomId,
      (event) => {
        if (event.kind === 'PING' && (event.payload as { nonce?: unknown }).nonce === nonce) arrived(clock());
      },
      AbortSignal.timeout(timeouts.subscribeMs),
    );
    steps.subscribe = { outcome: 'ok', latencyMs: clock() - subscribeStart };
  } catch (error) {
    steps.subscribe = failed(error);
    steps.push = { outcome: 'skipped', error: 'not subscribed' };
    return;
  }

  try {
    const sentAtMs = clock();
    try {
      await ping({ publisher: deps.publisher, clock }, roomId, nonce);
    } catch (error) {
      throw new StepFailure(`publishing the PING failed: ${message(error)}`);
    }
    const arrivedAtMs = await deadline(arrival, sentAtMs + timeouts.pushMs - clock(), () => {
      return `the PING published ${timeouts.pushMs} ms ago never arrived on the subscription`;
    });
    steps.push = { outcome: 'ok', latencyMs: arrivedAtMs - sentAtMs };
  } catch (error) {
    steps.push = failed(error);
  } finally {
    subscription.close();
  }
}

/** Make sure of the room, post a comment through the edge, poll it back through the edge. */
async function commentProbe(deps: CanaryDeps, timeouts: CanaryTimeouts, steps: Steps): Promise<void> {
  const { clock, roomId } = deps;
  let room: Room;
  const roomStart = clock();
  try {
    room = await ensureCanaryRoom(deps);
    const unusable = whyNotPostable(room);
    if (unusable) throw new StepFailure(`room ${roomId} ${unusable}: the canary cannot post there`);
    steps.room = { outcome: 'ok', latencyMs: clock() - roomStart };
  } catch (error) {
    steps.room = failed(error);
    return;
  }

  let token: string | undefined;
  try {
    token = await deps.viewerToken();
  } catch (error) {
    steps.post = failed(new StepFailure(`reading the canary's viewer token failed: ${message(error)}`));
    return;
  }
  if (!token) {
    steps.post = { outcome: 'not_configured', error: 'no viewer token is configured for the canary' };
    steps.poll = { outcome: 'skipped', error: 'nothing posted' };
    return;
  }

  const sentAtMs = clock();
  let commentId: string;
  try {
    commentId = await deps.edge.post(
      roomId,
      {
        text: `canary ${new Date(sentAtMs).toISOString()}`,
        clientMessageId: `canary-${newCommentId(sentAtMs)}`,
        token,
      },
      AbortSignal.timeout(timeouts.postMs),
    );
    steps.post = { outcome: 'ok', latencyMs: clock() - sentAtMs };
  } catch (error) {
    steps.post = failed(error);
    steps.poll = { outcome: 'skipped', error: 'nothing posted' };
    return;
  }

  const pollMs = Math.min(
    room.settings.pollIntervalSeconds * 1000 * timeouts.pollIntervals + timeouts.pollSlackMs,
    timeouts.pollMaxMs,
  );
  try {
    await deps.edge.pollUntilShown(roomId, commentId, AbortSignal.timeout(pollMs));
    steps.poll = { outcome: 'ok', latencyMs: clock() - sentAtMs };
  } catch (error) {
    steps.poll = failed(error);
  }
}

/**
 * The canary room, created on first use: open, in its own channel, with the defaults (a 3 s poll
 * interval, no slow mode). A room an operator closed or silenced is left as it is and reported.
 */
export async function ensureCanaryRoom(deps: Pick<CanaryDeps, 'rooms' | 'roomId' | 'clock'>): Promise<Room> {
  const existing = await deps.rooms.get(deps.roomId);
  if (existing) return existing;
  const room = createRoom(
    {
      roomId: deps.roomId,
      channelId: CANARY_CHANNEL_ID,
      title: 'Canary (automated health check; keep open)',
    },
    new Date(deps.clock()),
  );
  if (await deps.rooms.create(room)) return room;
  // Another run created it meanwhile.
  const created = await deps.rooms.get(deps.roomId);
  if (!created) throw new StepFailure(`room ${deps.roomId} could be neither created nor read`);
  return created;
}

function whyNotPostable(room: Room): string | undefined {
  if (room.status !== 'open') return 'is closed';
  if (!room.settings.enabled) return 'has its chat turned off';
  if (room.settings.postingAllowed !== 'everyone') return 'allows no posts';
  return undefined;
}

/** A step's own refusal; its message is the reason reported. */
class StepFailure extends Error {}

function failed(error: unknown): CanaryStep {
  return { outcome: 'failed', error: message(error) };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `promise`'s value, or a StepFailure saying `why()` once `ms` have passed. */
async function deadline<T>(promise: Promise<T>, ms: number, why: () => string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new StepFailure(why())), Math.max(0, ms));
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
