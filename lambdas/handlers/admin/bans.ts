import type { z } from 'zod';
import {
  BanBody,
  banAuditDetails,
  banRequestOf,
  BlockBody,
  liftChannelBan,
  liftChannelBlock,
  liftRoomBan,
  listChannelBans,
  listChannelBlocks,
  listRoomBans,
  setChannelBan,
  setChannelBlock,
  setRoomBan,
  type BanActionDeps,
} from '../../domain/moderation/ban-actions.js';
import { ChannelId, RoomId, UserId } from '../../domain/rooms/room.js';
import { jsonBody, pathParam, type ApiEvent } from '../http.js';
import { failureReports, type AdminDeps } from './deps.js';
import type { AdminOperations } from './operation.js';

/** A PUT may come without a body (a permanent ban, a block without a reason). */
function optionalBody<T>(event: ApiEvent, schema: z.ZodType<T>): T {
  if (event.body === null || event.body === undefined || event.body === '') {
    return jsonBody({ ...event, headers: { 'content-type': 'application/json' }, body: '{}' }, schema);
  }
  return jsonBody(event, schema);
}

const params = (event: ApiEvent, scope: 'roomId' | 'channelId') => ({
  id: pathParam(event, scope, scope === 'roomId' ? RoomId : ChannelId),
  userId: pathParam(event, 'userId', UserId),
});

/** Room bans, channel bans and channel block lists. */
export function banOperations(admin: AdminDeps): AdminOperations {
  const deps: BanActionDeps = {
    rooms: admin.rooms,
    moderation: admin.moderation,
    clock: admin.clock,
    publisher: admin.publisher,
    onPublishFailed: failureReports(admin.logger).onPublishFailed,
  };
  return {
    'GET /admin/v1/rooms/{roomId}/bans': async ({ principal, event }) => {
      const { bans } = await listRoomBans(deps, principal, pathParam(event, 'roomId', RoomId));
      return { status: 200, body: { bans } };
    },

    'PUT /admin/v1/rooms/{roomId}/bans/{userId}': async ({ principal, event }) => {
      const { id: roomId, userId } = params(event, 'roomId');
      const request = banRequestOf(optionalBody(event, BanBody));
      const { room, ban, pushed } = await setRoomBan(deps, principal, roomId, userId, request);
      return {
        status: 200,
        body: { ban, pushed },
        audit: {
          action: 'bans.room',
          roomId,
          channelId: room.channelId,
          target: userId,
          details: banAuditDetails(request, ban),
        },
      };
    },

    'DELETE /admin/v1/rooms/{roomId}/bans/{userId}': async ({ principal, event }) => {
      const { id: roomId, userId } = params(event, 'roomId');
      const { room, lifted, pushed } = await liftRoomBan(deps, principal, roomId, userId);
      return {
        status: 200,
        body: { userId, scope: 'room', lifted, pushed },
        ...(lifted
          ? {
              audit: {
                action: 'bans.room',
                roomId,
                channelId: room.channelId,
                target: userId,
                details: { lifted: true },
              },
            }
          : {}),
      };
    },

    'GET /admin/v1/channels/{channelId}/bans': async ({ principal, event }) => {
      const bans = await listChannelBans(deps, principal, pathParam(event, 'channelId', ChannelId));
      return { status: 200, body: { bans } };
    },

    'PUT /admin/v1/channels/{channelId}/bans/{userId}': async ({ principal, event }) => {
      const { id: channelId, userId } = params(event, 'channelId');
      const request = banRequestOf(optionalBody(event, BanBody));
      const { ban, fanout } = await setChannelBan(deps, principal, channelId, userId, request);
      return {
        status: 200,
        body: { ban, fanout },
        audit: { action: 'bans.channel', channelId, target: userId, details: banAuditDetails(request, ban) },
      };
    },

    'DELETE /admin/v1/channels/{channelId}/bans/{userId}': async ({ principal, event }) => {
      const { id: channelId, userId } = params(event, 'channelId');
      const { lifted, fanout } = await liftChannelBan(deps, principal, channelId, userId);
      return {
        status: 200,
        body: { userId, scope: 'channel', lifted, fanout },
        ...(lifted
          ? { audit: { action: 'bans.channel', channelId, target: userId, details: { lifted: true } } }
          : {}),
      };
    },

    'GET /admin/v1/channels/{channelId}/blocks': async ({ principal, event }) => {
      const blocks = await listChannelBlocks(deps, principal, pathParam(event, 'channelId', ChannelId));
      return { status: 200, body: { blocks } };
    },

    'PUT /admin/v1/channels/{channelId}/blocks/{userId}': async ({ principal, event }) => {
      const { id: channelId, userId } = params(event, 'channelId');
      const { reason } = optionalBody(event, BlockBody);
      const { block, fanout } = await setChannelBlock(deps, principal, channelId, userId, {
        ...(reason ? { reason } : {}),
      });
      return {
        status: 200,
        body: { block, fanout },
        audit: {
          action: 'blocks.change',
          channelId,
          target: userId,
          details: { blocked: true, ...(reason ? { reason } : {}) },
        },
      };
    },

    'DELETE /admin/v1/channels/{channelId}/blocks/{userId}': async ({ principal, event }) => {
      const { id: channelId, userId } = params(event, 'channelId');
      const { lifted, fanout } = await liftChannelBlock(deps, principal, channelId, userId);
      return {
        status: 200,
        body: { userId, scope: 'channel', lifted, fanout },
        ...(lifted
          ? { audit: { action: 'blocks.change', channelId, target: userId, details: { blocked: false } } }
          : {}),
      };
    },
  };
}
