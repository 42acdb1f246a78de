/**
 * The designs this product is compared with (ARCHITECTURE §1, §7): each
 * delivers every comment to every viewer, so each is billed per delivery —
 * viewers × messages — where the hybrid is billed per poll.
 */
import { LIMITS, READ_UNIT_BYTES } from '../capacity/assumptions.js';
import {
  BYTES_PER_GB,
  IVS_CHAT_CONNECTIONS_PER_ACCOUNT,
  IVS_CHAT_ROOM_MESSAGES_PER_SECOND,
  WEBSOCKET_CONNECTION_ITEM_BYTES,
  WEBSOCKET_CONNECTIONS_PER_FANOUT_INVOCATION,
  WEBSOCKET_FANOUT_MS_PER_DELIVERY,
} from './coefficients.js';
import { designEstimate, quotaCheck, type DesignEstimate } from './design.js';
import { appSyncConnectionLines, postPathLines } from './hybrid.js';
import type { ValidCostInput } from './input.js';
import { flatLine, tieredLine, type DraftLine } from './lines.js';
import type { PriceTable } from './prices.js';
import type { EventVolumes } from './volumes.js';

const IVS_SOURCE = 'ANCHORS.md; IVS Chat service quotas, CreateRoom';

function deliveries(input: ValidCostInput, v: EventVolumes): number {
  return input.viewers * v.messages;
}

function messagesPerSecond(input: ValidCostInput): number {
  return input.commentsPerSecond + input.artistMessagesPerMinute / 60;
}

function pushDataOut(input: ValidCostInput, v: EventVolumes, prices: PriceTable): DraftLine {
  return tieredLine(
    'Data out (pushed messages)',
    'push',
    (deliveries(input, v) * input.pushedMessageBytes) / BYTES_PER_GB,
    'GB',
    prices.internetDataOut,
    { note: `${input.pushedMessageBytes} bytes per delivery (assumption)` },
  );
}

/** (1) Every comment published by a mutation after the post path and delivered to every subscriber. */
export function allAppSyncEstimate(
  input: ValidCostInput,
  v: EventVolumes,
  prices: PriceTable,
): DesignEstimate {
  return designEstimate(
    'all-appsync',
    'every comment pushed over AppSync',
    'comments are stored as today, then published by a mutation to every viewer’s subscription',
    [
      ...postPathLines({ ...input, capacity: undefined }, v, prices),
      ...appSyncConnectionLines(input, v, prices),
      flatLine('AppSync publish mutations', 'push', v.messages, 'mutations', prices.appSync.operations),
      flatLine(
        'AppSync real-time updates',
        'push',
        deliveries(input, v),
        'deliveries',
        prices.appSync.realtimeUpdates,
        {
          note: 'viewers × (comments + artist messages)',
        },
      ),
      pushDataOut(input, v, prices),
    ],
    [
      quotaCheck(
        'AppSync outbound messages',
        input.viewers * messagesPerSecond(input),
        LIMITS.appSyncOutboundMessagesPerSecond,
      ),
    ],
  );
}

/** (2) API Gateway WebSocket: a Lambda reads the connection ids and calls PostToConnection per viewer. */
export function webSocketEstimate(
  input: ValidCostInput,
  v: EventVolumes,
  prices: PriceTable,
): DesignEstimate {
  const sent = deliveries(input, v);
  const invocations = v.messages * Math.ceil(input.viewers / WEBSOCKET_CONNECTIONS_PER_FANOUT_INVOCATION);
  // Each fan-out reads the room's connection ids: eventually consistent, half a unit per 4 KB.
  const connectionReadUnits =
    v.messages *
    Math.ceil((input.viewers * WEBSOCKET_CONNECTION_ITEM_BYTES) / READ_UNIT_BYTES) *
    LIMITS.eventuallyConsistentReadUnitsPer4Kb.value;
  return designEstimate(
    'apigw-websocket',
    'API Gateway WebSocket fan-out',
    'comments are stored as today, then a Lambda posts each one to every viewer’s WebSocket connection',
    [
      ...postPathLines({ ...input, capacity: undefined }, v, prices),
      flatLine(
        'API Gateway WebSocket connection-minutes',
        'push',
        input.viewers * v.minutes,
        'connection-minutes',
        prices.apiGateway.webSocketConnectionMinutes,
      ),
      tieredLine(
        'API Gateway WebSocket messages',
        'push',
        sent,
        'messages',
        prices.apiGateway.webSocketMessages,
        {
          note: 'viewers × (comments + artist messages)',
        },
      ),
      pushDataOut(input, v, prices),
      flatLine('Lambda requests (fan-out)', 'push', invocations, 'requests', prices.lambda.requests, {
        note: `one per ${WEBSOCKET_CONNECTIONS_PER_FANOUT_INVOCATION} connections per message (assumption)`,
      }),
      flatLine(
        'Lambda duration (fan-out)',
        'push',
        (sent * WEBSOCKET_FANOUT_MS_PER_DELIVERY * v.memoryGb) / 1_000,
        'GB-s',
        prices.lambda.durationArm64,
        { note: `${WEBSOCKET_FANOUT_MS_PER_DELIVERY} ms per PostToConnection call (assumption)` },
      ),
      flatLine(
        'DynamoDB reads (connection ids)',
        'push',
        connectionReadUnits,
        'read units',
        prices.dynamoDb.readUnits,
        {
          note: `${WEBSOCKET_CONNECTION_ITEM_BYTES} bytes per connection item (assumption)`,
        },
      ),
    ],
    [
      // PostToConnection calls count against the account's API Gateway throttle.
      quotaCheck(
        'API Gateway requests (PostToConnection)',
        input.viewers * messagesPerSecond(input) + input.commentsPerSecond,
        LIMITS.apiGatewayAccountRate,
      ),
    ],
  );
}

/** (3) Amazon IVS Chat: viewers send to and receive from IVS rooms directly. */
export function ivsChatEstimate(input: ValidCostInput, v: EventVolumes, prices: PriceTable): DesignEstimate {
  return designEstimate(
    'ivs-chat',
    'IVS Chat',
    'viewers connect to an IVS Chat room, which delivers every message to every connection',
    [
      flatLine('IVS Chat messages sent', 'post', v.messages, 'messages', prices.ivsChat.messagesSent),
      flatLine(
        'IVS Chat messages delivered',
        'push',
        deliveries(input, v),
        'deliveries',
        prices.ivsChat.messagesDelivered,
        {
          note: 'viewers × (comments + artist messages)',
        },
      ),
    ],
    [
      quotaCheck('IVS Chat connections', input.viewers, {
        value: IVS_CHAT_CONNECTIONS_PER_ACCOUNT,
        unit: 'connections per account',
        source: IVS_SOURCE,
      }),
      quotaCheck('IVS Chat room message rate', messagesPerSecond(input), {
        value: IVS_CHAT_ROOM_MESSAGES_PER_SECOND,
        unit: 'messages/s per room',
        source: IVS_SOURCE,
      }),
    ],
  );
}
