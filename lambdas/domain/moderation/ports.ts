import type { ChannelModeration, NgWordList } from './moderation.js';
import type { Room } from '../rooms/room.js';

/** What the moderation use cases need from storage; adapters implement them. */

/** Moderation state beyond a room: a channel's bans and blocks, the global NG words (moderation.ts). */
export interface ModerationReader {
  /** Undefined when nothing was ever banned or blocked in the channel. */
  channel(channelId: string): Promise<ChannelModeration | undefined>;
  /** Version 0 and no words before the first change. */
  ngWords(): Promise<NgWordList>;
}

export interface ModerationWriter {
  /**
   * Changes a channel's bans and blocks atomically with respect to other
   * changes: `change` gets the current state (empty for a new channel) and
   * returns the new one, which is stored and resolved. Returning `current`
   * itself writes nothing.
   */
  updateChannel(
    channelId: string,
    change: (current: ChannelModeration) => ChannelModeration,
  ): Promise<ChannelModeration>;
  /** Replaces the global NG words if the list is still at `expectedVersion`; bumps the version. */
  replaceNgWords(list: Omit<NgWordList, 'version'>, expectedVersion: number): Promise<NgWordList | 'stale'>;
  /** Changes a room's purges like `updateBans`; undefined when the room does not exist. */
  updatePurges(
    roomId: string,
    change: (purges: Room['purges']) => Room['purges'],
  ): Promise<Room['purges'] | undefined>;
}
