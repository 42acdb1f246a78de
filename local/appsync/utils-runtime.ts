/**
 * The local stand-in for what AppSync's APPSYNC_JS runtime provides as
 * `@aws-appsync/utils` (the npm package is types only). The resolver bundles
 * import this module in place of the package (see `resolvers.ts`); unit tests
 * run the same bundles through it.
 *
 * State that one resolver call produces — the enhanced filter a subscription
 * resolver sets, appended errors, invalidations — lives in a call scope
 * (`runInResolverScope`), never in module state, so nothing leaks from one call
 * into the next, even when calls interleave.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import { assertSubscriptionFilter, toSubscriptionFilter, type SubscriptionFilter } from './filters.js';

export type { SubscriptionFilter } from './filters.js';

/** `util.error` / `util.unauthorized`: ends the resolver; the field resolves to null with this error. */
export class ResolverError extends Error {
  constructor(
    message: string,
    readonly errorType?: string,
    readonly data?: unknown,
    readonly errorInfo?: unknown,
  ) {
    super(message);
    this.name = 'ResolverError';
  }
}

/** `runtime.earlyReturn(obj)`: thrown to leave the handler; the host catches it and uses `value`. */
export class EarlyReturn {
  constructor(
    readonly value: unknown,
    readonly skipTo?: 'END' | 'NEXT',
  ) {}
}

export interface SubscriptionInvalidation {
  readonly subscriptionField: string;
  readonly payload: Record<string, unknown>;
}

/** `util.authType()` strings, as AppSync names the modes. */
export type AuthTypeName = 'API Key Authorization' | 'IAM Authorization';

export interface ResolverScope {
  readonly typeName: string;
  readonly fieldName: string;
  readonly authType?: AuthTypeName;
  subscriptionFilter?: SubscriptionFilter;
  subscriptionInvalidationFilter?: SubscriptionFilter;
  readonly invalidations: SubscriptionInvalidation[];
  /** `util.appendError` calls: reported beside the field's value. */
  readonly appendedErrors: ResolverError[];
}

// One store per process even if this module were instantiated twice (the bundles import it by file URL).
const STORE_KEY = Symbol.for('hybrid-live-chat.appsync-local.resolver-scope');
const globalStore = globalThis as { [STORE_KEY]?: AsyncLocalStorage<ResolverScope> };
const store = (globalStore[STORE_KEY] ??= new AsyncLocalStorage<ResolverScope>());

/** Runs `fn` (a resolver's handlers) in a fresh call scope; returns what it returned and the scope it filled. */
export function runInResolverScope<T>(
  call: { typeName: string; fieldName: string; authType?: AuthTypeName },
  fn: () => T,
): { value: T; scope: ResolverScope } {
  const scope: ResolverScope = { ...call, invalidations: [], appendedErrors: [] };
  const value = store.run(scope, fn);
  return { value, scope };
}

function currentScope(what: string): ResolverScope {
  const scope = store.getStore();
  if (!scope) throw new Error(`${what} can only be called while a resolver runs.`);
  return scope;
}

/** `util.matches` patterns, compiled once each: resolvers pass the same few on every call. */
const patterns = new Map<string, RegExp>();
function wholeMatch(pattern: string): RegExp {
  let regex = patterns.get(pattern);
  if (!regex) {
    if (patterns.size >= 256) patterns.clear();
    patterns.set(pattern, (regex = new RegExp(`^(?:${pattern})$`)));
  }
  return regex;
}

const time = {
  nowISO8601: () => new Date().toISOString(),
  nowEpochSeconds: () => Math.floor(Date.now() / 1000),
  nowEpochMilliSeconds: () => Date.now(),
  parseISO8601ToEpochMilliSeconds: (value: string) => Date.parse(value),
  epochMilliSecondsToISO8601: (ms: number) => new Date(ms).toISOString(),
  epochMilliSecondsToSeconds: (ms: number) => Math.floor(ms / 1000),
};

const implemented = {
  error(message: string, errorType?: string, data?: unknown, errorInfo?: unknown): never {
    throw new ResolverError(message, errorType, data, errorInfo);
  },
  appendError(message: string, errorType?: string, data?: unknown, errorInfo?: unknown): void {
    currentScope('util.appendError').appendedErrors.push(
      new ResolverError(message, errorType, data, errorInfo),
    );
  },
  unauthorized(): never {
    const scope = store.getStore();
    const target = scope ? `${scope.fieldName} on type ${scope.typeName}` : 'this field';
    throw new ResolverError(`Not Authorized to access ${target}`, 'Unauthorized');
  },
  authType(): string {
    return currentScope('util.authType').authType ?? 'API Key Authorization';
  },
  autoId: () => randomUUID(),
  autoUlid: () => ulid(),
  matches: (pattern: string, value: string) => wholeMatch(pattern).test(value),
  base64Encode: (value: string) => Buffer.from(value, 'utf8').toString('base64'),
  base64Decode: (value: string) => Buffer.from(value, 'base64').toString('utf8'),
  urlEncode: (value: string) => new URLSearchParams({ v: value }).toString().slice(2),
  urlDecode: (value: string) => new URLSearchParams(`v=${value}`).get('v') ?? '',
  escapeJavaScript: (value: string) => JSON.stringify(value).slice(1, -1),
  time,
  transform: {
    toSubscriptionFilter: (
      objFilter: unknown,
      ignoredFields?: readonly string[],
      rules?: Record<string, unknown>,
    ): SubscriptionFilter => toSubscriptionFilter(objFilter, ignoredFields, rules),
  },
};

/**
 * `util`. Members AppSync has but this stand-in lacks throw a clear error
 * instead of failing later as "not a function" (add them here when a resolver
 * needs one).
 */
export const util = new Proxy(implemented, {
  get(target, property, receiver) {
    if (typeof property === 'symbol' || property in target) return Reflect.get(target, property, receiver);
    throw new Error(
      `util.${property} is not provided by the local APPSYNC_JS stand-in (local/appsync/utils-runtime.ts).`,
    );
  },
}) as typeof implemented;

export const extensions = {
  setSubscriptionFilter(filter: SubscriptionFilter): void {
    assertSubscriptionFilter(filter);
    currentScope('extensions.setSubscriptionFilter').subscriptionFilter = filter;
  },
  /** Recorded only: the local endpoint does not invalidate subscriptions. */
  setSubscriptionInvalidationFilter(filter: SubscriptionFilter): void {
    assertSubscriptionFilter(filter);
    currentScope('extensions.setSubscriptionInvalidationFilter').subscriptionInvalidationFilter = filter;
  },
  /** Recorded only. */
  invalidateSubscriptions(invalidation: SubscriptionInvalidation): void {
    currentScope('extensions.invalidateSubscriptions').invalidations.push(invalidation);
  },
  /** No server-side cache locally: nothing to evict. */
  evictFromApiCache(_typeName: string, _fieldName: string, _keys: Record<string, unknown>): void {},
};

export const runtime = {
  earlyReturn(value?: unknown, options?: { skipTo: 'END' | 'NEXT' }): never {
    throw new EarlyReturn(value, options?.skipTo);
  },
};
