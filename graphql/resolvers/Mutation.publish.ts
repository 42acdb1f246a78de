import { util, type Context } from '@aws-appsync/utils';
import { EVENT_ROOM_ID_PATTERN } from '../../lambdas/domain/paths';

interface PublishArgs {
  event: { id: string; roomId: string; kind: string; time: string; payload: string };
}

/** NONE data source: the event passes through to subscribers as the mutation's result. */
export function request(ctx: Context<PublishArgs>) {
  const { event } = ctx.args;
  if (!util.matches(EVENT_ROOM_ID_PATTERN, event.roomId)) {
    util.error('roomId must be a room id or "*".', 'BadRequest');
  }
  return { payload: event };
}

export function response(ctx: Context<PublishArgs>) {
  if (ctx.error) util.error(ctx.error.message, ctx.error.type);
  return ctx.result;
}
