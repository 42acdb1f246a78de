import { ForbiddenError } from '../errors.js';

/**
 * Who may do what in the admin API. Identities come from the Cognito user
 * pool (groups = roles; the `custom:channels` attribute binds moderators and
 * artists to channels); use cases call `authorize` before they touch anything.
 */
export const ROLES = ['operator', 'moderator', 'artist'] as const;
export type Role = (typeof ROLES)[number];

/** The user pool groups, by role. */
export const ROLE_GROUPS: Record<Role, string> = {
  operator: 'operators',
  moderator: 'moderators',
  artist: 'artists',
};

export interface Principal {
  /** The user pool's `sub`: stable, never reused. */
  readonly userId: string;
  /** What the audit log and artist messages show (name, e-mail or username). */
  readonly displayName: string;
  readonly roles: ReadonlySet<Role>;
  /** Channels a moderator or artist acts on. Operators act on every channel. */
  readonly channels: ReadonlySet<string>;
}

/**
 * Every admin action and the roles allowed to take it. Operators run the
 * service; moderators keep one channel's rooms civil; artists speak in their
 * own channel's rooms and block viewers from their streams.
 */
export const PERMISSIONS = {
  'room.create': ['operator'],
  'room.list': ['operator', 'moderator', 'artist'],
  'room.read': ['operator', 'moderator', 'artist'],
  'room.update': ['operator'],
  'room.close': ['operator'],
  'room.settings': ['operator', 'moderator'],
  'room.connection': ['operator', 'moderator', 'artist'],
  'comments.list': ['operator', 'moderator'],
  'comments.delete': ['operator', 'moderator'],
  'comments.purge': ['operator', 'moderator'],
  'bans.list': ['operator', 'moderator'],
  'bans.room': ['operator', 'moderator'],
  'bans.channel': ['operator', 'moderator'],
  'blocks.list': ['operator', 'moderator', 'artist'],
  'blocks.change': ['operator', 'moderator', 'artist'],
  'artist.message': ['artist'],
  'notice.send': ['operator'],
  'ngwords.global': ['operator'],
  'stats.read': ['operator', 'moderator', 'artist'],
  'audit.read': ['operator', 'moderator'],
  /** A room's capacity plan, schedules and cost estimate; the deployment's plan. */
  'capacity.read': ['operator'],
  /** Run the scaler now, or as a dry run. */
  'capacity.apply': ['operator'],
  /** The deployment-wide log (global notices, NG words): no channel scopes it, so operators only. */
  'audit.global': ['operator'],
  /** A channel's view-limit plan and its last computation (ADR 0038): its own people may see it. */
  'plans.read': ['operator', 'moderator', 'artist'],
  /** Set, replace or remove a channel's plan: a commercial setting, so operators only. */
  'plans.change': ['operator'],
  /** Queue a computation now: it reads the channel's comments, so operators only. */
  'plans.run': ['operator'],
} as const satisfies Record<string, readonly Role[]>;
export type Action = keyof typeof PERMISSIONS;

/** Whether the principal may take `action`, on `channelId` when the action concerns one. */
export function can(principal: Principal, action: Action, channelId?: string): boolean {
  const allowed: readonly Role[] = PERMISSIONS[action];
  return allowed.some(
    (role) =>
      principal.roles.has(role) &&
      (role === 'operator' || channelId === undefined || principal.channels.has(channelId)),
  );
}

/** Throws 403 unless the principal may take `action` (on `channelId`). */
export function authorize(principal: Principal, action: Action, channelId?: string): void {
  if (can(principal, action, channelId)) return;
  const roles: readonly Role[] = PERMISSIONS[action];
  const hasRole = roles.some((role) => principal.roles.has(role));
  throw new ForbiddenError(
    'forbidden',
    hasRole && channelId !== undefined
      ? `You may not ${action} on channel ${channelId}: you are not bound to it.`
      : `You may not ${action}: it needs the role ${roles.join(' or ')}.`,
  );
}

/** The channels a principal may list rooms of: every channel (undefined) for operators. */
export function visibleChannels(principal: Principal): ReadonlySet<string> | undefined {
  return principal.roles.has('operator') ? undefined : principal.channels;
}

/**
 * Reads the claims API Gateway's Cognito authorizer passes on (the ID
 * token's, as strings). `cognito:groups` arrives as "a,b" or "[a b]"
 * depending on the API type, or as an array; all are accepted.
 */
export function principalFromClaims(claims: Readonly<Record<string, unknown>> | null | undefined): Principal {
  const sub = typeof claims?.sub === 'string' ? claims.sub : '';
  if (!sub) throw new ForbiddenError('forbidden', 'The token names no user.');
  const groups = listClaim(claims?.['cognito:groups']);
  const roles = new Set(ROLES.filter((role) => groups.includes(ROLE_GROUPS[role])));
  const name = [claims?.name, claims?.email, claims?.['cognito:username']].find(
    (v): v is string => typeof v === 'string' && v.length > 0,
  );
  return {
    userId: sub,
    displayName: name ?? sub,
    roles,
    channels: new Set(listClaim(claims?.['custom:channels'])),
  };
}

function listClaim(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value !== 'string') return [];
  return value
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter((v) => v.length > 0);
}
