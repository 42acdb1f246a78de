import { ConflictError, UnprocessableError } from '../errors.js';
import type { RoomBan } from '../rooms/room.js';

/**
 * Ban maps — a room's and a channel's — and the timeout ladder. Pure: the
 * stores run these inside their read-modify-write, so a rule is applied to
 * the state it was read from.
 */
export type Bans = Readonly<Record<string, RoomBan>>;

/** Each timeout in a scope lasts one step longer than the last: 60 s, 5 min, 1 h, then a day every time. */
export const TIMEOUT_LADDER_SECONDS = [60, 300, 3_600, 86_400] as const;
/** A finished timeout is remembered this long, so the next one climbs the ladder instead of restarting it. */
export const STRIKE_MEMORY_MS = 7 * 86_400_000;
export const MAX_BAN_SECONDS = 365 * 86_400;

/** Seconds (an explicit end), `timeout` (the next step of the ladder), or undefined: permanent. */
export type BanLength = number | 'timeout' | undefined;

/** Who banned and why: shown to moderators, never to viewers. */
export interface BanNote {
  readonly by?: string;
  readonly reason?: string;
}

export const isBanActive = (ban: RoomBan, nowMs: number) =>
  ban.until === undefined || Date.parse(ban.until) > nowMs;

/** Kept in the map: in force, or a finished timeout the ladder still remembers. */
const isKept = (ban: RoomBan, nowMs: number) =>
  isBanActive(ban, nowMs) || (ban.strikes !== undefined && Date.parse(ban.until!) + STRIKE_MEMORY_MS > nowMs);

/** The length of the `strikes`-th timeout. */
export function timeoutSeconds(strikes: number): number {
  return TIMEOUT_LADDER_SECONDS[Math.min(Math.max(strikes, 1), TIMEOUT_LADDER_SECONDS.length) - 1]!;
}

/** UTF-8 size of a value as JSON: what an item's 400 KB bound is measured in (near enough). */
export function jsonBytes(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value)).length;
}

/** 422 unless `length` is a whole number of seconds up to a year, `timeout`, or undefined. */
export function assertBanLength(length: BanLength): void {
  if (typeof length === 'number' && !(Number.isInteger(length) && length > 0 && length <= MAX_BAN_SECONDS)) {
    throw new UnprocessableError(
      'invalid_duration',
      'A ban lasts a whole number of seconds, at most a year.',
    );
  }
}

export interface BanLimits {
  /** Most entries the map keeps (remembered timeouts included). */
  readonly maxEntries: number;
  /** Largest the map may grow, as JSON: it shares an item with other state. */
  readonly maxBytes: number;
}

/**
 * Adds or replaces `userId`'s ban. Forgotten entries are pruned on the way;
 * strikes carry over from a remembered entry and a timeout adds one. When the
 * map is full, finished timeouts are forgotten first (oldest end first); if it
 * is still full, 409 and nothing changes.
 */
export function withBan(
  bans: Bans,
  userId: string,
  length: BanLength,
  note: BanNote,
  nowMs: number,
  limits: BanLimits,
): { bans: Record<string, RoomBan>; ban: RoomBan } {
  assertBanLength(length);
  const kept = Object.fromEntries(Object.entries(bans).filter(([, ban]) => isKept(ban, nowMs)));
  const previous = Object.hasOwn(kept, userId) ? kept[userId]!.strikes : undefined;
  const strikes = length === 'timeout' ? (previous ?? 0) + 1 : previous;
  const seconds = length === 'timeout' ? timeoutSeconds(strikes!) : length;
  const ban: RoomBan = {
    bannedAt: new Date(nowMs).toISOString(),
    ...(seconds !== undefined ? { until: new Date(nowMs + seconds * 1000).toISOString() } : {}),
    ...(note.by ? { by: note.by } : {}),
    ...(note.reason ? { reason: note.reason } : {}),
    ...(strikes !== undefined ? { strikes } : {}),
  };
  if (!Object.hasOwn(kept, userId)) makeRoom(kept, nowMs, limits.maxEntries);
  const next = { ...kept, [userId]: ban };
  if (jsonBytes(next) > limits.maxBytes) {
    throw new ConflictError('too_many_bans', 'The ban list is full; lift some bans first.');
  }
  return { bans: next, ban };
}

/** Forgets finished timeouts, oldest end first, until one more entry fits; 409 when none can go. */
function makeRoom(bans: Record<string, RoomBan>, nowMs: number, maxEntries: number): void {
  if (Object.keys(bans).length < maxEntries) return;
  const finished = Object.entries(bans)
    .filter(([, ban]) => !isBanActive(ban, nowMs))
    .sort(([, a], [, b]) => Date.parse(a.until!) - Date.parse(b.until!));
  for (const [userId] of finished) {
    delete bans[userId];
    if (Object.keys(bans).length < maxEntries) return;
  }
  throw new ConflictError('too_many_bans', `At most ${maxEntries} bans are kept here; lift some first.`);
}

/**
 * Lifts `userId`'s ban if one is in force. A laddered ban is ended rather
 * than removed, so its strikes are still remembered; a ban that is not in
 * force is left alone (`lifted` false: nothing to push).
 */
export function withoutBan(
  bans: Bans,
  userId: string,
  nowMs: number,
): { bans: Record<string, RoomBan>; lifted: boolean } {
  const ban = Object.hasOwn(bans, userId) ? bans[userId] : undefined;
  if (!ban || !isBanActive(ban, nowMs)) return { bans: { ...bans }, lifted: false };
  const { [userId]: _lifted, ...rest } = bans;
  if (ban.strikes === undefined) return { bans: rest, lifted: true };
  return { bans: { ...rest, [userId]: { ...ban, until: new Date(nowMs).toISOString() } }, lifted: true };
}

/** The bans in force, by user id. */
export function bansInForce(bans: Bans, nowMs: number): [string, RoomBan][] {
  return Object.entries(bans)
    .filter(([, ban]) => isBanActive(ban, nowMs))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
