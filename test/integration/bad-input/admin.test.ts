import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Room } from '../../../lambdas/domain/rooms/room.js';
import { artistOf, callAdmin, moderatorOf, publishedEvents, type Caller } from '../../helpers/admin.js';
import { expectErrorShape, tablesSnapshot } from '../../helpers/bad-input.js';
import { testJobs } from '../../helpers/functions.js';
import { seedComment, testStores } from '../../helpers/store.js';

/**
 * Bad input to the admin API (`/admin/v1/...`; lambdas/admin-api.ts is the contract), as a table:
 * the admin function in-process against DynamoDB Local, called with the claims API Gateway's
 * user pool authoriser hands it. Callers acting outside their channels, ids of another room,
 * bodies of the wrong shape, size, media type or characters: each gets its 4xx in the
 * `{ code, message, retryable }` shape, both tables (audit log included) hold exactly what they
 * held, and nothing is pushed to the rooms.
 */
const stores = testStores();
/** Every id this file makes carries it, so the tables' snapshot is this file's alone. */
const MARKER = `ba${randomUUID().slice(0, 8)}`;
const CHANNEL_A = `${MARKER}-a`;
const CHANNEL_B = `${MARKER}-b`;
const ROOM_A = `${MARKER}-room-a`;
const ROOM_B = `${MARKER}-room-b`;

const operator: Caller = { roles: ['operator'], userId: `${MARKER}-op`, name: 'Olga Operator' };
const nobody: Caller = { roles: [], userId: `${MARKER}-nobody`, name: 'Plain User' };
const artistA = artistOf(CHANNEL_A);
const moderatorA = moderatorOf(CHANNEL_A);

let roomA: Room;
let roomB: Room;
let commentB: { id: string };

beforeAll(async () => {
  roomA = await stores.room({ roomId: ROOM_A, channelId: CHANNEL_A });
  roomB = await stores.room({ roomId: ROOM_B, channelId: CHANNEL_B });
  commentB = await seedComment(stores, roomB, Date.now() - 1000, 0, `${MARKER} comment`);
});

interface Case {
  readonly name: string;
  readonly method: string;
  readonly path: () => string;
  readonly caller: Caller;
  readonly body?: unknown;
  /** Sent as is instead of JSON. */
  readonly rawBody?: string;
  readonly contentType?: string;
  readonly status: number;
  readonly code: string;
}

const rooms = '/admin/v1/rooms';
const cases: Case[] = [
  // Acting on another channel's room, or another room's comment
  {
    name: "an artist of channel A messaging channel B's room",
    method: 'POST',
    path: () => `${rooms}/${roomB.roomId}/artist-messages`,
    caller: artistA,
    body: { text: 'hello' },
    status: 403,
    code: 'forbidden',
  },
  {
    name: "a moderator of channel A deleting a comment in channel B's room",
    method: 'DELETE',
    path: () => `${rooms}/${roomB.roomId}/comments/${commentB.id}`,
    caller: moderatorA,
    status: 403,
    code: 'forbidden',
  },
  {
    name: "a moderator deleting another room's comment through their own room",
    method: 'DELETE',
    path: () => `${rooms}/${roomA.roomId}/comments/${commentB.id}`,
    caller: moderatorA,
    status: 404,
    code: 'comment_not_found',
  },
  {
    name: "a moderator of channel A banning in channel B's room",
    method: 'PUT',
    path: () => `${rooms}/${roomB.roomId}/bans/${MARKER}-user`,
    caller: moderatorA,
    body: {},
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'a moderator of channel A purging a user in channel B',
    method: 'POST',
    path: () => `${rooms}/${roomB.roomId}/purges`,
    caller: moderatorA,
    body: { userId: `${MARKER}-user` },
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'a moderator of channel A banning across channel B',
    method: 'PUT',
    path: () => `/admin/v1/channels/${CHANNEL_B}/bans/${MARKER}-user`,
    caller: moderatorA,
    body: {},
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'a moderator of channel A blocking in channel B',
    method: 'PUT',
    path: () => `/admin/v1/channels/${CHANNEL_B}/blocks/${MARKER}-user`,
    caller: moderatorA,
    body: {},
    status: 403,
    code: 'forbidden',
  },
  {
    name: "a moderator of channel A closing channel B's room",
    method: 'POST',
    path: () => `${rooms}/${roomB.roomId}/close`,
    caller: moderatorA,
    body: { version: 1 },
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'an artist creating a room in another channel',
    method: 'POST',
    path: () => rooms,
    caller: artistA,
    body: { channelId: CHANNEL_B, title: 'Mine now' },
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'a user in no group posting a notice',
    method: 'POST',
    path: () => '/admin/v1/notices',
    caller: nobody,
    body: { roomId: ROOM_A, level: 'info', text: 'hi' },
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'a moderator replacing the global NG list',
    method: 'PUT',
    path: () => '/admin/v1/ng-words',
    caller: moderatorA,
    body: { words: ['x'], version: 0 },
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'a moderator running the scaler',
    method: 'POST',
    path: () => '/admin/v1/capacity/runs',
    caller: moderatorA,
    body: { dryRun: false },
    status: 403,
    code: 'forbidden',
  },
  // Malformed, mistyped, oversize or unknown bodies
  {
    name: 'malformed JSON',
    method: 'POST',
    path: () => rooms,
    caller: operator,
    rawBody: '{"title":',
    status: 400,
    code: 'invalid_json',
  },
  {
    name: 'an empty body',
    method: 'POST',
    path: () => rooms,
    caller: operator,
    rawBody: '',
    status: 400,
    code: 'invalid_json',
  },
  {
    name: 'a form body',
    method: 'POST',
    path: () => rooms,
    caller: operator,
    rawBody: `channelId=${CHANNEL_A}&title=x`,
    contentType: 'application/x-www-form-urlencoded',
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'a room body over 8 KiB',
    method: 'POST',
    path: () => rooms,
    caller: operator,
    body: { channelId: CHANNEL_A, title: 't'.repeat(9000) },
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: 'an unknown field on a new room',
    method: 'POST',
    path: () => rooms,
    caller: operator,
    body: { channelId: CHANNEL_A, title: 'Room', ownerId: 'me' },
    status: 400,
    code: 'invalid_body',
  },
  {
    name: 'a channel id of the wrong type',
    method: 'POST',
    path: () => rooms,
    caller: operator,
    body: { channelId: 7, title: 'Room' },
    status: 400,
    code: 'invalid_body',
  },
  {
    name: 'a room title with a bidi override',
    method: 'POST',
    path: () => rooms,
    caller: operator,
    body: { channelId: CHANNEL_A, roomId: `${MARKER}-bidi`, title: 'Live \u202Eevil' },
    status: 400,
    code: 'invalid_body',
  },
  {
    name: 'a room title with a control character',
    method: 'POST',
    path: () => rooms,
    caller: operator,
    body: { channelId: CHANNEL_A, roomId: `${MARKER}-ctl`, title: 'Live\u0007' },
    status: 400,
    code: 'invalid_body',
  },
  {
    name: 'a room id with a bidi isolate',
    method: 'POST',
    path: () => rooms,
    caller: operator,
    body: { channelId: CHANNEL_A, roomId: `${MARKER}\u2066x`, title: 'Room' },
    status: 400,
    code: 'invalid_body',
  },
  {
    name: 'a room change with a version that is a string',
    method: 'PATCH',
    path: () => `${rooms}/${roomA.roomId}`,
    caller: operator,
    body: { version: '1', title: 'New' },
    status: 400,
    code: 'invalid_body',
  },
  {
    name: 'a room change at a stale version',
    method: 'PATCH',
    path: () => `${rooms}/${roomA.roomId}`,
    caller: operator,
    body: { version: 99, title: 'New' },
    status: 409,
    code: 'stale_version',
  },
  {
    name: 'closing a room without its version',
    method: 'POST',
    path: () => `${rooms}/${roomA.roomId}/close`,
    caller: operator,
    body: {},
    status: 400,
    code: 'invalid_body',
  },
  {
    name: 'a purge of a user id with a control character',
    method: 'POST',
    path: () => `${rooms}/${roomA.roomId}/purges`,
    caller: moderatorA,
    body: { userId: `${MARKER}\u0000` },
    status: 400,
    code: 'invalid_body',
  },
  {
    name: 'a ban reason with a bidi override',
    method: 'PUT',
    path: () => `${rooms}/${roomA.roomId}/bans/${MARKER}-user`,
    caller: moderatorA,
    body: { reason: 'spam \u202Emaps' },
    status: 400,
    code: 'invalid_body',
  },
  {
    name: 'a ban with both a duration and a timeout',
    method: 'PUT',
    path: () => `${rooms}/${roomA.roomId}/bans/${MARKER}-user`,
    caller: moderatorA,
    body: { durationSeconds: 60, timeout: true },
    status: 400,
    code: 'invalid_body',
  },
  {
    name: 'a ban of negative length',
    method: 'PUT',
    path: () => `${rooms}/${roomA.roomId}/bans/${MARKER}-user`,
    caller: moderatorA,
    body: { durationSeconds: -60 },
    status: 400,
    code: 'invalid_body',
  },
  {
    name: 'a ban of a user id with a bidi override in the path',
    method: 'PUT',
    path: () => `${rooms}/${roomA.roomId}/bans/${encodeURIComponent(`${MARKER}\u202Eu`)}`,
    caller: moderatorA,
    body: {},
    status: 400,
    code: 'invalid_user_id',
  },
  {
    name: 'a block reason with a control character',
    method: 'PUT',
    path: () => `/admin/v1/channels/${CHANNEL_A}/blocks/${MARKER}-user`,
    caller: moderatorA,
    body: { reason: 'bad\u001B' },
    status: 400,
    code: 'invalid_body',
  },
  {
    name: 'an artist message of bidi controls only',
    method: 'POST',
    path: () => `${rooms}/${roomA.roomId}/artist-messages`,
    caller: artistA,
    body: { text: '\u202E\u2067' },
    status: 422,
    code: 'empty_text',
  },
  {
    name: 'an artist message with a control character',
    method: 'POST',
    path: () => `${rooms}/${roomA.roomId}/artist-messages`,
    caller: artistA,
    body: { text: 'hi\u0008' },
    status: 422,
    code: 'invalid_characters',
  },
  {
    name: 'an artist message whose text is a number',
    method: 'POST',
    path: () => `${rooms}/${roomA.roomId}/artist-messages`,
    caller: artistA,
    body: { text: 1 },
    status: 400,
    code: 'invalid_body',
  },
  {
    name: 'a notice of an unknown level',
    method: 'POST',
    path: () => '/admin/v1/notices',
    caller: operator,
    body: { roomId: ROOM_A, level: 'emergency', text: 'hi' },
    status: 400,
    code: 'invalid_body',
  },
  {
    name: 'a notice to a room that does not exist',
    method: 'POST',
    path: () => '/admin/v1/notices',
    caller: operator,
    body: { roomId: `${MARKER}-missing`, level: 'info', text: 'hi' },
    status: 404,
    code: 'room_not_found',
  },
  {
    name: 'an NG word with a bidi override',
    method: 'PUT',
    path: () => '/admin/v1/ng-words',
    caller: operator,
    body: { words: [`${MARKER}\u202E`], version: 0 },
    status: 400,
    code: 'invalid_body',
  },
  {
    name: 'NG words that are not a list',
    method: 'PUT',
    path: () => '/admin/v1/ng-words',
    caller: operator,
    body: { words: MARKER, version: 0 },
    status: 400,
    code: 'invalid_body',
  },
  {
    name: 'a comment id that is not a ULID',
    method: 'DELETE',
    path: () => `${rooms}/${roomA.roomId}/comments/${MARKER}`,
    caller: moderatorA,
    status: 400,
    code: 'invalid_comment_id',
  },
  {
    name: 'a scaler run whose dryRun is a string',
    method: 'POST',
    path: () => '/admin/v1/capacity/runs',
    caller: operator,
    body: { dryRun: 'false' },
    status: 400,
    code: 'invalid_body',
  },
  // View-limit plans (channel A has none; operators change plans)
  ...(
    [
      ['no comments kept', { maxComments: 0, days: 40 }],
      ['a fractional N', { maxComments: 1.5, days: 40 }],
      ['an N that is a string', { maxComments: '5000', days: 40 }],
      ['an N over a million', { maxComments: 1_000_001, days: 40 }],
      ['no days', { maxComments: 5000 }],
      ['days over ten years', { maxComments: 5000, days: 3651 }],
      ['an expectedVersion of 0', { maxComments: 5000, days: 40, expectedVersion: 0 }],
      ['an unknown field', { maxComments: 5000, days: 40, rooms: ['x'] }],
      ['an array', [5000, 40]],
    ] as const
  ).map(([what, body]): Case => ({
    name: `a plan with ${what}`,
    method: 'PUT',
    path: () => `/admin/v1/channels/${CHANNEL_A}/plan`,
    caller: operator,
    body,
    status: 400,
    code: 'invalid_body',
  })),
  {
    name: 'a plan sent as text/plain',
    method: 'PUT',
    path: () => `/admin/v1/channels/${CHANNEL_A}/plan`,
    caller: operator,
    rawBody: '{"maxComments":5000,"days":40}',
    contentType: 'text/plain',
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'a plan for a channel id with a space',
    method: 'PUT',
    path: () => `/admin/v1/channels/${MARKER}%20a/plan`,
    caller: operator,
    body: { maxComments: 5000, days: 40 },
    status: 400,
    code: 'invalid_channel_id',
  },
  {
    name: "an artist setting their own channel's plan",
    method: 'PUT',
    path: () => `/admin/v1/channels/${CHANNEL_A}/plan`,
    caller: artistA,
    body: { maxComments: 5000, days: 40 },
    status: 403,
    code: 'forbidden',
  },
  {
    name: "a moderator removing their own channel's plan",
    method: 'DELETE',
    path: () => `/admin/v1/channels/${CHANNEL_A}/plan`,
    caller: moderatorA,
    status: 403,
    code: 'forbidden',
  },
  {
    name: "a moderator of channel A reading channel B's plan",
    method: 'GET',
    path: () => `/admin/v1/channels/${CHANNEL_B}/plan`,
    caller: moderatorA,
    status: 403,
    code: 'forbidden',
  },
  {
    name: "a moderator running their own channel's plan now",
    method: 'POST',
    path: () => `/admin/v1/channels/${CHANNEL_A}/plan/runs`,
    caller: moderatorA,
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'a run now for a channel without a plan',
    method: 'POST',
    path: () => `/admin/v1/channels/${CHANNEL_A}/plan/runs`,
    caller: operator,
    status: 404,
    code: 'plan_not_found',
  },
  {
    name: 'a plan change by a user in no group',
    method: 'PUT',
    path: () => `/admin/v1/channels/${CHANNEL_A}/plan`,
    caller: nobody,
    body: { maxComments: 5000, days: 40 },
    status: 403,
    code: 'forbidden',
  },
];

describe('the admin API refuses bad input and writes nothing', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const before = await tablesSnapshot(stores, MARKER);
    const queued = testJobs.sent.length;
    const pushed =
      (await publishedEvents(roomA.roomId)).length + (await publishedEvents(roomB.roomId)).length;

    const res = await callAdmin({
      method: c.method,
      path: c.path(),
      caller: c.caller,
      ...(c.rawBody !== undefined ? { rawBody: c.rawBody } : c.body !== undefined ? { body: c.body } : {}),
      ...(c.contentType ? { contentType: c.contentType } : {}),
    });

    expect(res.status).toBe(c.status);
    expectErrorShape(res.body, c.code);
    expect(await tablesSnapshot(stores, MARKER)).toEqual(before);
    expect(testJobs.sent.length, 'view-limit jobs queued').toBe(queued);
    expect((await publishedEvents(roomA.roomId)).length + (await publishedEvents(roomB.roomId)).length).toBe(
      pushed,
    );
  });
});
