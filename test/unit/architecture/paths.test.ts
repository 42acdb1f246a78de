import { describe, expect, it } from 'vitest';
import {
  ADMIN_API_PREFIX,
  adminPath,
  allSegmentsPath,
  commentsPath,
  EVENT_ROOM_ID_PATTERN,
  GLOBAL_ROOM_ID,
  livePath,
  liveTickPath,
  ROOM_ID_PATTERN,
  roomPath,
  segmentPath,
  VIEWER_API_PREFIX,
} from '../../../lambdas/domain/paths.js';
import { ChannelId, RoomId } from '../../../lambdas/domain/rooms/room.js';
import { adminRoutes, routes } from '../../../lambdas/routes.js';
import { ADMIN_PATH_PATTERN } from '../../../lib/constructs/chat-cdn.js';
import { matchRoute } from '../../../local/api-gateway.js';

/** The one module of ids and paths, tied to the schemas, the route table, CDK and the local gateway. */
describe('ids and paths', () => {
  const samples = ['demo', 'a', 'A_b-9', 'x'.repeat(64), '', 'x'.repeat(65), 'a/b', 'a#b', '*', 'ü', 'a b'];

  it('validates room and channel ids with the pattern the resolvers use', () => {
    const pattern = new RegExp(ROOM_ID_PATTERN);
    for (const id of samples) {
      expect(RoomId.safeParse(id).success, id).toBe(pattern.test(id));
      expect(ChannelId.safeParse(id).success, id).toBe(pattern.test(id));
    }
  });

  it('lets events name a room or every room, and nothing else', () => {
    const events = new RegExp(EVENT_ROOM_ID_PATTERN);
    const rooms = new RegExp(ROOM_ID_PATTERN);
    for (const id of samples) expect(events.test(id), id).toBe(id === GLOBAL_ROOM_ID || rooms.test(id));
  });

  it('builds paths the route table routes to the right function', () => {
    const at = (method: string, path: string) => {
      const match = matchRoute(method, path);
      return match && { function: match.route.function, params: match.pathParameters };
    };
    expect(at('GET', roomPath('demo'))).toEqual({ function: 'getRoom', params: { roomId: 'demo' } });
    expect(at('GET', livePath('demo'))).toEqual({ function: 'getLive', params: { roomId: 'demo' } });
    expect(at('GET', liveTickPath('demo', 631152000))).toEqual({
      function: 'getLive',
      params: { roomId: 'demo', tick: '631152000' },
    });
    expect(at('GET', segmentPath('demo', 42))).toEqual({
      function: 'getSegment',
      params: { roomId: 'demo', n: '42' },
    });
    expect(at('POST', commentsPath('demo'))).toEqual({ function: 'postComment', params: { roomId: 'demo' } });
    expect(at('GET', adminPath('/rooms/demo'))).toEqual({ function: 'admin', params: { roomId: 'demo' } });
    expect(allSegmentsPath('demo')).toBe(`${segmentPath('demo', 0).replace(/0$/, '')}*`);
  });

  it('puts every viewer route under the viewer prefix and every admin route under the admin prefix', () => {
    const viewer = routes.filter((r) => r.function !== 'admin');
    expect(viewer.length).toBeGreaterThan(0);
    for (const route of viewer)
      expect(route.path.startsWith(`${VIEWER_API_PREFIX}/rooms/`), route.path).toBe(true);
    for (const route of adminRoutes)
      expect(route.path.startsWith(`${ADMIN_API_PREFIX}/`), route.path).toBe(true);
  });

  it('serves the admin prefix from the CDN behaviour for the control plane', () => {
    const behaviour = new RegExp(`^${ADMIN_PATH_PATTERN.replace('*', '.*')}$`);
    for (const route of adminRoutes) expect(behaviour.test(route.path), route.path).toBe(true);
  });
});
