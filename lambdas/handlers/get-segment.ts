import { ChatError } from '../domain/errors.js';
import { getSegment } from '../domain/feed/read-feed.js';
import { RoomId } from '../domain/rooms/room.js';
import { segmentCacheControl } from '../cache-control.js';
import { clock, comments, config, rooms } from './deps.js';
import { httpHandler, json, pathParam } from './http.js';
import { moderation } from './moderation-deps.js';

/** GET /v1/rooms/{roomId}/segments/{n} */
export const handler = httpHandler(
  async (event) => {
    const roomId = pathParam(event, 'roomId', RoomId);
    const result = await getSegment(
      { rooms, moderation, comments, clock, liveLimit: config.LIVE_COMMENT_LIMIT },
      roomId,
      event.pathParameters?.n ?? '',
    );
    if (result.state === 'future') {
      throw new ChatError(404, 'segment_not_started', 'This segment has not started yet.', {
        retryable: true,
        retryAfterSec: Math.max(1, Math.ceil(result.startsInMs / 1000)),
      });
    }
    return json(200, result.document, {
      'Cache-Control': segmentCacheControl(result.state, result.room.settings.pollIntervalSeconds),
    });
  },
  { cacheableErrors: true },
);
