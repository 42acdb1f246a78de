import type { AuditEntry, AuditLog, AuditPage } from './audit.js';
import type { RoomReader } from '../rooms/ports.js';
import { authorize, type Principal } from './roles.js';
import { roomFor } from '../rooms/room-admin.js';

/**
 * Reading the audit log. A room's log: operators and the channel's
 * moderators. A channel's log (channel bans and blocks): the same. The global
 * log (global notices, NG words): operators only.
 */
export interface AuditReadDeps {
  readonly rooms: RoomReader;
  readonly auditLog: AuditLog;
}

/** A page of a room's log, newest first. */
export async function roomAuditPage(
  deps: AuditReadDeps,
  principal: Principal,
  roomId: string,
  page: { limit: number; cursor?: string },
): Promise<AuditPage> {
  await roomFor(deps, principal, ['audit.read'], roomId);
  return deps.auditLog.list({ roomId }, page.limit, page.cursor);
}

/** A page of a channel's log, or without a channel of the global log; newest first. */
export async function scopeAuditPage(
  deps: Pick<AuditReadDeps, 'auditLog'>,
  principal: Principal,
  query: { channelId?: string; limit: number; cursor?: string },
): Promise<AuditPage> {
  if (query.channelId === undefined) {
    authorize(principal, 'audit.global');
    return deps.auditLog.list('global', query.limit, query.cursor);
  }
  authorize(principal, 'audit.read');
  authorize(principal, 'audit.read', query.channelId);
  return deps.auditLog.list({ channelId: query.channelId }, query.limit, query.cursor);
}

const utf8 = new TextEncoder();

export interface AuditExport {
  /** One JSON entry per line, newest first, each line ending in `\n`. */
  readonly text: string;
  readonly entries: number;
  /** True when the bounds cut the log: the oldest entries are missing. */
  readonly truncated: boolean;
}

/**
 * A room's whole log as JSON lines, newest first, within bounds: a response
 * must fit a Lambda payload (6 MB, and JSON-escaping the body inflates it).
 */
export async function exportRoomAudit(
  deps: AuditReadDeps,
  principal: Principal,
  roomId: string,
  bounds: { maxEntries: number; maxBytes: number; pageSize: number },
): Promise<AuditExport> {
  await roomFor(deps, principal, ['audit.read'], roomId);
  const lines: string[] = [];
  let bytes = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.auditLog.list({ roomId }, bounds.pageSize, cursor);
    for (const entry of page.entries) {
      const line = `${JSON.stringify(entry satisfies AuditEntry)}\n`;
      const size = utf8.encode(line).length;
      if (lines.length >= bounds.maxEntries || bytes + size > bounds.maxBytes) {
        return { text: lines.join(''), entries: lines.length, truncated: true };
      }
      lines.push(line);
      bytes += size;
    }
    cursor = page.nextCursor;
  } while (cursor);
  return { text: lines.join(''), entries: lines.length, truncated: false };
}
