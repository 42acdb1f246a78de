import { extensions, util, type Context } from '@aws-appsync/utils';
import { GLOBAL_ROOM_ID } from '../../lambdas/domain/paths';

/** Events to every room. The field takes no arguments; this enhanced filter alone selects them. */
export function request(_ctx: Context) {
  return { payload: null };
}

export function response(_ctx: Context) {
  extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter({ roomId: { eq: GLOBAL_ROOM_ID } }));
  return null;
}
