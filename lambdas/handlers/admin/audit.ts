import { exportRoomAudit, roomAuditPage, scopeAuditPage } from '../../domain/access/audit-read.js';
import { ChannelId, RoomId } from '../../domain/rooms/room.js';
import { pathParam } from '../http.js';
import type { AdminDeps } from './deps.js';
import { queryParam, type AdminOperations } from './operation.js';
import { pageQuery } from './paging.js';

/**
 * An export's bounds. A Lambda response is at most 6 MB, and the body is
 * JSON-escaped inside it (every quote gains a backslash): 4 MB of lines fit.
 */
export const EXPORT_MAX_ENTRIES = 50_000;
export const EXPORT_MAX_BYTES = 4_000_000;
const EXPORT_PAGE_SIZE = 1_000;

/** Reading the audit log: a room's, a channel's, the global one; and a room's as a JSON-lines file. */
export function auditOperations(admin: AdminDeps): AdminOperations {
  const deps = { rooms: admin.rooms, auditLog: admin.auditLog };
  return {
    'GET /admin/v1/rooms/{roomId}/audit': async ({ principal, event }) => {
      const roomId = pathParam(event, 'roomId', RoomId);
      const page = await roomAuditPage(deps, principal, roomId, pageQuery(event));
      return { status: 200, body: page };
    },

    'GET /admin/v1/rooms/{roomId}/audit/export': async ({ principal, event }) => {
      const roomId = pathParam(event, 'roomId', RoomId);
      const exported = await exportRoomAudit(deps, principal, roomId, {
        maxEntries: EXPORT_MAX_ENTRIES,
        maxBytes: EXPORT_MAX_BYTES,
        pageSize: EXPORT_PAGE_SIZE,
      });
      return {
        status: 200,
        // Newest first, like the listing; when cut, the oldest entries are the ones missing.
        headers: {
          'X-Audit-Entries': String(exported.entries),
          'X-Audit-Truncated': String(exported.truncated),
        },
        raw: { contentType: 'application/x-ndjson', text: exported.text, filename: `audit-${roomId}.jsonl` },
      };
    },

    'GET /admin/v1/audit': async ({ principal, event }) => {
      const channelId = queryParam(event, 'channelId', ChannelId.optional());
      const page = await scopeAuditPage(deps, principal, {
        ...pageQuery(event),
        ...(channelId !== undefined ? { channelId } : {}),
      });
      return { status: 200, body: page };
    },
  };
}
