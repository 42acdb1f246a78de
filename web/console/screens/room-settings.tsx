import { useEffect, useState } from 'preact/hooks';
import { can } from '../../../lambdas/domain/access/roles.js';
import type { Room } from '../../../lambdas/domain/rooms/room.js';
import { ApiError } from '../api.js';
import { useConsole } from '../context.js';
import { ErrorNotice, formatTime, Progress, Success } from '../ui.js';
import { CloseRoomButton } from './room-close.js';
import { RoomFields, SettingsFields } from './room-fields.js';
import {
  changedFields,
  conflictRows,
  draftOf,
  reapply,
  updateRequest,
  type FieldErrors,
  type RoomDraft,
} from './room-form.js';
import type { RoomTabProps } from './room.js';

/**
 * A room's settings, and for operators its title, schedule and expected viewers. A save sends the
 * version read and only what changed; when someone saved meanwhile (409 stale_version) it shows
 * their changes beside the user's, kept as typed, to reapply onto the new version or discard.
 * Moderators change the settings only; artists read them.
 */
export function RoomSettingsTab({ room, reloadRoom }: RoomTabProps) {
  const { api, me } = useConsole();
  const mayUpdate = can(me, 'room.update', room.channelId);
  const maySettings = can(me, 'room.settings', room.channelId);
  const mayClose = can(me, 'room.close', room.channelId);
  /** The room this form was read from: what a save names as its version and diffs against. */
  const [base, setBase] = useState(room);
  const [draft, setDraft] = useState<RoomDraft>(() => draftOf(room));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saveError, setSaveError] = useState<unknown>();
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState<Room>();
  const [saved, setSaved] = useState<string>();

  const changed = new Set(changedFields(draftOf(base), draft));
  const dirty = changed.size > 0;
  // A newer read of the room (the page reloaded it) replaces a form with nothing typed in it.
  useEffect(() => {
    if (room.version > base.version && !dirty && !conflict) {
      setBase(room);
      setDraft(draftOf(room));
    }
  }, [room]);

  const set = <K extends keyof RoomDraft>(key: K, value: RoomDraft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setSaved(undefined);
    setErrors(({ [key]: _fixed, ...rest }) => rest);
  };

  const save = async (event: Event) => {
    event.preventDefault();
    setSaved(undefined);
    setSaveError(undefined);
    const checked = updateRequest(base, draft);
    if (!checked.ok) {
      if ('errors' in checked) {
        setErrors(checked.errors);
        focusFirstError();
      }
      return;
    }
    setErrors({});
    setSaving(true);
    try {
      const result = await api('PATCH /admin/v1/rooms/{roomId}', {
        params: { roomId: base.roomId },
        body: checked.body,
      });
      setBase(result.room);
      setDraft(draftOf(result.room));
      setSaved(
        result.pushed
          ? `Saved (version ${result.room.version}). Viewers were told at once.`
          : `Saved (version ${result.room.version}). Viewers get it with their next poll.`,
      );
      reloadRoom();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'stale_version') {
        try {
          const current = await api('GET /admin/v1/rooms/{roomId}', { params: { roomId: base.roomId } });
          setConflict(current.room);
        } catch (readError) {
          setSaveError(readError);
        }
      } else {
        setSaveError(error);
      }
    } finally {
      setSaving(false);
    }
  };

  const reapplyMine = () => {
    if (!conflict) return;
    setDraft(reapply(base, conflict, draft));
    setBase(conflict);
    setConflict(undefined);
    setSaved(undefined);
    reloadRoom();
  };
  const discardMine = () => {
    if (!conflict) return;
    setBase(conflict);
    setDraft(draftOf(conflict));
    setConflict(undefined);
    reloadRoom();
  };

  const readOnly = !maySettings;
  return (
    <div class="settings">
      {conflict ? (
        <ConflictView
          base={base}
          current={conflict}
          draft={draft}
          onReapply={reapplyMine}
          onDiscard={discardMine}
        />
      ) : null}
      {readOnly ? (
        <p class="notice notice-info">
          You can read this room's settings; operators and the channel's moderators change them.
        </p>
      ) : !mayUpdate ? (
        <p class="notice notice-info">
          You can change the chat settings. The title, schedule and expected viewers are changed by operators.
        </p>
      ) : null}
      <form class="form form-wide" onSubmit={save} aria-label="Room settings" noValidate>
        <fieldset class="group" disabled={!mayUpdate}>
          <legend>Event</legend>
          <RoomFields
            draft={draft}
            set={set}
            errors={errors}
            idPrefix="room"
            disabled={!mayUpdate}
            changed={changed}
          />
        </fieldset>
        <fieldset class="group" disabled={readOnly}>
          <legend>Chat</legend>
          <SettingsFields
            draft={draft}
            set={set}
            errors={errors}
            idPrefix="room"
            disabled={readOnly}
            changed={changed}
          />
          <p class="hint">
            Segment length: {base.settings.segmentSeconds} s (fixed when the room was created).
          </p>
        </fieldset>
        {readOnly ? null : (
          <div class="form-actions sticky-actions">
            <button
              type="submit"
              class="button button-primary"
              disabled={saving || !dirty || conflict !== undefined}
            >
              Save changes
            </button>
            <button
              type="button"
              class="button"
              disabled={saving || !dirty}
              onClick={() => {
                setDraft(draftOf(base));
                setErrors({});
                setSaveError(undefined);
              }}
            >
              Undo my edits
            </button>
            <span class="muted" aria-live="polite">
              {dirty
                ? `${changed.size} field${changed.size === 1 ? '' : 's'} edited · from version ${base.version}`
                : `Version ${base.version} · nothing edited`}
            </span>
            {saving ? <Progress label="Saving…" /> : null}
          </div>
        )}
        {Object.keys(errors).length ? (
          <p class="notice notice-error" role="alert">
            Some fields need correcting before saving; each says what is wrong. Nothing was sent.
          </p>
        ) : null}
        <ErrorNotice error={saveError} onRetry={() => void save(new Event('submit'))} />
        {saved ? <Success>{saved}</Success> : null}
      </form>
      {mayClose && base.status === 'open' ? (
        <section class="card danger-zone" aria-labelledby="close-title">
          <h2 id="close-title">Close the room</h2>
          <p>When the event is over: posting stops for good, the chat stays readable.</p>
          <CloseRoomButton
            room={base}
            onClosed={(closed) => {
              setBase(closed);
              if (!dirty) setDraft(draftOf(closed));
              reloadRoom();
            }}
          />
        </section>
      ) : null}
    </div>
  );
}

function focusFirstError() {
  // After the render that shows the errors.
  requestAnimationFrame(() => document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
}

/** What changed meanwhile, field by field, beside the user's own value; and the two ways on. */
function ConflictView(props: {
  base: Room;
  current: Room;
  draft: RoomDraft;
  onReapply: () => void;
  onDiscard: () => void;
}) {
  const rows = conflictRows(props.base, props.current, props.draft, (iso) => formatTime(iso));
  const both = rows.filter((r) => r.mine !== undefined).length;
  return (
    <section class="notice notice-warn conflict" role="alert" aria-labelledby="conflict-title">
      <h2 id="conflict-title">Someone saved this room while you were editing</h2>
      <p>
        You started from version {props.base.version}; it is now at version {props.current.version}. Your
        edits are kept below and were not saved.
        {both
          ? ` ${both} field${both === 1 ? ' was' : 's were'} changed by both of you: reapplying keeps yours.`
          : ''}
      </p>
      {rows.length ? (
        <table class="table conflict-table">
          <caption class="sr-only">Changes made meanwhile</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">When you opened it</th>
              <th scope="col">Now (their change)</th>
              <th scope="col">Yours</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key} data-field={row.key}>
                <th scope="row">{row.label}</th>
                <td class="was">{row.before}</td>
                <td class="now">{row.now}</td>
                <td class="mine">{row.mine ?? <span class="muted">not edited</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>None of the fields here changed (bans or other bookkeeping moved the version on).</p>
      )}
      <div class="form-actions">
        <button type="button" class="button button-primary" onClick={props.onReapply}>
          Reapply my changes
        </button>
        <button type="button" class="button" onClick={props.onDiscard}>
          Discard my changes
        </button>
        <span class="muted">Reapplying puts your edits on version {props.current.version}; then save.</span>
      </div>
    </section>
  );
}
