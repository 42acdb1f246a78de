import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEventCli } from '../../bin/event-cli.js';
import { runRoomCli } from '../../bin/room-cli.js';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { segmentOf } from '../../lambdas/domain/feed/segments.js';
import { GLOBAL_EVENT, ROOM_EVENT, subscriber, useRealtime } from '../helpers/appsync.js';
import { cliEnv } from '../helpers/cli.js';
import { seedComment, testStores } from '../helpers/store.js';

/**
 * Issue 3's promise, end to end on the local stack: an event is persisted
 * (the poll path shows it within one poll interval) and pushed (subscribers
 * get it at once). Driven through `npm run event`'s code.
 */
let stack: LocalStack;
let rooms = 0;

beforeAll(async () => {
  stack = await startLocalStack({ seed: false });
  useRealtime(stack.realtime);
});
afterAll(async () => {
  await stack?.stop();
});

async function newRoom(): Promise<string> {
  const roomId = `rt-${++rooms}-${Date.now().toString(36)}`;
  await runRoomCli(['create', roomId, '--poll-seconds', '1'], cliEnv(stack));
  return roomId;
}

/** Posts as `userId`; resolves the response (the caller checks its status). */
async function post(roomId: string, text: string, userId = 'viewer-1') {
  const { token } = await stack.tokens.issue({ userId, displayName: `Viewer ${userId}` });
  return fetch(`${stack.edgeUrl}/v1/rooms/${roomId}/comments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ text, clientMessageId: `m-${Date.now()}-${Math.random().toString(36).slice(2)}` }),
  });
}

async function postComment(roomId: string, text: string, userId = 'viewer-1') {
  const res = await post(roomId, text, userId);
  expect(res.status).toBe(201);
  return ((await res.json()) as { comment: { id: string } }).comment;
}

interface Live {
  room: { settings: { slowModeSeconds: number } };
  comments: { id: string; roomId: string; kind: string; text: string; level?: string }[];
  tombstones: { commentId: string }[];
  bans: { userId: string; until?: string; scope: 'room' | 'channel' }[];
  pollAfterMs: number;
}
const live = async (roomId: string) =>
  (await (await fetch(`${stack.edgeUrl}/v1/rooms/${roomId}/live`)).json()) as Live;
/** A room's own items: a global notice from another test shows in every room, as it should. */
const own = (roomId: string, doc: Live) => doc.comments.filter((c) => c.roomId === roomId);
/** The next poll a client makes: one poll interval after the last one. */
const pollAgain = async (roomId: string, last: Live) => {
  await new Promise((resolve) => setTimeout(resolve, last.pollAfterMs + 50));
  return live(roomId);
};

/** Room state goes through the functions' room cache (ROOM_CACHE_TTL_MS, 1 s) as well as the edge. */
const ROOM_CACHE_MS = 1_000;
/** Polls like a client until `seen` holds, for at most one poll interval plus the room cache's lifetime. */
async function pollUntil(roomId: string, last: Live, seen: (doc: Live) => boolean): Promise<Live> {
  const deadline = Date.now() + last.pollAfterMs + ROOM_CACHE_MS + 100;
  let doc = last;
  while (!seen(doc) && Date.now() < deadline) doc = await pollAgain(roomId, doc);
  return doc;
}

describe('realtime events, persisted then pushed', () => {
  it('a deletion reaches subscribers and leaves live within one poll interval', async () => {
    const roomId = await newRoom();
    const sub = await subscriber(ROOM_EVENT, { roomId });
    const comment = await postComment(roomId, 'regrettable');
    const before = await live(roomId);
    expect(own(roomId, before).map((c) => c.id)).toEqual([comment.id]);

    const output = await runEventCli(
      ['delete', roomId, '--comment', comment.id, '--edge-url', stack.edgeUrl],
      cliEnv(stack),
    );

    expect(output).toMatch(/pushed$/);
    const event = await sub.nextEvent((e) => e.kind === 'COMMENT_DELETED');
    expect(event).toMatchObject({ roomId, payload: { commentId: comment.id } });
    const after = await pollAgain(roomId, before);
    expect(own(roomId, after)).toEqual([]);
    expect(after.tombstones.map((t) => t.commentId)).toEqual([comment.id]);
    sub.client.close();
  });

  it('a global notice reaches the subscribers of two rooms and both live documents', async () => {
    const [a, b] = [await newRoom(), await newRoom()];
    const subs = [await subscriber(GLOBAL_EVENT), await subscriber(GLOBAL_EVENT)];
    const roomSubs = [
      await subscriber(ROOM_EVENT, { roomId: a }),
      await subscriber(ROOM_EVENT, { roomId: b }),
    ];
    const before = await Promise.all([live(a), live(b)]);

    await runEventCli(
      ['notice', '*', '--level', 'critical', '--text', 'The show resumes in 10 minutes'],
      cliEnv(stack),
    );

    for (const sub of subs) {
      const event = await sub.nextEvent((e) => e.kind === 'NOTICE');
      expect(event).toMatchObject({
        roomId: '*',
        payload: { level: 'critical', text: 'The show resumes in 10 minutes' },
      });
    }
    for (const [i, roomId] of [a, b].entries()) {
      const after = await pollAgain(roomId, before[i]!);
      expect(after.comments).toEqual([
        expect.objectContaining({
          kind: 'notice',
          level: 'critical',
          text: 'The show resumes in 10 minutes',
        }),
      ]);
    }
    // Room subscriptions carry only their room's events: a marker published after the notice arrives first.
    await runEventCli(['ping', a], cliEnv(stack));
    expect((await roomSubs[0]!.nextEvent(() => true)).kind).toBe('PING');
    for (const sub of [...subs, ...roomSubs]) sub.client.close();
  });

  it('an artist message reaches the room’s subscribers and shows in live marked as such', async () => {
    const roomId = await newRoom();
    const sub = await subscriber(ROOM_EVENT, { roomId });
    const before = await live(roomId);

    await runEventCli(
      ['artist-message', roomId, '--user', 'band', '--name', 'The Band', '--text', 'Thank you!'],
      cliEnv(stack),
    );

    const event = await sub.nextEvent((e) => e.kind === 'ARTIST_MESSAGE');
    expect(event.payload).toMatchObject({ artistId: 'band', displayName: 'The Band', text: 'Thank you!' });
    const after = await pollAgain(roomId, before);
    expect(own(roomId, after)).toEqual([
      expect.objectContaining({ id: event.id, kind: 'artist_message', text: 'Thank you!' }),
    ]);
    sub.client.close();
  });

  it('a failed push still leaves the event on the poll path', async () => {
    const roomId = await newRoom();
    const before = await live(roomId);

    const output = await runEventCli(
      [
        'artist-message',
        roomId,
        '--text',
        'Pushed into the void',
        '--graphql-url',
        'http://127.0.0.1:9/graphql',
      ],
      cliEnv(stack),
    );

    expect(output).toMatch(/stored, but the push failed/);
    const after = await pollAgain(roomId, before);
    expect(own(roomId, after).map((c) => c.text)).toEqual(['Pushed into the void']);
  });

  it('a ban reaches subscribers; within a poll interval and the room cache live lists it and hides the user’s comments, and their posts get 403', async () => {
    const roomId = await newRoom();
    const sub = await subscriber(ROOM_EVENT, { roomId });
    const earlier = await postComment(roomId, 'before the ban', 'troll');
    const kept = await postComment(roomId, 'a good comment', 'viewer-1');
    const before = await live(roomId);

    await runEventCli(['ban', roomId, '--user', 'troll', '--seconds', '600'], cliEnv(stack));

    const event = await sub.nextEvent((e) => e.kind === 'USER_BANNED');
    expect(event.payload).toMatchObject({ userId: 'troll', scope: 'room' });
    const after = await pollUntil(roomId, before, (doc) => doc.bans.length > 0);
    expect(after.bans).toEqual([
      { userId: 'troll', until: (event.payload as { until: string }).until, scope: 'room' },
    ]);
    expect(own(roomId, after).map((c) => c.id)).toEqual([kept.id]);
    expect(own(roomId, after).map((c) => c.id)).not.toContain(earlier.id);
    // The post path reads bans from the functions' room cache: refused within its lifetime.
    const deadline = Date.now() + ROOM_CACHE_MS + 500;
    let refused = await post(roomId, 'after the ban', 'troll');
    while (refused.status === 201 && Date.now() < deadline)
      refused = await post(roomId, 'after the ban', 'troll');
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'banned', retryable: false });
    sub.client.close();
  });

  it('a settings change reaches subscribers, and live shows it within a poll interval and the room cache', async () => {
    const roomId = await newRoom();
    const sub = await subscriber(ROOM_EVENT, { roomId });
    const before = await live(roomId);

    await runEventCli(['settings', roomId, '--version', '1', '--slow-mode', '15'], cliEnv(stack));

    const event = await sub.nextEvent((e) => e.kind === 'SETTINGS_CHANGED');
    expect(event.payload).toMatchObject({ version: 2, settings: { slowModeSeconds: 15 } });
    const after = await pollUntil(roomId, before, (doc) => doc.room.settings.slowModeSeconds === 15);
    expect(after.room.settings.slowModeSeconds).toBe(15);
    await expect(
      runEventCli(['settings', roomId, '--version', '1', '--slow-mode', '30'], cliEnv(stack)),
    ).rejects.toMatchObject({
      status: 409,
    });
    sub.client.close();
  });

  it('a deletion from a closed segment cached at the edge invalidates it there', async () => {
    const stores = testStores(stack);
    const room = await stores.room({ createdAt: new Date(Date.now() - 3_600_000) });
    const old = await seedComment(stores, room, Date.now() - 600_000);
    const path = `/v1/rooms/${room.roomId}/segments/${segmentOf(Date.parse(old.createdAt), 10)}`;
    const cached = await fetch(`${stack.edgeUrl}${path}`);
    expect(((await cached.json()) as { comments: { id: string }[] }).comments.map((c) => c.id)).toEqual([
      old.id,
    ]);
    expect((await fetch(`${stack.edgeUrl}${path}`)).headers.get('x-cache')).toMatch(/^Hit/);

    await runEventCli(
      ['delete', room.roomId, '--comment', old.id, '--edge-url', stack.edgeUrl],
      cliEnv(stack),
    );

    const after = await fetch(`${stack.edgeUrl}${path}`);
    expect(after.headers.get('x-cache')).toMatch(/^Miss/);
    expect(((await after.json()) as { comments: unknown[] }).comments).toEqual([]);
  });
});
