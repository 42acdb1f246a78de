import { useState } from 'preact/hooks';
import { can } from '../../../../lambdas/domain/access/roles.js';
import type { BanEntry } from '../../../../lambdas/domain/moderation/ban-actions.js';
import type { Room } from '../../../../lambdas/domain/rooms/room.js';
import { useConsole } from '../../context.js';
import { useLoad } from '../../hooks.js';
import { Empty, ErrorNotice, formatTime, Progress } from '../../ui.js';
import { reach, type RunAction } from './activity.js';

/** Timed bans end by themselves: the list is read again this often besides after each action. */
const REFRESH_MS = 30_000;

/**
 * The bans and blocks in force for this room (its bans, its channel's bans and blocks), each with
 * "lift"; read again after every action. Artists, who may not list bans, see the channel's blocks.
 */
export function BansPanel({ room, run, changes }: { room: Room; run: RunAction; changes: number }) {
  const { api, me } = useConsole();
  const { roomId, channelId } = room;
  const seesBans = can(me, 'bans.list', channelId);
  const list = useLoad<BanEntry[]>(
    async (signal) =>
      seesBans
        ? (await api('GET /admin/v1/rooms/{roomId}/bans', { params: { roomId }, signal })).bans
        : (await api('GET /admin/v1/channels/{channelId}/blocks', { params: { channelId }, signal })).blocks,
    [roomId, channelId, seesBans, changes],
    REFRESH_MS,
  );
  const [lifting, setLifting] = useState<string>();
  const pollSeconds = room.settings.pollIntervalSeconds;

  const lift = async (entry: BanEntry) => {
    const key = entryKey(entry);
    setLifting(key);
    const what = entry.type === 'block' ? 'block' : `${entry.scope} ban`;
    await run(
      `Lifting the ${what} of ${entry.userId}…`,
      () =>
        entry.type === 'block'
          ? api('DELETE /admin/v1/channels/{channelId}/blocks/{userId}', {
              params: { channelId, userId: entry.userId },
            })
          : entry.scope === 'channel'
            ? api('DELETE /admin/v1/channels/{channelId}/bans/{userId}', {
                params: { channelId, userId: entry.userId },
              })
            : api('DELETE /admin/v1/rooms/{roomId}/bans/{userId}', {
                params: { roomId, userId: entry.userId },
              }),
      (r) =>
        r.lifted
          ? `Lifted the ${what} of ${entry.userId}; they may post again. ${
              r.fanout
                ? `Told ${r.fanout.pushed} of ${r.fanout.rooms} open rooms of the channel at once.`
                : reach(r.pushed ?? false, pollSeconds)
            }`
          : `The ${what} of ${entry.userId} was no longer in force.`,
    );
    setLifting(undefined);
  };

  const mayLift = (entry: BanEntry) =>
    entry.type === 'block'
      ? can(me, 'blocks.change', channelId)
      : can(me, entry.scope === 'room' ? 'bans.room' : 'bans.channel', channelId);

  return (
    <section class="card live-bans" aria-labelledby="bans-title">
      <h2 id="bans-title">{seesBans ? 'Bans and blocks in force' : `Blocks in channel ${channelId}`}</h2>
      <ErrorNotice error={list.error} onRetry={list.reload} />
      {list.loading && !list.data ? <Progress label="Loading bans…" /> : null}
      {list.data && list.data.length === 0 ? (
        <Empty title={seesBans ? 'Nobody is banned or blocked here.' : 'Nobody is blocked in this channel.'}>
          Use “Moderate” on a comment to ban or block its author.
        </Empty>
      ) : null}
      {list.data && list.data.length > 0 ? (
        <ul class="ban-list">
          {list.data.map((entry) => (
            <li key={entryKey(entry)} class="ban-entry">
              <div class="ban-head">
                <span class="mono ban-user">{entry.userId}</span>
                <span class={`badge badge-${entry.type}`}>
                  {entry.type === 'block' ? 'blocked' : 'banned'} · {entry.scope}
                </span>
              </div>
              <p class="hint">
                {entry.type === 'ban' && entry.until ? `Until ${formatTime(entry.until)}` : 'Until lifted'}
                {entry.type === 'ban' && entry.strikes ? ` · timeout ${entry.strikes}` : ''}
                {entry.reason ? ` · “${entry.reason}”` : ''}
              </p>
              {mayLift(entry) ? (
                <button
                  type="button"
                  class="button button-small"
                  disabled={lifting !== undefined}
                  onClick={() => lift(entry)}
                  aria-label={`Lift the ${entry.type === 'block' ? 'block' : `${entry.scope} ban`} of ${entry.userId}`}
                >
                  {lifting === entryKey(entry) ? 'Lifting…' : 'Lift'}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

const entryKey = (entry: BanEntry) => `${entry.type} ${entry.scope} ${entry.userId}`;
