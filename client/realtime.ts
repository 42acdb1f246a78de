/**
 * The SDK's realtime client: AppSync's GraphQL-over-WebSocket protocol as AWS documents it
 * ("Building a real-time WebSocket client in AWS AppSync"), authorised by the API key, for a
 * room's few subscriptions over one socket. Why our own and not aws-amplify: ADR 0023.
 *
 * States, each reported once through `onState` when entered:
 * - `connecting`: before the first connection — a random delay (AppSync admits 200 new
 *   connections/s per API), the socket, `connection_init`, `connection_ack`, a `start` per
 *   subscription; failures back off and try again, still `connecting`.
 * - `connected`: every subscription answered `start_ack`.
 * - `reconnecting`: after `connected`, the socket closed, went silent past the keep-alive
 *   timeout, or a start was refused or went unanswered (or `resubscribe()` is restarting them):
 *   backing off, then a new socket, or the missing subscriptions restarted on the open one.
 *   Back to `connected` calls `onReconnected`: the SDK backfills the gap from the poll path.
 * - `off`: `close()`, no WebSocket here, an endpoint that cannot be dialled, or the API key refused.
 */
import { createBackoff, type Backoff } from './backoff.js';
import type { RealtimeEndpoint, RealtimeState, RoomEvent, RoomEventKind, WebSocketLike } from './types.js';

/** A GraphQL subscription document and its variables (lambdas/domain/realtime/subscriptions.ts). */
export interface RealtimeSubscription {
  readonly query: string;
  readonly variables?: Record<string, unknown>;
}

/** `setTimeout` and `clearTimeout`, injectable for tests that count what is left running. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface RealtimeOptions {
  readonly endpoint: RealtimeEndpoint;
  /** Started on every connection; all deliver through `onEvent`. */
  readonly subscriptions: readonly RealtimeSubscription[];
  /** @default globalThis.WebSocket (Node 20 has none: pass `ws`). Without one: `off`. */
  readonly WebSocket?: WebSocketLike;
  /** The first connect waits a random time below this, in ms. @default 2_000 */
  readonly connectJitterMs?: number;
  /** Paces reconnects and subscription retries. @default createBackoff({ baseMs: 1_000, maxMs: 60_000 }) */
  readonly backoff?: Backoff;
  /** The longest wait for the socket to open and `connection_ack`, and for a `start_ack`, in ms. @default 15_000 */
  readonly ackTimeoutMs?: number;
  /** @default Math.random */
  readonly random?: () => number;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default the global timers */
  readonly timers?: Timers;
}

export type RealtimeErrorCode =
  /** No WebSocket in this runtime, or the endpoint cannot be dialled from here: `off`. */
  | 'realtime_unavailable'
  /** AppSync refused the API key (expired or removed): `off`; fresh connection info may help. */
  | 'realtime_unauthorized'
  /** Any other `connection_error`: reconnecting. */
  | 'realtime_connection_error'
  /** No `connection_ack` or `start_ack` in time, or silence past `connectionTimeoutMs`: reconnecting. */
  | 'realtime_timeout'
  /** A start refused (`error`) or ended by the server (`complete`): retried with backoff. */
  | 'realtime_subscription_error'
  /** A message or event that is not what the protocol or the schema says: dropped. */
  | 'realtime_bad_message';

export interface RealtimeError {
  readonly code: RealtimeErrorCode;
  readonly message: string;
}

export interface RealtimeHandlers {
  /** A pushed event, checked by `readRoomEvent`. */
  onEvent(event: RoomEvent): void;
  /** Called at once with `connecting` (or `off`), then at each change. */
  onState(state: RealtimeState): void;
  /** Back to `connected` after a gap: what was pushed meanwhile is only on the poll path. */
  onReconnected?(): void;
  onError?(error: RealtimeError): void;
}

export interface RealtimeStats {
  /** WebSockets opened (connection attempts: what AppSync's connect rate counts). */
  readonly connects: number;
  /** Returns to `connected` after a gap (each with `onReconnected`). */
  readonly reconnects: number;
  /** `resubscribe()` calls that acted. */
  readonly resubscribes: number;
}

export interface RealtimeConnection {
  readonly state: RealtimeState;
  /** Live counters. */
  readonly stats: RealtimeStats;
  /**
   * Heals a half-failed subscription (the socket alive, events not arriving — the SDK sees one on
   * the poll path the push path never delivered): stops and restarts the subscriptions on the
   * open socket; a second call on the same socket replaces the socket. Ignored unless `connected`.
   */
  resubscribe(): void;
  /** Stops everything: the socket closed, no timer left, `off`. */
  close(): void;
}

/** The keep-alive timeout when `connection_ack` names none: AppSync's (5 minutes). */
const KEEP_ALIVE_MS = 300_000;
/** A connection that stayed `connected` this long resets the backoff. */
const STABLE_MS = 30_000;

const TIMERS: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
const noop = () => {};

interface ServerMessage {
  type?: string;
  id?: string;
  payload?: {
    connectionTimeoutMs?: unknown;
    data?: Record<string, unknown> | null;
    errors?: { errorType?: string; message?: string; errorCode?: number }[];
  };
}

export function connectRealtime(options: RealtimeOptions, handlers: RealtimeHandlers): RealtimeConnection {
  const { endpoint, subscriptions, random = Math.random, now = Date.now, timers = TIMERS } = options;
  const { ackTimeoutMs = 15_000, connectJitterMs = 2_000 } = options;
  const WebSocketClass = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketLike }).WebSocket;
  const backoff = options.backoff ?? createBackoff({ baseMs: 1_000, maxMs: 60_000, random });
  const stats = { connects: 0, reconnects: 0, resubscribes: 0 };
  let state: RealtimeState;
  let closed = false;
  let socket: WebSocket | undefined;
  /** AppSync's authorisation headers for the connection and for each start. */
  let auth: Record<string, string> = {};
  /** `connection_ack` received on `socket`. */
  let acked = false;
  let keepAliveMs = KEEP_ALIVE_MS;
  /** This socket's started subscriptions by start id: the index in `subscriptions`, acknowledged or not. */
  const started = new Map<string, { index: number; acked: boolean }>();
  let sequence = 0;
  let resubscribedThisSocket = false;
  /** Failures since the last connection that stayed up. */
  let attempt = 0;
  let wasConnected = false;
  let connectedAt = 0;
  /** Before a connect or a subscription retry. */
  let wait: unknown;
  /** The handshake's deadline, then the keep-alive's. */
  let watchdog: unknown;
  let startDeadline: unknown;

  const report = (code: RealtimeErrorCode, message: string) => {
    if (!closed) handlers.onError?.({ code, message });
  };
  const enter = (next: RealtimeState) => {
    if (!closed && next !== state) handlers.onState((state = next));
  };
  const send = (message: object) => socket?.send(JSON.stringify(message));

  function arm(ms: number) {
    timers.clearTimeout(watchdog);
    watchdog = timers.setTimeout(
      () =>
        fail('realtime_timeout', acked ? `No message for ${ms} ms.` : `No connection_ack within ${ms} ms.`),
      ms,
    );
  }

  function open() {
    stats.connects++;
    let ws: WebSocket;
    try {
      auth = { host: new URL(endpoint.graphqlUrl).host, 'x-api-key': endpoint.apiKey };
      // Browsers cannot set headers on a WebSocket: AppSync takes them base64-encoded in the query.
      ws = new WebSocketClass!(`${endpoint.realtimeUrl}?header=${btoa(JSON.stringify(auth))}&payload=e30=`, [
        'graphql-ws',
      ]);
    } catch (error) {
      return stop('realtime_unavailable', `Cannot open ${endpoint.realtimeUrl}: ${String(error)}`);
    }
    socket = ws;
    resubscribedThisSocket = false;
    ws.onopen = () => send({ type: 'connection_init' });
    ws.onmessage = (event) => receive(event.data);
    ws.onerror = ws.onclose = () => fail();
    arm(ackTimeoutMs);
  }

  /** Forgets the socket, its subscriptions and its timers. */
  function drop() {
    timers.clearTimeout(watchdog);
    timers.clearTimeout(startDeadline);
    started.clear();
    acked = false;
    const ws = socket;
    socket = undefined;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = null;
      // Node's `ws` throws an 'error' event nobody listens to, which closing a connecting socket emits.
      ws.onerror = noop;
      ws.close();
    }
  }

  /** Waits the next backoff delay, then `then`; a connection that stayed up starts the count again. */
  function retryLater(then: () => void) {
    if (state === 'connected' && now() - connectedAt >= STABLE_MS) attempt = 0;
    timers.clearTimeout(wait);
    wait = timers.setTimeout(then, backoff.delayMs(attempt++));
    enter(wasConnected ? 'reconnecting' : 'connecting');
  }

  /** The socket is lost or useless: a new one after the backoff delay. */
  function fail(code?: RealtimeErrorCode, message = '') {
    drop();
    retryLater(open);
    if (code) report(code, message);
  }

  function stop(code?: RealtimeErrorCode, message = '') {
    if (closed) return;
    if (code) report(code, message);
    if (closed) return; // onError closed us
    closed = true;
    timers.clearTimeout(wait);
    drop();
    handlers.onState((state = 'off'));
  }

  function startMissing() {
    subscriptions.forEach(({ query, variables = {} }, index) => {
      for (const sub of started.values()) if (sub.index === index) return;
      const id = String(++sequence);
      started.set(id, { index, acked: false });
      send({
        id,
        type: 'start',
        payload: { data: JSON.stringify({ query, variables }), extensions: { authorization: auth } },
      });
    });
    settle();
  }

  /** After a start or its answer: a deadline while starts are unanswered; `connected` once all are acknowledged. */
  function settle() {
    timers.clearTimeout(startDeadline);
    const subs = [...started.values()];
    if (subs.some((sub) => !sub.acked)) {
      startDeadline = timers.setTimeout(
        () => fail('realtime_timeout', `No start_ack within ${ackTimeoutMs} ms.`),
        ackTimeoutMs,
      );
    } else if (subs.length === subscriptions.length && state !== 'connected') {
      const gap = wasConnected;
      wasConnected = true;
      connectedAt = now();
      enter('connected');
      if (gap && !closed) {
        stats.reconnects++;
        handlers.onReconnected?.();
      }
    }
  }

  function subscriptionFailed(id: string, message: string) {
    started.delete(id);
    settle(); // its start deadline must not outlive it
    retryLater(startMissing);
    report('realtime_subscription_error', message);
  }

  function receive(data: unknown) {
    const message = parseObject(data) as ServerMessage | undefined;
    if (!message) return report('realtime_bad_message', `Not a JSON object: ${String(data).slice(0, 200)}`);
    // Any message proves the connection alive, not only `ka`.
    if (acked) arm(keepAliveMs);
    const { type, id = '', payload } = message;
    const sub = started.get(id);
    switch (type) {
      case 'connection_ack': {
        const timeout = payload?.connectionTimeoutMs;
        keepAliveMs = typeof timeout === 'number' && timeout > 0 ? timeout : KEEP_ALIVE_MS;
        acked = true;
        arm(keepAliveMs);
        return startMissing();
      }
      case 'start_ack':
        if (sub) {
          sub.acked = true;
          settle();
        }
        return;
      case 'data': {
        if (!sub) return; // a stopped subscription's last words
        const event = readRoomEvent(Object.values(payload?.data ?? {})[0]);
        if (event) return handlers.onEvent(event);
        return report(
          'realtime_bad_message',
          `Dropped a malformed event: ${JSON.stringify(payload).slice(0, 200)}`,
        );
      }
      case 'error':
        if (sub) return subscriptionFailed(id, describe(message));
        return report('realtime_bad_message', describe(message));
      case 'complete':
        // Our own stops were forgotten when sent: this one ended a subscription we still wanted.
        if (sub) subscriptionFailed(id, `The server completed subscription ${id}.`);
        return;
      case 'connection_error': {
        const error = payload?.errors?.[0];
        if (
          error?.errorType === 'UnauthorizedException' ||
          error?.errorCode === 401 ||
          error?.errorCode === 403
        ) {
          return stop('realtime_unauthorized', describe(message));
        }
        return fail('realtime_connection_error', describe(message));
      }
    }
  }

  const connection: RealtimeConnection = {
    get state() {
      return state;
    },
    stats,
    resubscribe() {
      if (state !== 'connected') return;
      stats.resubscribes++;
      if (resubscribedThisSocket) return fail();
      resubscribedThisSocket = true;
      for (const id of started.keys()) send({ id, type: 'stop' });
      started.clear();
      enter('reconnecting');
      startMissing();
    },
    close: () => stop(),
  };

  if (!WebSocketClass) {
    stop('realtime_unavailable', 'No WebSocket in this runtime: pass options.WebSocket (`ws` in Node 20).');
  } else {
    wait = timers.setTimeout(open, random() * connectJitterMs);
    enter('connecting');
  }
  return connection;
}

/** Required payload fields per kind: strings, except those in FIELD_TYPES. */
const PAYLOAD_FIELDS: Record<RoomEventKind, string> = {
  ARTIST_MESSAGE: 'itemId artistId displayName text',
  NOTICE: 'itemId level text',
  COMMENT_DELETED: 'commentId',
  USER_BANNED: 'userId scope',
  USER_UNBANNED: 'userId scope',
  COMMENTS_PURGED: 'userId before',
  SETTINGS_CHANGED: 'settings version',
  PING: 'nonce',
};
const FIELD_TYPES: Record<string, string> = { settings: 'object', version: 'number' };

/**
 * Reads a pushed event (`payload` is AWSJSON: a JSON string), or undefined if it is malformed:
 * the server's schema (room-event.ts) checked by hand, to the fields' presence and types, so the
 * SDK carries no zod.
 */
export function readRoomEvent(wire: unknown): RoomEvent | undefined {
  const event = parseObject(wire);
  const fields =
    event &&
    Object.hasOwn(PAYLOAD_FIELDS, event.kind as string) &&
    PAYLOAD_FIELDS[event.kind as RoomEventKind];
  if (!event || !fields || ['id', 'roomId', 'time', 'payload'].some((key) => typeof event[key] !== 'string'))
    return;
  const payload = parseObject(event.payload);
  if (
    !payload ||
    fields
      .split(' ')
      .some((key) => payload[key] === null || typeof payload[key] !== (FIELD_TYPES[key] ?? 'string'))
  )
    return;
  return { id: event.id, roomId: event.roomId, kind: event.kind, time: event.time, payload } as RoomEvent;
}

/** An object as is, or a JSON text of one; anything else is undefined. */
function parseObject(value: unknown): Record<string, unknown> | undefined {
  try {
    const object = typeof value === 'string' ? JSON.parse(value) : value;
    return typeof object === 'object' && object !== null && !Array.isArray(object) ? object : undefined;
  } catch {
    return undefined;
  }
}

function describe(message: ServerMessage): string {
  const errors = message.payload?.errors ?? [];
  return (
    errors.map((e) => `${e.errorType ?? 'Error'}: ${e.message ?? ''}`).join('; ') || String(message.type)
  );
}
