import { ChatError } from '../domain/errors.js';
import { getSegment } from '../domain/feed/read-feed.js';
import { RoomId } from '../domain/rooms/room.js';
import { segmentCacheControl } from '../cache-control.js';
import type { ReadHandlerDeps } from './get-live.js';
import { httpHandler, json, pathParam, type HttpHandler } from './http.js';

/** GET /v1/rooms/{roomId}/segments/{n} */
export function createGetSegmentHandler(deps: ReadHandlerDeps): HttpHandler {
  return httpHandler(
    async (event) => {
      const roomId = pathParam(event, 'roomId', RoomId);
      const result = await getSegment(deps.feed, roomId, event.pathParameters?.n ?? '');
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
    { cacheableErrors: true, logger: deps.logger, origin: deps.origin },
  );
}
