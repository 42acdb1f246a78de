import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../lambdas/domain/access/roles.js';
import { segmentOf } from '../../lambdas/domain/feed/segments.js';
import { adminRoutes } from '../../lambdas/routes.js';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { GLOBAL_EVENT, ROOM_EVENT, subscriber, useRealtime } from '../helpers/appsync.js';

/**
 * Issue 4's flows end to end on `npm start`'s stack: the admin API behind the
 * local user pool authoriser, the viewer API and the realtime endpoint, all
 * through real HTTP and WebSockets.
 */
let stack: LocalStack;
let counter = 0;

beforeAll(async () => {
  stack = await startLocalStack({ seed: false });
  useRealtime(stack.realtime);
});
afterAll(async () => {
  await stack?.stop();
});

const token = async (roles: Role[], channels: string[] = []) =>
  (await stack.adminTokens.issue({ roles, channels })).token;

async function admin(method: string, path: string, bearer: string | undefined, body?: unknown) {
  const res = await fetch(`${stack.edgeUrl}/admin/v1${path}`, {
    method,
    headers: {
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- responses are read loosely in tests
  const parsed: any = text ? JSON.parse(text) : undefined;
  return { status: res.status, headers: res.headers, body: parsed };
}

async function createRoom(operatorToken: string, channelId: string, settings: Record<string, unknown> = {}) {
  const roomId = `e2e-${++counter}-${Date.now().toString(36)}`;
  const res = await admin('POST', '/rooms', operatorToken, {
    roomId,
    channelId,
    title: `Room ${roomId}`,
    settings: { pollIntervalSeconds: 1, ...settings },
  });
  expect(res.status).toBe(201);
  return res.body.room as { roomId: string; version: number };
}

/** Posts as the viewer, with a dev token from the local token endpoint (`style`: the comment_style claim). */
async function post(roomId: string, text: string, userId: string, style?: string) {
  const issued = await fetch(`${stack.edgeUrl}/local/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId, displayName: `Viewer ${userId}`, ...(style ? { style } : {}) }),
  });
  const { token: viewerToken } = (await issued.json()) as { token: string };
  return fetch(`${stack.edgeUrl}/v1/rooms/${roomId}/comments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${viewerToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ text, clientMessageId: `m-${Date.now()}-${Math.random().toString(36).slice(2)}` }),
  });
}

interface Live {
  comments: { id: string; roomId: string; kind: string; text: string; userId: string; style?: string }[];
  tombstones: { commentId: string }[];
  bans: { userId: string }[];
  pollAfterMs: number;
}
const live = async (roomId: string) =>
  (await (await fetch(`${stack.edgeUrl}/v1/rooms/${roomId}/live`)).json()) as Live;

/** Polls as a player would, every poll interval, until `seen` holds or two intervals (plus the room cache) pass. */
async function pollUntil(roomId: string, seen: (doc: Live) => boolean): Promise<Live> {
  let doc = await live(roomId);
  const deadline = Date.now() + 2 * doc.pollAfterMs + 1_000;
  while (!seen(doc) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, doc.pollAfterMs));
    doc = await live(roomId);
  }
  return doc;
}

/** The room cache of the viewer functions: a change reaches the post path within this. */
const ROOM_CACHE_MS = 1_000;
const afterRoomCache = () => new Promise((resolve) => setTimeout(resolve, ROOM_CACHE_MS + 50));

describe('the admin API on the local stack', () => {
  it('refuses every admin route without a token, or with a bad one, with 401 in the API error shape', async () => {
    const expired = (await stack.adminTokens.issue({ roles: ['operator'], ttlSeconds: -5 })).token;
    const viewerToken = (await stack.tokens.issue({ userId: 'v', displayName: 'V' })).token;
    for (const route of adminRoutes) {
      const path = route.path.replace(/\{(\w+)\}/g, 'x');
      for (const bearer of [undefined, 'garbage', expired, viewerToken]) {
        const res = await fetch(`${stack.edgeUrl}${path}`, {
          method: route.method,
          headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
        });
        expect(res.status, `${route.method} ${path} with ${bearer ?? 'no token'}`).toBe(401);
        expect(await res.json()).toMatchObject({ code: 'unauthorized', retryable: false });
      }
    }
  });

  it('operator creates a room and sets slow mode: a viewer’s second quick post gets 429', async () => {
    const op = await token(['operator']);
    const room = await createRoom(op, 'ch-slow');
    const patched = await admin('PATCH', `/rooms/${room.roomId}`, op, {
      version: room.version,
      settings: { slowModeSeconds: 30 },
    });
    expect(patched.status).toBe(200);
    await afterRoomCache();

    expect((await post(room.roomId, 'first', 'slow-viewer')).status).toBe(201);
    const second = await post(room.roomId, 'second', 'slow-viewer');
    expect(second.status).toBe(429);
    expect(await second.json()).toMatchObject({ code: 'slow_mode', retryable: true });
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('operator narrows a room’s comment styles: an entitled viewer’s style shows until the room leaves it out', async () => {
    const op = await token(['operator']);
    const room = await createRoom(op, 'ch-styles');
    const styleOf = (doc: Live, id: string) => doc.comments.find((c) => c.id === id)?.style;

    const decorated = (await (await post(room.roomId, 'in gold', 'patron', 'gold')).json()) as {
      comment: { id: string; createdAt: string };
    };
    const shown = await pollUntil(room.roomId, (d) => styleOf(d, decorated.comment.id) !== undefined);
    const segment = segmentOf(Date.parse(decorated.comment.createdAt), 10);
    const segmentDoc = (await (
      await fetch(`${stack.edgeUrl}/v1/rooms/${room.roomId}/segments/${segment}`)
    ).json()) as Live;
    expect(styleOf(shown, decorated.comment.id)).toBe('gold');
    expect(styleOf(segmentDoc, decorated.comment.id)).toBe('gold');

    const unknown = await admin('PATCH', `/rooms/${room.roomId}`, op, {
      version: room.version,
      settings: { commentStyles: ['gold', 'neon'] },
    });
    const narrowed = await admin('PATCH', `/rooms/${room.roomId}`, op, {
      version: room.version,
      settings: { commentStyles: ['sakura'] },
    });
    await afterRoomCache();
    const plain = await post(room.roomId, 'no longer gold', 'patron', 'gold');
    const { comment } = (await plain.json()) as { comment: { id: string } };
    const after = await pollUntil(room.roomId, (d) => d.comments.some((c) => c.id === comment.id));
    const read = (await (await fetch(`${stack.edgeUrl}/v1/rooms/${room.roomId}`)).json()) as {
      room: { settings: { commentStyles: string[] } };
    };

    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ code: 'invalid_body', retryable: false });
    expect(unknown.body.message).toMatch(/settings\.commentStyles\.1: .*expected one of "gold"/);
    expect(narrowed.status).toBe(200);
    expect(read.room.settings.commentStyles).toEqual(['sakura']);
    expect(plain.status).toBe(201);
    expect(after.comments.find((c) => c.id === comment.id)).not.toHaveProperty('style');
  });

  it('moderator bans a viewer: their next post gets 403 and a subscriber receives the ban', async () => {
    const room = await createRoom(await token(['operator']), 'ch-ban');
    const mod = await token(['moderator'], ['ch-ban']);
    expect((await post(room.roomId, 'before the ban', 'troll')).status).toBe(201);
    const sub = await subscriber(ROOM_EVENT, { roomId: room.roomId });

    const ban = await admin('PUT', `/rooms/${room.roomId}/bans/troll`, mod, { reason: 'spam' });
    expect(ban.status).toBe(200);

    const event = await sub.nextEvent((e) => e.kind === 'USER_BANNED');
    expect(event).toMatchObject({ roomId: room.roomId, payload: { userId: 'troll', scope: 'room' } });
    await afterRoomCache();
    const refused = await post(room.roomId, 'after the ban', 'troll');
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'banned' });
    // The ban itself, not only `live`'s short window, takes the comment out: the document lists it.
    const doc = await pollUntil(
      room.roomId,
      (d) => d.bans.some((b) => b.userId === 'troll') && d.comments.every((c) => c.userId !== 'troll'),
    );
    expect(doc.bans.map((b) => b.userId)).toContain('troll');
    expect(doc.comments.filter((c) => c.userId === 'troll')).toEqual([]);
    sub.client.close();
  });

  it('a moderator of another channel may not ban there', async () => {
    const room = await createRoom(await token(['operator']), 'ch-own');
    const other = await token(['moderator'], ['ch-other']);
    const res = await admin('PUT', `/rooms/${room.roomId}/bans/someone`, other, {});
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'forbidden' });
  });

  it('moderator deletes a comment: it leaves live within one poll interval', async () => {
    const room = await createRoom(await token(['operator']), 'ch-del');
    const mod = await token(['moderator'], ['ch-del']);
    const res = await post(room.roomId, 'regrettable', 'viewer-d');
    const { comment } = (await res.json()) as { comment: { id: string } };
    expect((await live(room.roomId)).comments.map((c) => c.id)).toContain(comment.id);

    const deleted = await admin('DELETE', `/rooms/${room.roomId}/comments/${comment.id}`, mod);
    expect(deleted.status).toBeLessThan(300);

    const doc = await pollUntil(room.roomId, (d) => !d.comments.some((c) => c.id === comment.id));
    expect(doc.comments.map((c) => c.id)).not.toContain(comment.id);
    expect(doc.tombstones.map((t) => t.commentId)).toContain(comment.id);
  });

  it('operator sends a global notice: subscribers of two rooms receive it and both live documents show it', async () => {
    const op = await token(['operator']);
    const [a, b] = [await createRoom(op, 'ch-n1'), await createRoom(op, 'ch-n2')];
    const subs = [await subscriber(GLOBAL_EVENT), await subscriber(GLOBAL_EVENT)];
    const text = `Doors close in 5 minutes (${Date.now()})`;

    const sent = await admin('POST', '/notices', op, { roomId: '*', level: 'warning', text });
    expect(sent.status).toBe(201);

    for (const sub of subs) {
      const event = await sub.nextEvent((e) => e.kind === 'NOTICE');
      expect(event).toMatchObject({ roomId: '*', payload: { level: 'warning', text } });
      sub.client.close();
    }
    for (const roomId of [a.roomId, b.roomId]) {
      const doc = await pollUntil(roomId, (d) => d.comments.some((c) => c.text === text));
      expect(doc.comments.filter((c) => c.text === text)).toHaveLength(1);
    }
  });

  it('records who did what in the room’s audit log', async () => {
    const op = await token(['operator']);
    const room = await createRoom(op, 'ch-audit');
    const mod = await token(['moderator'], ['ch-audit']);
    await admin('PUT', `/rooms/${room.roomId}/bans/noisy`, mod, { durationSeconds: 60 });
    const log = await admin('GET', `/rooms/${room.roomId}/audit`, op);
    expect(log.status).toBe(200);
    const actions = (
      log.body.entries as { action: string; target?: string; actor: { roles: string[] } }[]
    ).map((e) => [e.action, e.actor.roles.join(',')]);
    expect(actions).toEqual([
      ['bans.room', 'moderator'],
      ['room.create', 'operator'],
    ]);
  });
});
