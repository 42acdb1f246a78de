import { useState } from 'preact/hooks';
import { can } from '../../../lambdas/domain/access/roles.js';
import type { Response } from '../api.js';
import { useConsole } from '../context.js';
import { useAction, useLoad } from '../hooks.js';
import { href } from '../router.js';
import { Empty, ErrorNotice, formatNumber, formatTime, PageHeader, Progress } from '../ui.js';
import { CloseRoomButton } from './room-close.js';

type Summary = Response<'GET /admin/v1/rooms'>['rooms'][number];

/** Rooms per page: a page fits a screen or two; "Show more" reads the next. */
export const ROOMS_PAGE_SIZE = 25;

/**
 * The rooms the signed-in person may see, newest first, a page at a time. Operators see every
 * channel and filter by typing one; moderators and artists pick among their own (the API limits
 * the list to them either way). Operators create and close rooms from here.
 */
export function RoomsScreen() {
  const { api, me } = useConsole();
  const isOperator = me.roles.has('operator');
  const mayCreate = can(me, 'room.create');
  const [channel, setChannel] = useState('');
  const [typed, setTyped] = useState('');
  const query = (cursor?: string) => ({
    limit: String(ROOMS_PAGE_SIZE),
    ...(channel ? { channelId: channel } : {}),
    ...(cursor ? { cursor } : {}),
  });
  const first = useLoad((signal) => api('GET /admin/v1/rooms', { query: query(), signal }), [channel]);
  // Later pages, valid only for the first page they followed (a reload or a new filter resets them).
  const [more, setMore] = useState<{ after: unknown; rooms: Summary[]; nextCursor?: string }>();
  const extra = more && more.after === first.data ? more : undefined;
  const [closed, setClosed] = useState<Record<string, Summary['version']>>({});
  const rooms = [...(first.data?.rooms ?? []), ...(extra?.rooms ?? [])].map((room) =>
    closed[room.roomId] !== undefined
      ? { ...room, status: 'closed' as const, version: closed[room.roomId]! }
      : room,
  );
  const nextCursor = extra ? extra.nextCursor : first.data?.nextCursor;
  const loadMore = useAction(async () => {
    const page = await api('GET /admin/v1/rooms', { query: query(nextCursor) });
    setMore({
      after: first.data,
      rooms: [...(extra?.rooms ?? []), ...page.rooms],
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    });
  });

  const applyTyped = (event: Event) => {
    event.preventDefault();
    setChannel(typed.trim());
  };

  return (
    <section>
      <PageHeader title="Rooms">
        {mayCreate ? (
          <a class="button button-primary" href={href('/rooms/new')}>
            Create room
          </a>
        ) : null}
      </PageHeader>
      {isOperator ? (
        <form class="filter" onSubmit={applyTyped} role="search" aria-label="Filter rooms">
          <label for="rooms-channel">Channel</label>
          <input
            id="rooms-channel"
            value={typed}
            placeholder="All channels"
            list="rooms-channels"
            autocomplete="off"
            onInput={(e) => setTyped(e.currentTarget.value)}
          />
          <datalist id="rooms-channels">
            {[...new Set([...me.channels, ...rooms.map((r) => r.channelId)])].map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
          <button type="submit" class="button">
            Show
          </button>
          {channel ? (
            <button
              type="button"
              class="button button-quiet"
              onClick={() => {
                setTyped('');
                setChannel('');
              }}
            >
              All channels
            </button>
          ) : null}
        </form>
      ) : me.channels.size > 1 ? (
        <div class="filter">
          <label for="rooms-channel">Channel</label>
          <select id="rooms-channel" value={channel} onChange={(e) => setChannel(e.currentTarget.value)}>
            <option value="">All my channels</option>
            {[...me.channels].map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <ErrorNotice error={first.error} onRetry={first.reload} />
      {first.loading && !first.data ? <Progress label="Loading rooms…" /> : null}
      {first.data && rooms.length === 0 ? (
        channel ? (
          <Empty title={`No rooms in channel ${channel}.`}>
            Check the channel id{mayCreate ? ', or create a room in it' : ''}.
          </Empty>
        ) : !isOperator && me.channels.size === 0 ? (
          <Empty title="You are not bound to any channel yet.">
            Ask an operator to add you to your channel; its rooms then show here.
          </Empty>
        ) : (
          <Empty title="No rooms yet.">
            {mayCreate ? (
              <a href={href('/rooms/new')}>Create the first room</a>
            ) : (
              'An operator creates a room for each live event.'
            )}
          </Empty>
        )
      ) : null}
      {rooms.length > 0 ? (
        <table class="table rooms-table">
          <caption class="sr-only">{channel ? `Rooms in channel ${channel}` : 'Rooms'}, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Room</th>
              <th scope="col">Channel</th>
              <th scope="col">Status</th>
              <th scope="col">Schedule</th>
              <th scope="col" class="numeric">
                Expected viewers
              </th>
              {isOperator ? (
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {rooms.map((room) => (
              <tr key={room.roomId} data-room={room.roomId}>
                <td>
                  <a class="room-title" href={href(`/rooms/${encodeURIComponent(room.roomId)}`)}>
                    {room.title}
                  </a>
                  <div class="muted mono">{room.roomId}</div>
                </td>
                <td class="mono nowrap">{room.channelId}</td>
                <td>
                  <StatusBadges room={room} />
                </td>
                <td class="nowrap">
                  {room.schedule.startsAt || room.schedule.endsAt ? (
                    <>
                      <div>
                        {room.schedule.startsAt ? formatTime(room.schedule.startsAt) : 'No start set'}
                      </div>
                      <div class="muted">
                        {room.schedule.endsAt ? `to ${formatTime(room.schedule.endsAt)}` : 'no end set'}
                      </div>
                    </>
                  ) : (
                    <span class="muted">Not scheduled</span>
                  )}
                </td>
                <td class="numeric">{room.expectedViewers ? formatNumber(room.expectedViewers) : '—'}</td>
                {isOperator ? (
                  <td>
                    <CloseRoomButton
                      small
                      room={room}
                      onClosed={(done) => setClosed((c) => ({ ...c, [done.roomId]: done.version }))}
                    />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <ErrorNotice error={loadMore.error} onRetry={() => void loadMore.act()} />
      {nextCursor ? (
        <div class="form-actions more">
          <button
            type="button"
            class="button"
            disabled={loadMore.running}
            onClick={() => void loadMore.act()}
          >
            Show more rooms
          </button>
          {loadMore.running ? <Progress label="Loading more rooms…" /> : null}
        </div>
      ) : null}
    </section>
  );
}

/** Open or closed, and what viewers meet in an open room: chat off, or read-only. */
export function StatusBadges({ room }: { room: Pick<Summary, 'status' | 'settings'> }) {
  return (
    <span class="badges">
      <span class={`badge badge-${room.status}`}>{room.status === 'open' ? 'Open' : 'Closed'}</span>
      {room.status === 'open' && !room.settings.enabled ? (
        <span class="badge badge-off">Chat off</span>
      ) : null}
      {room.status === 'open' && room.settings.enabled && room.settings.postingAllowed === 'nobody' ? (
        <span class="badge badge-off">Read-only</span>
      ) : null}
      {room.status === 'open' && room.settings.slowModeSeconds > 0 ? (
        <span class="badge">Slow {room.settings.slowModeSeconds}s</span>
      ) : null}
    </span>
  );
}
