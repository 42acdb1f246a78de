import type { VNode } from 'preact';
import { can, type Principal } from '../../../lambdas/domain/access/roles.js';
import { AuditScreen } from './audit.js';
import { CapacityScreen } from './capacity/deployment.js';
import { NgWordsScreen } from './ng-words.js';
import { NoticesScreen } from './notices.js';
import { PlansScreen } from './plans.js';
import { RoomPage } from './room.js';
import { CreateRoomScreen } from './room-new.js';
import { RoomsScreen } from './rooms.js';

/** A page of the console: its hash route, its title, who may open it. */
export interface Screen {
  /** `/rooms/:roomId/:tab?` (router.ts). */
  readonly pattern: string;
  readonly title: string;
  readonly allowed?: (me: Principal) => boolean;
  readonly render: (params: Record<string, string>) => VNode;
}

/** Shorthand for role checks on pages that are not about one channel. */
export const allows = (action: Parameters<typeof can>[1]) => (me: Principal) => can(me, action);

/** Every page, first match wins. */
export const SCREENS: readonly Screen[] = [
  { pattern: '/rooms', title: 'Rooms', render: () => <RoomsScreen /> },
  // Before the room page, which `/rooms/new` would match too.
  {
    pattern: '/rooms/new',
    title: 'New room',
    allowed: (me) => can(me, 'room.create'),
    render: () => <CreateRoomScreen />,
  },
  {
    pattern: '/rooms/:roomId/:tab?',
    title: 'Room',
    // Keyed: another room's page starts afresh, never showing the last room while loading.
    render: (p) => <RoomPage key={p.roomId} roomId={p.roomId!} tab={p.tab} />,
  },
  {
    pattern: '/capacity',
    title: 'Capacity',
    allowed: allows('capacity.read'),
    render: () => <CapacityScreen />,
  },
  { pattern: '/audit', title: 'Audit log', allowed: allows('audit.read'), render: () => <AuditScreen /> },
  {
    pattern: '/ng-words',
    title: 'NG words',
    allowed: allows('ngwords.global'),
    render: () => <NgWordsScreen />,
  },
  {
    pattern: '/notices',
    title: 'Notices',
    allowed: allows('notice.send'),
    render: () => <NoticesScreen />,
  },
  {
    pattern: '/plans/:channelId?',
    title: 'Plans',
    allowed: allows('plans.read'),
    // Keyed: another channel's plan starts afresh.
    render: (p) => <PlansScreen key={p.channelId ?? ''} channelId={p.channelId} />,
  },
];

interface NavItem {
  readonly path: string;
  readonly label: string;
  readonly allowed?: (me: Principal) => boolean;
}

/** The sidebar, in the order people use it. */
const NAV: readonly NavItem[] = [
  { path: '/rooms', label: 'Rooms' },
  { path: '/notices', label: 'Notices', allowed: allows('notice.send') },
  { path: '/capacity', label: 'Capacity', allowed: allows('capacity.read') },
  { path: '/audit', label: 'Audit log', allowed: allows('audit.read') },
  { path: '/ng-words', label: 'NG words', allowed: allows('ngwords.global') },
  { path: '/plans', label: 'Plans', allowed: allows('plans.read') },
];

export const visibleNav = (me: Principal) => NAV.filter((item) => !item.allowed || item.allowed(me));
