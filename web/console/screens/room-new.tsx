import { useState } from 'preact/hooks';
import { ApiError } from '../api.js';
import { useConsole } from '../context.js';
import { href, navigate } from '../router.js';
import { ErrorNotice, PageHeader, Progress } from '../ui.js';
import { RoomFields, SettingsFields, TextControl } from './room-fields.js';
import { createRequest, defaultCreateDraft, type CreateDraft, type FieldErrors } from './room-form.js';

/**
 * Creates a room (operators): its channel, title, an optional id, the schedule, expected viewers
 * and its first settings — the segment length among them, fixed from then on. Opens the room once
 * created; keeps everything typed when creating fails.
 */
export function CreateRoomScreen() {
  const { api, me } = useConsole();
  const [draft, setDraft] = useState<CreateDraft>(() => defaultCreateDraft([...me.channels][0] ?? 'default'));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>();
  const [running, setRunning] = useState(false);

  const set = <K extends keyof CreateDraft>(key: K, value: CreateDraft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setErrors(({ [key]: _fixed, ...rest }) => rest);
  };

  const create = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    const checked = createRequest(draft);
    if (!checked.ok) {
      if ('errors' in checked) {
        setErrors(checked.errors);
        requestAnimationFrame(() => document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      }
      return;
    }
    setErrors({});
    setRunning(true);
    try {
      const { room } = await api('POST /admin/v1/rooms', { body: checked.body });
      navigate(`/rooms/${encodeURIComponent(room.roomId)}`);
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'room_exists' && draft.roomId.trim()) {
        setErrors({ roomId: 'A room with this id exists already. Choose another, or leave it empty.' });
      } else {
        setError(caught);
      }
    } finally {
      setRunning(false);
    }
  };

  const props = { draft, set, errors, idPrefix: 'new' };
  return (
    <section>
      <PageHeader title="Create a room">
        <a href={href('/rooms')}>Back to the rooms</a>
      </PageHeader>
      <form class="form form-wide" onSubmit={create} aria-label="New room" noValidate>
        <fieldset class="group">
          <legend>Room</legend>
          <div class="form-row">
            <TextControl
              {...props}
              field="channelId"
              hint="The broadcaster's channel; its moderators and artists work in the room."
              list="new-channels"
            />
            <TextControl
              {...props}
              field="roomId"
              label="Room id (optional)"
              hint="A–Z a–z 0–9 _ -, up to 64. Empty: one is made for you."
            />
          </div>
          {me.channels.size ? (
            <datalist id="new-channels">
              {[...me.channels].map((c) => (
                <option key={c} value={c} />
              ))}
            </datalist>
          ) : null}
          <RoomFields {...props} />
        </fieldset>
        <fieldset class="group">
          <legend>Chat</legend>
          <SettingsFields {...props} />
          <TextControl
            {...props}
            field="segmentSeconds"
            numeric
            hint="How the feed is cut for caching, 1 to 300. Fixed once the room exists; 10 suits most events."
          />
        </fieldset>
        {Object.keys(errors).length ? (
          <p class="notice notice-error" role="alert">
            Some fields need correcting; each says what is wrong. Nothing was sent.
          </p>
        ) : null}
        <ErrorNotice error={error} />
        <div class="form-actions">
          <button type="submit" class="button button-primary" disabled={running}>
            Create room
          </button>
          <a class="button" href={href('/rooms')}>
            Cancel
          </a>
          {running ? <Progress label="Creating the room…" /> : null}
        </div>
      </form>
    </section>
  );
}
