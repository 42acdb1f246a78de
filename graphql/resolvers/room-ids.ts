/** The roomId of an event for every room. Mirrors GLOBAL_ROOM_ID in lambdas/domain/room-event.ts. */
export const GLOBAL_ROOM_ID = '*';

// Patterns for util.matches: APPSYNC_JS has no regex literals.
/** A room id (as in lambdas/domain/room.ts). */
export const ROOM_ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';
/** A room id, or the global id. */
export const EVENT_ROOM_ID_PATTERN = '^(\\*|[A-Za-z0-9_-]{1,64})$';
