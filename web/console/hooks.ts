import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  /** Loads again, keeping the current data on screen meanwhile. */
  readonly reload: () => void;
}

/**
 * Runs `load` when `deps` change (and every `refreshMs` if given), keeping the last good data while
 * a reload runs or fails, so a screen never blanks on a transient error.
 */
export function useLoad<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: unknown[],
  refreshMs?: number,
): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    loadRef.current(controller.signal).then(
      (data) => !controller.signal.aborted && setState({ data, loading: false }),
      (error: unknown) => !controller.signal.aborted && setState((s) => ({ ...s, error, loading: false })),
    );
    const timer = refreshMs ? setTimeout(() => setGeneration((g) => g + 1), refreshMs) : undefined;
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
    // The caller names the dependencies, as with useEffect.
  }, [...deps, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** An action's state: running (for progress), and its last error. */
export function useAction<A extends unknown[], T>(run: (...args: A) => Promise<T>) {
  const [state, setState] = useState<{ running: boolean; error?: unknown; result?: T }>({ running: false });
  const act = useCallback(
    async (...args: A): Promise<T | undefined> => {
      setState({ running: true });
      try {
        const result = await run(...args);
        setState({ running: false, result });
        return result;
      } catch (error) {
        setState({ running: false, error });
        return undefined;
      }
    },
    [run],
  );
  return { ...state, act, clear: () => setState({ running: false }) };
}
