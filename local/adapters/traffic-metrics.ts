import { z } from 'zod';
import type { PollTraffic, RealtimeTraffic, TrafficMetrics } from '../../lambdas/domain/stats/ports.js';

/** What the local runtime's `GET /local/stats?roomId=` answers (local/server.ts serves it). */
export const LocalStats = z.object({
  roomId: z.string(),
  /** Requests the local edge answered for the room's `live` and segments, per minute (the last day). */
  edge: z.object({
    perMinute: z.array(z.object({ minute: z.iso.datetime(), count: z.number().int().min(0) })),
  }),
  /** The local AppSync stand-in's counts now; null when the stack runs without it. */
  realtime: z
    .object({
      connections: z.number().int().min(0),
      roomSubscriptions: z.number().int().min(0),
      globalSubscriptions: z.number().int().min(0),
    })
    .nullable(),
});
export type LocalStats = z.infer<typeof LocalStats>;

/**
 * Traffic from the local runtime (`npm start`): the edge counts requests per
 * path, so a room's polls are exact; the AppSync stand-in knows its open
 * connections and each subscription's room, but keeps no history.
 */
export class LocalTrafficMetrics implements TrafficMetrics {
  constructor(private readonly edgeUrl: string) {}

  async pollRequests(roomId: string): Promise<PollTraffic> {
    const stats = await this.read(roomId);
    return {
      scope: 'room',
      source: 'local-edge',
      perMinute: stats.edge.perMinute.map((p) => ({ minuteMs: Date.parse(p.minute), count: p.count })),
    };
  }

  async realtime(roomId: string): Promise<RealtimeTraffic> {
    const { realtime } = await this.read(roomId);
    if (!realtime) throw new Error('The local runtime runs without its AppSync stand-in.');
    return {
      connections: {
        scope: 'deployment',
        source: 'local-appsync',
        note: 'A WebSocket connection is not bound to a room. The local runtime keeps no history.',
        current: realtime.connections,
        perMinute: null,
      },
      subscriptions: {
        scope: 'room',
        source: 'local-appsync',
        current: realtime.roomSubscriptions,
        perMinute: null,
      },
    };
  }

  private async read(roomId: string): Promise<LocalStats> {
    const res = await fetch(`${this.edgeUrl}/local/stats?roomId=${encodeURIComponent(roomId)}`, {
      signal: AbortSignal.timeout(2_000),
    });
    if (!res.ok) throw new Error(`The local edge answered ${res.status} for its statistics.`);
    return LocalStats.parse(await res.json());
  }
}
