import type { Logger } from '@aws-lambda-powertools/logger';
import { getLive, getLiveTick, type ReadFeedDeps } from '../domain/feed/read-feed.js';
import { RoomId } from '../domain/rooms/room.js';
import { pollCacheControl, tickCacheControl } from '../cache-control.js';
import { errorResult, httpHandler, json, pathParam, type HttpHandler } from './http.js';

export interface ReadHandlerDeps {
  readonly feed: ReadFeedDeps;
  readonly logger: Logger;
}

/** GET /v1/rooms/{roomId}/live and GET /v1/rooms/{roomId}/live/{tick} (ADR 0019) */
export function createGetLiveHandler(deps: ReadHandlerDeps): HttpHandler {
  return httpHandler(
    async (event) => {
      const roomId = pathParam(event, 'roomId', RoomId);
      const tick = event.pathParameters?.tick;
      if (tick === undefined) {
        const live = await getLive(deps.feed, roomId);
        return json(200, live, { 'Cache-Control': pollCacheControl(live.room.settings.pollIntervalSeconds) });
      }
      const result = await getLiveTick(deps.feed, roomId, tick);
      // A tick that has not started is asked for again in a moment: never cached.
      if (result.state === 'not-started') return errorResult(result.error, false, deps.logger);
      const { document, expiresAtMs } = result;
      const generatedAtMs = Date.parse(document.generatedAt);
      return json(200, document, {
        'Cache-Control': tickCacheControl(
          document.room.settings.pollIntervalSeconds,
          generatedAtMs,
          expiresAtMs,
        ),
      });
    },
    { cacheableErrors: true, logger: deps.logger },
  );
}
