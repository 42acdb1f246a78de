import { useState } from 'preact/hooks';
import { can } from '../../../../lambdas/domain/access/roles.js';
import { useConsole } from '../../context.js';
import { useAction } from '../../hooks.js';
import { ErrorNotice, formatNumber, formatTime, Progress } from '../../ui.js';
import { type ScalerRun } from './figures.js';

/** Dry run (the exact calls, none made) and, for those allowed, apply with a confirmation. */
export function ScalerPanel({ onApplied }: { onApplied?: () => void }) {
  const { api, me } = useConsole();
  const [confirming, setConfirming] = useState(false);
  const run = useAction((dryRun: boolean) => api('POST /admin/v1/capacity/runs', { body: { dryRun } }));
  const result = run.result?.run;
  const mayApply = can(me, 'capacity.apply');
  const apply = async () => {
    setConfirming(false);
    const done = await run.act(false);
    if (done) onApplied?.();
  };
  return (
    <section class="card" aria-labelledby="scaler-title">
      <h2 id="scaler-title">The scaler</h2>
      <p class="hint">
        The scaler plans every room, compares the plan with what AWS has now and makes the calls that close
        the gap. A dry run shows those calls and makes none.
      </p>
      <div class="form-actions">
        <button type="button" class="button" onClick={() => run.act(true)} disabled={run.running}>
          Dry run
        </button>
        {mayApply ? (
          <button
            type="button"
            class="button button-primary"
            onClick={() => setConfirming(true)}
            disabled={run.running || confirming}
          >
            Apply now…
          </button>
        ) : null}
      </div>
      {confirming ? (
        <div class="notice notice-warn confirm" role="alertdialog" aria-labelledby="apply-confirm">
          <p class="notice-title" id="apply-confirm">
            Change AWS capacity now?
          </p>
          <p>
            The scaler plans again and makes its calls at once
            {result?.dryRun ? ` (the dry run found ${result.calls.length}; it may find others now)` : ''}.
            Provisioned concurrency and warm throughput are billed; warm throughput can never be lowered.
          </p>
          <div class="form-actions">
            <button type="button" class="button button-primary" onClick={apply}>
              Apply
            </button>
            <button type="button" class="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      {run.running ? <Progress label="The scaler is running…" /> : null}
      <ErrorNotice error={run.error} />
      {result ? <RunResult run={result} /> : null}
    </section>
  );
}

function RunResult({ run }: { run: ScalerRun }) {
  const count = run.calls.length;
  const calls = `${count} ${count === 1 ? 'call' : 'calls'}`;
  return (
    <div class="run" data-dry-run={String(run.dryRun)}>
      <p
        class={`notice ${run.failed ? 'notice-error' : run.dryRun ? 'notice-info' : 'notice-success'}`}
        role="status"
      >
        {run.dryRun
          ? count
            ? `Dry run at ${formatTime(run.at)}: the scaler would make ${calls}. None was made.`
            : `Dry run at ${formatTime(run.at)}: capacity already matches the plan; no call is needed.`
          : run.failed
            ? `Applied ${run.applied} of ${calls}; ${run.failed.api.operation} failed: ${run.failed.error}. The calls after it were not made; the next run tries again.`
            : `Applied ${run.applied} of ${calls} at ${formatTime(run.at)}.`}
      </p>
      {count ? (
        <ol class="calls">
          {run.calls.map((call, i) => (
            <li key={i} class={run.failed && run.failed.api === call.api ? 'call call-failed' : 'call'}>
              <p>
                <span class="badge">{call.api.service}</span>{' '}
                <strong class="mono">{call.api.operation}</strong>{' '}
                <span class="muted">{describeChange(call.change)}</span>
                {!run.dryRun && i < run.applied ? <span class="badge badge-open">made</span> : null}
              </p>
              <pre class="code-block" tabIndex={0} aria-label={`Input of ${call.api.operation}`}>
                <code>{JSON.stringify(call.api.input, null, 2)}</code>
              </pre>
            </li>
          ))}
        </ol>
      ) : null}
      {run.skipped.length ? (
        <>
          <h3>Left alone</h3>
          <ul>
            {run.skipped.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

type Change = ScalerRun['calls'][number]['change'];

function describeChange(change: Change): string {
  const throttle = (t: { rateLimit: number; burstLimit: number } | null) =>
    t ? `${formatNumber(t.rateLimit)}/${formatNumber(t.burstLimit)}` : 'none';
  switch (change.kind) {
    case 'provisioned-concurrency.set':
      return `${change.function}: ${change.from} → ${change.to} instances`;
    case 'provisioned-concurrency.remove':
      return `${change.function}: ${change.from} → none`;
    case 'warm-throughput.raise':
      return `${change.table}: write ${change.from.writeUnitsPerSecond} → ${change.to.writeUnitsPerSecond}, read ${change.from.readUnitsPerSecond} → ${change.to.readUnitsPerSecond} units/s`;
    case 'stage-throttle.set':
      return `stage: ${throttle(change.from)} → ${throttle(change.to)}`;
    case 'route-throttle.set':
      return `${change.route}: ${throttle(change.from)} → ${throttle(change.to)}`;
    case 'route-throttle.remove':
      return `${change.route}: ${throttle(change.from)} → none`;
    case 'room-shards.grow':
      return `room ${change.roomId}: ${change.from.write} → ${change.to.write} write shards`;
  }
}
