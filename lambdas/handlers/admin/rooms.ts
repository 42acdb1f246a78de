import * as z from 'zod';
import {
  closeRoomWithSchedules,
  createRoomWithSchedules,
  updateRoomWithSchedules,
  type RoomScheduleDeps,
  type ScheduledChange,
} from '../../domain/capacity/room-schedules.js';
import { ChatError } from '../../domain/errors.js';
import { readConnectionInfo, type PlayerEndpoints } from '../../domain/rooms/connection-info.js';
import {
  CreateRoomRequest,
  listAdminRooms,
  readAdminRoom,
  roomSummary,
  UpdateRoomRequest,
  type RoomAdminDeps,
  type RoomChange,
} from '../../domain/rooms/room-admin.js';
import { ChannelId, RoomId } from '../../domain/rooms/room.js';
import { jsonBody, pathParam } from '../http.js';
import { failureReports, type AdminDeps } from './deps.js';
import { queryParam, type AdminOperations, type AdminResult } from './operation.js';
import { pageQuery } from './paging.js';
import { CloseRoomRequest, ConnectionFormat } from '../../admin-api.js';

/** Rooms: create, list, read, update, close, and what a player needs to join one. */
export function roomOperations(admin: AdminDeps): AdminOperations {
  const deps: RoomAdminDeps & RoomScheduleDeps = {
    rooms: admin.rooms,
    clock: admin.clock,
    publisher: admin.publisher,
    onPublishFailed: failureReports(admin.logger).onPublishFailed,
    schedules: admin.schedules,
    scaler: admin.scaler,
    leadTimeMs: admin.capacity.leadTimeMs,
    tailMs: admin.capacity.tailMs,
    onScheduleSyncFailed: (roomId, error) =>
      admin.logger.error('room schedules could not be synchronised', { roomId, error: error as Error }),
  };
  const endpoints = () => playerEndpoints(admin);

  return {
    'POST /admin/v1/rooms': async ({ principal, event }) => {
      const request = jsonBody(event, CreateRoomRequest);
      const { value: room, schedules } = await createRoomWithSchedules(deps, principal, request);
      return {
        status: 201,
        headers: { Location: `/admin/v1/rooms/${room.roomId}` },
        body: { room, ...(schedules ? { schedules } : {}) },
        audit: {
          action: 'room.create',
          roomId: room.roomId,
          channelId: room.channelId,
          target: room.roomId,
          details: {
            title: room.title,
            settings: room.settings,
            schedule: room.schedule,
            expectedViewers: room.expectedViewers,
            shards: room.shards.write,
            ...(schedules ? { schedules } : {}),
          },
        },
      };
    },

    'GET /admin/v1/rooms': async ({ principal, event }) => {
      const channelId = queryParam(event, 'channelId', z.optional(ChannelId));
      const page = await listAdminRooms(deps, principal, {
        ...pageQuery(event),
        ...(channelId !== undefined ? { channelId } : {}),
      });
      return {
        status: 200,
        body: {
          rooms: page.rooms.map(roomSummary),
          ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
        },
      };
    },

    'GET /admin/v1/rooms/{roomId}': async ({ principal, event }) => {
      const room = await readAdminRoom(deps, principal, pathParam(event, 'roomId', RoomId));
      return { status: 200, body: { room } };
    },

    'PATCH /admin/v1/rooms/{roomId}': async ({ principal, event }) => {
      const roomId = pathParam(event, 'roomId', RoomId);
      const request = jsonBody(event, UpdateRoomRequest);
      return changed(await updateRoomWithSchedules(deps, principal, roomId, request));
    },

    'POST /admin/v1/rooms/{roomId}/close': async ({ principal, event }) => {
      const roomId = pathParam(event, 'roomId', RoomId);
      const { version } = jsonBody(event, CloseRoomRequest);
      return changed(await closeRoomWithSchedules(deps, principal, roomId, version));
    },

    'GET /admin/v1/rooms/{roomId}/connection': async ({ principal, event }) => {
      const roomId = pathParam(event, 'roomId', RoomId);
      const format = queryParam(event, 'format', ConnectionFormat) ?? 'json';
      const info = await readConnectionInfo(deps, principal, roomId, endpoints);
      if (format === 'snippet') {
        return { status: 200, raw: { contentType: 'text/html; charset=utf-8', text: info.snippet } };
      }
      return { status: 200, body: info };
    },
  };
}

/** The room after a change; audited only when something changed (a repeated close did not). */
function changed({ value: change, schedules }: ScheduledChange<RoomChange>): AdminResult {
  const room = change.value;
  return {
    status: 200,
    // `pushed: false`: viewers get the change with their next poll instead.
    body: { room, pushed: change.pushed, ...(schedules ? { schedules } : {}) },
    ...(change.changed
      ? {
          audit: {
            action: change.action,
            roomId: room.roomId,
            channelId: room.channelId,
            target: room.roomId,
            details: { ...change.details, pushed: change.pushed, ...(schedules ? { schedules } : {}) },
          },
        }
      : {}),
  };
}

/** Where players connect: the CDN and AppSync's client endpoint; 503 while either is unknown. */
async function playerEndpoints(admin: AdminDeps): Promise<PlayerEndpoints> {
  const { graphqlUrl, realtimeUrl, apiKey } = admin.realtimeClient;
  if (!graphqlUrl || !realtimeUrl || !apiKey) {
    throw new ChatError(
      503,
      'realtime_not_configured',
      'The realtime endpoint is not configured: REALTIME_CLIENT_GRAPHQL_URL, REALTIME_CLIENT_REALTIME_URL and REALTIME_API_KEY must be set.',
    );
  }
  try {
    return { edgeUrl: await admin.edgeUrl(), graphqlUrl, realtimeUrl, apiKey };
  } catch (error) {
    throw new ChatError(503, 'edge_unavailable', 'The CDN address could not be read; retry shortly.', {
      retryable: true,
      cause: error,
    });
  }
}
