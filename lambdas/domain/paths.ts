/**
 * The ids and URL paths the product exposes, defined once. The domain, the
 * route table, the AppSync resolvers, CDK and the local runtime all import
 * them (test/unit/architecture/paths.test.ts ties them together).
 *
 * The resolvers bundle this module as APPSYNC_JS, which has no regular
 * expression literals: patterns are strings (for `util.matches` and
 * `new RegExp`), and the module is linted with AppSync's rules.
 */

/** A room or channel id: 1–64 of A–Z a–z 0–9 _ - (URL-safe, and no key delimiter). */
export const ROOM_ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';
/** The roomId of an event for every room. */
export const GLOBAL_ROOM_ID = '*';
/** A room id, or the global id. */
export const EVENT_ROOM_ID_PATTERN = '^(\\*|[A-Za-z0-9_-]{1,64})$';

/** The viewer API (public reads and posts). */
export const VIEWER_API_PREFIX = '/v1';
/** The control plane (operators, moderators, artists), behind the user pool. */
export const ADMIN_API_PREFIX = '/admin/v1';

/**
 * Where the web player is served, on the same origin as the API: `<prefix>index.html` (the demo
 * page), `<prefix>embed.js` (what host pages load), `<prefix>config.json`, `<prefix>assets/…`.
 */
export const PLAYER_PATH_PREFIX = '/player/';

/** Where the admin console is served, on the same origin as the API it calls (no CORS, no API URL to configure). */
export const CONSOLE_PATH_PREFIX = '/console/';

/** Route templates in API Gateway syntax: `{name}` is a path parameter. */
export const VIEWER_ROUTE_PATHS = {
  comments: '/v1/rooms/{roomId}/comments',
  live: '/v1/rooms/{roomId}/live',
  /** The same document, addressed by poll tick (ADR 0019): gap-free polling. */
  liveTick: '/v1/rooms/{roomId}/live/{tick}',
  segment: '/v1/rooms/{roomId}/segments/{n}',
  room: '/v1/rooms/{roomId}',
};

/** A room's public paths, as viewers and the CDN see them. */
export function roomPath(roomId: string): string {
  return `${VIEWER_API_PREFIX}/rooms/${roomId}`;
}

export function livePath(roomId: string): string {
  return `${roomPath(roomId)}/live`;
}

/** Tick `tick` of a room's `live` (ADR 0019). */
export function liveTickPath(roomId: string, tick: number): string {
  return `${livePath(roomId)}/${tick}`;
}

export function segmentPath(roomId: string, n: number): string {
  return `${roomPath(roomId)}/segments/${n}`;
}

/** Every segment of a room, as a CDN invalidation pattern. */
export function allSegmentsPath(roomId: string): string {
  return `${roomPath(roomId)}/segments/*`;
}

export function commentsPath(roomId: string): string {
  return `${roomPath(roomId)}/comments`;
}

/** An admin route's full path from its path below the prefix. */
export function adminPath(path: string): string {
  return `${ADMIN_API_PREFIX}${path}`;
}
