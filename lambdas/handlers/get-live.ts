import type { Logger } from '@aws-lambda-powertools/logger';
import { getLive, type ReadFeedDeps } from '../domain/feed/read-feed.js';
import { RoomId } from '../domain/rooms/room.js';
import { pollCacheControl } from '../cache-control.js';
import { httpHandler, json, pathParam, type HttpHandler } from './http.js';

export interface ReadHandlerDeps {
  readonly feed: ReadFeedDeps;
  readonly logger: Logger;
}

/** GET /v1/rooms/{roomId}/live */
export function createGetLiveHandler(deps: ReadHandlerDeps): HttpHandler {
  return httpHandler(
    async (event) => {
      const roomId = pathParam(event, 'roomId', RoomId);
      const live = await getLive(deps.feed, roomId);
      return json(200, live, { 'Cache-Control': pollCacheControl(live.room.settings.pollIntervalSeconds) });
    },
    { cacheableErrors: true, logger: deps.logger },
  );
}
