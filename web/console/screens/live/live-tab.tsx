import { can } from '../../../../lambdas/domain/access/roles.js';
import { useConsole } from '../../context.js';
import { Empty } from '../../ui.js';
import type { RoomTabProps } from '../room.js';
import { ActivityNotice, useActivity } from './activity.js';
import { BansPanel } from './bans-panel.js';
import { CommentRow } from './comment-row.js';
import { ArtistComposer } from './composer.js';
import { SHOWN_ITEMS, useRoomStream } from './stream.js';

/**
 * The room as it happens: its comment stream as players see it (the viewer SDK), moderation in
 * place on each comment, the bans and blocks in force beside it, and for artists the composer.
 */
export function LiveTab({ room }: RoomTabProps) {
  const { config, me } = useConsole();
  const stream = useRoomStream(config, room.roomId);
  const { activity, run, changes } = useActivity();
  const channelId = room.channelId;
  const showsBans = can(me, 'bans.list', channelId) || can(me, 'blocks.list', channelId);
  const { polling, realtime } = stream.connection;
  const status =
    polling === 'degraded'
      ? 'Polling is failing; retrying'
      : realtime === 'connected'
        ? 'Live: pushes arrive at once'
        : realtime === 'off'
          ? `Polling every ${room.settings.pollIntervalSeconds} s`
          : realtime === 'connecting'
            ? 'Connecting…'
            : `Realtime reconnecting; polling every ${room.settings.pollIntervalSeconds} s meanwhile`;
  return (
    <div class="live">
      {can(me, 'artist.message', channelId) ? <ArtistComposer room={room} /> : null}
      <div class={showsBans ? 'live-grid' : undefined}>
        <section class="live-stream card" aria-labelledby="stream-title">
          <div class="live-head">
            <h2 id="stream-title">Comments</h2>
            <span
              class={`live-status live-status-${polling === 'degraded' ? 'down' : realtime}`}
              data-realtime={realtime}
              role="status"
            >
              {status}
            </span>
          </div>
          <div aria-live="polite" class="live-activity">
            <ActivityNotice activity={activity} />
          </div>
          {stream.error ? <p class="notice notice-warn">{stream.error}</p> : null}
          {stream.items.length === 0 ? (
            <Empty title="No comments yet.">Comments appear here as viewers post them, newest first.</Empty>
          ) : (
            <ol class="live-list" aria-label={`Comments, newest first (the latest ${SHOWN_ITEMS})`}>
              {stream.items.map((item) => (
                <CommentRow key={item.id} item={item} room={room} run={run} />
              ))}
            </ol>
          )}
        </section>
        {showsBans ? <BansPanel room={room} run={run} changes={changes} /> : null}
      </div>
    </div>
  );
}
