import type { Logger } from '@aws-lambda-powertools/logger';
import { getLive, getLiveTick, type ReadFeedDeps } from '../domain/feed/read-feed.js';
import { RoomId } from '../domain/rooms/room.js';
import { pollCacheControl, tickCacheControl } from '../cache-control.js';
import type { OriginGuard } from './origin-guard.js';
import { httpHandler, json, pathParam, type HttpHandler } from './http.js';

export interface ReadHandlerDeps {
  readonly feed: ReadFeedDeps;
  readonly logger: Logger;
  /** The origin header check every HTTP function runs first (ADR 0030). */
  readonly origin: OriginGuard;
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
      const { document, expiresAtMs } = await getLiveTick(deps.feed, roomId, tick);
      const generatedAtMs = Date.parse(document.generatedAt);
      return json(200, document, {
        'Cache-Control': tickCacheControl(
          document.room.settings.pollIntervalSeconds,
          generatedAtMs,
          expiresAtMs,
        ),
      });
    },
    { cacheableErrors: true, logger: deps.logger, origin: deps.origin },
  );
}
