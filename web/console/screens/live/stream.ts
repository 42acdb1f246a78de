import { useEffect, useState } from 'preact/hooks';
import { createChatClient, type ConnectionState, type FeedItem } from '../../../../client/index.js';
import type { ConsoleConfig } from '../../config.js';

/** Items the live view shows at most: the newest; older ones scroll away as in the player. */
export const SHOWN_ITEMS = 200;

export interface RoomStream {
  /** Newest first, at most SHOWN_ITEMS. */
  readonly items: readonly FeedItem[];
  readonly connection: ConnectionState;
  /** The latest error the SDK reported (the room is missing, polls failing), if any. */
  readonly error: string | undefined;
}

/**
 * The room's comment stream as players see it, through the viewer SDK (read-only: no viewer
 * token): polling plus the realtime path, with deletions, purges and bans applied by the SDK, so
 * what a moderator removes leaves this view the way it leaves players. Renders at most once per
 * frame (or quarter second) however fast comments arrive.
 */
export function useRoomStream(config: ConsoleConfig, roomId: string): RoomStream {
  const [state, setState] = useState<RoomStream>({
    items: [],
    connection: { polling: 'ok', realtime: config.realtime ? 'connecting' : 'off' },
    error: undefined,
  });
  useEffect(() => {
    const client = createChatClient({
      baseUrl: config.apiUrl,
      roomId,
      ...(config.realtime ? { realtime: config.realtime } : {}),
      maxItems: SHOWN_ITEMS * 2,
      // What was said just before the moderator opened the view (the SDK reads at most two minutes back).
      historyItems: SHOWN_ITEMS,
      // A moderator watches a background tab too: keep polling.
      pauseWhenHidden: false,
    });
    let scheduled = false;
    let error: string | undefined;
    const render = () => {
      if (!scheduled) return;
      scheduled = false;
      setState({
        items: client.items().slice(-SHOWN_ITEMS).reverse(),
        connection: client.connection,
        error,
      });
    };
    // A frame when the page paints; a timer when it does not (hidden tabs get no frames, and a
    // moderator's tab may be hidden while removals must still apply).
    const update = () => {
      if (scheduled) return;
      scheduled = true;
      requestAnimationFrame(render);
      setTimeout(render, 250);
    };
    for (const kind of ['comment', 'artistMessage', 'notice', 'delete', 'purge', 'ban', 'unban'] as const) {
      client.on(kind, update);
    }
    client.on('connection', update);
    client.on('settings', () => {
      error = undefined;
      update();
    });
    // Failing polls show as the connection state; a missing room needs saying.
    client.on('error', (e) => {
      if (e.code !== 'room_not_found') return;
      error = 'Players cannot find this room: it may have just been created. The view keeps trying.';
      update();
    });
    client.start();
    return () => {
      scheduled = false;
      client.close();
    };
  }, [config, roomId]);
  return state;
}
