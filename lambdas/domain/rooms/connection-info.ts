import { roomPath } from '../paths.js';
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
  /** HTML + JS that polls `live` by tick and posts with the viewer's token. */
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
    snippet: playerSnippet({
      roomId: room.roomId,
      pollUrl: urls.pollUrl,
      segmentUrlTemplate: urls.segmentUrlTemplate,
      postUrl: urls.postUrl,
      pollMs: room.settings.pollIntervalSeconds * 1000,
      maxLength: room.settings.maxCommentLength,
    }),
  };
}

/**
 * A minimal player: polls `live` by tick (ADR 0019) at a moment of each tick
 * of its own (so viewers spread over the interval), shows each item once (as
 * text, never as HTML), removes deleted ones, reads the segments for a short
 * gap, and posts with the viewer's token, which the host page provides.
 * Realtime events are left out: everything pushed is also on the poll path.
 *
 * Its clock: server time − local time, the largest lower bound the documents'
 * `generatedAt` gave, so it never asks for a tick before it starts; at worst
 * it asks a little late, which misses nothing.
 */
export function playerSnippet(options: {
  roomId: string;
  pollUrl: string;
  segmentUrlTemplate: string;
  postUrl: string;
  pollMs: number;
  maxLength: number;
}): string {
  const elementId = `hlc-${options.roomId}`;
  // JSON inside <script>: `<` escaped so no value can close the element.
  const chat = JSON.stringify({
    element: elementId,
    live: options.pollUrl,
    segments: options.segmentUrlTemplate,
    comments: options.postUrl,
    pollMs: options.pollMs,
  }).replace(/</g, '\\u003c');
  return `<!-- Hybrid live chat, room ${options.roomId}. Your page sets window.hybridLiveChatToken to the
     viewer's token from your site (or to a function that returns one) before the viewer posts. -->
<div id="${elementId}">
  <ol data-hlc="comments"></ol>
  <form data-hlc="form">
    <input name="text" maxlength="${options.maxLength}" autocomplete="off" required aria-label="Comment" />
    <button>Send</button>
  </form>
</div>
<script type="module">
  const chat = ${chat};
  const root = document.getElementById(chat.element);
  const list = root.querySelector('[data-hlc="comments"]');
  const shown = new Map();
  const phase = Math.random() * chat.pollMs;
  let offset = -Infinity;
  let tick;
  let settled;
  function show(doc) {
    for (const t of doc.tombstones) shown.get(t.commentId)?.remove();
    for (const c of doc.comments) {
      if (shown.has(c.id)) continue;
      const item = document.createElement('li');
      item.textContent = c.displayName ? c.displayName + ': ' + c.text : c.text;
      shown.set(c.id, item);
      list.append(item);
    }
    while (list.childElementCount > 200) list.firstElementChild.remove();
  }
  async function backfill(fromMs, toMs, lengthMs) {
    // A short gap (a late or missed tick) from the segments; a long absence starts afresh.
    if (toMs - fromMs > 6 * lengthMs) return;
    for (let n = Math.floor(fromMs / lengthMs); n * lengthMs < toMs; n++) {
      const res = await fetch(chat.segments.replace('{n}', n));
      if (res.ok) show(await res.json());
    }
  }
  async function poll() {
    let wait = chat.pollMs;
    try {
      const res = await fetch(tick === undefined ? chat.live : chat.live + '/' + tick);
      const live = await res.json();
      if (res.ok) {
        offset = Math.max(offset, Date.parse(live.generatedAt) - Date.now());
        const from = Date.parse(live.window.from);
        if (settled !== undefined && from > settled) {
          await backfill(settled, from, live.segment.lengthSeconds * 1000);
        }
        show(live);
        settled = Date.parse(live.window.settledUntil);
        tick = live.window.tick + 1;
        wait = tick * live.pollAfterMs + phase - (Date.now() + offset);
      } else if (live.retryable) {
        wait = (live.retryAfterSec ?? 1) * 1000;
      } else {
        // Expired (the page slept) or the interval changed: start again from the current tick.
        tick = undefined;
      }
    } catch (error) {
      console.warn('chat: poll failed', error);
    }
    setTimeout(poll, Math.max(0, wait));
  }
  poll();
  root.querySelector('[data-hlc="form"]').addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = event.target.elements.text;
    const token = window.hybridLiveChatToken;
    let problem;
    try {
      const res = await fetch(chat.comments, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer ' + (typeof token === 'function' ? await token() : token),
        },
        body: JSON.stringify({ text: input.value, clientMessageId: crypto.randomUUID() }),
      });
      // The comment shows with a later poll, like everyone else's.
      if (res.ok) input.value = '';
      else problem = (await res.json()).message;
    } catch {
      problem = 'Your comment could not be sent; try again.';
    }
    if (problem) alert(problem);
  });
</script>
`;
}
