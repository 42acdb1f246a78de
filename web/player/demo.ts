/**
 * The demo page (`/player/?room=<id>&user=<id>`): a player beside a stand-in
 * video. It reads the runtime settings from `config.json` and, where the
 * stack offers dev identities (`npm start`), signs the viewer in with one.
 */
import type { HybridLiveChatElement } from './element.js';
import './embed.js';
import './demo.css';

interface PlayerConfig {
  /** The CDN; default this page's origin. */
  readonly baseUrl?: string;
  readonly realtime?: { readonly graphqlUrl: string; readonly realtimeUrl: string; readonly apiKey: string };
  /** `npm start` only: where dev viewer tokens come from. */
  readonly devTokensUrl?: string;
  readonly defaultRoomId?: string;
}

const params = new URLSearchParams(location.search);
const config = (await (await fetch('./config.json', { cache: 'no-store' })).json()) as PlayerConfig;
const roomId = params.get('room') ?? config.defaultRoomId ?? 'demo';
const userId = params.get('user') ?? `viewer-${Math.random().toString(36).slice(2, 8)}`;
const displayName = params.get('name') ?? userId;

const chat = document.createElement('hybrid-live-chat') as unknown as HybridLiveChatElement;
chat.setAttribute('room', roomId);
if (config.baseUrl) chat.setAttribute('base-url', config.baseUrl);
if (config.realtime && params.get('realtime') !== 'off') {
  chat.setAttribute('graphql-url', config.realtime.graphqlUrl);
  chat.setAttribute('realtime-url', config.realtime.realtimeUrl);
  chat.setAttribute('api-key', config.realtime.apiKey);
}
for (const name of ['lang', 'theme'] as const) {
  const value = params.get(name);
  if (value) chat.setAttribute(name, value);
}
if (params.get('theme') === 'dark') document.documentElement.dataset.theme = 'dark';
const devTokensUrl = config.devTokensUrl;
if (devTokensUrl) {
  let token: Promise<string> | undefined;
  chat.tokenProvider = ({ forceRefresh }) => {
    if (!token || forceRefresh) {
      token = fetch(devTokensUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId, displayName }),
      })
        .then((res) => res.json() as Promise<{ token: string }>)
        .then((body) => body.token);
    }
    return token;
  };
}
document.getElementById('viewer')!.textContent = !devTokensUrl
  ? '—'
  : displayName === userId
    ? userId
    : `${displayName} (${userId})`;
document.getElementById('room')!.textContent = roomId;
document.getElementById('chat')!.replaceChildren(chat);
