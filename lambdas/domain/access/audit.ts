import { z } from 'zod';
import type { Clock } from '../clock.js';
import { newCommentId } from '../feed/ids.js';
import type { Action, Principal } from './roles.js';

/**
 * The audit log: every admin action that changed something, with who, what,
 * when and the target. Kept per scope — a room, a channel, or the whole
 * deployment — so each is listed and exported on its own.
 */
export const AuditEntry = z.strictObject({
  /** ULID: orders the log and dates the entry. */
  id: z.string(),
  at: z.iso.datetime(),
  actor: z.strictObject({
    userId: z.string(),
    displayName: z.string(),
    roles: z.array(z.string()),
  }),
  /** The route's action name, e.g. `room.settings`, `bans.room`. */
  action: z.string(),
  roomId: z.string().optional(),
  channelId: z.string().optional(),
  /** What the action was applied to: a user id, a comment id, the room. */
  target: z.string().optional(),
  /** The request's meaningful inputs (never tokens). */
  details: z.record(z.string(), z.unknown()).optional(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** Where an entry is kept: its room's log, else its channel's, else the global one. */
export type AuditScope = { roomId: string } | { channelId: string } | 'global';

export function scopeOf(entry: Pick<AuditEntry, 'roomId' | 'channelId'>): AuditScope {
  if (entry.roomId && entry.roomId !== '*') return { roomId: entry.roomId };
  if (entry.channelId) return { channelId: entry.channelId };
  return 'global';
}

export function actorOf(principal: Principal): AuditEntry['actor'] {
  return {
    userId: principal.userId,
    displayName: principal.displayName,
    roles: [...principal.roles].sort(),
  };
}

export interface AuditPage {
  /** Newest first. */
  readonly entries: AuditEntry[];
  /** Pass back as `cursor` for the next page; absent on the last page. */
  readonly nextCursor?: string;
}

export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  /** Newest first, `limit` at most, continuing after `cursor`. */
  list(scope: AuditScope, limit: number, cursor?: string): Promise<AuditPage>;
}

/** What an admin action changed, as its operation reports it; `recordAction` adds who and when. */
export interface AuditNote {
  readonly action: Action;
  readonly roomId?: string;
  readonly channelId?: string;
  readonly target?: string;
  readonly details?: Record<string, unknown>;
}

/** The entry the log keeps for a note: a fresh time-ordered id, the time, the actor, the note. */
export function auditEntry(principal: Principal, note: AuditNote, nowMs: number): AuditEntry {
  return {
    id: newCommentId(nowMs),
    at: new Date(nowMs).toISOString(),
    actor: actorOf(principal),
    action: note.action,
    ...(note.roomId ? { roomId: note.roomId } : {}),
    ...(note.channelId ? { channelId: note.channelId } : {}),
    ...(note.target ? { target: note.target } : {}),
    ...(note.details ? { details: note.details } : {}),
  };
}

/** Records an admin action that changed something (every such action is audited; reads never). */
export async function recordAction(
  deps: { readonly auditLog: Pick<AuditLog, 'record'>; readonly clock: Clock },
  principal: Principal,
  note: AuditNote,
): Promise<AuditEntry> {
  const entry = auditEntry(principal, note, deps.clock());
  await deps.auditLog.record(entry);
  return entry;
}
