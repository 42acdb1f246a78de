import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWireEvent } from '../../lambdas/domain/realtime/room-event.js';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { eventOf, RawClient, ROOM_EVENT, useRealtime } from '../helpers/appsync.js';
import { testStores } from '../helpers/store.js';

/**
 * Statistics on `npm start`'s stack: the edge counts a room's polls, the
 * AppSync stand-in its subscribers, and the admin API reports both through
 * `/local/stats` next to the comments it counts in the feed.
 */
let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ seed: false });
  useRealtime(stack.realtime);
});
afterAll(async () => {
  await stack?.stop();
});

async function admin(method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${stack.edgeUrl}/admin/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- responses are read loosely in tests
  return { status: res.status, body: (await res.json()) as any };
}

async function post(roomId: string, userId: string, text: string) {
  const { token } = await stack.tokens.issue({ userId, displayName: userId });
  const res = await fetch(`${stack.edgeUrl}/v1/rooms/${roomId}/comments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ text, clientMessageId: randomUUID() }),
  });
  expect(res.status).toBe(201);
}

describe('room statistics on the local stack', () => {
  it('count the room’s polls at the edge, its subscribers, and its comments; an artist message reaches a subscriber', async () => {
    const channelId = `ch-${randomUUID().slice(0, 8)}`;
    const { roomId } = await testStores(stack).room({ channelId });
    const other = await testStores(stack).room({ channelId });
    const artist = (await stack.adminTokens.issue({ roles: ['artist'], channels: [channelId] })).token;

    for (let i = 0; i < 3; i++)
      expect((await fetch(`${stack.edgeUrl}/v1/rooms/${roomId}/live`)).status).toBe(200);
    await fetch(`${stack.edgeUrl}/v1/rooms/${other.roomId}/live`);
    await post(roomId, 'ann', 'first');
    await post(roomId, 'bob', 'second');
    await post(roomId, 'ann', 'third');
    const client = await RawClient.connect();
    const subscription = await client.subscribe(ROOM_EVENT, { roomId });

    const sent = await admin('POST', `/rooms/${roomId}/artist-messages`, artist, { text: 'Thank you!' });
    const stats = await admin('GET', `/rooms/${roomId}/stats?minutes=10`, artist);

    expect(sent.status).toBe(201);
    const received = await client.next((m) => m.type === 'data' && m.id === subscription);
    expect(readWireEvent(eventOf(received))).toMatchObject({
      kind: 'ARTIST_MESSAGE',
      payload: { itemId: sent.body.item.id, text: 'Thank you!' },
    });
    expect(stats.status).toBe(200);
    expect(stats.body.comments).toMatchObject({ total: 3, distinctPosters: 2, truncated: false });
    expect(stats.body.pollRequests).toMatchObject({ scope: 'room', source: 'local-edge', total: 3 });
    expect(stats.body.realtimeConnections).toMatchObject({
      connections: { scope: 'deployment', current: 1 },
      subscriptions: { scope: 'room', current: 1 },
    });
    client.ws.close();
  });

  it('refuses a statistics request for no room, or for an id no room can have', async () => {
    for (const query of ['', '?roomId=', '?roomId=a%20room']) {
      const res = await fetch(`${stack.edgeUrl}/local/stats${query}`);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'invalid_room_id', retryable: false });
    }
  });
});
