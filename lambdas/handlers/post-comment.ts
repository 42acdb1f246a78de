import { PostCommentBody } from '../domain/feed/comment.js';
import { postComment } from '../domain/feed/post-comment.js';
import { RoomId } from '../domain/rooms/room.js';
import { clock, comments, config, rooms, viewerTokens } from './deps.js';
import { header, httpHandler, json, jsonBody, pathParam } from './http.js';
import { moderation } from './moderation-deps.js';

/** POST /v1/rooms/{roomId}/comments */
export const handler = httpHandler(
  async (event) => {
    const viewer = await viewerTokens().verify(header(event, 'authorization'));
    const roomId = pathParam(event, 'roomId', RoomId);
    const body = jsonBody(event, PostCommentBody);
    const { comment, replayed } = await postComment(
      { rooms, moderation, comments, clock, retentionDays: config.COMMENT_RETENTION_DAYS },
      roomId,
      viewer,
      body,
    );
    return json(
      201,
      { comment },
      { 'Cache-Control': 'no-store', ...(replayed ? { 'Idempotent-Replayed': 'true' } : {}) },
    );
  },
  { cacheableErrors: false },
);
