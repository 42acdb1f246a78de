import * as z from 'zod';
import { PublicRoomSettings, RoomStatus } from '../rooms/room.js';

/**
 * Realtime events: rare, urgent, pushed over AppSync and persisted first.
 * These schemas are the contract between the publisher, the GraphQL schema
 * (`graphql/schema.graphql`, whose `payload` is AWSJSON) and the client SDK.
 */

export const RoomEventKind = z.enum([
  'ARTIST_MESSAGE',
  'NOTICE',
  'COMMENT_DELETED',
  'USER_BANNED',
  'USER_UNBANNED',
  'COMMENTS_PURGED',
  'SETTINGS_CHANGED',
  'PING',
]);
export type RoomEventKind = z.infer<typeof RoomEventKind>;

const text = z.string().min(1).max(1000);

/** Payload schema per kind. */
export const RoomEventPayloads = {
  ARTIST_MESSAGE: z.strictObject({ itemId: z.string(), artistId: z.string(), displayName: z.string(), text }),
  NOTICE: z.strictObject({
    itemId: z.string(),
    level: z.enum(['info', 'warning', 'critical']),
    text,
    displayUntil: z.iso.datetime().optional(),
  }),
  COMMENT_DELETED: z.strictObject({ commentId: z.string() }),
  USER_BANNED: z.strictObject({
    userId: z.string(),
    scope: z.enum(['room', 'channel']),
    /** Absent for a permanent ban. */
    until: z.iso.datetime().optional(),
  }),
  USER_UNBANNED: z.strictObject({ userId: z.string(), scope: z.enum(['room', 'channel']) }),
  // A moderator purged the user: clients drop that user's comments created at or before `before`.
  COMMENTS_PURGED: z.strictObject({ userId: z.string(), before: z.iso.datetime() }),
  // Public settings only: NG words are never sent to viewers.
  SETTINGS_CHANGED: z.strictObject({
    settings: PublicRoomSettings,
    version: z.number().int().min(1),
    status: z.optional(RoomStatus),
  }),
  PING: z.strictObject({ nonce: z.string().min(1).max(64) }),
} satisfies Record<RoomEventKind, z.ZodType>;

export type RoomEventPayload<K extends RoomEventKind> = z.infer<(typeof RoomEventPayloads)[K]>;

export const EventRoomId = z.string().regex(/^(\*|[A-Za-z0-9_-]{1,64})$/, 'a room id, or "*" for every room');

export interface RoomEvent<K extends RoomEventKind = RoomEventKind> {
  readonly id: string;
  readonly roomId: string;
  readonly kind: K;
  readonly time: string;
  readonly payload: RoomEventPayload<K>;
}

/** Validates an event before it is published; throws a ZodError naming the bad field. */
export function parseRoomEvent<K extends RoomEventKind>(event: RoomEvent<K>): RoomEvent<K> {
  EventRoomId.parse(event.roomId);
  RoomEventKind.parse(event.kind);
  z.iso.datetime().parse(event.time);
  const payload = RoomEventPayloads[event.kind].parse(event.payload) as RoomEventPayload<K>;
  return { id: event.id, roomId: event.roomId, kind: event.kind, time: event.time, payload };
}

/** The event as it arrives over the wire, `payload` being AWSJSON (a JSON string). */
export const WireRoomEvent = z.object({
  id: z.string(),
  roomId: EventRoomId,
  kind: RoomEventKind,
  time: z.string(),
  payload: z.string(),
});

/** Reads a received event (client SDK, tests): parses the AWSJSON payload against its kind's schema. */
export function readWireEvent(wire: unknown): RoomEvent {
  const event = WireRoomEvent.parse(wire);
  const payload = RoomEventPayloads[event.kind].parse(JSON.parse(event.payload));
  return { ...event, payload } as RoomEvent;
}
