import { getRoom } from '../domain/feed/read-feed.js';
import { RoomId } from '../domain/rooms/room.js';
import { pollCacheControl } from '../cache-control.js';
import { clock, rooms } from './deps.js';
import { httpHandler, json, pathParam } from './http.js';

/** GET /v1/rooms/{roomId} */
export const handler = httpHandler(
  async (event) => {
    const roomId = pathParam(event, 'roomId', RoomId);
    const info = await getRoom({ rooms, clock }, roomId);
    return json(200, info, { 'Cache-Control': pollCacheControl(info.room.settings.pollIntervalSeconds) });
  },
  { cacheableErrors: true },
);
