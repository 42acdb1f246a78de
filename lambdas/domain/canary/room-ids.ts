/** The canary room's id unless configured otherwise (lambdas/config.ts `CANARY_ROOM_ID`). */
export const DEFAULT_CANARY_ROOM_ID = 'canary';

/**
 * The channel the canary creates its room in: no artist or moderator is bound to it, so only
 * operators (who see every channel) find the room in the console. Viewers find rooms only by id.
 */
export const CANARY_CHANNEL_ID = 'canary';
