import * as z from 'zod';
import { DynamoFeedActivity } from '../../adapters/dynamodb/feed-stats.js';
import { logger } from '../../adapters/logger.js';
import { CloudWatchTrafficMetrics, LocalTrafficMetrics } from '../../adapters/traffic-metrics.js';
import type { TrafficMetrics } from '../../domain/stats/ports.js';
import { RoomId } from '../../domain/rooms/room.js';
import { DEFAULT_STATS_MINUTES, MAX_STATS_MINUTES, roomStats } from '../../domain/stats/stats.js';
import { pathParam } from '../http.js';
import { clock, config, doc, roomStore } from '../deps.js';
import { edgeSettings } from './context.js';
import { queryParam, type AdminOperations } from './operation.js';

/** `?minutes=`: whole minutes, 1 to a day. */
const Minutes = z
  .string()
  .regex(/^[0-9]{1,4}$/, 'a whole number of minutes')
  .transform(Number)
  .pipe(z.number().int().min(1).max(MAX_STATS_MINUTES))
  .optional();

const feed = new DynamoFeedActivity(doc, config.COMMENTS_TABLE_NAME);

let trafficInstance: TrafficMetrics | undefined;
/** The local runtime's counters when `LOCAL_EDGE_URL` is set, else CloudWatch. */
function traffic(): TrafficMetrics {
  trafficInstance ??= config.LOCAL_EDGE_URL
    ? new LocalTrafficMetrics(config.LOCAL_EDGE_URL)
    : new CloudWatchTrafficMetrics({
        distributionId: async () => {
          const { distributionId } = await edgeSettings();
          if (!distributionId) throw new Error('The edge settings name no CloudFront distribution.');
          return distributionId;
        },
        ...(config.REALTIME_API_ID ? { apiId: config.REALTIME_API_ID } : {}),
      });
  return trafficInstance;
}

export const statsOperations: AdminOperations = {
  'GET /admin/v1/rooms/{roomId}/stats': async ({ principal, event }) => {
    const roomId = pathParam(event, 'roomId', RoomId);
    const minutes = queryParam(event, 'minutes', Minutes) ?? DEFAULT_STATS_MINUTES;
    const stats = await roomStats(
      {
        rooms: roomStore,
        feed,
        traffic: traffic(),
        clock,
        onTrafficFailed: (figure, error) =>
          logger.warn('statistics source failed', { figure, roomId, error: error as Error }),
      },
      principal,
      roomId,
      minutes,
    );
    return { status: 200, body: stats };
  },
};
