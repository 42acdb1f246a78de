import { createBackoff } from '../../../client/backoff.js';
import { connectRealtime } from '../../../client/realtime.js';
import type { RealtimeEndpoint, WebSocketLike } from '../../../client/types.js';
import type { RoomSubscriber, Subscription } from '../../domain/canary/ports.js';
import type { RoomEvent } from '../../domain/realtime/room-event.js';
import { ROOM_EVENT } from '../../domain/realtime/subscriptions.js';

export interface SdkRoomSubscriberOptions {
  /** The realtime API, as players are given it (connection info): its URLs and the API key. */
  readonly endpoint: RealtimeEndpoint;
  /**
   * @default globalThis.WebSocket — Lambda's nodejs22.x has one; Node 20 (locally) has none, so the
   * local runtime passes `ws`, trusting the local endpoint's certificate.
   */
  readonly WebSocket?: WebSocketLike;
}

/**
 * The canary's subscription: the viewer SDK's own AppSync realtime client (client/realtime.ts,
 * ADR 0023), so the canary speaks exactly what players speak — API key, `graphql-ws`, one
 * `onRoomEvent` start — and fails where they would.
 */
export class SdkRoomSubscriber implements RoomSubscriber {
  constructor(private readonly options: SdkRoomSubscriberOptions) {}

  subscribe(roomId: string, onEvent: (event: RoomEvent) => void, signal: AbortSignal): Promise<Subscription> {
    return new Promise((resolve, reject) => {
      let settled = false;
      let lastError: string | undefined;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', abort);
        outcome();
      };
      const connection = connectRealtime(
        {
          endpoint: this.options.endpoint,
          subscriptions: [{ query: ROOM_EVENT, variables: { roomId } }],
          ...(this.options.WebSocket ? { WebSocket: this.options.WebSocket } : {}),
          // One connection a minute: no herd to spread, and a failure is retried soon within the run.
          connectJitterMs: 0,
          backoff: createBackoff({ baseMs: 250, maxMs: 2_000 }),
        },
        {
          onEvent,
          onState: (state) => {
            if (state === 'connected') settle(() => resolve({ close: () => connection.close() }));
            if (state === 'off') {
              settle(() => reject(new Error(`the realtime connection gave up: ${lastError ?? 'closed'}`)));
            }
          },
          onError: (error) => {
            lastError = `${error.code}: ${error.message}`;
          },
        },
      );
      function abort() {
        settle(() => {
          connection.close();
          reject(
            new Error(
              `not subscribed in time${lastError ? ` (last error ${lastError})` : ' (no connection_ack or start_ack)'}`,
            ),
          );
        });
      }
      if (signal.aborted) abort();
      else signal.addEventListener('abort', abort, { once: true });
    });
  }
}
