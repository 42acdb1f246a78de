import { Chart } from '../../chart.js';
import { useConsole } from '../../context.js';
import { useLoad } from '../../hooks.js';
import { Empty, ErrorNotice, formatNumber, formatTime, PageHeader, Progress } from '../../ui.js';
import {
  type DeploymentPlan,
  planPoints,
  rate,
  TargetFigures,
  totalConcurrency,
  Warnings,
} from './figures.js';
import { ScalerPanel } from './scaler.js';

/** Page `/capacity` (operators): the deployment's plan over time, and the scaler. */
export function CapacityScreen() {
  const { api } = useConsole();
  const plan = useLoad((signal) => api('GET /admin/v1/capacity', { signal }), []);
  return (
    <section>
      <PageHeader title="Capacity">
        <button type="button" class="button button-small" onClick={plan.reload} disabled={plan.loading}>
          Plan again
        </button>
      </PageHeader>
      <ErrorNotice error={plan.error} onRetry={plan.reload} />
      {plan.loading && !plan.data ? <Progress label="Planning every event…" /> : null}
      {plan.data ? <DeploymentPlanView plan={plan.data} /> : null}
      <ScalerPanel onApplied={plan.reload} />
    </section>
  );
}

function DeploymentPlanView({ plan }: { plan: DeploymentPlan }) {
  const points = planPoints(plan.steps);
  const peakTotal = totalConcurrency(plan.peak);
  return (
    <>
      <section class="card" aria-labelledby="dplan-title">
        <h2 id="dplan-title">The plan for every event not over yet</h2>
        <p class="hint">
          Planned at {formatTime(plan.at)}. Capacity rises {plan.leadMinutes} minutes before an event starts
          and falls {plan.tailMinutes} minutes after it ends.
        </p>
        <dl class="figures">
          <div class="figure">
            <dt>Events planned</dt>
            <dd>{plan.rooms.length}</dd>
          </div>
          <div class="figure">
            <dt>Provisioned concurrency now</dt>
            <dd>{formatNumber(totalConcurrency(plan.now))}</dd>
          </div>
          <div class="figure">
            <dt>Peak provisioned concurrency</dt>
            <dd data-figure="peak-concurrency">{formatNumber(peakTotal)}</dd>
          </div>
          <div class="figure">
            <dt>Peak viewers at once</dt>
            <dd>{formatNumber(Math.max(0, ...plan.steps.map((s) => s.load.viewers)))}</dd>
          </div>
        </dl>
        {plan.steps.length ? (
          <Chart
            title="Provisioned concurrency over time"
            kind="time"
            stepped
            x={points.x}
            series={points.series}
            xLabel="Time (local)"
            yLabel="Instances kept warm"
            summary={`${plan.steps.length} stretches of time between ${formatTime(plan.steps[0]!.from)} and ${formatTime(plan.steps.at(-1)!.to)}; at most ${formatNumber(peakTotal)} instances warm at once.`}
          />
        ) : (
          <Empty title="No event is planned.">
            Give a room expected viewers and a schedule; its capacity shows here.
          </Empty>
        )}
        {plan.steps.length ? (
          <table class="table">
            <thead>
              <tr>
                <th scope="col">From</th>
                <th scope="col">To</th>
                <th scope="col">Rooms</th>
                <th scope="col" class="numeric">
                  Viewers
                </th>
                <th scope="col" class="numeric">
                  Posts/s
                </th>
                <th scope="col" class="numeric">
                  Warm instances
                </th>
              </tr>
            </thead>
            <tbody>
              {plan.steps.map((s) => (
                <tr key={s.from}>
                  <td>{formatTime(s.from)}</td>
                  <td>{formatTime(s.to)}</td>
                  <td class="mono">{s.roomIds.join(', ')}</td>
                  <td class="numeric">{formatNumber(s.load.viewers)}</td>
                  <td class="numeric">{rate(s.load.postsPerSecond)}</td>
                  <td class="numeric">{formatNumber(totalConcurrency(s.target))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        <TargetFigures target={plan.now} caption="Capacity the plan wants now" />
        {plan.leftOut.length ? (
          <div class="notice notice-warn">
            <p class="notice-title">Rooms left out of the plan</p>
            <ul>
              {plan.leftOut.map((l) => (
                <li key={l.roomId}>
                  <span class="mono">{l.roomId}</span>: {l.reason}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </section>
      <section class="card" aria-labelledby="dwarnings-title">
        <h2 id="dwarnings-title">Warnings</h2>
        <Warnings warnings={plan.warnings} />
      </section>
      <details class="card">
        <summary>Assumptions and limits the plan uses</summary>
        <table class="table table-compact">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col" class="numeric">
                Value
              </th>
              <th scope="col">Unit</th>
              <th scope="col">What it is</th>
            </tr>
          </thead>
          <tbody>
            {plan.assumptions.map((row) => (
              <tr key={row.name}>
                <th scope="row" class="mono">
                  {row.name}
                </th>
                <td class="numeric">{row.value.toLocaleString('en-US')}</td>
                <td>{row.unit}</td>
                <td>{row.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </>
  );
}
