import { PLAYER_PATH_PREFIX, roomPath } from '../paths.js';
import type { RoomReader } from './ports.js';
import type { Principal } from '../access/roles.js';
import type { Room } from './room.js';
import { roomFor } from './room-admin.js';
import { GLOBAL_EVENT, ROOM_EVENT } from '../realtime/subscriptions.js';

/**
 * Everything a web player needs to join a room: the CDN URLs it polls and
 * posts to, the realtime endpoint and key, the subscription documents, and a
 * copy-paste snippet.
 */
export interface PlayerEndpoints {
  /** The CDN's base URL: every viewer request goes through it. */
  readonly edgeUrl: string;
  readonly graphqlUrl: string;
  readonly realtimeUrl: string;
  /** AppSync's API key: public by design, it only lets players subscribe. */
  readonly apiKey: string;
}

export interface ConnectionInfo {
  readonly roomId: string;
  readonly channelId: string;
  readonly status: Room['status'];
  readonly pollIntervalSeconds: number;
  readonly segmentSeconds: number;
  /** GET: public room info. */
  readonly roomUrl: string;
  /** GET: the current tick's document (first load, simple clients). */
  readonly pollUrl: string;
  /** GET with `{tick}` replaced by each tick in turn: gap-free polling (ADR 0019). */
  readonly pollTickUrlTemplate: string;
  /** GET with `{n}` replaced by a segment number: one closed time slice. */
  readonly segmentUrlTemplate: string;
  /** POST `{text, clientMessageId}` with the viewer's bearer token. */
  readonly postUrl: string;
  readonly graphqlUrl: string;
  readonly realtimeUrl: string;
  readonly apiKey: string;
  readonly subscriptions: {
    readonly room: { readonly query: string; readonly variables: { readonly roomId: string } };
    readonly global: { readonly query: string; readonly variables: Record<string, never> };
  };
  /** HTML that embeds the web player in this room, with the host's token hook (`playerSnippet`). */
  readonly snippet: string;
}

/** The room's connection info; 403/404 as for reading the room. */
export async function readConnectionInfo(
  deps: { readonly rooms: RoomReader },
  principal: Principal,
  roomId: string,
  endpoints: () => Promise<PlayerEndpoints>,
): Promise<ConnectionInfo> {
  const room = await roomFor(deps, principal, ['room.connection'], roomId);
  return connectionInfo(room, await endpoints());
}

export function connectionInfo(room: Room, endpoints: PlayerEndpoints): ConnectionInfo {
  const base = `${endpoints.edgeUrl.replace(/\/+$/, '')}${roomPath(encodeURIComponent(room.roomId))}`;
  const urls = {
    roomUrl: base,
    pollUrl: `${base}/live`,
    pollTickUrlTemplate: `${base}/live/{tick}`,
    segmentUrlTemplate: `${base}/segments/{n}`,
    postUrl: `${base}/comments`,
  };
  return {
    roomId: room.roomId,
    channelId: room.channelId,
    status: room.status,
    pollIntervalSeconds: room.settings.pollIntervalSeconds,
    segmentSeconds: room.settings.segmentSeconds,
    ...urls,
    graphqlUrl: endpoints.graphqlUrl,
    realtimeUrl: endpoints.realtimeUrl,
    apiKey: endpoints.apiKey,
    subscriptions: {
      room: { query: ROOM_EVENT, variables: { roomId: room.roomId } },
      global: { query: GLOBAL_EVENT, variables: {} },
    },
    snippet: playerSnippet({ roomId: room.roomId, ...endpoints }),
  };
}

/** `&`, `<`, `>`, `"` and `'` as character references: any value is safe inside an attribute. */
const escapeAttribute = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * What a host page pastes to show the room: the web player (`<hybrid-live-chat>`,
 * served at `PLAYER_PATH_PREFIX` on the CDN) with this room's endpoints, and
 * the hook for the host's viewer token. Everything it does — polling by tick,
 * realtime, backfill, posting — is the SDK's (README, "Embedding the player").
 */
export function playerSnippet(options: {
  roomId: string;
  edgeUrl: string;
  graphqlUrl: string;
  realtimeUrl: string;
  apiKey: string;
}): string {
  const edge = options.edgeUrl.replace(/\/+$/, '');
  const attribute = (name: string, value: string) => `${name}="${escapeAttribute(value)}"`;
  const elementId = `hlc-${options.roomId}`;
  // Inside an HTML comment: nothing may end it early.
  const inComment = (value: string) => value.replace(/--/g, '-\u2010');
  return `<!-- Hybrid live chat: room ${inComment(options.roomId)}.
  Sign-in: when your viewer signs in, give the player your site's token for them (a JWT your
  backend signs; it is asked again with { forceRefresh: true } after a 401). Until then it is read-only:
    document.getElementById(${inComment(JSON.stringify(elementId))}).tokenProvider =
      ({ forceRefresh }) => yourSite.chatToken({ forceRefresh });
  Size: it fills its container's height (at least 240px), or set one: hybrid-live-chat { height: 600px }
-->
<script type="module" src="${escapeAttribute(`${edge}${PLAYER_PATH_PREFIX}embed.js`)}"></script>
<hybrid-live-chat
  ${attribute('id', elementId)}
  ${attribute('room', options.roomId)}
  ${attribute('base-url', edge)}
  ${attribute('graphql-url', options.graphqlUrl)}
  ${attribute('realtime-url', options.realtimeUrl)}
  ${attribute('api-key', options.apiKey)}
></hybrid-live-chat>`;
}
