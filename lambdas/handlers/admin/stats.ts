import { RoomId } from '../../domain/rooms/room.js';
import { DEFAULT_STATS_MINUTES, roomStats, type StatsDeps } from '../../domain/stats/stats.js';
import { pathParam } from '../http.js';
import type { AdminDeps } from './deps.js';
import { queryParam, type AdminOperations } from './operation.js';
import { Minutes } from '../../admin-api.js';

export function statsOperations(admin: AdminDeps): AdminOperations {
  return {
    'GET /admin/v1/rooms/{roomId}/stats': async ({ principal, event }) => {
      const roomId = pathParam(event, 'roomId', RoomId);
      const minutes = queryParam(event, 'minutes', Minutes) ?? DEFAULT_STATS_MINUTES;
      const deps: StatsDeps = {
        rooms: admin.rooms,
        feed: admin.feedActivity,
        traffic: admin.traffic,
        clock: admin.clock,
        onTrafficFailed: (figure, error) =>
          admin.logger.warn('statistics source failed', { figure, roomId, error: error as Error }),
      };
      const stats = await roomStats(deps, principal, roomId, minutes);
      return { status: 200, body: stats };
    },
  };
}
