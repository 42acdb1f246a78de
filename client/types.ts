/**
 * The SDK's public types. The wire shapes are the server's own (one source):
 * imported as types only, so they cost the bundle nothing.
 */
import type { Comment, FeedItem as ServedItem } from '../lambdas/domain/feed/comment.js';
import type { LiveDocument, SegmentDocument, TombstoneView } from '../lambdas/domain/feed/read-feed.js';
import type { PurgeView, ViewerBan } from '../lambdas/domain/moderation/moderation.js';
import type { RoomEvent, RoomEventKind } from '../lambdas/domain/realtime/room-event.js';
import type { PublicRoom } from '../lambdas/domain/rooms/room.js';

export type { Comment, LiveDocument, SegmentDocument, TombstoneView, PurgeView, ViewerBan, PublicRoom };
export type { RoomEvent, RoomEventKind };

/**
 * A feed item as players show it: a viewer's comment, an artist's message or a notice. `vpos`
 * (its offset from the event's start, in hundredths of a second; ADR 0040) is on every item the
 * feed documents serve; items that arrived first by a push or as the answer to a post lack it.
 */
export type FeedItem = Comment & { readonly vpos?: number };

/** An item of a recorded event as replay shows it: always with its offset `vpos`. */
export type ReplayItem = ServedItem;

/** The error body every endpoint answers with. */
export interface ApiErrorBody {
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
  readonly retryAfterSec?: number;
}

/** Polling: `ok` after a successful poll; `degraded` while polls fail and back off. */
export type PollingState = 'ok' | 'degraded';
/**
 * Realtime: `connecting` (first connect), `connected` (subscribed), `reconnecting` (lost; backing
 * off), `off` (not configured, no WebSocket in this runtime, or the client was closed).
 */
export type RealtimeState = 'connecting' | 'connected' | 'reconnecting' | 'off';

export interface ConnectionState {
  readonly polling: PollingState;
  readonly realtime: RealtimeState;
}

/** The realtime API (AppSync): what connection info hands out. */
export interface RealtimeEndpoint {
  /** `https://…/graphql`: its host signs the connection (AppSync's `host` header). */
  readonly graphqlUrl: string;
  /** `wss://…/graphql/realtime` (`ws://` locally). */
  readonly realtimeUrl: string;
  readonly apiKey: string;
}

/** The WebSocket constructor: the browser's, or `ws` in Node 20 (which has no global one). */
export type WebSocketLike = new (url: string, protocols?: string | string[]) => WebSocket;
