import * as z from 'zod';
import { ChatError } from '../../domain/errors.js';
import { readConnectionInfo, type PlayerEndpoints } from '../../domain/rooms/connection-info.js';
import {
  closeAdminRoom,
  createAdminRoom,
  CreateRoomRequest,
  listAdminRooms,
  readAdminRoom,
  roomSummary,
  updateAdminRoom,
  UpdateRoomRequest,
  type RoomAdminDeps,
  type RoomChange,
} from '../../domain/rooms/room-admin.js';
import { ChannelId, RoomId } from '../../domain/rooms/room.js';
import { clock, config, roomStore } from '../deps.js';
import { jsonBody, pathParam } from '../http.js';
import { edgeSettings, onPublishFailed, publisher } from './context.js';
import { queryParam, type AdminOperations, type AdminResult } from './operation.js';
import { pageQuery } from './paging.js';
import { syncSchedules, type SchedulesOutcome } from './room-schedules.js';

/** Rooms: create, list, read, update, close, and what a player needs to join one. */
const deps: RoomAdminDeps = {
  // Uncached: versions must be current.
  rooms: roomStore,
  clock,
  // Built on first publish: reads never need the realtime endpoint.
  publisher: { publish: (event) => publisher().publish(event) },
  onPublishFailed,
};

const CloseRoomRequest = z.strictObject({ version: z.number().int().min(1) });
const Format = z.enum(['json', 'snippet']).optional();

export const roomOperations: AdminOperations = {
  'POST /admin/v1/rooms': async ({ principal, event }) => {
    const request = jsonBody(event, CreateRoomRequest);
    const room = await createAdminRoom(deps, principal, request);
    const schedules = await syncSchedules(room, { touched: true });
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
    const change = await updateAdminRoom(deps, principal, roomId, request);
    const touched =
      request.expectedViewers !== undefined ||
      request.schedule !== undefined ||
      request.settings?.pollIntervalSeconds !== undefined;
    return changed(change, await syncSchedules(change.value, { touched, before: change.previous }));
  },

  'POST /admin/v1/rooms/{roomId}/close': async ({ principal, event }) => {
    const roomId = pathParam(event, 'roomId', RoomId);
    const { version } = jsonBody(event, CloseRoomRequest);
    const change = await closeAdminRoom(deps, principal, roomId, version);
    return changed(
      change,
      await syncSchedules(change.value, { touched: change.changed, before: change.previous }),
    );
  },

  'GET /admin/v1/rooms/{roomId}/connection': async ({ principal, event }) => {
    const roomId = pathParam(event, 'roomId', RoomId);
    const format = queryParam(event, 'format', Format) ?? 'json';
    const info = await readConnectionInfo(deps, principal, roomId, playerEndpoints);
    if (format === 'snippet') {
      return { status: 200, raw: { contentType: 'text/html; charset=utf-8', text: info.snippet } };
    }
    return { status: 200, body: info };
  },
};

/** The room after a change; audited only when something changed (a repeated close did not). */
function changed(change: RoomChange, schedules?: SchedulesOutcome): AdminResult {
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

/** Where players connect: the CDN (SSM in AWS, LOCAL_EDGE_URL locally) and AppSync's client endpoint. */
async function playerEndpoints(): Promise<PlayerEndpoints> {
  const graphqlUrl = config.REALTIME_CLIENT_GRAPHQL_URL;
  const realtimeUrl = config.REALTIME_CLIENT_REALTIME_URL;
  const apiKey = config.REALTIME_API_KEY;
  if (!graphqlUrl || !realtimeUrl || !apiKey) {
    throw new ChatError(
      503,
      'realtime_not_configured',
      'The realtime endpoint is not configured: REALTIME_CLIENT_GRAPHQL_URL, REALTIME_CLIENT_REALTIME_URL and REALTIME_API_KEY must be set.',
    );
  }
  try {
    const edge = await edgeSettings();
    return { edgeUrl: edge.url, graphqlUrl, realtimeUrl, apiKey };
  } catch (error) {
    throw new ChatError(503, 'edge_unavailable', 'The CDN address could not be read; retry shortly.', {
      retryable: true,
      cause: error,
    });
  }
}
