import { describe, expect, it } from 'vitest';
import { invokeResolver, type LoadedResolver } from '../../../local/appsync/resolvers.js';
import {
  EarlyReturn,
  extensions,
  ResolverError,
  runInResolverScope,
  runtime,
  util,
} from '../../../local/appsync/utils-runtime.js';

/** A resolver made of two functions, standing in for a bundle. */
function resolverOf(
  request: (ctx: { args: Record<string, unknown>; result: unknown }) => unknown,
  response: (ctx: { args: Record<string, unknown>; result: unknown }) => unknown = (ctx) => ctx.result,
): LoadedResolver {
  return {
    typeName: 'Query',
    fieldName: 'probe',
    file: 'in-memory',
    request: request as LoadedResolver['request'],
    response: response as LoadedResolver['response'],
  };
}

describe('util', () => {
  it('error throws a resolver error with its type, data and info', () => {
    const thrown = (() => {
      try {
        util.error('bad', 'BadRequest', { a: 1 }, { b: 2 });
      } catch (error) {
        return error;
      }
    })();

    expect(thrown).toBeInstanceOf(ResolverError);
    expect(thrown).toMatchObject({
      message: 'bad',
      errorType: 'BadRequest',
      data: { a: 1 },
      errorInfo: { b: 2 },
    });
  });

  it('unauthorized names the field being resolved', () => {
    const outcome = invokeResolver(
      resolverOf(() => util.unauthorized()),
      { args: {}, identity: null },
    );

    expect(!outcome.ok && outcome.error).toMatchObject({
      errorType: 'Unauthorized',
      message: 'Not Authorized to access probe on type Query',
    });
  });

  it('appendError records the error and lets the resolver return its value', () => {
    const outcome = invokeResolver(
      resolverOf(() => {
        util.appendError('partial', 'Partial');
        return { payload: 'value' };
      }),
      { args: {}, identity: null },
    );

    expect(outcome).toMatchObject({ ok: true, value: 'value' });
    expect(outcome.scope.appendedErrors).toEqual([
      expect.objectContaining({ message: 'partial', errorType: 'Partial' }),
    ]);
  });

  it('autoId is a UUID, autoUlid a ULID, and the time helpers agree with the clock', () => {
    const before = Date.now();
    const iso = util.time.nowISO8601();
    const ms = util.time.nowEpochMilliSeconds();
    const after = Date.now();

    expect(util.autoId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(util.autoUlid()).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(Date.parse(iso)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(iso)).toBeLessThanOrEqual(after);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(after);
  });

  it('authType names the caller’s mode', () => {
    const { value } = runInResolverScope(
      { typeName: 'Query', fieldName: 'x', authType: 'IAM Authorization' },
      () => util.authType(),
    );

    expect(value).toBe('IAM Authorization');
  });

  it('says clearly when a util member is not provided locally', () => {
    expect(() => (util as unknown as Record<string, unknown>).dynamodb).toThrow(/not provided by the local/);
  });
});

describe('extensions', () => {
  it('keep what a call sets in that call’s scope only', () => {
    const filter = util.transform.toSubscriptionFilter({ roomId: { eq: 'a' } });

    const first = runInResolverScope({ typeName: 'Subscription', fieldName: 'a' }, () => {
      extensions.setSubscriptionFilter(filter);
      extensions.setSubscriptionInvalidationFilter(filter);
      extensions.invalidateSubscriptions({ subscriptionField: 'a', payload: { roomId: 'a' } });
    });
    const second = runInResolverScope({ typeName: 'Subscription', fieldName: 'b' }, () => undefined);

    expect(first.scope).toMatchObject({
      subscriptionFilter: filter,
      subscriptionInvalidationFilter: filter,
      invalidations: [{ subscriptionField: 'a', payload: { roomId: 'a' } }],
    });
    expect(second.scope.subscriptionFilter).toBeUndefined();
    expect(second.scope.invalidations).toEqual([]);
  });

  it('keep interleaved asynchronous calls apart', async () => {
    const filterA = util.transform.toSubscriptionFilter({ roomId: { eq: 'a' } });
    const filterB = util.transform.toSubscriptionFilter({ roomId: { eq: 'b' } });
    const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

    const a = runInResolverScope({ typeName: 'S', fieldName: 'a' }, async () => {
      await tick();
      extensions.setSubscriptionFilter(filterA);
    });
    const b = runInResolverScope({ typeName: 'S', fieldName: 'b' }, async () => {
      extensions.setSubscriptionFilter(filterB);
      await tick();
    });
    await Promise.all([a.value, b.value]);

    expect(a.scope.subscriptionFilter).toEqual(filterA);
    expect(b.scope.subscriptionFilter).toEqual(filterB);
  });

  it('refuse a malformed filter', () => {
    expect(() =>
      runInResolverScope({ typeName: 'S', fieldName: 'x' }, () =>
        extensions.setSubscriptionFilter({
          filterGroup: [{ filters: [{ fieldName: 'a', operator: 'like', value: 1 }] }],
        } as never),
      ),
    ).toThrow(/like/);
  });

  it('cannot be used outside a resolver call', () => {
    expect(() => extensions.setSubscriptionFilter({ filterGroup: [{ filters: [] }] })).toThrow(
      /while a resolver runs/,
    );
  });
});

describe('runtime.earlyReturn', () => {
  it('in request skips the data source and the response handler', () => {
    let responded = false;
    const outcome = invokeResolver(
      resolverOf(
        () => runtime.earlyReturn({ early: true }),
        () => {
          responded = true;
          return 'late';
        },
      ),
      { args: {}, identity: null },
    );

    expect(outcome).toMatchObject({ ok: true, value: { early: true } });
    expect(responded).toBe(false);
  });

  it('throws a signal carrying the value, not an error', () => {
    let thrown: unknown;
    try {
      runtime.earlyReturn(1, { skipTo: 'END' });
    } catch (signal) {
      thrown = signal;
    }

    expect(thrown).toBeInstanceOf(EarlyReturn);
    expect(thrown).not.toBeInstanceOf(Error);
    expect(thrown).toMatchObject({ value: 1, skipTo: 'END' });
  });
});

describe('a resolver call', () => {
  it('gives response the request’s payload as ctx.result and the arguments as ctx.args', () => {
    const outcome = invokeResolver(
      resolverOf(
        (ctx) => ({ payload: { echoed: ctx.args.x } }),
        (ctx) => ({ result: ctx.result }),
      ),
      { args: { x: 42 }, identity: null },
    );

    expect(outcome).toMatchObject({ ok: true, value: { result: { echoed: 42 } } });
  });

  it('reports a bug in resolver code as an error, not a crash', () => {
    const outcome = invokeResolver(
      resolverOf(() => {
        throw new TypeError('oops');
      }),
      { args: {}, identity: null },
    );

    expect(!outcome.ok && outcome.error).toMatchObject({ message: 'oops', errorType: 'Code' });
  });
});
