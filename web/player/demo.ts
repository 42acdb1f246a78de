/**
 * The demo page (`/player/?room=<id>&user=<id>`): a player beside a stand-in
 * video. It reads the runtime settings from `config.json` and, where the
 * stack offers dev identities (`npm start`), signs the viewer in with one.
 *
 * `&replay=1`: the player in replay mode (ADR 0040) beside a real media element playing a silent
 * track as long as the event (its schedule, or `&duration=<seconds>`), made in the page as a WAV
 * Blob URL — so play, pause, seeking and speed are the browser's own media behaviour.
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
const replay = params.get('replay') === '1';

const chat = document.createElement('hybrid-live-chat') as unknown as HybridLiveChatElement;
chat.setAttribute('room', roomId);
if (config.baseUrl) chat.setAttribute('base-url', config.baseUrl);
if (replay) chat.setAttribute('mode', 'replay');
else if (config.realtime && params.get('realtime') !== 'off') {
  chat.setAttribute('graphql-url', config.realtime.graphqlUrl);
  chat.setAttribute('realtime-url', config.realtime.realtimeUrl);
  chat.setAttribute('api-key', config.realtime.apiKey);
}
for (const name of ['lang', 'theme'] as const) {
  const value = params.get(name);
  if (value) chat.setAttribute(name, value);
}
if (params.get('theme') === 'dark') document.documentElement.dataset.theme = 'dark';
const devTokensUrl = replay ? undefined : config.devTokensUrl;
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
document.getElementById('viewer')!.textContent = replay
  ? 'replay'
  : !devTokensUrl
    ? '—'
    : displayName === userId
      ? userId
      : `${displayName} (${userId})`;
document.getElementById('room')!.textContent = roomId;
document.getElementById('chat')!.replaceChildren(chat);

if (replay) {
  const video = document.createElement('video');
  video.className = 'video';
  video.controls = true;
  video.preload = 'auto';
  video.setAttribute('aria-label', 'Recorded stream (a silent stand-in track)');
  video.src = URL.createObjectURL(silentWav(await eventSeconds(config.baseUrl ?? location.origin)));
  document.querySelector('.stage .video')!.replaceWith(video);
  chat.attachMedia(video);
}

/** The event's length: `&duration=`, else its schedule's end less its start, else ten minutes. */
async function eventSeconds(baseUrl: string): Promise<number> {
  const asked = Number(params.get('duration'));
  if (asked > 0) return asked;
  try {
    const res = await fetch(`${baseUrl.replace(/\/+$/, '')}/v1/rooms/${encodeURIComponent(roomId)}`);
    const { room } = (await res.json()) as { room: { schedule: { startsAt?: string; endsAt?: string } } };
    const { startsAt, endsAt } = room.schedule;
    if (startsAt && endsAt) return (Date.parse(endsAt) - Date.parse(startsAt)) / 1000;
  } catch {
    // The player says what is wrong with the room; the track just takes the default length.
  }
  return 600;
}

/** A silent 8 kHz, 8-bit mono WAV of `seconds` (8 KB a second). */
function silentWav(seconds: number): Blob {
  const rate = 8_000;
  const samples = Math.ceil(seconds * rate);
  const header = new DataView(new ArrayBuffer(44));
  const ascii = (at: number, text: string) =>
    [...text].forEach((c, i) => header.setUint8(at + i, c.charCodeAt(0)));
  ascii(0, 'RIFF');
  header.setUint32(4, 36 + samples, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  header.setUint32(16, 16, true); // PCM chunk size
  header.setUint16(20, 1, true); // PCM
  header.setUint16(22, 1, true); // mono
  header.setUint32(24, rate, true);
  header.setUint32(28, rate, true); // bytes per second
  header.setUint16(32, 1, true); // block align
  header.setUint16(34, 8, true); // bits per sample
  ascii(36, 'data');
  header.setUint32(40, samples, true);
  // 8-bit PCM is unsigned: 128 is silence.
  return new Blob([header, new Uint8Array(samples).fill(128)], { type: 'audio/wav' });
}
