import { sendArtistMessage, sendNotice, type Broadcast } from '../../domain/realtime/broadcasts.js';
import { publicItem } from '../../domain/feed/comment.js';
import type { FeedEventDeps } from '../../domain/realtime/feed-events.js';
import { RoomId } from '../../domain/rooms/room.js';
import { jsonBody, pathParam } from '../http.js';
import { failureReports, type AdminDeps } from './deps.js';
import type { AdminOperations, AdminResult } from './operation.js';
import { ArtistMessageBody, NoticeBody } from '../../admin-api.js';

/**
 * Artist messages and notices. The body's shape is checked here (400); the
 * text rules — control characters, bidi overrides, length in code points —
 * are the feed's (422), the same rules as viewers' comments with a longer limit.
 */

/** 201 with the stored item and whether the push went out (if not, viewers get it on their next poll). */
const created = (broadcast: Broadcast): Pick<AdminResult, 'status' | 'body'> => ({
  status: 201,
  body: { item: publicItem(broadcast.value), pushed: broadcast.pushed },
});

export function broadcastOperations(admin: AdminDeps): AdminOperations {
  const deps: FeedEventDeps = {
    rooms: admin.rooms,
    feed: admin.comments,
    publisher: admin.publisher,
    onPublishFailed: failureReports(admin.logger).onPublishFailed,
    clock: admin.clock,
    retentionDays: admin.retentionDays,
  };
  return {
    'POST /admin/v1/rooms/{roomId}/artist-messages': async ({ principal, event }) => {
      const roomId = pathParam(event, 'roomId', RoomId);
      const { text } = jsonBody(event, ArtistMessageBody);
      const broadcast = await sendArtistMessage(deps, principal, roomId, text);
      return {
        ...created(broadcast),
        audit: {
          action: 'artist.message',
          roomId,
          ...(broadcast.channelId ? { channelId: broadcast.channelId } : {}),
          target: broadcast.value.id,
          details: { text: broadcast.value.text, pushed: broadcast.pushed },
        },
      };
    },

    'POST /admin/v1/notices': async ({ principal, event }) => {
      const body = jsonBody(event, NoticeBody);
      const broadcast = await sendNotice(deps, principal, {
        roomId: body.roomId,
        level: body.level,
        text: body.text,
        ...(body.displaySeconds !== undefined ? { displaySeconds: body.displaySeconds } : {}),
      });
      return {
        ...created(broadcast),
        // roomId "*" is kept in the global audit log (domain/access/audit.ts scopeOf).
        audit: {
          action: 'notice.send',
          roomId: body.roomId,
          ...(broadcast.channelId ? { channelId: broadcast.channelId } : {}),
          target: broadcast.value.id,
          details: {
            level: body.level,
            text: broadcast.value.text,
            ...(body.displaySeconds !== undefined ? { displaySeconds: body.displaySeconds } : {}),
            pushed: broadcast.pushed,
          },
        },
      };
    },
  };
}
