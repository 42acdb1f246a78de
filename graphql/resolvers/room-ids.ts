/** The roomId of an event for every room. Mirrors GLOBAL_ROOM_ID in lambdas/domain/room-event.ts. */
export const GLOBAL_ROOM_ID = '*';

/** A room id (as in lambdas/domain/room.ts), or the global id. */
export const EVENT_ROOM_ID = /^(\*|[A-Za-z0-9_-]{1,64})$/;
export const ROOM_ID = /^[A-Za-z0-9_-]{1,64}$/;
