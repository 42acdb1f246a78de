import { util, type Context } from '@aws-appsync/utils';
import { ROOM_ID_PATTERN } from '../../lambdas/domain/paths';

/**
 * A room's events: AppSync's argument-based filtering matches the roomId
 * argument against each event's roomId. No enhanced filter is set here, so
 * how the two kinds of filter combine never matters (ADR 0008).
 */
export function request(ctx: Context<{ roomId: string }>) {
  if (!util.matches(ROOM_ID_PATTERN, ctx.args.roomId))
    util.error('roomId is 1–64 of A–Z a–z 0–9 _ -.', 'BadRequest');
  return { payload: null };
}

export function response(_ctx: Context) {
  return null;
}
