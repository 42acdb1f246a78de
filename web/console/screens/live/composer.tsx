import { useState } from 'preact/hooks';
import type { FeedItem } from '../../../../client/index.js';
import { MAX_BROADCAST_LENGTH } from '../../../../lambdas/domain/realtime/feed-events.js';
import type { Room } from '../../../../lambdas/domain/rooms/room.js';
import { useConsole } from '../../context.js';
import { useAction } from '../../hooks.js';
import { PlayerPreview } from '../../player-preview.js';
import { ErrorNotice, Field, Success } from '../../ui.js';
import { reach } from './activity.js';
import { checkBroadcast, LanguagePicker, type PreviewLang } from './broadcast-text.js';

/**
 * An artist's message to the room, with a preview drawn by the player's own renderer. The text is
 * checked with the server's own rules (normalised, counted in code points against
 * MAX_BROADCAST_LENGTH) before sending; a failed send keeps it.
 */
export function ArtistComposer({ room }: { room: Room }) {
  const { api, me } = useConsole();
  const [text, setText] = useState('');
  const [lang, setLang] = useState<PreviewLang>('ja');
  const send = useAction((body: string) =>
    api('POST /admin/v1/rooms/{roomId}/artist-messages', {
      params: { roomId: room.roomId },
      body: { text: body },
    }),
  );
  const check = checkBroadcast(text);
  const preview: FeedItem | undefined = check.text
    ? {
        id: 'preview',
        roomId: room.roomId,
        kind: 'artist_message',
        userId: me.userId,
        displayName: me.displayName,
        text: check.text,
        createdAt: new Date().toISOString(),
      }
    : undefined;
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!check.ok) return;
    const result = await send.act(text);
    if (result) setText('');
  };
  return (
    <section class="card composer" aria-labelledby="composer-title">
      <h2 id="composer-title">Message the room as {me.displayName}</h2>
      <div class="composer-grid">
        <form class="form" onSubmit={submit}>
          <Field id="artist-text" label="Your message" error={check.problem}>
            <textarea
              id="artist-text"
              value={text}
              aria-describedby={`artist-text-count${check.problem ? ' artist-text-error' : ''}`}
              aria-invalid={check.problem ? true : undefined}
              onInput={(e) => {
                setText(e.currentTarget.value);
                if (send.result || send.error) send.clear();
              }}
            />
          </Field>
          <p
            id="artist-text-count"
            class={`hint counter${check.length > MAX_BROADCAST_LENGTH ? ' counter-over' : ''}`}
          >
            {check.length} / {MAX_BROADCAST_LENGTH} characters
          </p>
          <div class="form-actions">
            <button type="submit" class="button button-primary" disabled={!check.ok || send.running}>
              {send.running ? 'Sending…' : 'Send to players'}
            </button>
          </div>
          <ErrorNotice error={send.error} onRetry={check.ok ? () => void send.act(text) : undefined} />
          {send.result ? (
            <Success>Sent. {reach(send.result.pushed, room.settings.pollIntervalSeconds)}</Success>
          ) : null}
        </form>
        <div class="preview-column">
          <LanguagePicker id="artist-lang" value={lang} onChange={setLang} />
          <PlayerPreview item={preview} title={room.title} lang={lang} label="Preview of the message" />
        </div>
      </div>
    </section>
  );
}
