import { useState } from 'preact/hooks';
import type { FeedItem } from '../../../../client/index.js';
import { can } from '../../../../lambdas/domain/access/roles.js';
import { TIMEOUT_LADDER_SECONDS } from '../../../../lambdas/domain/moderation/bans.js';
import type { Room } from '../../../../lambdas/domain/rooms/room.js';
import { useConsole } from '../../context.js';
import { Field } from '../../ui.js';
import { reach, type RunAction } from './activity.js';

/** Ban lengths offered besides the ladder and permanent: seconds, and how people say them. */
const BAN_CHOICES: readonly [string, string][] = [
  ['timeout', `Next timeout (${TIMEOUT_LADDER_SECONDS.map(duration).join(' → ')}, then a day each)`],
  ['300', '5 minutes'],
  ['3600', '1 hour'],
  ['86400', '1 day'],
  ['604800', '7 days'],
  ['custom', 'Another length…'],
  ['permanent', 'Permanent'],
];

/**
 * One item of the stream, with the moderation its viewer's role allows in place: delete it;
 * for a viewer's comment also purge their comments (confirmed first), ban them in the room,
 * block them from the channel.
 */
export function CommentRow({ item, room, run }: { item: FeedItem; room: Room; run: RunAction }) {
  const { api, me } = useConsole();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState<string>();
  const channelId = room.channelId;
  const pollSeconds = room.settings.pollIntervalSeconds;
  const canDelete = can(me, 'comments.delete', channelId);
  const isComment = item.kind === 'comment';
  const userActions =
    isComment &&
    (can(me, 'comments.purge', channelId) ||
      can(me, 'bans.room', channelId) ||
      can(me, 'blocks.change', channelId));
  const who = `${item.displayName} (${item.userId})`;
  const act: Act = async (name, label, call, done) => {
    setBusy(name);
    const ok = await run(label, call, done);
    setBusy(undefined);
    if (ok) setOpen(false);
  };
  const remove = () =>
    act(
      'delete',
      `Deleting the comment by ${who}…`,
      () =>
        api('DELETE /admin/v1/rooms/{roomId}/comments/{commentId}', {
          params: { roomId: room.roomId, commentId: item.id },
        }),
      (r) =>
        r.outcome === 'already-deleted'
          ? `The comment by ${who} was already deleted.`
          : `Deleted the comment by ${who}. ${reach(r.pushed, pollSeconds)}`,
    );
  const time = new Date(item.createdAt);
  return (
    <li class={`live-item live-${item.kind}`} data-id={item.id} data-user={item.userId}>
      <div class="live-line">
        <time class="live-time muted" dateTime={item.createdAt} title={time.toLocaleString()}>
          {time.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })}
        </time>
        {item.kind !== 'comment' ? (
          <span class={`badge badge-${item.kind === 'notice' ? `level-${item.level ?? 'info'}` : 'artist'}`}>
            {item.kind === 'notice' ? `notice · ${item.level ?? 'info'}` : 'artist'}
          </span>
        ) : null}
        {item.kind !== 'notice' ? <span class="live-name">{item.displayName}</span> : null}
        {item.userId ? <span class="live-user mono muted">{item.userId}</span> : null}
        {item.style ? <span class="badge">decoration: {item.style}</span> : null}
      </div>
      <p class="live-text">{item.text}</p>
      {canDelete || userActions ? (
        <div class="live-actions">
          {canDelete ? (
            <button
              type="button"
              class="button button-small button-danger"
              disabled={busy !== undefined}
              onClick={remove}
              aria-label={`Delete the comment by ${item.displayName}`}
            >
              {busy === 'delete' ? 'Deleting…' : 'Delete'}
            </button>
          ) : null}
          {userActions ? (
            <button
              type="button"
              class="button button-small"
              aria-expanded={open}
              onClick={() => setOpen(!open)}
              aria-label={`Moderate ${item.displayName}`}
            >
              Moderate
            </button>
          ) : null}
        </div>
      ) : null}
      {open ? <UserActions item={item} room={room} busy={busy} act={act} /> : null}
    </li>
  );
}

type Act = <T>(name: string, label: string, call: () => Promise<T>, done: (r: T) => string) => Promise<void>;

/** Purge, ban and block for the comment's author, as the role allows. */
function UserActions({ item, room, busy, act }: { item: FeedItem; room: Room; busy?: string; act: Act }) {
  const { api, me } = useConsole();
  const [confirmPurge, setConfirmPurge] = useState(false);
  const [length, setLength] = useState('timeout');
  const [minutes, setMinutes] = useState('30');
  const [reason, setReason] = useState('');
  const { roomId, channelId } = room;
  const pollSeconds = room.settings.pollIntervalSeconds;
  const userId = item.userId;
  const who = `${item.displayName} (${userId})`;
  const id = `mod-${item.id}`;
  const note = reason.trim() ? { reason: reason.trim() } : {};

  const purge = () =>
    act(
      'purge',
      `Removing every comment by ${who} in this room…`,
      () => api('POST /admin/v1/rooms/{roomId}/purges', { params: { roomId }, body: { userId } }),
      (r) => `Removed every comment by ${who} in this room. ${reach(r.pushed, pollSeconds)}`,
    );
  const ban = () => {
    const body =
      length === 'timeout'
        ? { timeout: true as const, ...note }
        : length === 'permanent'
          ? note
          : {
              durationSeconds: length === 'custom' ? Math.round(Number(minutes) * 60) : Number(length),
              ...note,
            };
    return act(
      'ban',
      `Banning ${who} in this room…`,
      () => api('PUT /admin/v1/rooms/{roomId}/bans/{userId}', { params: { roomId, userId }, body }),
      (r) =>
        `Banned ${who} in this room ${
          r.ban.until ? `until ${new Date(r.ban.until).toLocaleString()}` : 'permanently'
        }${r.ban.strikes ? ` (timeout ${r.ban.strikes} on the ladder)` : ''}. ${reach(r.pushed, pollSeconds)}`,
    );
  };
  const block = () =>
    act(
      'block',
      `Blocking ${who} from channel ${channelId}…`,
      () =>
        api('PUT /admin/v1/channels/{channelId}/blocks/{userId}', {
          params: { channelId, userId },
          body: note,
        }),
      (r) =>
        `Blocked ${who} from every room of channel ${channelId}. ` +
        (r.fanout.rooms === 0
          ? 'Nothing changed for viewers (already blocked or banned).'
          : `Told ${r.fanout.pushed} of ${r.fanout.rooms} open rooms at once; the rest catch up on their next poll.`),
    );

  const mayBan = can(me, 'bans.room', channelId);
  const mayBlock = can(me, 'blocks.change', channelId);
  const mayPurge = can(me, 'comments.purge', channelId);
  return (
    <div class="live-moderate" role="group" aria-label={`Moderate ${item.displayName}`}>
      <div class="live-moderate-fields">
        {mayBan ? (
          <Field id={`${id}-length`} label="Ban length">
            <select id={`${id}-length`} value={length} onChange={(e) => setLength(e.currentTarget.value)}>
              {BAN_CHOICES.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </Field>
        ) : null}
        {mayBan && length === 'custom' ? (
          <Field id={`${id}-minutes`} label="Minutes">
            <input
              id={`${id}-minutes`}
              type="number"
              min={1}
              max={525600}
              step={1}
              value={minutes}
              onInput={(e) => setMinutes(e.currentTarget.value)}
            />
          </Field>
        ) : null}
        {mayBan || mayBlock ? (
          <Field id={`${id}-reason`} label="Reason (optional)">
            <input
              id={`${id}-reason`}
              value={reason}
              maxLength={500}
              placeholder="Moderators see it; viewers never do"
              onInput={(e) => setReason(e.currentTarget.value)}
            />
          </Field>
        ) : null}
      </div>
      {confirmPurge ? (
        <div class="live-moderate-row">
          <p class="live-confirm" role="alert">
            Remove every comment {item.displayName} posted in this room? Players drop them too; this cannot be
            undone.
          </p>
          <button type="button" class="button button-danger" disabled={busy !== undefined} onClick={purge}>
            {busy === 'purge' ? 'Removing…' : 'Yes, remove them all'}
          </button>
          <button type="button" class="button" onClick={() => setConfirmPurge(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <div class="live-moderate-row">
          {mayBan ? (
            <button type="button" class="button button-danger" disabled={busy !== undefined} onClick={ban}>
              {busy === 'ban' ? 'Banning…' : 'Ban in this room'}
            </button>
          ) : null}
          {mayBlock ? (
            <button type="button" class="button button-danger" disabled={busy !== undefined} onClick={block}>
              {busy === 'block' ? 'Blocking…' : `Block from channel ${channelId}`}
            </button>
          ) : null}
          {mayPurge ? (
            <button type="button" class="button" onClick={() => setConfirmPurge(true)}>
              Remove all their comments…
            </button>
          ) : null}
        </div>
      )}
      <p class="hint">
        {mayBan ? 'A ban applies to this room until it ends. ' : ''}
        {mayBlock ? `A block applies to every room of channel ${channelId} until lifted.` : ''}
      </p>
    </div>
  );
}

function duration(seconds: number): string {
  return seconds < 60
    ? `${seconds} s`
    : seconds < 3600
      ? `${seconds / 60} min`
      : seconds < 86400
        ? `${seconds / 3600} h`
        : `${seconds / 86400} d`;
}
