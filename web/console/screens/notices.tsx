import { useState } from 'preact/hooks';
import type { FeedItem } from '../../../client/index.js';
import type { NoticeLevel } from '../../../lambdas/domain/feed/comment.js';
import {
  MAX_BROADCAST_LENGTH,
  MAX_NOTICE_DISPLAY_SECONDS,
} from '../../../lambdas/domain/realtime/feed-events.js';
import { EventRoomId } from '../../../lambdas/domain/realtime/room-event.js';
import { useConsole } from '../context.js';
import { useAction, useLoad } from '../hooks.js';
import { PlayerPreview } from '../player-preview.js';
import { ErrorNotice, Field, PageHeader, Success } from '../ui.js';
import { checkBroadcast, LanguagePicker, type PreviewLang } from './live/broadcast-text.js';

/** The room id that means "every room" (EventRoomId: the global feed every room's `live` merges). */
const EVERY_ROOM = '*';

const LEVELS: readonly [NoticeLevel, string][] = [
  ['info', 'Information'],
  ['warning', 'Warning'],
  ['critical', 'Critical (screen readers announce it at once)'],
];

/** How long players keep the banner: seconds; '' for no banner (the notice stays in the feed). */
const DISPLAY_CHOICES: readonly [string, string][] = [
  ['', 'No banner: in the feed only'],
  ['30', '30 seconds'],
  ['60', '1 minute'],
  ['300', '5 minutes'],
  ['900', '15 minutes'],
  ['3600', '1 hour'],
  ['custom', 'Another length…'],
];

/**
 * Operators' notices: to one room or every room, at a level, with an optional display time (the
 * banner's), previewed as players will show it. Says afterwards whether it was pushed or goes by
 * poll; a failed send keeps the form.
 */
export function NoticesScreen() {
  const { api } = useConsole();
  const [target, setTarget] = useState<'every' | 'one'>('every');
  const [roomId, setRoomId] = useState('');
  const [level, setLevel] = useState<NoticeLevel>('info');
  const [display, setDisplay] = useState('60');
  const [customSeconds, setCustomSeconds] = useState('120');
  const [text, setText] = useState('');
  const [lang, setLang] = useState<PreviewLang>('ja');
  const rooms = useLoad((signal) => api('GET /admin/v1/rooms', { query: { limit: '100' }, signal }), []);
  const send = useAction(
    (body: { roomId: string; level: NoticeLevel; text: string; displaySeconds?: number }) =>
      api('POST /admin/v1/notices', { body }),
  );

  const check = checkBroadcast(text);
  const displaySeconds =
    display === '' ? undefined : display === 'custom' ? Number(customSeconds) : Number(display);
  const displayProblem =
    displaySeconds !== undefined &&
    !(Number.isInteger(displaySeconds) && displaySeconds >= 1 && displaySeconds <= MAX_NOTICE_DISPLAY_SECONDS)
      ? `A whole number of seconds from 1 to ${MAX_NOTICE_DISPLAY_SECONDS}.`
      : undefined;
  const chosenRoom = target === 'every' ? EVERY_ROOM : roomId.trim();
  const roomProblem =
    target === 'one' && roomId.trim() !== '' && !EventRoomId.safeParse(roomId.trim()).success
      ? 'A room id: letters, digits, - and _.'
      : undefined;
  const ready = check.ok && !displayProblem && !roomProblem && chosenRoom !== '';
  const roomTitle =
    target === 'every'
      ? 'Every room'
      : (rooms.data?.rooms.find((r) => r.roomId === chosenRoom)?.title ?? (chosenRoom || 'A room'));
  const preview: FeedItem | undefined = check.text
    ? {
        id: 'preview',
        roomId: chosenRoom || 'preview',
        kind: 'notice',
        userId: '',
        displayName: '',
        text: check.text,
        createdAt: new Date().toISOString(),
        level,
        ...(displaySeconds !== undefined && !displayProblem
          ? { displayUntil: new Date(Date.now() + displaySeconds * 1000).toISOString() }
          : {}),
      }
    : undefined;

  const sendNow = async () => {
    if (!ready) return;
    const result = await send.act({
      roomId: chosenRoom,
      level,
      text,
      ...(displaySeconds !== undefined ? { displaySeconds } : {}),
    });
    if (result) setText('');
  };
  const submit = (event: Event) => {
    event.preventDefault();
    void sendNow();
  };
  const sentTo = send.result?.item.roomId === EVERY_ROOM ? 'every room' : `room ${send.result?.item.roomId}`;

  return (
    <section>
      <PageHeader title="Notices" />
      <p class="muted">
        A notice shows in the chat of one room or of every room, above the comments for its display time, and
        stays in the feed.
      </p>
      <div class="composer-grid">
        <form class="form" onSubmit={submit}>
          <fieldset>
            <legend>Send to</legend>
            <label class="check">
              <input
                type="radio"
                name="target"
                checked={target === 'every'}
                onChange={() => setTarget('every')}
              />
              Every room
            </label>
            <label class="check">
              <input
                type="radio"
                name="target"
                checked={target === 'one'}
                onChange={() => setTarget('one')}
              />
              One room
            </label>
          </fieldset>
          {target === 'one' ? (
            <Field
              id="notice-room"
              label="Room id"
              hint="Type a room id, or pick one of the latest rooms."
              error={roomProblem}
            >
              <input
                id="notice-room"
                list="notice-rooms"
                value={roomId}
                required
                aria-describedby="notice-room-hint"
                onInput={(e) => setRoomId(e.currentTarget.value)}
              />
              <datalist id="notice-rooms">
                {rooms.data?.rooms.map((r) => (
                  <option key={r.roomId} value={r.roomId}>
                    {r.title} ({r.channelId}, {r.status})
                  </option>
                ))}
              </datalist>
            </Field>
          ) : null}
          <ErrorNotice error={target === 'one' ? rooms.error : undefined} onRetry={rooms.reload} />
          <div class="form-row">
            <Field id="notice-level" label="Level">
              <select
                id="notice-level"
                value={level}
                onChange={(e) => setLevel(e.currentTarget.value as NoticeLevel)}
              >
                {LEVELS.map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </Field>
            <Field id="notice-display" label="Banner shows for">
              <select id="notice-display" value={display} onChange={(e) => setDisplay(e.currentTarget.value)}>
                {DISPLAY_CHOICES.map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </Field>
            {display === 'custom' ? (
              <Field id="notice-seconds" label="Seconds" error={displayProblem}>
                <input
                  id="notice-seconds"
                  type="number"
                  min={1}
                  max={MAX_NOTICE_DISPLAY_SECONDS}
                  step={1}
                  value={customSeconds}
                  onInput={(e) => setCustomSeconds(e.currentTarget.value)}
                />
              </Field>
            ) : null}
          </div>
          <Field id="notice-text" label="Text" error={check.problem}>
            <textarea
              id="notice-text"
              value={text}
              aria-describedby={`notice-text-count${check.problem ? ' notice-text-error' : ''}`}
              aria-invalid={check.problem ? true : undefined}
              onInput={(e) => {
                setText(e.currentTarget.value);
                if (send.result || send.error) send.clear();
              }}
            />
          </Field>
          <p
            id="notice-text-count"
            class={`hint${check.length > MAX_BROADCAST_LENGTH ? ' counter-over' : ''}`}
          >
            {check.length} / {MAX_BROADCAST_LENGTH} characters
          </p>
          <div class="form-actions">
            <button type="submit" class="button button-primary" disabled={!ready || send.running}>
              {send.running ? 'Sending…' : target === 'every' ? 'Send to every room' : 'Send to this room'}
            </button>
          </div>
          <ErrorNotice error={send.error} onRetry={ready ? () => void sendNow() : undefined} />
          {send.result ? (
            <Success>
              Sent to {sentTo}.{' '}
              {send.result.pushed
                ? 'It was pushed: players connected to the realtime path show it within a second.'
                : 'The push did not go out: players show it on their next poll (within each room’s poll interval).'}
            </Success>
          ) : null}
        </form>
        <div class="preview-column">
          <LanguagePicker id="notice-lang" value={lang} onChange={setLang} />
          <PlayerPreview item={preview} title={roomTitle} lang={lang} label="Preview of the notice" />
        </div>
      </div>
    </section>
  );
}
