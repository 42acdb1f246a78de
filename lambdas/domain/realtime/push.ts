import { commentIdTime } from '../feed/ids.js';
import type { RealtimePublisher } from './ports.js';
import type { RoomEvent, RoomEventKind, RoomEventPayload } from './room-event.js';

/** What a use case did, and whether the push went out (when not, the poll path still carries it). */
export interface Published<T> {
  readonly value: T;
  readonly pushed: boolean;
}

export interface PushDeps {
  readonly publisher: RealtimePublisher;
  /** Told when a push failed after the event was persisted (the poll path still carries it). */
  readonly onPublishFailed?: (event: RoomEvent, error: unknown) => void;
}

/**
 * Pushes an event whose content is already persisted. `id` is a ULID — the
 * persisted record's id where there is one, so clients de-duplicate what they
 * see by push and by poll — and gives the event its time. A failed push is
 * reported, never thrown: the poll path carries the event anyway.
 */
export async function pushEvent<K extends RoomEventKind>(
  deps: PushDeps,
  id: string,
  roomId: string,
  kind: K,
  payload: RoomEventPayload<K>,
): Promise<boolean> {
  const event: RoomEvent<K> = { id, roomId, kind, time: new Date(commentIdTime(id)).toISOString(), payload };
  try {
    await deps.publisher.publish(event);
    return true;
  } catch (error) {
    deps.onPublishFailed?.(event, error);
    return false;
  }
}
