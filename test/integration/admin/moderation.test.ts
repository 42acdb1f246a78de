import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { segmentOf as segmentNumber } from '../../../lambdas/domain/feed/segments.js';
import { callAdmin, invalidatedPaths, moderatorOf, operator, publishedEvents } from '../../helpers/admin.js';
import {
  auditOf,
  CALLER_KINDS,
  callerFor,
  liveOf,
  segmentOf,
  stores,
  uid,
  viewerPost,
} from '../../helpers/moderation.js';
import { seedComment } from '../../helpers/store.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fresh room in a fresh channel. */
async function aRoom(shards = 1) {
  const channelId = uid('ch');
  return stores.room({ channelId, shards });
}

const commentsPath = (roomId: string) => `/admin/v1/rooms/${roomId}/comments`;

describe('GET /admin/v1/rooms/{roomId}/comments', () => {
  it.each(CALLER_KINDS)('answers %s as its role allows', async (name) => {
    const room = await aRoom();
    const caller = callerFor(name, room.channelId);
    const res = await callAdmin({ method: 'GET', path: commentsPath(room.roomId), caller });
    const allowed = name === 'operator' || name === 'moderator of the channel';
    expect(res.status).toBe(allowed ? 200 : 403);
    if (!allowed) expect(res.body).toMatchObject({ code: 'forbidden', retryable: false });
  });

  it('pages the whole feed newest first across shards, deleted and purged items marked, tombstones left out', async () => {
    // Prepare: 5 comments over 3 shards, an artist message, one deleted, one user purged.
    const room = await aRoom(3);
    const t = Date.now() - 60_000;
    const seeded = [];
    for (let i = 0; i < 5; i++) seeded.push(await seedComment(stores, room, t + i * 1_000, i % 3));
    const artist = {
      id: ulid(t + 5_000),
      roomId: room.roomId,
      kind: 'artist_message' as const,
      userId: 'artist-1',
      displayName: 'Aiko',
      text: 'thanks all',
      createdAt: new Date(t + 5_000).toISOString(),
    };
    await stores.comments.append(artist, 1, Math.ceil(Date.now() / 1000) + 3600);
    const del = await callAdmin({
      method: 'DELETE',
      path: `${commentsPath(room.roomId)}/${seeded[1]!.id}`,
      caller: operator,
    });
    expect(del.status).toBe(200);
    const purge = await callAdmin({
      method: 'POST',
      path: `/admin/v1/rooms/${room.roomId}/purges`,
      caller: operator,
      body: { userId: seeded[3]!.userId },
    });
    expect(purge.status).toBe(200);

    // Act
    const pages = [];
    let cursor: string | undefined;
    do {
      const res = await callAdmin({
        method: 'GET',
        path: commentsPath(room.roomId),
        caller: moderatorOf(room.channelId),
        query: { limit: '2', ...(cursor ? { cursor } : {}) },
      });
      expect(res.status).toBe(200);
      pages.push(res.body.comments);
      cursor = res.body.nextCursor;
    } while (cursor);

    // Assess
    const all = pages.flat();
    expect(pages.map((p) => p.length)).toEqual([2, 2, 2]);
    expect(all.map((c: { id: string }) => c.id)).toEqual([artist.id, ...seeded.map((c) => c.id).reverse()]);
    expect(all[0]).toMatchObject({ kind: 'artist_message', text: 'thanks all' });
    expect(all.filter((c: { deletedAt?: string }) => c.deletedAt).map((c: { id: string }) => c.id)).toEqual([
      seeded[1]!.id,
    ]);
    expect(all.filter((c: { purged?: boolean }) => c.purged).map((c: { id: string }) => c.id)).toEqual([
      seeded[3]!.id,
    ]);
  });

  it.each([
    ['limit 0', { limit: '0' }, 'invalid_limit'],
    ['limit 101', { limit: '101' }, 'invalid_limit'],
    ['a limit that is not a number', { limit: 'ten' }, 'invalid_limit'],
    ['a cursor that is not a comment id', { cursor: 'bm90LWFuLWlk' }, 'invalid_cursor'],
  ])('answers 400 for %s', async (_, query, code) => {
    const room = await aRoom();
    const res = await callAdmin({ method: 'GET', path: commentsPath(room.roomId), caller: operator, query });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code, retryable: false });
  });

  it('answers 404 for a room that does not exist, 400 for a malformed room id', async () => {
    expect(
      (await callAdmin({ method: 'GET', path: commentsPath('no-such-room'), caller: operator })).body,
    ).toMatchObject({
      code: 'room_not_found',
    });
    expect(
      (await callAdmin({ method: 'GET', path: commentsPath('bad%23id'), caller: operator })).status,
    ).toBe(400);
  });
});

describe('DELETE /admin/v1/rooms/{roomId}/comments/{commentId}', () => {
  it.each(CALLER_KINDS)('answers %s as its role allows', async (name) => {
    const room = await aRoom();
    const comment = await seedComment(stores, room, Date.now() - 1_000);
    const caller = callerFor(name, room.channelId);
    const res = await callAdmin({
      method: 'DELETE',
      path: `${commentsPath(room.roomId)}/${comment.id}`,
      caller,
    });
    const allowed = name === 'operator' || name === 'moderator of the channel';
    expect(res.status).toBe(allowed ? 200 : 403);
    const items = await stores.commentItems(room.roomId, 1);
    expect(items.some((i) => i.kind === 'tombstone')).toBe(allowed);
  });

  it('deletes once: the comment leaves live, one COMMENT_DELETED, one audit entry; again is a 200 no-op', async () => {
    const room = await aRoom(2);
    const comment = await seedComment(stores, room, Date.now() - 1_000, 1);
    const path = `${commentsPath(room.roomId)}/${comment.id}`;

    const first = await callAdmin({ method: 'DELETE', path, caller: moderatorOf(room.channelId) });
    const second = await callAdmin({ method: 'DELETE', path, caller: moderatorOf(room.channelId) });

    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ commentId: comment.id, outcome: 'deleted', pushed: true });
    expect(second.body).toMatchObject({ outcome: 'already-deleted', pushed: false });
    const live = await liveOf(room.roomId);
    expect(live.comments.map((c) => c.id)).not.toContain(comment.id);
    expect(live.tombstones.map((t) => t.commentId)).toEqual([comment.id]);
    expect((await publishedEvents(room.roomId)).map((e) => [e.kind, e.payload])).toEqual([
      ['COMMENT_DELETED', { commentId: comment.id }],
    ]);
    const audit = await auditOf({ roomId: room.roomId });
    expect(audit.map((e) => [e.action, e.target, e.channelId])).toEqual([
      ['comments.delete', comment.id, room.channelId],
    ]);
  });

  it('drops the CDN copy of the earlier segment the comment was in', async () => {
    const room = await aRoom();
    const at = Date.now() - 120_000;
    const comment = await seedComment(stores, room, at);

    await callAdmin({
      method: 'DELETE',
      path: `${commentsPath(room.roomId)}/${comment.id}`,
      caller: operator,
    });

    expect(await invalidatedPaths()).toContain(
      `/v1/rooms/${room.roomId}/segments/${segmentNumber(at, room.settings.segmentSeconds)}`,
    );
  });

  it('answers 404 for an unknown comment and an unknown room, 400 for a malformed id; nothing is written', async () => {
    const room = await aRoom();
    const unknown = await callAdmin({
      method: 'DELETE',
      path: `${commentsPath(room.roomId)}/${ulid()}`,
      caller: operator,
    });
    const noRoom = await callAdmin({
      method: 'DELETE',
      path: `${commentsPath(uid('r'))}/${ulid()}`,
      caller: operator,
    });
    const malformed = await callAdmin({
      method: 'DELETE',
      path: `${commentsPath(room.roomId)}/not-an-id`,
      caller: operator,
    });

    expect(unknown.body).toMatchObject({ code: 'comment_not_found' });
    expect(unknown.status).toBe(404);
    expect(noRoom.body).toMatchObject({ code: 'room_not_found' });
    expect(malformed.body).toMatchObject({ code: 'invalid_comment_id' });
    expect(await stores.commentItems(room.roomId, 1)).toEqual([]);
    expect(await publishedEvents(room.roomId)).toEqual([]);
    expect(await auditOf({ roomId: room.roomId })).toEqual([]);
  });
});

describe('POST /admin/v1/rooms/{roomId}/purges', () => {
  const purgePath = (roomId: string) => `/admin/v1/rooms/${roomId}/purges`;

  it.each(CALLER_KINDS)('answers %s as its role allows', async (name) => {
    const room = await aRoom();
    const caller = callerFor(name, room.channelId);
    const res = await callAdmin({
      method: 'POST',
      path: purgePath(room.roomId),
      caller,
      body: { userId: 'u' },
    });
    const allowed = name === 'operator' || name === 'moderator of the channel';
    expect(res.status).toBe(allowed ? 200 : 403);
    expect(Object.keys((await stores.rooms.get(room.roomId))!.purges)).toEqual(allowed ? ['u'] : []);
  });

  it('hides exactly that user’s comments made so far, in live and segments, and tells viewers', async () => {
    // Prepare
    const room = await aRoom(2);
    const spam = [
      await viewerPost(room.roomId, 'spammer', 'buy now'),
      await viewerPost(room.roomId, 'spammer', 'buy!'),
    ];
    const other = await viewerPost(room.roomId, 'bystander', 'hello');
    expect([...spam, other].map((r) => r.status)).toEqual([201, 201, 201]);

    // Act
    const res = await callAdmin({
      method: 'POST',
      path: purgePath(room.roomId),
      caller: moderatorOf(room.channelId),
      body: { userId: 'spammer' },
    });
    const before = res.body.purge.before as string;
    // A comment made after the purge must be later than it, to the millisecond.
    while (Date.now() <= Date.parse(before)) await sleep(2);
    const later = await viewerPost(room.roomId, 'spammer', 'sorry');

    // Assess
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ purge: { userId: 'spammer' }, pushed: true });
    const live = await liveOf(room.roomId);
    const visible = [other.body.comment.id, later.body.comment.id].sort();
    expect(live.comments.map((c) => c.id).sort()).toEqual(visible);
    expect(live.purges).toEqual([{ userId: 'spammer', before }]);
    const n = segmentNumber(Date.parse(spam[0]!.body.comment.createdAt), room.settings.segmentSeconds);
    const segment = await segmentOf(room.roomId, n);
    expect(segment.comments.map((c) => c.id)).not.toContain(spam[0]!.body.comment.id);
    expect(await publishedEvents(room.roomId)).toEqual([
      expect.objectContaining({ kind: 'COMMENTS_PURGED', payload: { userId: 'spammer', before } }),
    ]);
    expect(await invalidatedPaths()).toContain(`/v1/rooms/${room.roomId}/segments/*`);
    const audit = await auditOf({ roomId: room.roomId });
    expect(audit).toEqual([
      expect.objectContaining({ action: 'comments.purge', target: 'spammer', details: { before } }),
    ]);
  });

  it.each([
    ['no userId', { body: {} }, 400, 'invalid_body'],
    ['a userId that is not a string', { body: { userId: 42 } }, 400, 'invalid_body'],
    ['an empty userId', { body: { userId: '' } }, 400, 'invalid_body'],
    ['a userId over 128 characters', { body: { userId: 'u'.repeat(129) } }, 400, 'invalid_body'],
    ['a userId with a control character', { body: { userId: 'bad\u0000id' } }, 400, 'invalid_body'],
    ['an unknown field', { body: { userId: 'u', everything: true } }, 400, 'invalid_body'],
    ['a body that is not JSON', { rawBody: '{userId:' }, 400, 'invalid_json'],
    [
      'a body that is not JSON by its media type',
      { body: { userId: 'u' }, contentType: 'text/plain' },
      415,
      'unsupported_media_type',
    ],
  ])('answers %s with %i and writes nothing', async (_, call, status, code) => {
    const room = await aRoom();
    const res = await callAdmin({ method: 'POST', path: purgePath(room.roomId), caller: operator, ...call });
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ code, retryable: false });
    expect((await stores.rooms.get(room.roomId))!.purges).toEqual({});
    expect(await publishedEvents(room.roomId)).toEqual([]);
    expect(await auditOf({ roomId: room.roomId })).toEqual([]);
  });

  it('keeps every one of 10 concurrent purges (writes conditioned on the purges read)', async () => {
    const room = await aRoom();

    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        callAdmin({
          method: 'POST',
          path: purgePath(room.roomId),
          caller: operator,
          body: { userId: `u${i}` },
        }),
      ),
    );

    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(Object.keys((await stores.rooms.get(room.roomId))!.purges).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `u${i}`).sort(),
    );
  });

  it('answers 404 for a room that does not exist', async () => {
    const res = await callAdmin({
      method: 'POST',
      path: purgePath(uid('r')),
      caller: operator,
      body: { userId: 'u' },
    });
    expect(res.status).toBe(404);
  });
});

describe('global NG words', () => {
  const current = async () =>
    (await callAdmin({ method: 'GET', path: '/admin/v1/ng-words', caller: operator })).body;
  const put = (body: unknown, caller = operator) =>
    callAdmin({ method: 'PUT', path: '/admin/v1/ng-words', caller, body });

  it.each(CALLER_KINDS)('lets %s read and change the list only if an operator', async (name) => {
    const caller = callerFor(name, 'ch-ng');
    const { version } = await current();
    const read = await callAdmin({ method: 'GET', path: '/admin/v1/ng-words', caller });
    const change = await put({ words: [uid('w')], version }, caller);
    const allowed = name === 'operator';
    expect([read.status, change.status]).toEqual(allowed ? [200, 200] : [403, 403]);
    if (!allowed) expect((await current()).version).toBe(version);
  });

  it('refuses a post with a listed word, however written, within the cache’s second; an unlisted one passes', async () => {
    const room = await aRoom();
    const word = uid('zq');
    const { version } = await current();

    const res = await put({ words: [word, uid('other')], version });
    const refused = await viewerPost(
      room.roomId,
      'viewer',
      `so ${word.toUpperCase().split('').join(' ')} here`,
    );
    const cleared = await put({ words: [], version: version + 1 });
    const accepted = await viewerPost(room.roomId, 'viewer', `so ${word} here`);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      words: [word, expect.any(String)],
      version: version + 1,
      updatedBy: 'op-1',
    });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'ng_word' });
    expect(refused.body.message).toMatch(/not allowed on this service/);
    expect(cleared.status).toBe(200);
    expect(accepted.status).toBe(201);
  });

  it('refuses a stale version with 409 and changes nothing', async () => {
    const { version, words } = await current();

    const res = await put({ words: [uid('stale')], version: version + 5 });

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'stale_version' });
    expect(await current()).toMatchObject({ version, words });
  });

  it('records each change in the global audit log with what was added and removed', async () => {
    const { version } = await current();
    const word = uid('audit');

    await put({ words: [word], version });

    const [entry] = await auditOf('global');
    expect(entry).toMatchObject({
      action: 'ngwords.global',
      actor: { userId: 'op-1' },
      details: expect.objectContaining({ version: version + 1, added: [word] }),
    });
  });

  it.each([
    ['words that are not a list', { words: 'bad', version: 0 }],
    ['a word that is not a string', { words: [7], version: 0 }],
    ['an empty word', { words: [' '], version: 0 }],
    ['a word over 50 characters', { words: ['x'.repeat(51)], version: 0 }],
    ['a word with a control character', { words: ['a\u0001b'], version: 0 }],
    ['more than 2,000 words', { words: Array.from({ length: 2_001 }, (_, i) => `w${i}`), version: 0 }],
    ['no version', { words: [] }],
    ['a negative version', { words: [], version: -1 }],
    ['a fractional version', { words: [], version: 1.5 }],
    ['an unknown field', { words: [], version: 0, scope: 'global' }],
  ])('answers 400 for %s and changes nothing', async (_, body) => {
    const before = await current();
    const res = await put(body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_body', retryable: false });
    expect(await current()).toEqual(before);
  });
});
