import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Room } from '../../../lambdas/domain/rooms/room.js';
import { ApiError } from '../api.js';
import { useConsole } from '../context.js';
import { ErrorNotice, Progress } from '../ui.js';

/**
 * A modal question before something that cannot be undone here: the browser's own <dialog>
 * (focus kept inside, Escape cancels), opened with showModal so the page behind is inert.
 */
export function ConfirmDialog(props: {
  /** Unique on the page: names the dialog's title. */
  id: string;
  open: boolean;
  title: string;
  confirm: string;
  cancel: string;
  onConfirm: () => void;
  onCancel: () => void;
  children: ComponentChildren;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  return (
    <dialog
      ref={ref}
      class="dialog"
      aria-labelledby={`${props.id}-title`}
      onCancel={(e) => {
        e.preventDefault();
        props.onCancel();
      }}
    >
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      {props.children}
      <div class="form-actions">
        <button type="button" class="button button-danger-solid" onClick={props.onConfirm}>
          {props.confirm}
        </button>
        <button type="button" class="button" onClick={props.onCancel}>
          {props.cancel}
        </button>
      </div>
    </dialog>
  );
}

type Closable = Pick<Room, 'roomId' | 'title' | 'status' | 'version'>;

/**
 * Closes a room after asking (operators). Sends the version read; a retry after a failure sends
 * the same version, and the API answers a closed room as it is, so a retried close is no error.
 * When the room changed meanwhile (409), reads it again and asks once more.
 */
export function CloseRoomButton({
  room,
  onClosed,
  small,
}: {
  room: Closable;
  onClosed: (room: Room) => void;
  small?: boolean;
}) {
  const { api } = useConsole();
  const [asking, setAsking] = useState(false);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>();
  const [version, setVersion] = useState(room.version);
  const [changedMeanwhile, setChangedMeanwhile] = useState(false);
  useEffect(() => setVersion(room.version), [room.version]);

  const close = async () => {
    setAsking(false);
    setRunning(true);
    setError(undefined);
    try {
      const { room: closed } = await api('POST /admin/v1/rooms/{roomId}/close', {
        params: { roomId: room.roomId },
        body: { version },
      });
      setChangedMeanwhile(false);
      onClosed(closed);
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'stale_version') {
        try {
          const { room: current } = await api('GET /admin/v1/rooms/{roomId}', {
            params: { roomId: room.roomId },
          });
          if (current.status === 'closed') return onClosed(current);
          setVersion(current.version);
          setChangedMeanwhile(true);
          setAsking(true);
        } catch (readError) {
          setError(readError);
        }
      } else setError(caught);
    } finally {
      setRunning(false);
    }
  };

  if (room.status === 'closed') return null;
  return (
    <div class="close-room">
      {running ? (
        <Progress label="Closing the room…" />
      ) : (
        <button
          type="button"
          class={`button button-danger${small ? ' button-small' : ''}`}
          aria-label={small ? `Close room ${room.title}` : undefined}
          onClick={() => setAsking(true)}
        >
          Close room…
        </button>
      )}
      <ErrorNotice error={error} onRetry={close} />
      <ConfirmDialog
        id={`close-${room.roomId}`}
        open={asking}
        title={`Close “${room.title}”?`}
        confirm="Close room"
        cancel="Keep it open"
        onConfirm={close}
        onCancel={() => setAsking(false)}
      >
        {changedMeanwhile ? (
          <p class="notice notice-warn">
            The room changed while you were deciding (it is now at version {version}). Close it anyway?
          </p>
        ) : null}
        <p>
          Nobody can post in <span class="mono">{room.roomId}</span> once it is closed; viewers can still read
          the chat. The console cannot open it again.
        </p>
      </ConfirmDialog>
    </div>
  );
}
