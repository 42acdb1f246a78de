import * as z from 'zod';
import {
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
  type BanRequest,
} from '../../domain/moderation/ban-actions.js';
import { MAX_BAN_SECONDS } from '../../domain/moderation/bans.js';
import { ModerationReason } from '../../domain/moderation/moderation.js';
import { ChannelId, RoomId, UserId } from '../../domain/rooms/room.js';
import { clock, roomStore } from '../deps.js';
import { jsonBody, pathParam, type ApiEvent } from '../http.js';
import { moderationStore } from '../moderation-deps.js';
import { onPublishFailed, publisher } from './context.js';
import type { AdminOperations } from './operation.js';

/** Room bans, channel bans and channel block lists. */
const deps: BanActionDeps = {
  rooms: roomStore,
  moderation: moderationStore,
  clock,
  // Built on first publish: reads never need the realtime endpoint.
  publisher: { publish: (event) => publisher().publish(event) },
  onPublishFailed,
};

/** PUT …/bans/{userId}: permanent with neither field; `durationSeconds` or `timeout: true` (the ladder). */
const BanBody = z
  .strictObject({
    durationSeconds: z.number().int().min(1).max(MAX_BAN_SECONDS).optional(),
    timeout: z.literal(true).optional(),
    reason: z.optional(ModerationReason),
  })
  .refine((b) => !(b.durationSeconds !== undefined && b.timeout), {
    message: 'give durationSeconds or timeout, not both',
  });

const BlockBody = z.strictObject({ reason: z.optional(ModerationReason) });

/** A PUT may come without a body (a permanent ban, a block without a reason). */
function optionalBody<T>(event: ApiEvent, schema: z.ZodType<T>): T {
  if (event.body === null || event.body === undefined || event.body === '') {
    return jsonBody({ ...event, headers: { 'content-type': 'application/json' }, body: '{}' }, schema);
  }
  return jsonBody(event, schema);
}

function banRequest(event: ApiEvent): BanRequest {
  const body = optionalBody(event, BanBody);
  return {
    length: body.timeout ? 'timeout' : body.durationSeconds,
    ...(body.reason ? { reason: body.reason } : {}),
  };
}

/** What the audit log keeps of a ban: its terms, never more. */
const banDetails = (request: BanRequest, ban: { until?: string; strikes?: number }) => ({
  ...(request.length === 'timeout' ? { timeout: true } : {}),
  ...(typeof request.length === 'number' ? { durationSeconds: request.length } : {}),
  ...(ban.until ? { until: ban.until } : { permanent: true }),
  ...(ban.strikes !== undefined ? { strikes: ban.strikes } : {}),
  ...(request.reason ? { reason: request.reason } : {}),
});

const params = (event: ApiEvent, scope: 'roomId' | 'channelId') => ({
  id: pathParam(event, scope, scope === 'roomId' ? RoomId : ChannelId),
  userId: pathParam(event, 'userId', UserId),
});

export const banOperations: AdminOperations = {
  'GET /admin/v1/rooms/{roomId}/bans': async ({ principal, event }) => {
    const { bans } = await listRoomBans(deps, principal, pathParam(event, 'roomId', RoomId));
    return { status: 200, body: { bans } };
  },

  'PUT /admin/v1/rooms/{roomId}/bans/{userId}': async ({ principal, event }) => {
    const { id: roomId, userId } = params(event, 'roomId');
    const request = banRequest(event);
    const { room, ban, pushed } = await setRoomBan(deps, principal, roomId, userId, request);
    return {
      status: 200,
      body: { ban, pushed },
      audit: {
        action: 'bans.room',
        roomId,
        channelId: room.channelId,
        target: userId,
        details: banDetails(request, ban),
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
    const request = banRequest(event);
    const { ban, fanout } = await setChannelBan(deps, principal, channelId, userId, request);
    return {
      status: 200,
      body: { ban, fanout },
      audit: { action: 'bans.channel', channelId, target: userId, details: banDetails(request, ban) },
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
