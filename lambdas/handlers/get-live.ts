import { getLive, getLiveTick } from '../domain/feed/read-feed.js';
import { RoomId } from '../domain/rooms/room.js';
import { pollCacheControl, tickCacheControl } from '../cache-control.js';
import { clock, comments, config, rooms } from './deps.js';
import { errorResult, httpHandler, json, pathParam } from './http.js';
import { moderation } from './moderation-deps.js';

/** GET /v1/rooms/{roomId}/live and GET /v1/rooms/{roomId}/live/{tick} (ADR 0019) */
export const handler = httpHandler(
  async (event) => {
    const roomId = pathParam(event, 'roomId', RoomId);
    const deps = { rooms, moderation, comments, clock, liveLimit: config.LIVE_COMMENT_LIMIT };
    const tick = event.pathParameters?.tick;
    if (tick === undefined) {
      const live = await getLive(deps, roomId);
      return json(200, live, { 'Cache-Control': pollCacheControl(live.room.settings.pollIntervalSeconds) });
    }
    const result = await getLiveTick(deps, roomId, tick);
    // A tick that has not started is asked for again in a moment: never cached.
    if (result.state === 'not-started') return errorResult(result.error, false);
    const { document, expiresAtMs } = result;
    return json(200, document, {
      'Cache-Control': tickCacheControl(
        document.room.settings.pollIntervalSeconds,
        Date.parse(document.generatedAt),
        expiresAtMs,
      ),
    });
  },
  { cacheableErrors: true },
);
