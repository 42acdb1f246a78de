import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DynamoAuditStore } from '../../../lambdas/adapters/dynamodb/audit-store.js';
import { getLive } from '../../../lambdas/domain/feed/read-feed.js';
import {
  artistOf,
  callAdmin,
  moderatorOf,
  nobody,
  operator,
  publishCorrelations,
  publishedEvents,
  type Caller,
} from '../../helpers/admin.js';
import { testStores } from '../../helpers/store.js';

/**
 * Artist messages and notices through the admin function: stored in the
 * room's feed (so `live` shows them), pushed, audited — and on any refusal,
 * nothing stored, pushed or audited. Notices to every room ("*") are never
 * sent here: they would reach every other test's `live` (the domain's unit
 * tests send them, in memory).
 */
const stores = testStores();
const audit = new DynamoAuditStore(stores.db, stores.tables.control);
const read = { rooms: stores.rooms, comments: stores.comments, clock: Date.now, liveLimit: 50 };

async function newRoom(shards = 1) {
  const channelId = `ch-${randomUUID().slice(0, 8)}`;
  const room = await stores.room({ channelId, shards });
  return { room, channelId, roomId: room.roomId };
}

const artistMessage = (roomId: string, caller: Caller, body: unknown) =>
  callAdmin({ method: 'POST', path: `/admin/v1/rooms/${roomId}/artist-messages`, caller, body });

const notice = (caller: Caller, body: unknown) =>
  callAdmin({ method: 'POST', path: '/admin/v1/notices', caller, body });

/** The room's feed, pushes and audit log are as they were: nothing was written. */
async function expectNothingWritten(roomId: string) {
  expect((await getLive(read, roomId)).comments).toEqual([]);
  expect(await stores.commentItems(roomId, 1)).toEqual([]);
  expect(await publishedEvents(roomId)).toEqual([]);
  expect((await audit.list({ roomId }, 10)).entries).toEqual([]);
}

describe('POST /admin/v1/rooms/{roomId}/artist-messages', () => {
  it('stores the message as the artist, shows it in live, pushes it and audits it', async () => {
    const { roomId, channelId } = await newRoom(2);
    const artist = artistOf(channelId);

    const res = await artistMessage(roomId, artist, { text: 'Thank you Tokyo!' });

    expect(res.status).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const item = res.body.item;
    expect(res.body).toEqual({
      item: {
        id: expect.any(String),
        roomId,
        kind: 'artist_message',
        userId: artist.userId,
        displayName: 'Aiko Artist',
        text: 'Thank you Tokyo!',
        createdAt: expect.any(String),
      },
      pushed: true,
    });
    expect((await getLive(read, roomId)).comments).toEqual([{ ...item, vpos: expect.any(Number) }]);
    expect(await publishedEvents(roomId)).toEqual([
      {
        id: item.id,
        roomId,
        kind: 'ARTIST_MESSAGE',
        time: item.createdAt,
        payload: {
          itemId: item.id,
          artistId: artist.userId,
          displayName: 'Aiko Artist',
          text: 'Thank you Tokyo!',
        },
      },
    ]);
    const { entries } = await audit.list({ roomId }, 10);
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'artist.message',
        roomId,
        channelId,
        target: item.id,
        actor: { userId: artist.userId, displayName: 'Aiko Artist', roles: ['artist'] },
        details: { text: 'Thank you Tokyo!', pushed: true },
      }),
    ]);
  });

  it('publishes with API Gateway’s request id as x-correlation-id', async () => {
    const { roomId, channelId } = await newRoom();
    const requestId = randomUUID();

    const res = await callAdmin({
      method: 'POST',
      path: `/admin/v1/rooms/${roomId}/artist-messages`,
      caller: artistOf(channelId),
      body: { text: 'Encore!' },
      requestId,
    });

    expect(res.status).toBe(201);
    expect(await publishCorrelations(roomId)).toEqual({ [res.body.item.id]: requestId });
  });

  it('stores the text as the feed’s rules leave it: line endings normalised, bidi overrides removed', async () => {
    const { roomId, channelId } = await newRoom();

    const res = await artistMessage(roomId, artistOf(channelId), {
      text: '  \u202EHello\r\n\r\n\r\nworld\u202C  ',
    });

    expect(res.status).toBe(201);
    expect(res.body.item.text).toBe('Hello\nworld');
    expect((await publishedEvents(roomId))[0]?.payload).toMatchObject({ text: 'Hello\nworld' });
  });

  it('counts the length in code points: 1,000 emoji are allowed', async () => {
    const { roomId, channelId } = await newRoom();

    const res = await artistMessage(roomId, artistOf(channelId), { text: '🎸'.repeat(1000) });

    expect(res.status).toBe(201);
    expect(Array.from(res.body.item.text as string)).toHaveLength(1000);
  });

  describe('who may post', () => {
    it.each([
      ['an artist of another channel', () => artistOf('elsewhere')],
      ['a moderator of the room’s channel', (channelId: string) => moderatorOf(channelId)],
      ['a moderator of another channel', () => moderatorOf('elsewhere')],
      ['an operator', () => operator],
      ['a user in no group', () => nobody],
    ])('refuses %s with 403 and writes nothing', async (_, caller) => {
      const { roomId, channelId } = await newRoom();

      const res = await artistMessage(roomId, caller(channelId), { text: 'hi' });

      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'forbidden', retryable: false });
      await expectNothingWritten(roomId);
    });

    it('allows an artist bound to several channels, the room’s among them', async () => {
      const { roomId, channelId } = await newRoom();

      const res = await artistMessage(roomId, artistOf('other', channelId), { text: 'hi' });

      expect(res.status).toBe(201);
    });

    it('answers 403, not 404, to a caller with no artist role asking about a room that does not exist', async () => {
      const res = await artistMessage(`missing-${randomUUID().slice(0, 8)}`, moderatorOf('x'), {
        text: 'hi',
      });

      expect(res.status).toBe(403);
    });
  });

  describe('bad input', () => {
    it.each([
      ['no text', {}, 400, 'invalid_body'],
      ['text that is not a string', { text: 42 }, 400, 'invalid_body'],
      ['text that is null', { text: null }, 400, 'invalid_body'],
      ['an unknown field', { text: 'hi', userId: 'someone-else' }, 400, 'invalid_body'],
      ['a body that is not an object', ['hi'], 400, 'invalid_body'],
      ['text far over any limit', { text: 'a'.repeat(4001) }, 400, 'invalid_body'],
      ['text of 1,001 code points', { text: 'a'.repeat(1001) }, 422, 'text_too_long'],
      ['a control character', { text: 'hi\u0007there' }, 422, 'invalid_characters'],
      ['a NUL character', { text: 'hi\u0000' }, 422, 'invalid_characters'],
      ['an escape sequence', { text: '\u001b[31mred' }, 422, 'invalid_characters'],
      ['empty text', { text: '' }, 422, 'empty_text'],
      ['invisible-only text', { text: ' \u200B\n\u202E ' }, 422, 'empty_text'],
    ])('refuses %s (%i %s) and writes nothing', async (_, body, status, code) => {
      const { roomId, channelId } = await newRoom();

      const res = await artistMessage(roomId, artistOf(channelId), body);

      expect(res.status).toBe(status);
      expect(res.body).toMatchObject({ code, message: expect.any(String), retryable: false });
      await expectNothingWritten(roomId);
    });

    it('refuses a body that is not JSON, and one sent as another media type', async () => {
      const { roomId, channelId } = await newRoom();
      const path = `/admin/v1/rooms/${roomId}/artist-messages`;

      const notJson = await callAdmin({
        method: 'POST',
        path,
        caller: artistOf(channelId),
        rawBody: '{"text":',
      });
      const form = await callAdmin({
        method: 'POST',
        path,
        caller: artistOf(channelId),
        rawBody: 'text=hi',
        contentType: 'application/x-www-form-urlencoded',
      });

      expect([notJson.status, notJson.body.code]).toEqual([400, 'invalid_json']);
      expect([form.status, form.body.code]).toEqual([415, 'unsupported_media_type']);
      await expectNothingWritten(roomId);
    });

    it('answers 404 for a room that does not exist', async () => {
      const res = await artistMessage(`missing-${randomUUID().slice(0, 8)}`, artistOf('c'), { text: 'hi' });

      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 'room_not_found', retryable: false });
    });

    it('answers 400 for a room id that cannot exist', async () => {
      const res = await artistMessage(encodeURIComponent('no such/room'), artistOf('c'), { text: 'hi' });

      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_room_id');
    });
  });
});

describe('POST /admin/v1/notices', () => {
  it('stores a notice in the room with its level and display time, shows it in live, pushes it and audits it', async () => {
    const { roomId, channelId } = await newRoom(3);

    const res = await notice(operator, {
      roomId,
      level: 'warning',
      text: 'Doors close in 5 minutes',
      displaySeconds: 300,
    });

    expect(res.status).toBe(201);
    const item = res.body.item;
    expect(item).toEqual({
      id: expect.any(String),
      roomId,
      kind: 'notice',
      userId: operator.userId,
      displayName: 'Olga Operator',
      text: 'Doors close in 5 minutes',
      createdAt: expect.any(String),
      level: 'warning',
      displayUntil: new Date(Date.parse(item.createdAt) + 300_000).toISOString(),
    });
    expect(res.body.pushed).toBe(true);
    expect((await getLive(read, roomId)).comments).toEqual([{ ...item, vpos: expect.any(Number) }]);
    expect(await publishedEvents(roomId)).toEqual([
      {
        id: item.id,
        roomId,
        kind: 'NOTICE',
        time: item.createdAt,
        payload: {
          itemId: item.id,
          level: 'warning',
          text: 'Doors close in 5 minutes',
          displayUntil: item.displayUntil,
        },
      },
    ]);
    const { entries } = await audit.list({ roomId }, 10);
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'notice.send',
        roomId,
        channelId,
        target: item.id,
        details: { level: 'warning', text: 'Doors close in 5 minutes', displaySeconds: 300, pushed: true },
      }),
    ]);
  });

  it('leaves displayUntil out when no display time is asked for', async () => {
    const { roomId } = await newRoom();

    const res = await notice(operator, { roomId, level: 'critical', text: 'Evacuate calmly' });

    expect(res.status).toBe(201);
    expect(res.body.item).not.toHaveProperty('displayUntil');
    expect((await publishedEvents(roomId))[0]?.payload).toEqual({
      itemId: res.body.item.id,
      level: 'critical',
      text: 'Evacuate calmly',
    });
  });

  it('accepts the longest display time, a day', async () => {
    const { roomId } = await newRoom();

    const res = await notice(operator, {
      roomId,
      level: 'info',
      text: 'Replay tomorrow',
      displaySeconds: 86_400,
    });

    expect(res.status).toBe(201);
  });

  describe('who may send', () => {
    it.each([
      ['a moderator of the room’s channel', (channelId: string) => moderatorOf(channelId)],
      ['a moderator of another channel', () => moderatorOf('elsewhere')],
      ['an artist of the room’s channel', (channelId: string) => artistOf(channelId)],
      ['an artist of another channel', () => artistOf('elsewhere')],
      ['a user in no group', () => nobody],
    ])('refuses %s with 403 and writes nothing', async (_, caller) => {
      const { roomId, channelId } = await newRoom();

      const res = await notice(caller(channelId), { roomId, level: 'info', text: 'hi' });

      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'forbidden', retryable: false });
      await expectNothingWritten(roomId);
    });

    it.each([
      ['a moderator', moderatorOf('any')],
      ['an artist', artistOf('any')],
      ['a user in no group', nobody],
    ])('refuses %s a notice to every room with 403, pushing nothing', async (_, caller) => {
      const before = (await publishedEvents('*')).length;

      const res = await notice(caller, { roomId: '*', level: 'critical', text: 'All rooms' });

      expect(res.status).toBe(403);
      expect(await publishedEvents('*')).toHaveLength(before);
    });

    it('answers 403, not 404, to a non-operator naming a room that does not exist', async () => {
      const res = await notice(moderatorOf('x'), {
        roomId: `missing-${randomUUID().slice(0, 8)}`,
        level: 'info',
        text: 'hi',
      });

      expect(res.status).toBe(403);
    });
  });

  describe('bad input', () => {
    it.each([
      ['no text', { level: 'info' }, 400, 'invalid_body'],
      ['no level', { text: 'hi' }, 400, 'invalid_body'],
      ['an unknown level', { level: 'urgent', text: 'hi' }, 400, 'invalid_body'],
      ['a level in another case', { level: 'INFO', text: 'hi' }, 400, 'invalid_body'],
      ['text that is not a string', { level: 'info', text: ['hi'] }, 400, 'invalid_body'],
      ['a display time of 0', { level: 'info', text: 'hi', displaySeconds: 0 }, 400, 'invalid_body'],
      [
        'a display time over a day',
        { level: 'info', text: 'hi', displaySeconds: 86_401 },
        400,
        'invalid_body',
      ],
      ['a fractional display time', { level: 'info', text: 'hi', displaySeconds: 1.5 }, 400, 'invalid_body'],
      [
        'a display time as a string',
        { level: 'info', text: 'hi', displaySeconds: '60' },
        400,
        'invalid_body',
      ],
      [
        'an unknown field',
        { level: 'info', text: 'hi', displayUntil: '2030-01-01T00:00:00Z' },
        400,
        'invalid_body',
      ],
      ['text of 1,001 code points', { level: 'info', text: 'x'.repeat(1001) }, 422, 'text_too_long'],
      ['a control character', { level: 'info', text: 'bell\u0007' }, 422, 'invalid_characters'],
      ['a C1 control character', { level: 'info', text: 'next\u0085line' }, 422, 'invalid_characters'],
      ['only a bidi override', { level: 'info', text: '\u202E' }, 422, 'empty_text'],
    ])('refuses %s (%i %s) and writes nothing', async (_, fields, status, code) => {
      const { roomId } = await newRoom();

      const res = await notice(operator, { roomId, ...fields });

      expect(res.status).toBe(status);
      expect(res.body).toMatchObject({ code, message: expect.any(String), retryable: false });
      await expectNothingWritten(roomId);
    });

    it.each([
      ['no roomId', {}],
      ['a roomId that is not a room id', { roomId: 'two words' }],
      ['a roomId that is not a string', { roomId: 7 }],
      ['a roomId of two stars', { roomId: '**' }],
    ])('refuses %s with 400', async (_, fields) => {
      const res = await notice(operator, { level: 'info', text: 'hi', ...fields });

      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_body');
    });

    it('refuses a bad notice to every room before sending anything', async () => {
      const before = (await publishedEvents('*')).length;

      const res = await notice(operator, { roomId: '*', level: 'info', text: 'bad\u0000' });

      expect(res.status).toBe(422);
      expect(await publishedEvents('*')).toHaveLength(before);
    });

    it('answers 404 for a room that does not exist', async () => {
      const res = await notice(operator, {
        roomId: `missing-${randomUUID().slice(0, 8)}`,
        level: 'info',
        text: 'hi',
      });

      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 'room_not_found', retryable: false });
    });
  });
});
