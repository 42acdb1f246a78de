import type { Context } from '@aws-appsync/utils';

/** NONE data source: answers the API version. */
export function request(_ctx: Context) {
  return { payload: '1' };
}

export function response(ctx: Context) {
  return ctx.result;
}
