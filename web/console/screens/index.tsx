import type { VNode } from 'preact';
import { can, type Principal } from '../../../lambdas/domain/access/roles.js';
import { NoticesScreen } from './notices.js';
import { RoomPage } from './room.js';
import { RoomsScreen } from './rooms.js';

/** A page of the console: its hash route, its title, who may open it. */
export interface Screen {
  /** `/rooms/:roomId/:tab?` (router.ts). */
  readonly pattern: string;
  readonly title: string;
  readonly allowed?: (me: Principal) => boolean;
  readonly render: (params: Record<string, string>) => VNode;
}

/** Every page, first match wins. */
export const SCREENS: readonly Screen[] = [
  { pattern: '/rooms', title: 'Rooms', render: () => <RoomsScreen /> },
  {
    pattern: '/rooms/:roomId/:tab?',
    title: 'Room',
    render: (p) => <RoomPage roomId={p.roomId!} tab={p.tab} />,
  },
  {
    pattern: '/notices',
    title: 'Notices',
    allowed: (me) => allows('notice.send')(me),
    render: () => <NoticesScreen />,
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
  { path: '/notices', label: 'Notices', allowed: (me) => allows('notice.send')(me) },
];

export const visibleNav = (me: Principal) => NAV.filter((item) => !item.allowed || item.allowed(me));

/** Shorthand for role checks on pages that are not about one channel. */
export const allows = (action: Parameters<typeof can>[1]) => (me: Principal) => can(me, action);
