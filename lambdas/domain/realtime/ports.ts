import type { RoomEvent } from './room-event.js';

/** What the realtime use cases need; the AppSync publisher implements it. */

/** Pushes a realtime event to subscribers. Callers persist the event first; this is the accelerator. */
export interface RealtimePublisher {
  publish(event: RoomEvent): Promise<void>;
}
