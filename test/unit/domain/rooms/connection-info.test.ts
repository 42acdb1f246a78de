import { describe, expect, it, vi } from 'vitest';
import { connectionInfo, readConnectionInfo } from '../../../../lambdas/domain/rooms/connection-info.js';
import type { Principal, Role } from '../../../../lambdas/domain/access/roles.js';
import { createRoom } from '../../../../lambdas/domain/rooms/room.js';
import { GLOBAL_EVENT, ROOM_EVENT } from '../../../../lambdas/domain/realtime/subscriptions.js';
import { InMemoryRooms, rejection } from '../../fakes.js';

const room = createRoom(
  {
    roomId: 'gig-7',
    channelId: 'ch-a',
    title: 'Gig',
    settings: { pollIntervalSeconds: 4, maxCommentLength: 120 },
  },
  new Date(Date.UTC(2030, 0, 1)),
);
const endpoints = {
  edgeUrl: 'https://d111.cloudfront.net/',
  graphqlUrl: 'https://api.appsync.test/graphql',
  realtimeUrl: 'wss://api.appsync-realtime.test/graphql',
  apiKey: 'da2-key',
};

describe('connectionInfo', () => {
  it('points a player at the CDN for polling and posting, and at AppSync for events', () => {
    const info = connectionInfo(room, endpoints);
    expect(info).toMatchObject({
      roomId: 'gig-7',
      channelId: 'ch-a',
      status: 'open',
      pollIntervalSeconds: 4,
      segmentSeconds: 10,
      roomUrl: 'https://d111.cloudfront.net/v1/rooms/gig-7',
      pollUrl: 'https://d111.cloudfront.net/v1/rooms/gig-7/live',
      pollTickUrlTemplate: 'https://d111.cloudfront.net/v1/rooms/gig-7/live/{tick}',
      segmentUrlTemplate: 'https://d111.cloudfront.net/v1/rooms/gig-7/segments/{n}',
      postUrl: 'https://d111.cloudfront.net/v1/rooms/gig-7/comments',
      graphqlUrl: endpoints.graphqlUrl,
      realtimeUrl: endpoints.realtimeUrl,
      apiKey: 'da2-key',
      subscriptions: {
        room: { query: ROOM_EVENT, variables: { roomId: 'gig-7' } },
        global: { query: GLOBAL_EVENT, variables: {} },
      },
    });
  });

  it('embeds the web player from the CDN with the room and its endpoints', () => {
    const { snippet } = connectionInfo(room, endpoints);
    expect(snippet).toContain(
      '<script type="module" src="https://d111.cloudfront.net/player/embed.js"></script>',
    );
    const element = snippet.slice(snippet.indexOf('<hybrid-live-chat'));
    for (const [name, value] of [
      ['id', 'hlc-gig-7'],
      ['room', 'gig-7'],
      ['base-url', 'https://d111.cloudfront.net'],
      ['graphql-url', endpoints.graphqlUrl],
      ['realtime-url', endpoints.realtimeUrl],
      ['api-key', 'da2-key'],
    ]) {
      expect(element).toContain(`${name}="${value}"`);
    }
    expect(element.trim()).toMatch(/<\/hybrid-live-chat>$/);
  });

  it('escapes every value into its attribute: no URL can add markup or script', () => {
    const hostile = 'https://edge.test/"><script>alert(1)</script><b x=\'';
    const { snippet } = connectionInfo(room, { ...endpoints, edgeUrl: hostile, apiKey: '" onload="x' });
    expect(snippet).not.toContain('<script>');
    expect(snippet).not.toContain('" onload=');
    expect(snippet.match(/<script/g)).toHaveLength(1);
    expect(snippet).toContain('api-key="&#34; onload=&#34;x"');
    // The one comment ends where it should.
    expect(snippet.match(/-->/g)).toHaveLength(1);
  });
});

describe('readConnectionInfo', () => {
  const principal = (roles: Role[], channels: string[] = []): Principal => ({
    userId: 'u',
    displayName: 'u',
    roles: new Set(roles),
    channels: new Set(channels),
  });

  it("is for every role, on the room's channel, and reads the endpoints only when allowed", async () => {
    const rooms = new InMemoryRooms(room);
    const load = vi.fn(async () => endpoints);
    for (const who of [
      principal(['operator']),
      principal(['moderator'], ['ch-a']),
      principal(['artist'], ['ch-a']),
    ]) {
      expect((await readConnectionInfo({ rooms }, who, 'gig-7', load)).pollUrl).toMatch(/\/live$/);
    }
    expect(load).toHaveBeenCalledTimes(3);
    for (const who of [principal(['artist'], ['ch-b']), principal([])]) {
      expect((await rejection(readConnectionInfo({ rooms }, who, 'gig-7', load))).status).toBe(403);
    }
    expect(
      (await rejection(readConnectionInfo({ rooms }, principal(['operator']), 'nope', load))).status,
    ).toBe(404);
    expect(load).toHaveBeenCalledTimes(3);
  });
});
