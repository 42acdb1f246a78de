import { useState } from 'preact/hooks';
import { can } from '../../../lambdas/domain/access/roles.js';
import type { Response } from '../api.js';
import { Chart, formatCompact } from '../chart.js';
import { useConsole } from '../context.js';
import { useAction, useLoad } from '../hooks.js';
import { Empty, ErrorNotice, formatNumber, formatTime, PageHeader, Progress } from '../ui.js';
import type { RoomTabProps } from './room.js';

type RoomCapacity = Response<'GET /admin/v1/rooms/{roomId}/capacity'>['capacity'];
type DeploymentPlan = Response<'GET /admin/v1/capacity'>;
type ScalerRun = Response<'POST /admin/v1/capacity/runs'>['run'];
type Target = DeploymentPlan['peak'];
type Warning = DeploymentPlan['warnings'][number];
type Cost = NonNullable<RoomCapacity['cost']>;

const FUNCTIONS = ['postComment', 'getLive', 'getSegment'] as const;
const FUNCTION_NAMES: Record<(typeof FUNCTIONS)[number], string> = {
  postComment: 'Post comment',
  getLive: 'Live poll',
  getSegment: 'Segment',
};

const usd = (value: number) =>
  `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const rate = (value: number) => value.toLocaleString('en-US', { maximumFractionDigits: 1 });
const seconds = (ms: number) => ms / 1000;

/**
 * A stretch-by-stretch plan as points a stepped chart draws: each step's provisioned concurrency
 * from its start, and the baseline (none) wherever no step is in force, with an hour of baseline
 * either side so the rise and fall show.
 */
function planPoints(steps: readonly { fromMs: number; toMs: number; target: Target }[]) {
  const x: number[] = [];
  const values = FUNCTIONS.map(() => [] as number[]);
  const push = (atMs: number, target: Target | undefined) => {
    x.push(seconds(atMs));
    FUNCTIONS.forEach((fn, i) => values[i]!.push(target ? target.provisionedConcurrency[fn] : 0));
  };
  const HOUR = 3_600_000;
  if (steps.length) push(steps[0]!.fromMs - HOUR, undefined);
  steps.forEach((step, i) => {
    push(step.fromMs, step.target);
    if (steps[i + 1]?.fromMs !== step.toMs) push(step.toMs, undefined);
  });
  if (steps.length) push(steps.at(-1)!.toMs + HOUR, undefined);
  return { x, series: FUNCTIONS.map((fn, i) => ({ label: FUNCTION_NAMES[fn], values: values[i]! })) };
}

const totalConcurrency = (target: Target) =>
  FUNCTIONS.reduce((sum, fn) => sum + target.provisionedConcurrency[fn], 0);

/** The capacity a target asks for, as a two-column list. */
function TargetFigures({ target, caption }: { target: Target; caption: string }) {
  const routes = Object.entries(target.routeThrottling);
  return (
    <table class="table table-compact">
      <caption>{caption}</caption>
      <tbody>
        {FUNCTIONS.map((fn) => (
          <tr key={fn}>
            <th scope="row">Provisioned concurrency: {FUNCTION_NAMES[fn]}</th>
            <td class="numeric" data-figure={`pc-${fn}`}>
              {formatNumber(target.provisionedConcurrency[fn])}
            </td>
          </tr>
        ))}
        {(['comments', 'control'] as const).map((table) => (
          <tr key={table}>
            <th scope="row">Warm throughput: {table} table (write / read units/s)</th>
            <td class="numeric">
              {target.warmThroughput[table].writeUnitsPerSecond
                ? formatNumber(target.warmThroughput[table].writeUnitsPerSecond)
                : 'default'}{' '}
              /{' '}
              {target.warmThroughput[table].readUnitsPerSecond
                ? formatNumber(target.warmThroughput[table].readUnitsPerSecond)
                : 'default'}
            </td>
          </tr>
        ))}
        <tr>
          <th scope="row">API stage throttle (rate / burst, requests/s)</th>
          <td class="numeric">
            {formatNumber(target.stageThrottling.rateLimit)} /{' '}
            {formatNumber(target.stageThrottling.burstLimit)}
          </td>
        </tr>
        {routes.map(([route, throttle]) => (
          <tr key={route}>
            <th scope="row">
              Route throttle <code>{route}</code>
            </th>
            <td class="numeric">
              {formatNumber(throttle.rateLimit)} / {formatNumber(throttle.burstLimit)}
            </td>
          </tr>
        ))}
        {Object.entries(target.roomShards).map(([roomId, shards]) => (
          <tr key={roomId}>
            <th scope="row">
              Write shards: <span class="mono">{roomId}</span>
            </th>
            <td class="numeric">{shards}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Warnings({ warnings }: { warnings: readonly Warning[] }) {
  if (!warnings.length) return <p class="muted">The plan reaches no quota.</p>;
  return (
    <ul class="warnings">
      {warnings.map((w, i) => (
        <li key={i} class={`notice ${w.level === 'warning' ? 'notice-warn' : 'notice-info'}`}>
          <p class="notice-title">
            {w.level === 'warning' ? 'Over a quota' : 'Worth knowing'}: {w.code.replaceAll('_', ' ')}
          </p>
          <p>{w.message}</p>
          <p class="hint">
            Planned {formatNumber(w.planned)} against a limit of {formatNumber(w.limit)}
            {w.fromMs !== undefined ? ` · ${formatTime(new Date(w.fromMs).toISOString())}` : ''}
            {w.toMs !== undefined ? ` – ${formatTime(new Date(w.toMs).toISOString())}` : ''}
          </p>
        </li>
      ))}
    </ul>
  );
}

/** Axis labels that fit under a bar. */
const SHORT_DESIGN_NAMES: Record<string, string> = {
  hybrid: 'This design',
  'all-appsync': 'All over AppSync',
  'apigw-websocket': 'WebSocket fan-out',
  'ivs-chat': 'IVS Chat',
};

/** The event's cost here and on the designs it is compared with, as bars and a table, with what it assumes. */
function CostComparison({ cost }: { cost: Cost }) {
  const designs = [cost.hybrid, ...cost.alternatives];
  const cheapestOther = Math.min(...cost.alternatives.map((d) => d.totalUsd));
  const input = cost.input;
  return (
    <section class="card" aria-labelledby="cost-title">
      <h2 id="cost-title">The event's cost beside the alternatives</h2>
      <Chart
        title="Estimated cost of the event by design"
        kind="category"
        x={designs.map((_, i) => i)}
        categories={designs.map((d) => SHORT_DESIGN_NAMES[d.design] ?? d.name)}
        series={[{ label: 'Cost (USD)', values: designs.map((d) => d.totalUsd) }]}
        xLabel="Design"
        yLabel="US dollars"
        formatValue={usd}
        formatTick={(v) => `$${formatCompact(v)}`}
        summary={`This design: ${usd(cost.hybrid.totalUsd)}. ${cost.alternatives.map((d) => `${d.name}: ${usd(d.totalUsd)}`).join('. ')}.`}
      />
      <table class="table">
        <thead>
          <tr>
            <th scope="col">Design</th>
            <th scope="col" class="numeric">
              Cost (USD)
            </th>
            <th scope="col">Runs on default quotas?</th>
          </tr>
        </thead>
        <tbody>
          {designs.map((d) => (
            <tr key={d.design} data-design={d.design}>
              <th scope="row">
                {d.name}
                <div class="hint">{d.summary}</div>
              </th>
              <td class="numeric">
                {usd(d.totalUsd)}
                {d.verified ? '' : ' *'}
              </td>
              <td>
                {d.blocked
                  ? `No: ${d.quotas
                      .filter((q) => q.crossed)
                      .map(
                        (q) =>
                          `${q.quota} (${formatNumber(Math.round(q.planned))} > ${formatNumber(q.limit)} ${q.unit})`,
                      )
                      .join('; ')}`
                  : 'Yes'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        {cost.hybrid.totalUsd <= cheapestOther
          ? `This design costs ${usd(cost.hybrid.totalUsd)}, ${rate(cheapestOther / Math.max(cost.hybrid.totalUsd, 0.01))}× less than the cheapest alternative.`
          : `An alternative is cheaper for this event (${usd(cheapestOther)}).`}{' '}
        {designs.some((d) => !d.verified) ? '* rests on a price not yet verified.' : ''}
      </p>
      <details>
        <summary>Assumptions behind the cost</summary>
        <dl class="facts">
          <div>
            <dt>Viewers (all polling, whole event)</dt>
            <dd>{formatNumber(input.viewers)}</dd>
          </div>
          <div>
            <dt>Event length</dt>
            <dd>{rate(input.hours)} h</dd>
          </div>
          <div>
            <dt>Mean comments</dt>
            <dd>{rate(input.commentsPerSecond)} /s</dd>
          </div>
          <div>
            <dt>Poll interval</dt>
            <dd>{input.pollSeconds} s</dd>
          </div>
          <div>
            <dt>Poll response</dt>
            <dd>
              {rate(input.responseKb)} KB (
              {input.responseSize === 'measured' ? 'from measured sizes' : 'given'})
            </dd>
          </div>
          <div>
            <dt>Artist messages</dt>
            <dd>{rate(input.artistMessagesPerMinute)} /min</dd>
          </div>
          <div>
            <dt>Pushed message size</dt>
            <dd>{formatNumber(input.pushedMessageBytes)} bytes</dd>
          </div>
          <div>
            <dt>Region, prices as of</dt>
            <dd>
              {input.region}, {cost.pricesDate}
            </dd>
          </div>
          <div>
            <dt>Push beats polling below</dt>
            <dd>{rate(cost.breakEven.messagesPerSecond)} messages/s per room</dd>
          </div>
        </dl>
        <h3>Planning assumptions</h3>
        <dl class="facts facts-small">
          {Object.entries(input.assumptions).map(([name, value]) => (
            <div key={name}>
              <dt class="mono">{name}</dt>
              <dd>{typeof value === 'number' ? value.toLocaleString('en-US') : String(value)}</dd>
            </div>
          ))}
        </dl>
      </details>
    </section>
  );
}

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

/** Room tab (operators): the room's plan over time, its warnings and schedules, its cost, the scaler. */
export function CapacityTab({ room }: RoomTabProps) {
  const { api } = useConsole();
  const capacity = useLoad(
    (signal) => api('GET /admin/v1/rooms/{roomId}/capacity', { params: { roomId: room.roomId }, signal }),
    [room.roomId, room.version],
  );
  if (capacity.loading && !capacity.data) return <Progress label="Planning the room's capacity…" />;
  if (!capacity.data) return <ErrorNotice error={capacity.error} onRetry={capacity.reload} />;
  const c = capacity.data.capacity;
  return (
    <div class="capacity">
      <ErrorNotice error={capacity.error} onRetry={capacity.reload} />
      {c.regionNote ? <p class="notice notice-info">{c.regionNote}</p> : null}
      {!c.planned || !c.room || !c.peak ? (
        <Empty title="This room has no event to plan for.">
          It needs {c.missing.join(' and ')}. Set them in the room's settings; the plan appears here.
        </Empty>
      ) : (
        <RoomPlan capacity={c} room={c.room} peak={c.peak} />
      )}
      {c.cost ? <CostComparison cost={c.cost} /> : null}
      {c.planned ? (
        <section class="card" aria-labelledby="warnings-title">
          <h2 id="warnings-title">Warnings</h2>
          <Warnings warnings={c.warnings ?? []} />
        </section>
      ) : null}
      <ScalerPanel onApplied={capacity.reload} />
    </div>
  );
}

function RoomPlan({
  capacity,
  room,
  peak,
}: {
  capacity: RoomCapacity;
  room: NonNullable<RoomCapacity['room']>;
  peak: Target;
}) {
  const points = planPoints([{ fromMs: room.windowFromMs, toMs: room.windowToMs, target: peak }]);
  const total = totalConcurrency(peak);
  const iso = (ms: number) => new Date(ms).toISOString();
  return (
    <>
      <section class="card" aria-labelledby="plan-title">
        <h2 id="plan-title">The room's plan</h2>
        <dl class="figures">
          <div class="figure">
            <dt>Expected viewers</dt>
            <dd>{formatNumber(room.expectedViewers)}</dd>
          </div>
          <div class="figure">
            <dt>Peak provisioned concurrency</dt>
            <dd data-figure="peak-concurrency">{formatNumber(total)}</dd>
          </div>
          <div class="figure">
            <dt>Peak posts</dt>
            <dd>{rate(room.peakPostsPerSecond)} /s</dd>
          </div>
          <div class="figure">
            <dt>Viewer polls</dt>
            <dd>{formatNumber(Math.round(room.viewerRequestsPerSecond))} /s</dd>
          </div>
          <div class="figure">
            <dt>Write shards</dt>
            <dd>
              {room.currentWriteShards} → {room.writeShards}
            </dd>
          </div>
          <div class="figure">
            <dt>Poll interval</dt>
            <dd>
              {room.pollIntervalSeconds} s
              {room.recommendedPollIntervalSeconds > room.pollIntervalSeconds
                ? ` (recommended ${room.recommendedPollIntervalSeconds} s)`
                : ''}
            </dd>
          </div>
        </dl>
        <h3>Schedule</h3>
        <table class="table table-compact">
          <tbody>
            <tr>
              <th scope="row">Scaling up (schedule {capacity.schedules?.scaleUp.name})</th>
              <td>{formatTime(capacity.schedules?.scaleUp.at ?? iso(room.windowFromMs))}</td>
            </tr>
            <tr>
              <th scope="row">Event starts</th>
              <td>{formatTime(iso(room.startsAtMs))}</td>
            </tr>
            <tr>
              <th scope="row">Event ends</th>
              <td>{formatTime(iso(room.endsAtMs))}</td>
            </tr>
            <tr>
              <th scope="row">Scaling down (schedule {capacity.schedules?.scaleDown.name})</th>
              <td>{formatTime(capacity.schedules?.scaleDown.at ?? iso(room.windowToMs))}</td>
            </tr>
          </tbody>
        </table>
        <Chart
          title="Provisioned concurrency over time"
          kind="time"
          stepped
          x={points.x}
          series={points.series}
          xLabel="Time (local)"
          yLabel="Instances kept warm"
          summary={`From ${formatTime(iso(room.windowFromMs))} to ${formatTime(iso(room.windowToMs))} the plan keeps ${formatNumber(total)} instances warm (${FUNCTIONS.map((fn) => `${FUNCTION_NAMES[fn]} ${peak.provisionedConcurrency[fn]}`).join(', ')}); none before or after.`}
        />
        <details>
          <summary>Every figure of the capacity in force during the event</summary>
          <TargetFigures target={peak} caption="Capacity in force during the event" />
        </details>
      </section>
    </>
  );
}

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
