import { getLive } from '../domain/feed/read-feed.js';
import { RoomId } from '../domain/rooms/room.js';
import { pollCacheControl } from '../cache-control.js';
import { clock, comments, config, rooms } from './deps.js';
import { httpHandler, json, pathParam } from './http.js';
import { moderation } from './moderation-deps.js';

/** GET /v1/rooms/{roomId}/live */
export const handler = httpHandler(
  async (event) => {
    const roomId = pathParam(event, 'roomId', RoomId);
    const live = await getLive(
      { rooms, moderation, comments, clock, liveLimit: config.LIVE_COMMENT_LIMIT },
      roomId,
    );
    return json(200, live, { 'Cache-Control': pollCacheControl(live.room.settings.pollIntervalSeconds) });
  },
  { cacheableErrors: true },
);
