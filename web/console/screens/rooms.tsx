import { useConsole } from '../context.js';
import { useLoad } from '../hooks.js';
import { href } from '../router.js';
import { Empty, ErrorNotice, formatNumber, formatTime, PageHeader, Progress } from '../ui.js';

/** The rooms the signed-in person may see, newest first. */
export function RoomsScreen() {
  const { api } = useConsole();
  const rooms = useLoad((signal) => api('GET /admin/v1/rooms', { signal }), []);
  return (
    <section>
      <PageHeader title="Rooms" />
      <ErrorNotice error={rooms.error} onRetry={rooms.reload} />
      {rooms.loading && !rooms.data ? <Progress label="Loading rooms…" /> : null}
      {rooms.data && rooms.data.rooms.length === 0 ? (
        <Empty title="No rooms yet.">An operator creates a room for each live event.</Empty>
      ) : null}
      {rooms.data && rooms.data.rooms.length > 0 ? (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">Room</th>
              <th scope="col">Channel</th>
              <th scope="col">Status</th>
              <th scope="col">Starts</th>
              <th scope="col" class="numeric">
                Expected viewers
              </th>
            </tr>
          </thead>
          <tbody>
            {rooms.data.rooms.map((room) => (
              <tr key={room.roomId}>
                <td>
                  <a href={href(`/rooms/${encodeURIComponent(room.roomId)}`)}>{room.title}</a>
                  <div class="muted mono">{room.roomId}</div>
                </td>
                <td>{room.channelId}</td>
                <td>
                  <span class={`badge badge-${room.status}`}>{room.status}</span>
                </td>
                <td>{formatTime(room.schedule.startsAt)}</td>
                <td class="numeric">
                  {room.expectedViewers !== undefined ? formatNumber(room.expectedViewers) : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
