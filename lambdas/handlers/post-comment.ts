import type { Logger } from '@aws-lambda-powertools/logger';
import { PostCommentBody, type Viewer } from '../domain/feed/comment.js';
import { postComment, startPostReads, type PostCommentDeps } from '../domain/feed/post-comment.js';
import { RoomId } from '../domain/rooms/room.js';
import type { OriginGuard } from './origin-guard.js';
import { header, httpHandler, json, jsonBody, pathParam, type HttpHandler } from './http.js';

export interface PostCommentHandlerDeps {
  readonly feed: PostCommentDeps;
  /** Verifies the `Authorization` header's viewer token (401 otherwise) and reads the viewer from it. */
  readonly viewerTokens: { verify(authorization: string | undefined): Promise<Viewer> };
  readonly logger: Logger;
  /** The origin header check every HTTP function runs first (ADR 0030). */
  readonly origin: OriginGuard;
}

/** POST /v1/rooms/{roomId}/comments */
export function createPostCommentHandler(deps: PostCommentHandlerDeps): HttpHandler {
  return httpHandler(
    async (event) => {
      // The token is checked first (401 before anything else), while the room's reads already run.
      const requested = RoomId.safeParse(event.pathParameters?.roomId);
      if (requested.success) startPostReads(deps.feed, requested.data);
      const viewer = await deps.viewerTokens.verify(header(event, 'authorization'));
      const roomId = pathParam(event, 'roomId', RoomId);
      const body = jsonBody(event, PostCommentBody);
      const { comment, replayed } = await postComment(deps.feed, roomId, viewer, body);
      return json(
        201,
        { comment },
        { 'Cache-Control': 'no-store', ...(replayed ? { 'Idempotent-Replayed': 'true' } : {}) },
      );
    },
    { cacheableErrors: false, logger: deps.logger, origin: deps.origin },
  );
}
