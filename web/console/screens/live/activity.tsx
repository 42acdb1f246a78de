import type { ComponentChildren } from 'preact';
import { useCallback, useState } from 'preact/hooks';
import { ErrorNotice, Progress, Success } from '../../ui.js';

/** The live view's latest moderation action: running, done (what it did) or failed (why). */
export type Activity =
  | { readonly state: 'running'; readonly label: string }
  | { readonly state: 'done'; readonly message: string }
  | { readonly state: 'failed'; readonly label: string; readonly error: unknown };

/** Runs an action; resolves true when it succeeded. */
export type RunAction = <T>(
  label: string,
  call: () => Promise<T>,
  done: (result: T) => string,
) => Promise<boolean>;

/**
 * One place for the outcome of every action in the live view: a deleted comment leaves the stream,
 * so its outcome cannot stay beside it. `changes` counts finished actions, for panels to reload.
 */
export function useActivity() {
  const [activity, setActivity] = useState<Activity>();
  const [changes, setChanges] = useState(0);
  const run: RunAction = useCallback(async (label, call, done) => {
    setActivity({ state: 'running', label });
    try {
      const result = await call();
      setActivity({ state: 'done', message: done(result) });
      return true;
    } catch (error) {
      setActivity({ state: 'failed', label, error });
      return false;
    } finally {
      setChanges((n) => n + 1);
    }
  }, []);
  return { activity, run, changes, clear: () => setActivity(undefined) };
}

export function ActivityNotice({
  activity,
  children,
}: {
  activity?: Activity;
  children?: ComponentChildren;
}) {
  if (!activity) return null;
  if (activity.state === 'running') return <Progress label={activity.label} />;
  if (activity.state === 'done') return <Success>{activity.message}</Success>;
  return (
    <div class="activity-failed">
      <p class="activity-what">Failed: {activity.label.replace(/…$/, '')}</p>
      <ErrorNotice error={activity.error} />
      {children}
    </div>
  );
}

/** How a change reached players: at once over the realtime path, or on their next poll. */
export const reach = (pushed: boolean, pollSeconds: number) =>
  pushed
    ? 'Players were told at once.'
    : `The push did not go out; players catch up on their next poll (within ${pollSeconds} s).`;
