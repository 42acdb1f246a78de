import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DynamoAuditStore } from '../../../lambdas/adapters/dynamodb/audit-store.js';
import { AuditEntry } from '../../../lambdas/domain/access/audit.js';
import { newCommentId } from '../../../lambdas/domain/feed/ids.js';
import { artistOf, callAdmin, moderatorOf, nobody, operator, type Caller } from '../../helpers/admin.js';
import { testStores } from '../../helpers/store.js';

/**
 * Reading the audit log through the admin function: a room's log (paged and
 * exported as JSON lines), a channel's, and the global one. Entries are
 * written by real admin changes, or recorded directly to have many.
 */
const stores = testStores();
const audit = new DynamoAuditStore(stores.doc, stores.tables.control);
const channel = () => `ch-${randomUUID().slice(0, 8)}`;

const get = (path: string, caller: Caller = operator, query?: Record<string, string>) =>
  callAdmin({ method: 'GET', path, caller, ...(query ? { query } : {}) });

/** `count` entries recorded in `scope`, oldest first, as the dispatcher records them. */
async function seedEntries(count: number, scope: { roomId?: string; channelId?: string }) {
  const entries: AuditEntry[] = [];
  for (let i = 0; i < count; i++) {
    const entry: AuditEntry = {
      id: newCommentId(Date.now()),
      at: new Date().toISOString(),
      actor: { userId: 'op-seed', displayName: 'Seeder', roles: ['operator'] },
      action: 'room.settings',
      ...scope,
      target: `t-${i}`,
      details: { n: i },
    };
    await audit.record(entry);
    entries.push(entry);
  }
  return entries;
}

/** Every page of a listing, following nextCursor. */
async function allPages(path: string, query: Record<string, string>, caller: Caller = operator) {
  const pages: AuditEntry[][] = [];
  let cursor: string | undefined;
  do {
    const res = await get(path, caller, { ...query, ...(cursor ? { cursor } : {}) });
    expect(res.status).toBe(200);
    pages.push(res.body.entries);
    cursor = res.body.nextCursor;
  } while (cursor);
  return pages;
}

type Who = 'operator' | 'moderator-own' | 'moderator-other' | 'artist-own' | 'nobody';
const callerFor = (who: Who, channelId: string): Caller =>
  ({
    operator,
    'moderator-own': moderatorOf(channelId),
    'moderator-other': moderatorOf(`${channelId}-other`),
    'artist-own': artistOf(channelId),
    nobody,
  })[who];

const ROLE_MATRIX = [
  ['an operator', 'operator', 200],
  ['a moderator of the channel', 'moderator-own', 200],
  ['a moderator of another channel', 'moderator-other', 403],
  ['an artist of the channel', 'artist-own', 403],
  ['a user in no group', 'nobody', 403],
] as const;

describe('GET /admin/v1/rooms/{roomId}/audit', () => {
  it('lists what admins changed in the room, newest first, with actor, action and target', async () => {
    const channelId = channel();
    const created = await callAdmin({
      method: 'POST',
      path: '/admin/v1/rooms',
      caller: operator,
      body: { channelId, title: 'Audited' },
    });
    const roomId = created.body.room.roomId;
    await callAdmin({
      method: 'PATCH',
      path: `/admin/v1/rooms/${roomId}`,
      caller: moderatorOf(channelId),
      body: { version: 1, settings: { slowModeSeconds: 5 } },
    });
    await callAdmin({
      method: 'POST',
      path: `/admin/v1/rooms/${roomId}/close`,
      caller: operator,
      body: { version: 2 },
    });
    // Reads are not audited.
    await get(`/admin/v1/rooms/${roomId}`);
    await get(`/admin/v1/rooms/${roomId}/connection`);

    const res = await get(`/admin/v1/rooms/${roomId}/audit`);

    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.nextCursor).toBeUndefined();
    expect(res.body.entries.map((e: AuditEntry) => [e.action, e.actor.userId, e.target])).toEqual([
      ['room.close', 'op-1', roomId],
      ['room.settings', `mod-${channelId}`, roomId],
      ['room.create', 'op-1', roomId],
    ]);
    for (const entry of res.body.entries) {
      expect(AuditEntry.parse(entry)).toEqual(entry);
      expect(entry).toMatchObject({ roomId, channelId });
    }
  });

  it('pages newest first without repeating or skipping an entry', async () => {
    const room = await stores.room({ channelId: channel() });
    const seeded = await seedEntries(7, { roomId: room.roomId, channelId: room.channelId });

    const pages = await allPages(`/admin/v1/rooms/${room.roomId}/audit`, { limit: '3' });

    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat().map((e) => e.id)).toEqual(seeded.map((e) => e.id).reverse());
  });

  it.each(ROLE_MATRIX)('answers %s with %i', async (_, who, status) => {
    const room = await stores.room({ channelId: channel() });
    await seedEntries(1, { roomId: room.roomId });
    const res = await get(`/admin/v1/rooms/${room.roomId}/audit`, callerFor(who, room.channelId));
    expect(res.status).toBe(status);
    if (status === 200) expect(res.body.entries).toHaveLength(1);
    else expect(res.body.code).toBe('forbidden');
  });

  it('answers 404 for a missing room, 403 to a caller with no role for it either way', async () => {
    const missing = `r-${randomUUID().slice(0, 12)}`;
    expect((await get(`/admin/v1/rooms/${missing}/audit`)).body.code).toBe('room_not_found');
    expect((await get(`/admin/v1/rooms/${missing}/audit`, artistOf('c'))).status).toBe(403);
  });

  it("answers 400 for a bad limit, a malformed cursor and another log's cursor", async () => {
    const [a, b] = [await stores.room(), await stores.room()];
    await seedEntries(2, { roomId: b.roomId });
    const otherCursor = (await get(`/admin/v1/rooms/${b.roomId}/audit`, operator, { limit: '1' })).body
      .nextCursor;
    expect(otherCursor).toEqual(expect.any(String));

    for (const [query, code] of [
      [{ limit: '0' }, 'invalid_limit'],
      [{ limit: '1000' }, 'invalid_limit'],
      [{ limit: 'all' }, 'invalid_limit'],
      [{ cursor: '%%%' }, 'invalid_cursor'],
      [{ cursor: otherCursor }, 'invalid_cursor'],
    ] as const) {
      const res = await get(`/admin/v1/rooms/${a.roomId}/audit`, operator, query);
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.body.code).toBe(code);
    }
  });
});

describe('GET /admin/v1/rooms/{roomId}/audit/export', () => {
  it("downloads the room's whole log as JSON lines, newest first, one entry per line", async () => {
    const room = await stores.room({ channelId: channel() });
    const seeded = await seedEntries(5, { roomId: room.roomId });

    const res = await get(`/admin/v1/rooms/${room.roomId}/audit/export`);

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-ndjson');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="audit-${room.roomId}.jsonl"`);
    expect(res.headers['x-audit-entries']).toBe('5');
    expect(res.headers['x-audit-truncated']).toBe('false');
    expect(res.text.endsWith('\n')).toBe(true);
    const lines = res.text.split('\n').slice(0, -1);
    expect(lines.map((line) => AuditEntry.parse(JSON.parse(line)))).toEqual([...seeded].reverse());
  });

  it('exports an empty log as an empty file', async () => {
    const room = await stores.room();
    const res = await get(`/admin/v1/rooms/${room.roomId}/audit/export`);
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(res.headers['x-audit-entries']).toBe('0');
  });

  it.each(ROLE_MATRIX)('answers %s with %i', async (_, who, status) => {
    const room = await stores.room({ channelId: channel() });
    const res = await get(`/admin/v1/rooms/${room.roomId}/audit/export`, callerFor(who, room.channelId));
    expect(res.status).toBe(status);
  });

  it('answers 404 for a missing room and 400 for a malformed id', async () => {
    expect((await get(`/admin/v1/rooms/r-${randomUUID().slice(0, 8)}/audit/export`)).status).toBe(404);
    expect((await get('/admin/v1/rooms/a%20b/audit/export')).body.code).toBe('invalid_room_id');
  });
});

describe('GET /admin/v1/audit', () => {
  it("lists a channel's log, newest first and paged", async () => {
    const channelId = channel();
    const seeded = await seedEntries(3, { channelId });

    const pages = await allPages('/admin/v1/audit', { channelId, limit: '2' });

    expect(pages.map((p) => p.length)).toEqual([2, 1]);
    expect(pages.flat().map((e) => e.id)).toEqual(seeded.map((e) => e.id).reverse());
  });

  it.each(ROLE_MATRIX)("answers %s asking for a channel's log with %i", async (_, who, status) => {
    const channelId = channel();
    await seedEntries(1, { channelId });
    const res = await get('/admin/v1/audit', callerFor(who, channelId), { channelId });
    expect(res.status).toBe(status);
  });

  it('lists the global log for operators only', async () => {
    const [entry] = await seedEntries(1, {});

    const res = await get('/admin/v1/audit', operator, { limit: '100' });

    expect(res.status).toBe(200);
    expect(res.body.entries.map((e: AuditEntry) => e.id)).toContain(entry!.id);
    for (const caller of [moderatorOf('ch-a'), artistOf('ch-a'), nobody]) {
      const refused = await get('/admin/v1/audit', caller);
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('forbidden');
    }
  });

  it('answers 400 for a malformed channel id or limit', async () => {
    expect((await get('/admin/v1/audit', operator, { channelId: 'a b' })).body.code).toBe(
      'invalid_channel_id',
    );
    expect((await get('/admin/v1/audit', operator, { limit: '-5' })).body.code).toBe('invalid_limit');
  });
});
