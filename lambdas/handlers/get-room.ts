import type { Logger } from '@aws-lambda-powertools/logger';
import { getRoom, type ReadFeedDeps } from '../domain/feed/read-feed.js';
import { RoomId } from '../domain/rooms/room.js';
import { pollCacheControl } from '../cache-control.js';
import type { OriginGuard } from './origin-guard.js';
import { httpHandler, json, pathParam, type HttpHandler } from './http.js';

export interface RoomInfoHandlerDeps {
  /** Room info reads no comments. */
  readonly feed: Pick<ReadFeedDeps, 'rooms' | 'clock'>;
  readonly logger: Logger;
  /** The origin header check every HTTP function runs first (ADR 0030). */
  readonly origin: OriginGuard;
}

/** GET /v1/rooms/{roomId} */
export function createGetRoomHandler(deps: RoomInfoHandlerDeps): HttpHandler {
  return httpHandler(
    async (event) => {
      const roomId = pathParam(event, 'roomId', RoomId);
      const info = await getRoom(deps.feed, roomId);
      return json(200, info, { 'Cache-Control': pollCacheControl(info.room.settings.pollIntervalSeconds) });
    },
    { cacheableErrors: true, logger: deps.logger, origin: deps.origin },
  );
}
