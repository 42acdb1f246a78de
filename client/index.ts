/**
 * The viewer SDK: one client per room. It polls the room's `live` by tick and
 * backfills from segments (nothing missed), merges in the realtime path's
 * pushes (each item once, by id), and posts idempotently. Runs in browsers and
 * in Node 20+ (pass `WebSocket` from the `ws` package there).
 */
import { GLOBAL_EVENT, ROOM_EVENT } from '../lambdas/domain/realtime/subscriptions.js';
import { normalizeCommentText } from '../lambdas/domain/feed/text-rules.js';
import { roomPath } from '../lambdas/domain/paths.js';
import { createBackoff } from './backoff.js';
import { Emitter } from './emitter.js';
import { FeedState } from './feed-state.js';
import { ChatClientError } from './http.js';
import { POLL_DEFAULTS, Poller } from './poller.js';
import { PushWatch } from './push-watch.js';
import { connectRealtime, type RealtimeConnection } from './realtime.js';
import { newClientMessageId, sendComment, type TokenProvider } from './sender.js';
import type {
  ConnectionState,
  FeedItem,
  LiveDocument,
  PublicRoom,
  PurgeView,
  RealtimeEndpoint,
  RealtimeState,
  RoomEvent,
  SegmentDocument,
  ViewerBan,
  WebSocketLike,
} from './types.js';
/** The server's palette of comment decorations: what a comment's `style` names (ADR 0024). */
export {
  COMMENT_STYLES,
  commentStyle,
  type CommentStyle,
  type CommentStyleId,
} from '../lambdas/domain/feed/comment-styles.js';

export { ChatClientError };
/** Replay of a recorded event, driven by the host's media time (ADR 0040). */
export {
  createReplay,
  type MediaLike,
  type Replay,
  type ReplayEvents,
  type ReplayOptions,
  type ReplayRoom,
  type ReplayTimers,
} from './replay.js';
export type * from './types.js';
export type { TokenProvider };

export interface ChatClientOptions {
  /** The CDN's base URL, e.g. `https://d111.cloudfront.net`. */
  readonly baseUrl: string;
  readonly roomId: string;
  /** The realtime API; without it, everything still arrives by polling (a poll interval later). */
  readonly realtime?: RealtimeEndpoint;
  /** The viewer's token from the host service; without it the client only reads. */
  readonly getToken?: TokenProvider;
  /** Node 20 has no global WebSocket: pass `ws`'s. */
  readonly WebSocket?: WebSocketLike;
  readonly fetch?: typeof fetch;
  /** Items kept for de-duplication and `items()`. Default 2,000. */
  readonly maxItems?: number;
  /** The longest absence read back from segments. Default 30 minutes. */
  readonly maxBackfillMs?: number;
  /** Items shown from before joining (read back from segments, at most two minutes). Default 50; 0 for none. */
  readonly historyItems?: number;
  /** Pause polling while the page is hidden, and catch up when it shows. Default true. */
  readonly pauseWhenHidden?: boolean;
  /** How long after an event its push may arrive before the subscription counts as half-failed. Default 5 s. */
  readonly pushGraceMs?: number;
  readonly random?: () => number;
}

/** Why this viewer may not post right now, if they may not. */
export type PostingState =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      readonly reason:
        'signed_out' | 'room_closed' | 'chat_disabled' | 'posting_closed' | 'banned' | 'slow_mode';
      /** Bans and slow mode: until when (absent: permanent). */
      readonly until?: string;
    };

export interface ChatEvents {
  /** A viewer's comment, once, whichever path brought it. */
  readonly comment: FeedItem;
  readonly artistMessage: FeedItem;
  /** An operator's notice; `displayUntil`, when present, is when its banner should go. */
  readonly notice: FeedItem;
  /** Remove this item wherever it shows. */
  readonly delete: { readonly commentId: string };
  /** Remove the user's comments created at or before `before`. */
  readonly purge: PurgeView;
  /** A user banned (their comments hide); `self` when it is this viewer. */
  readonly ban: ViewerBan & { readonly self: boolean };
  readonly unban: ViewerBan & { readonly self: boolean };
  /** The room's public settings or status changed. */
  readonly settings: PublicRoom;
  /** Whether this viewer may post, and if not why and until when. */
  readonly posting: PostingState;
  readonly connection: ConnectionState;
  readonly error: ChatClientError;
}

export interface ChatClientStats {
  /** Events the poll path showed that an open subscription never delivered (half-failed subscriptions found). */
  readonly missedPushes: number;
  readonly resubscribes: number;
  readonly realtimeReconnects: number;
}

export interface ChatClient {
  on<K extends keyof ChatEvents>(type: K, listener: (value: ChatEvents[K]) => void): () => void;
  /** Starts polling (and the realtime connection). Listen first: events start with the first document. */
  start(): void;
  /**
   * Posts a comment. The room's visible rules are checked first (the server stays the judge);
   * transient failures are retried with the same clientMessageId. Resolves with the stored comment
   * (also emitted as `comment`), rejects with a ChatClientError saying why not.
   */
  send(text: string): Promise<FeedItem>;
  /** A viewer signed in (or out, with undefined): the posting state follows at once. */
  setTokenProvider(provider: TokenProvider | undefined): void;
  close(): void;
  /** The items shown now, oldest first. */
  items(): FeedItem[];
  readonly room: PublicRoom | undefined;
  readonly posting: PostingState;
  readonly connection: ConnectionState;
  readonly userId: string | undefined;
  stats(): ChatClientStats;
}

/** A push younger than this wins over a `live` document that does not show it yet (rooms are cached ~1 s). */
const PUSH_WINS_MS = 3_000;

export function createChatClient(options: ChatClientOptions): ChatClient {
  const fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  const random = options.random ?? Math.random;
  const roomUrl = `${options.baseUrl.replace(/\/+$/, '')}${roomPath(encodeURIComponent(options.roomId))}`;
  const events = new Emitter<ChatEvents>();
  const feed = new FeedState(options.maxItems);
  const watch = new PushWatch(options.pushGraceMs ?? 5_000);
  const doc = typeof document === 'undefined' ? undefined : document;
  const pauseWhenHidden = options.pauseWhenHidden ?? true;

  let room: PublicRoom | undefined;
  let roomPushedAtMs = -Infinity;
  let userId: string | undefined;
  let slowModeUntilMs = 0;
  let posting: PostingState = { allowed: false, reason: 'signed_out' };
  let postingTimer: ReturnType<typeof setTimeout> | undefined;
  let connection: ConnectionState = {
    polling: 'ok',
    realtime: options.realtime ? 'connecting' : 'off',
  };
  let realtime: RealtimeConnection | undefined;
  let missedPushes = 0;
  let started = false;

  const setConnection = (next: Partial<ConnectionState>) => {
    const merged = { ...connection, ...next };
    if (merged.polling === connection.polling && merged.realtime === connection.realtime) return;
    connection = merged;
    events.emit('connection', connection);
  };

  const emitItems = (items: readonly FeedItem[]) => {
    for (const item of feed.add(items)) {
      events.emit(
        item.kind === 'artist_message' ? 'artistMessage' : item.kind === 'notice' ? 'notice' : 'comment',
        item,
      );
    }
  };

  const applyDeletion = (commentId: string) => {
    if (feed.delete(commentId)) events.emit('delete', { commentId });
  };
  const applyPurge = (purge: PurgeView) => {
    if (feed.purge(purge)) events.emit('purge', purge);
  };
  const applyBans = (change: { banned: ViewerBan[]; unbanned: ViewerBan[] }) => {
    for (const ban of change.unbanned) events.emit('unban', { ...ban, self: ban.userId === userId });
    for (const ban of change.banned) events.emit('ban', { ...ban, self: ban.userId === userId });
    if (change.banned.length + change.unbanned.length > 0) updatePosting();
  };
  const applyRoom = (next: PublicRoom) => {
    if (room && JSON.stringify(room) === JSON.stringify(next)) return;
    room = next;
    events.emit('settings', next);
    updatePosting();
  };

  /** Why this viewer may not post, from the room, their ban and slow mode; re-checked when a limit ends. */
  const updatePosting = () => {
    const nowMs = poller.serverNow();
    clearTimeout(postingTimer);
    const ban = userId === undefined ? undefined : feed.banOf(userId, nowMs);
    let next: PostingState;
    if (userId === undefined) next = { allowed: false, reason: 'signed_out' };
    else if (room?.status === 'closed') next = { allowed: false, reason: 'room_closed' };
    else if (room && !room.settings.enabled) next = { allowed: false, reason: 'chat_disabled' };
    else if (room?.settings.postingAllowed === 'nobody') next = { allowed: false, reason: 'posting_closed' };
    else if (ban) next = { allowed: false, reason: 'banned', ...(ban.until ? { until: ban.until } : {}) };
    else if (slowModeUntilMs > nowMs) {
      next = { allowed: false, reason: 'slow_mode', until: new Date(slowModeUntilMs).toISOString() };
    } else next = { allowed: true };
    if (!next.allowed && next.until) {
      postingTimer = setTimeout(updatePosting, Date.parse(next.until) - nowMs + 50);
    }
    if (JSON.stringify(next) === JSON.stringify(posting)) return;
    posting = next;
    events.emit('posting', posting);
  };

  const onDocument = (live: LiveDocument, backfill: readonly SegmentDocument[]) => {
    const generatedAtMs = Date.parse(live.generatedAt);
    if (generatedAtMs > roomPushedAtMs + PUSH_WINS_MS) applyRoom(live.room);
    for (const purge of live.purges) applyPurge(purge);
    applyBans(feed.setBans(live.bans, generatedAtMs, PUSH_WINS_MS));
    const tombstones = [...backfill.flatMap((s) => s.tombstones), ...live.tombstones];
    for (const t of tombstones) {
      watch.poll(`delete ${t.commentId}`, Date.parse(t.deletedAt));
      applyDeletion(t.commentId);
    }
    const items = [...backfill.flatMap((s) => s.comments), ...live.comments];
    for (const item of items) {
      if (item.kind !== 'comment') watch.poll(`item ${item.id}`, Date.parse(item.createdAt));
    }
    emitItems(items);
    const overdue = watch.overdue(poller.serverNow());
    if (overdue > 0 && realtime) {
      // Socket alive, events not arriving: the subscription is half-failed.
      missedPushes += overdue;
      realtime.resubscribe();
    }
  };

  const onPush = (event: RoomEvent) => {
    const nowMs = poller.serverNow();
    switch (event.kind) {
      case 'ARTIST_MESSAGE': {
        const p = (event as RoomEvent<'ARTIST_MESSAGE'>).payload;
        watch.push(`item ${p.itemId}`);
        return emitItems([
          {
            id: p.itemId,
            roomId: event.roomId,
            kind: 'artist_message',
            userId: p.artistId,
            displayName: p.displayName,
            text: p.text,
            createdAt: event.time,
          },
        ]);
      }
      case 'NOTICE': {
        const p = (event as RoomEvent<'NOTICE'>).payload;
        watch.push(`item ${p.itemId}`);
        return emitItems([
          {
            id: p.itemId,
            roomId: event.roomId,
            kind: 'notice',
            userId: '',
            displayName: '',
            text: p.text,
            createdAt: event.time,
            level: p.level,
            ...(p.displayUntil ? { displayUntil: p.displayUntil } : {}),
          },
        ]);
      }
      case 'COMMENT_DELETED': {
        const { commentId } = (event as RoomEvent<'COMMENT_DELETED'>).payload;
        watch.push(`delete ${commentId}`);
        return applyDeletion(commentId);
      }
      case 'USER_BANNED': {
        const p = (event as RoomEvent<'USER_BANNED'>).payload;
        return applyBans({ banned: feed.pushBan(p.userId, p.scope, p.until, nowMs), unbanned: [] });
      }
      case 'USER_UNBANNED': {
        const p = (event as RoomEvent<'USER_UNBANNED'>).payload;
        return applyBans({ banned: [], unbanned: feed.pushBan(p.userId, p.scope, null, nowMs) });
      }
      case 'COMMENTS_PURGED':
        return applyPurge((event as RoomEvent<'COMMENTS_PURGED'>).payload);
      case 'SETTINGS_CHANGED': {
        const p = (event as RoomEvent<'SETTINGS_CHANGED'>).payload;
        if (!room) return;
        roomPushedAtMs = nowMs;
        return applyRoom({ ...room, settings: p.settings, status: p.status ?? room.status });
      }
      default:
        return; // PING: the canary's; nothing to show.
    }
  };

  const poller = new Poller(
    {
      fetch: fetchFn,
      roomUrl,
      random,
      now: Date.now,
      backoff: createBackoff({ ...POLL_DEFAULTS.backoff, random }),
      maxBackfillMs: options.maxBackfillMs ?? POLL_DEFAULTS.maxBackfillMs,
      history: {
        items: options.historyItems ?? POLL_DEFAULTS.history.items,
        maxMs: POLL_DEFAULTS.history.maxMs,
      },
      paused: () => pauseWhenHidden && doc?.visibilityState === 'hidden',
    },
    {
      document: onDocument,
      state: (polling) => setConnection({ polling }),
      error: (error) => events.emit('error', error),
    },
  );
  const onVisibility = () => {
    if (doc?.visibilityState === 'visible') poller.wake();
  };

  let getToken = options.getToken;
  const token = async (request: { forceRefresh: boolean }): Promise<string> => {
    if (!getToken) {
      throw new ChatClientError({ code: 'signed_out', message: 'Sign in to post.', retryable: false });
    }
    const value = await getToken(request);
    const sub = value ? subjectOf(value) : undefined;
    if (sub !== userId) {
      userId = sub;
      updatePosting();
    }
    if (!value)
      throw new ChatClientError({ code: 'signed_out', message: 'Sign in to post.', retryable: false });
    return value;
  };

  /** Reads who the viewer is, for the posting state; no viewer (yet) is not an error. */
  const identify = () => {
    if (!getToken) {
      userId = undefined;
      return updatePosting();
    }
    void token({ forceRefresh: false }).catch((e: unknown) => {
      if ((e as ChatClientError).code !== 'signed_out') reportError(e);
    });
  };

  const refusal = (code: string, message: string, until?: string) =>
    new ChatClientError({ code, message, retryable: false, ...(until ? { until } : {}) });

  return {
    on: (type, listener) => events.on(type, listener),
    start() {
      if (started) return;
      started = true;
      doc?.addEventListener('visibilitychange', onVisibility);
      poller.start();
      identify();
      if (options.realtime) {
        realtime = connectRealtime(
          {
            endpoint: options.realtime,
            subscriptions: [
              { query: ROOM_EVENT, variables: { roomId: options.roomId } },
              { query: GLOBAL_EVENT, variables: {} },
            ],
            random,
            ...(options.WebSocket ? { WebSocket: options.WebSocket } : {}),
          },
          {
            onEvent: onPush,
            onState: (state: RealtimeState) => {
              watch.subscribed(state === 'connected' ? poller.serverNow() : undefined);
              setConnection({ realtime: state });
            },
            onReconnected: () => poller.wake(),
            onError: (error) => events.emit('error', refusalFromRealtime(error)),
          },
        );
      }
    },
    setTokenProvider(provider) {
      getToken = provider;
      if (started) identify();
    },
    async send(text) {
      if (!getToken) throw refusal('signed_out', 'Sign in to post.');
      if (userId === undefined) await token({ forceRefresh: false });
      updatePosting();
      if (!posting.allowed) throw refusal(posting.reason, postingMessage(posting), posting.until);
      if (room) {
        try {
          normalizeCommentText(text, room.settings.maxCommentLength);
        } catch (error) {
          const e = error as { code: string; message: string };
          throw refusal(e.code, e.message);
        }
      }
      try {
        const comment = await sendComment(
          {
            fetch: fetchFn,
            postUrl: `${roomUrl}/comments`,
            getToken: token,
            backoff: createBackoff({ baseMs: 500, maxMs: 8_000, random }),
            maxAttempts: 6,
          },
          text,
          newClientMessageId(),
        );
        if (room && room.settings.slowModeSeconds > 0) {
          slowModeUntilMs = Date.parse(comment.createdAt) + room.settings.slowModeSeconds * 1000;
        }
        emitItems([comment]);
        updatePosting();
        return comment;
      } catch (error) {
        if (error instanceof ChatClientError && error.code === 'slow_mode') {
          slowModeUntilMs = poller.serverNow() + (error.retryAfterSec ?? 1) * 1000;
          updatePosting();
        }
        throw error;
      }
    },
    close() {
      started = false;
      poller.stop();
      realtime?.close();
      realtime = undefined;
      clearTimeout(postingTimer);
      doc?.removeEventListener('visibilitychange', onVisibility);
      setConnection({ realtime: 'off' });
    },
    items: () => feed.list(),
    get room() {
      return room;
    },
    get posting() {
      return posting;
    },
    get connection() {
      return connection;
    },
    get userId() {
      return userId;
    },
    stats: () => ({
      missedPushes,
      resubscribes: realtime?.stats.resubscribes ?? 0,
      realtimeReconnects: realtime?.stats.reconnects ?? 0,
    }),
  };

  function reportError(error: unknown) {
    events.emit(
      'error',
      error instanceof ChatClientError
        ? error
        : refusal('token_unavailable', `The viewer token could not be read: ${String(error)}`),
    );
  }
}

function refusalFromRealtime(error: { code: string; message: string }) {
  return new ChatClientError({ code: error.code, message: error.message, retryable: true });
}

function postingMessage(state: Exclude<PostingState, { allowed: true }>): string {
  switch (state.reason) {
    case 'signed_out':
      return 'Sign in to post.';
    case 'room_closed':
      return 'This room is closed to new comments.';
    case 'chat_disabled':
      return 'Chat is turned off in this room.';
    case 'posting_closed':
      return 'Posting is closed in this room for now; you can still read.';
    case 'banned':
      return state.until ? `You are banned until ${state.until}.` : 'You are banned from this room.';
    case 'slow_mode':
      return `Slow mode: you can post again at ${state.until}.`;
  }
}

/** The token's `sub` (the viewer's user id), read without verifying: the server verifies. */
function subjectOf(token: string): string | undefined {
  try {
    const part = token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
    const json = new TextDecoder().decode(Uint8Array.from(atob(part), (c) => c.charCodeAt(0)));
    const sub = (JSON.parse(json) as { sub?: unknown }).sub;
    return typeof sub === 'string' ? sub : undefined;
  } catch {
    return undefined;
  }
}
