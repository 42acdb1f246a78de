/**
 * An object that stands in for the one `create` makes, and makes it on first
 * use: the first property read (a method call, usually) builds it, later ones
 * reuse it. A throwing `create` is tried again on the next use.
 *
 * The Lambda entries build their rarely used AWS adapters with it (a client
 * for CloudFront, Scheduler, Lambda…), so an invocation that never needs one
 * never constructs it; callers see a plain port. Ports only: the object must
 * not be a thenable, and `instanceof` sees the stand-in, not the instance.
 */
export function lazy<T extends object>(create: () => T): T {
  let instance: T | undefined;
  const target = (): T => (instance ??= create());
  return new Proxy({} as T, {
    get(_, key) {
      // A promise resolving with the port asks for `then`: that is no use of it.
      if (key === 'then' && instance === undefined) return undefined;
      const made = target();
      const value: unknown = Reflect.get(made, key, made);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(made) : value;
    },
    has: (_, key) => Reflect.has(target(), key),
  });
}
