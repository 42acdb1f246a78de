import { describe, expect, it } from 'vitest';
import {
  AuditEntry,
  auditEntry,
  recordAction,
  type AuditLog,
} from '../../../../lambdas/domain/access/audit.js';
import type { Principal } from '../../../../lambdas/domain/access/roles.js';
import { commentIdTime } from '../../../../lambdas/domain/feed/ids.js';

const moderator: Principal = {
  userId: 'mod-1',
  displayName: 'Mia Moderator',
  roles: new Set(['moderator', 'artist']),
  channels: new Set(['ch-1']),
};
const NOW = Date.UTC(2030, 0, 1, 12);

describe('auditEntry', () => {
  it('records who, when and the note, with a time-ordered id of that time', () => {
    const entry = auditEntry(
      moderator,
      { action: 'bans.room', roomId: 'r-1', channelId: 'ch-1', target: 'u-9', details: { permanent: true } },
      NOW,
    );

    expect(entry).toEqual({
      id: expect.any(String),
      at: '2030-01-01T12:00:00.000Z',
      actor: { userId: 'mod-1', displayName: 'Mia Moderator', roles: ['artist', 'moderator'] },
      action: 'bans.room',
      roomId: 'r-1',
      channelId: 'ch-1',
      target: 'u-9',
      details: { permanent: true },
    });
    expect(commentIdTime(entry.id)).toBe(NOW);
    expect(AuditEntry.safeParse(entry).success).toBe(true);
  });

  it('leaves out what the note does not name', () => {
    expect(Object.keys(auditEntry(moderator, { action: 'ngwords.global' }, NOW)).sort()).toEqual([
      'action',
      'actor',
      'at',
      'id',
    ]);
  });
});

describe('recordAction', () => {
  it('writes the entry to the log and returns it', async () => {
    const recorded: AuditEntry[] = [];
    const auditLog: Pick<AuditLog, 'record'> = { record: async (entry) => void recorded.push(entry) };

    const entry = await recordAction({ auditLog, clock: () => NOW }, moderator, {
      action: 'comments.delete',
    });

    expect(recorded).toEqual([entry]);
  });
});
