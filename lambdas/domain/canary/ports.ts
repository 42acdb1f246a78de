import type { RoomEvent } from '../realtime/room-event.js';

/** What the canary needs from the viewer's side of the product; adapters implement it with the SDK's own code. */

/** An open subscription to a room's events. */
export interface Subscription {
  close(): void;
}

/** The realtime path as a viewer sees it: AppSync's realtime protocol, with the API key. */
export interface RoomSubscriber {
  /**
   * Subscribes to the room's events; resolves once the subscription is acknowledged. Rejects when
   * `signal` aborts first, saying why (the last error the connection saw), with nothing left open.
   */
  subscribe(roomId: string, onEvent: (event: RoomEvent) => void, signal: AbortSignal): Promise<Subscription>;
}

/** The comment path as a viewer sees it: through the edge (CloudFront), never the origin. */
export interface EdgeViewer {
  /** Posts a comment with the viewer's token; resolves the stored comment's id, rejects with the refusal. */
  post(
    roomId: string,
    comment: { readonly text: string; readonly clientMessageId: string; readonly token: string },
    signal: AbortSignal,
  ): Promise<string>;
  /**
   * Polls the room's `live` as the SDK does, until a document (or a segment read to fill a gap)
   * holds `commentId`; rejects when `signal` aborts first, saying what the polls saw.
   */
  pollUntilShown(roomId: string, commentId: string, signal: AbortSignal): Promise<void>;
}

export const CANARY_STEPS = ['room', 'subscribe', 'push', 'post', 'poll'] as const;
/**
 * - `room`: the canary room exists (created when missing) and takes posts.
 * - `subscribe`: the realtime subscription to it is acknowledged.
 * - `push`: a PING published through the backend arrives on that subscription (`latencyMs`: from
 *   the publish call to its arrival).
 * - `post`: a comment posted through the edge is acknowledged (`latencyMs`: the post's round trip).
 * - `poll`: the comment shows in the room's `live` polled through the edge (`latencyMs`: from the
 *   post's start until then).
 */
export type CanaryStepName = (typeof CANARY_STEPS)[number];

/**
 * `skipped`: a step it depends on did not succeed. `not_configured`: no viewer token is stored for
 * the canary, so it cannot post (not a failure; the poll step is skipped).
 */
export type CanaryOutcome = 'ok' | 'failed' | 'skipped' | 'not_configured';

export interface CanaryStep {
  readonly outcome: CanaryOutcome;
  /** Set when `ok`. */
  readonly latencyMs?: number;
  /** Why it failed, or why it was not run. */
  readonly error?: string;
}

export interface CanaryRun {
  readonly startedAt: string;
  readonly durationMs: number;
  /** Any step `failed` (`skipped` and `not_configured` alone are not failures). */
  readonly failed: boolean;
  readonly steps: Readonly<Record<CanaryStepName, CanaryStep>>;
}
