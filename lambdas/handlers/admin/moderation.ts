import {
  deleteRoomComment,
  listRoomComments,
  purgeUserComments,
  type CommentModerationDeps,
} from '../../domain/moderation/comment-moderation.js';
import { readGlobalNgWords, replaceGlobalNgWords } from '../../domain/moderation/global-ng-words.js';
import { RoomId } from '../../domain/rooms/room.js';
import { jsonBody, pathParam } from '../http.js';
import { banOperations } from './bans.js';
import { failureReports, type AdminDeps } from './deps.js';
import type { AdminOperations } from './operation.js';
import { pageQuery } from './paging.js';
import { CommentId, NgWordsBody, PurgeBody } from '../../admin-api.js';

/** 2,000 words of up to 50 characters do not fit the default 8 KB. */
const NG_WORDS_BODY_BYTES = 160 * 1024;
/** The audit entry names this many added and removed words at most (it counts them all). */
const AUDIT_WORDS = 100;

/** Moderation: a room's feed (list, delete, purge), the global NG words, and (bans.ts) bans and blocks. */
export function moderationOperations(admin: AdminDeps): AdminOperations {
  const deps: CommentModerationDeps = {
    rooms: admin.rooms,
    comments: admin.comments,
    moderation: admin.moderation,
    clock: admin.clock,
    retentionDays: admin.retentionDays,
    publisher: admin.publisher,
    edge: admin.edge,
    ...(admin.archive ? { archive: admin.archive } : {}),
    ...failureReports(admin.logger),
  };
  const ngDeps = { moderation: admin.moderation, clock: admin.clock };
  return {
    ...banOperations(admin),

    'GET /admin/v1/rooms/{roomId}/comments': async ({ principal, event }) => {
      const roomId = pathParam(event, 'roomId', RoomId);
      const page = await listRoomComments(deps, principal, roomId, pageQuery(event));
      return { status: 200, body: page };
    },

    'DELETE /admin/v1/rooms/{roomId}/comments/{commentId}': async ({ principal, event }) => {
      const roomId = pathParam(event, 'roomId', RoomId);
      const commentId = pathParam(event, 'commentId', CommentId);
      const { room, value, pushed } = await deleteRoomComment(deps, principal, roomId, commentId);
      return {
        status: 200,
        body: { commentId, outcome: value, pushed },
        // A second delete changes nothing: nothing to audit.
        ...(value === 'deleted'
          ? { audit: { action: 'comments.delete', roomId, channelId: room.channelId, target: commentId } }
          : {}),
      };
    },

    'POST /admin/v1/rooms/{roomId}/purges': async ({ principal, event }) => {
      const roomId = pathParam(event, 'roomId', RoomId);
      const { userId } = jsonBody(event, PurgeBody);
      const { room, value, pushed } = await purgeUserComments(deps, principal, roomId, userId);
      return {
        status: 200,
        body: { purge: value, pushed },
        audit: {
          action: 'comments.purge',
          roomId,
          channelId: room.channelId,
          target: userId,
          details: { before: value.before },
        },
      };
    },

    'GET /admin/v1/ng-words': async ({ principal }) => ({
      status: 200,
      body: await readGlobalNgWords(ngDeps, principal),
    }),

    'PUT /admin/v1/ng-words': async ({ principal, event }) => {
      const { words, version } = jsonBody(event, NgWordsBody, NG_WORDS_BODY_BYTES);
      const { list, added, removed } = await replaceGlobalNgWords(ngDeps, principal, words, version);
      return {
        status: 200,
        body: list,
        audit: {
          action: 'ngwords.global',
          details: {
            version: list.version,
            words: list.words.length,
            addedCount: added.length,
            removedCount: removed.length,
            added: added.slice(0, AUDIT_WORDS),
            removed: removed.slice(0, AUDIT_WORDS),
          },
        },
      };
    },
  };
}
