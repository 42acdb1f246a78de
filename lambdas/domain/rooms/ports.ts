import type { Room } from './room.js';

/** What the room use cases need from storage; adapters implement them. */

export interface RoomReader {
  get(roomId: string): Promise<Room | undefined>;
}

export interface RoomWriter {
  /** Creates the room; resolves false if a room with that id exists already. */
  create(room: Room): Promise<boolean>;
  /**
   * Changes the room's bans atomically with respect to other ban changes:
   * `change` gets the current bans and returns the new ones. Resolves the
   * new bans, or undefined when the room does not exist.
   */
  updateBans(roomId: string, change: (bans: Room['bans']) => Room['bans']): Promise<Room['bans'] | undefined>;
  /** Replaces the settings if the room is still at `expectedVersion`; bumps the version. */
  updateSettings(
    roomId: string,
    settings: Room['settings'],
    expectedVersion: number,
    updatedAt: string,
  ): Promise<Room | 'stale' | 'not-found'>;
}

export interface RoomPage {
  readonly rooms: Room[];
  /** Pass back for the next page; absent on the last one. */
  readonly nextCursor?: string;
}

/** Lists rooms (admin API, scaler): by channel, newest first. */
export interface RoomLister {
  /** `channelIds` undefined = every channel (operators); an empty set lists nothing. */
  list(query: {
    readonly channelIds?: ReadonlySet<string>;
    readonly limit: number;
    readonly cursor?: string;
  }): Promise<RoomPage>;
}

/** What an admin update may set on a room: never its id, channel, shards, bans or purges. */
export type RoomPatch = Partial<Pick<Room, 'title' | 'status' | 'settings' | 'schedule' | 'expectedViewers'>>;

export interface RoomUpdater {
  /**
   * Sets the patch's fields in one conditional write if the room is still at
   * `expectedVersion`, and bumps the version once.
   */
  update(
    roomId: string,
    patch: RoomPatch,
    expectedVersion: number,
    updatedAt: string,
  ): Promise<Room | 'stale' | 'not-found'>;
}

/** Writes a room's view-limit cutoff (ADR 0038): its own UpdateItem, never the version. */
export interface RoomCutoffWriter {
  /** Sets the cutoff, or removes it when undefined; false when the room does not exist. */
  setViewCutoff(roomId: string, cutoff: Room['viewCutoff'] | undefined): Promise<boolean>;
}

/** The archiver's watermark (ADR 0037): its own UpdateItem, which never bumps the room's version. */
export interface ArchiveWatermark {
  /**
   * Moves `archivedThrough` from `from` (undefined: never set) to `to` if the room still has
   * `from`: a concurrent or repeated run finds 'stale' and stops, so the watermark only grows.
   */
  setArchivedThrough(
    roomId: string,
    from: number | undefined,
    to: number,
  ): Promise<'set' | 'stale' | 'not-found'>;
}
