import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The correlation id of the request being handled: API Gateway's request id
 * for an HTTP call, the caller's for a scaler run it asked for. Handlers run
 * each invocation inside `withCorrelationId`; adapters that call out (the
 * AppSync publisher, the scaler invoker) read `currentCorrelationId` and pass
 * it on, so one id ties the request to the publish and the scaler run.
 *
 * Async-local rather than a variable: Lambda runs one invocation at a time per
 * instance, but the local runtime runs every function in one process, with
 * requests interleaved.
 */
const scope = new AsyncLocalStorage<string>();

export function withCorrelationId<T>(id: string | undefined, run: () => Promise<T>): Promise<T> {
  return id === undefined ? run() : scope.run(id, run);
}

export function currentCorrelationId(): string | undefined {
  return scope.getStore();
}

/** The header the AppSync publisher sends it in. */
export const CORRELATION_HEADER = 'x-correlation-id';
