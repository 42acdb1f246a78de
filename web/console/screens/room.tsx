import type { VNode } from 'preact';
import { can, type Principal } from '../../../lambdas/domain/access/roles.js';
import type { Room } from '../../../lambdas/domain/rooms/room.js';
import { useConsole } from '../context.js';
import { useLoad } from '../hooks.js';
import { href } from '../router.js';
import { Empty, ErrorNotice, PageHeader, Progress } from '../ui.js';
import { RoomSettingsTab } from './room-settings.js';
import { AuditTab } from './audit.js';
import { CapacityTab } from './capacity/room-capacity.js';
import { ConnectionTab } from './connection.js';
import { StatsTab } from './stats.js';
import { LiveTab } from './live/live-tab.js';

/** What a room tab gets: the room as last read, and a way to read it again after a change. */
export interface RoomTabProps {
  readonly room: Room;
  readonly reloadRoom: () => void;
}

interface RoomTab {
  readonly id: string;
  readonly label: string;
  readonly allowed: (me: Principal, room: Room) => boolean;
  readonly render: (props: RoomTabProps) => VNode;
}

/** A room's pages, in order; each shows only to roles that may use it in the room's channel. */
export const ROOM_TABS: readonly RoomTab[] = [
  {
    id: 'settings',
    label: 'Settings',
    allowed: roomAllows('room.read'),
    render: (p) => <RoomSettingsTab key={p.room.roomId} {...p} />,
  },
  {
    id: 'live',
    label: 'Live',
    allowed: roomAllows('comments.list', 'artist.message', 'blocks.change'),
    render: (props) => <LiveTab {...props} />,
  },
  {
    id: 'connection',
    label: 'Connection',
    allowed: roomAllows('room.connection'),
    render: (p) => <ConnectionTab {...p} />,
  },
  { id: 'stats', label: 'Statistics', allowed: roomAllows('stats.read'), render: (p) => <StatsTab {...p} /> },
  {
    id: 'capacity',
    label: 'Capacity & cost',
    allowed: roomAllows('capacity.read'),
    render: (p) => <CapacityTab {...p} />,
  },
  { id: 'audit', label: 'Audit log', allowed: roomAllows('audit.read'), render: (p) => <AuditTab {...p} /> },
];

export function RoomPage({ roomId, tab }: { roomId: string; tab: string | undefined }) {
  const { api, me } = useConsole();
  const room = useLoad(
    (signal) => api('GET /admin/v1/rooms/{roomId}', { params: { roomId }, signal }),
    [roomId],
  );
  if (room.loading && !room.data) return <Progress label="Loading the room…" />;
  if (!room.data) {
    return (
      <section>
        <PageHeader title={roomId} />
        <ErrorNotice error={room.error} onRetry={room.reload} />
      </section>
    );
  }
  const current = room.data.room;
  const tabs = ROOM_TABS.filter((t) => t.allowed(me, current));
  const active = tabs.find((t) => t.id === tab) ?? tabs[0];
  return (
    <section>
      <PageHeader title={current.title}>
        <span class={`badge badge-${current.status}`}>{current.status}</span>
        <span class="muted mono">
          {current.channelId} / {current.roomId}
        </span>
      </PageHeader>
      <ErrorNotice error={room.error} onRetry={room.reload} />
      <nav class="tabs" aria-label="Room">
        {tabs.map((t) => (
          <a
            key={t.id}
            href={href(`/rooms/${encodeURIComponent(current.roomId)}/${t.id}`)}
            aria-current={t === active ? 'page' : undefined}
          >
            {t.label}
          </a>
        ))}
      </nav>
      {active ? (
        active.render({ room: current, reloadRoom: room.reload })
      ) : (
        <Empty title="Your role has nothing to do in this room." />
      )}
    </section>
  );
}

/** Shorthand: the tab shows when the role may take `action` in the room's channel. */
// A function declaration: ROOM_TABS above calls it while the module loads.
export function roomAllows(...actions: Parameters<typeof can>[1][]) {
  return (me: Principal, room: Room) => actions.some((action) => can(me, action, room.channelId));
}
