import type { FeedItem, PurgeView, ViewerBan } from './types.js';

/**
 * What a client has shown, merged from both paths (poll and push): each item
 * once, ordered by id; deletions, purges and bans applied whichever path
 * brings them first. Pure: no timers, no I/O.
 *
 * Memory is bounded: past `maxItems`, the oldest ids are forgotten and
 * anything at or below the newest forgotten id counts as already seen.
 */
export class FeedState {
  /** Visible items by id, and their ids ascending. */
  private readonly items = new Map<string, FeedItem>();
  private readonly order: string[] = [];
  /** Ids at or below this were seen and forgotten. */
  private floor = '';
  private readonly deleted = new Set<string>();
  private readonly purges = new Map<string, string>();
  /** Bans in force by `userId scope`, and when the push path last changed each. */
  private readonly bans = new Map<string, ViewerBan>();
  private readonly pushedBanAt = new Map<string, number>();

  constructor(
    private readonly maxItems = 2_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The items shown, oldest first. */
  list(): FeedItem[] {
    return this.order.map((id) => this.items.get(id)!);
  }

  has(id: string): boolean {
    return this.items.has(id) || id <= this.floor || this.deleted.has(id);
  }

  /** Adds items; returns those new and visible, by id ascending. */
  add(candidates: readonly FeedItem[]): FeedItem[] {
    const added: FeedItem[] = [];
    for (const item of candidates) {
      if (this.has(item.id) || this.hidden(item)) continue;
      this.items.set(item.id, item);
      added.push(item);
    }
    if (added.length === 0) return added;
    added.sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const item of added) insertSorted(this.order, item.id);
    while (this.order.length > this.maxItems) {
      const id = this.order.shift()!;
      this.items.delete(id);
      if (id > this.floor) this.floor = id;
    }
    return added;
  }

  /** Records a deletion; true the first time (whether or not the item was shown). */
  delete(commentId: string): boolean {
    if (this.deleted.has(commentId)) return false;
    this.deleted.add(commentId);
    if (this.deleted.size > this.maxItems * 2) this.deleted.delete(this.deleted.values().next().value!);
    if (this.items.delete(commentId)) this.order.splice(this.order.indexOf(commentId), 1);
    return true;
  }

  /** Records a purge; true when it hides more than before. Drops the user's comments up to `before`. */
  purge(purge: PurgeView): boolean {
    const previous = this.purges.get(purge.userId);
    if (previous !== undefined && previous >= purge.before) return false;
    this.purges.set(purge.userId, purge.before);
    this.dropWhere((item) => this.hidden(item));
    return true;
  }

  /**
   * The push path's ban or unban (`until` null): applied at once, and `live`
   * documents older than it (by `graceMs`) do not undo it.
   */
  pushBan(userId: string, scope: ViewerBan['scope'], until: string | undefined | null, atMs: number) {
    const key = `${userId} ${scope}`;
    this.pushedBanAt.set(key, atMs);
    return until === null ? this.unban(key) : this.ban({ userId, scope, ...(until ? { until } : {}) });
  }

  /**
   * A `live` document's bans in force (the whole list): returns what changed.
   * A ban the push path changed after `generatedAtMs − graceMs` is left as the push made it.
   */
  setBans(list: readonly ViewerBan[], generatedAtMs: number, graceMs: number) {
    const banned: ViewerBan[] = [];
    const unbanned: ViewerBan[] = [];
    const fresh = (key: string) => (this.pushedBanAt.get(key) ?? -Infinity) > generatedAtMs - graceMs;
    const next = new Map(list.map((ban) => [`${ban.userId} ${ban.scope}`, ban]));
    for (const key of [...this.bans.keys()]) {
      if (!next.has(key) && !fresh(key)) unbanned.push(...this.unban(key));
    }
    for (const [key, ban] of next) if (!fresh(key)) banned.push(...this.ban(ban));
    return { banned, unbanned };
  }

  /** The user's ban in force, the longest first (permanent beats timed), at `nowMs`. */
  banOf(userId: string, nowMs: number): ViewerBan | undefined {
    let found: ViewerBan | undefined;
    for (const ban of this.bans.values()) {
      if (ban.userId !== userId || (ban.until && Date.parse(ban.until) <= nowMs)) continue;
      if (!found || !ban.until || (found.until && ban.until > found.until)) found = ban;
    }
    return found;
  }

  isBanned(userId: string, nowMs: number): boolean {
    return this.banOf(userId, nowMs) !== undefined;
  }

  private ban(ban: ViewerBan): ViewerBan[] {
    const key = `${ban.userId} ${ban.scope}`;
    const previous = this.bans.get(key);
    if (previous && previous.until === ban.until) return [];
    this.bans.set(key, ban);
    // Banned viewers' comments are hidden, as `live` hides them.
    this.dropWhere((item) => item.kind === 'comment' && item.userId === ban.userId);
    return [ban];
  }

  private unban(key: string): ViewerBan[] {
    const previous = this.bans.get(key);
    if (!previous) return [];
    this.bans.delete(key);
    return [previous];
  }

  /** Purged, or by a user banned now (a cached `live` from before the ban may still carry it). */
  private hidden(item: FeedItem): boolean {
    if (item.kind !== 'comment') return false;
    const before = this.purges.get(item.userId);
    return (before !== undefined && item.createdAt <= before) || this.isBanned(item.userId, this.now());
  }

  private dropWhere(test: (item: FeedItem) => boolean) {
    for (let i = this.order.length - 1; i >= 0; i--) {
      const item = this.items.get(this.order[i]!)!;
      if (test(item)) {
        this.items.delete(item.id);
        this.order.splice(i, 1);
      }
    }
  }
}

/** Inserts into an ascending array; ids mostly arrive newest, so search from the end. */
function insertSorted(order: string[], id: string) {
  let i = order.length;
  while (i > 0 && order[i - 1]! > id) i--;
  order.splice(i, 0, id);
}
