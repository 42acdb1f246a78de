import { describe, expect, it } from 'vitest';
import {
  scopeOf,
  type AuditEntry,
  type AuditLog,
  type AuditScope,
} from '../../../../lambdas/domain/access/audit.js';
import {
  exportRoomAudit,
  roomAuditPage,
  scopeAuditPage,
} from '../../../../lambdas/domain/access/audit-read.js';
import type { Principal, Role } from '../../../../lambdas/domain/access/roles.js';
import { createRoom } from '../../../../lambdas/domain/rooms/room.js';
import { InMemoryRooms, rejection } from '../../fakes.js';

const principal = (roles: Role[], channels: string[] = []): Principal => ({
  userId: 'u',
  displayName: 'u',
  roles: new Set(roles),
  channels: new Set(channels),
});

/** An audit log in memory with the store's contract: newest first, numeric cursors. */
class InMemoryAuditLog implements AuditLog {
  readonly entries: AuditEntry[] = [];
  readonly pageSizes: number[] = [];

  async record(entry: AuditEntry) {
    this.entries.push(entry);
  }

  async list(scope: AuditScope, limit: number, cursor?: string) {
    this.pageSizes.push(limit);
    const key = JSON.stringify(scope);
    const all = this.entries.filter((e) => JSON.stringify(scopeOf(e)) === key).reverse();
    const start = cursor ? Number(cursor) : 0;
    const entries = all.slice(start, start + limit);
    return start + limit < all.length ? { entries, nextCursor: String(start + limit) } : { entries };
  }
}

const entry = (n: number, scope: { roomId?: string; channelId?: string }): AuditEntry => ({
  id: `01J${String(n).padStart(23, '0')}`,
  at: '2030-01-01T00:00:00.000Z',
  actor: { userId: 'op', displayName: 'Op', roles: ['operator'] },
  action: 'room.settings',
  ...scope,
  details: { n },
});

function setup(count: number) {
  const rooms = new InMemoryRooms(createRoom({ roomId: 'r1', channelId: 'ch-a', title: 'T' }, new Date()));
  const auditLog = new InMemoryAuditLog();
  for (let n = 1; n <= count; n++) void auditLog.record(entry(n, { roomId: 'r1', channelId: 'ch-a' }));
  return { rooms, auditLog };
}

const numbers = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as AuditEntry).details!.n);

describe('exportRoomAudit', () => {
  it('writes every entry as a JSON line, newest first, across pages', async () => {
    const deps = setup(5);
    const out = await exportRoomAudit(deps, principal(['operator']), 'r1', {
      maxEntries: 100,
      maxBytes: 1e6,
      pageSize: 2,
    });
    expect(numbers(out.text)).toEqual([5, 4, 3, 2, 1]);
    expect(out).toMatchObject({ entries: 5, truncated: false });
    expect(deps.auditLog.pageSizes).toEqual([2, 2, 2]);
  });

  it('stops at the entry bound and says the log was cut', async () => {
    const out = await exportRoomAudit(setup(5), principal(['operator']), 'r1', {
      maxEntries: 3,
      maxBytes: 1e6,
      pageSize: 2,
    });
    expect(numbers(out.text)).toEqual([5, 4, 3]);
    expect(out).toMatchObject({ entries: 3, truncated: true });
  });

  it('does not call a log of exactly the bound cut', async () => {
    const out = await exportRoomAudit(setup(4), principal(['operator']), 'r1', {
      maxEntries: 4,
      maxBytes: 1e6,
      pageSize: 2,
    });
    expect(out).toMatchObject({ entries: 4, truncated: false });
  });

  it('stops before the line that would pass the byte bound', async () => {
    const lineBytes = `${JSON.stringify(entry(1, { roomId: 'r1', channelId: 'ch-a' }))}\n`.length;
    const out = await exportRoomAudit(setup(5), principal(['operator']), 'r1', {
      maxEntries: 100,
      maxBytes: lineBytes * 2 + 1,
      pageSize: 10,
    });
    expect(numbers(out.text)).toEqual([5, 4]);
    expect(out.truncated).toBe(true);
    expect(Buffer.byteLength(out.text)).toBeLessThanOrEqual(lineBytes * 2 + 1);
  });

  it("is for operators and the channel's moderators", async () => {
    const bounds = { maxEntries: 10, maxBytes: 1e6, pageSize: 10 };
    const deps = setup(1);
    expect((await exportRoomAudit(deps, principal(['moderator'], ['ch-a']), 'r1', bounds)).entries).toBe(1);
    for (const who of [principal(['moderator'], ['ch-b']), principal(['artist'], ['ch-a']), principal([])]) {
      expect((await rejection(exportRoomAudit(deps, who, 'r1', bounds))).status).toBe(403);
    }
    expect((await rejection(exportRoomAudit(deps, principal(['operator']), 'gone', bounds))).status).toBe(
      404,
    );
  });
});

describe('roomAuditPage', () => {
  it("pages the room's log with the caller's limit and cursor", async () => {
    const deps = setup(3);
    const first = await roomAuditPage(deps, principal(['operator']), 'r1', { limit: 2 });
    const second = await roomAuditPage(deps, principal(['operator']), 'r1', {
      limit: 2,
      cursor: first.nextCursor!,
    });
    expect([...first.entries, ...second.entries].map((e) => e.details!.n)).toEqual([3, 2, 1]);
    expect(second.nextCursor).toBeUndefined();
  });
});

describe('scopeAuditPage', () => {
  it("reads a channel's log for operators and its moderators", async () => {
    const auditLog = new InMemoryAuditLog();
    await auditLog.record(entry(1, { channelId: 'ch-a' }));
    for (const who of [principal(['operator']), principal(['moderator'], ['ch-a'])]) {
      expect(
        (await scopeAuditPage({ auditLog }, who, { channelId: 'ch-a', limit: 10 })).entries,
      ).toHaveLength(1);
    }
    for (const who of [principal(['moderator'], ['ch-b']), principal(['artist'], ['ch-a'])]) {
      expect(
        (await rejection(scopeAuditPage({ auditLog }, who, { channelId: 'ch-a', limit: 10 }))).status,
      ).toBe(403);
    }
  });

  it('reads the global log for operators only, though moderators may read audit logs', async () => {
    const auditLog = new InMemoryAuditLog();
    await auditLog.record(entry(1, {}));
    expect((await scopeAuditPage({ auditLog }, principal(['operator']), { limit: 10 })).entries).toHaveLength(
      1,
    );
    const refused = await rejection(
      scopeAuditPage({ auditLog }, principal(['moderator'], ['ch-a']), { limit: 10 }),
    );
    expect(refused.status).toBe(403);
  });
});
