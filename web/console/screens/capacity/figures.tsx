/** What the capacity screens share: the plan's types, number formats, the plan as chart points, its figures and warnings. */
import type { Response } from '../../api.js';
import { formatNumber, formatTime } from '../../ui.js';

export type RoomCapacity = Response<'GET /admin/v1/rooms/{roomId}/capacity'>['capacity'];

export type DeploymentPlan = Response<'GET /admin/v1/capacity'>;

export type ScalerRun = Response<'POST /admin/v1/capacity/runs'>['run'];

export type Target = DeploymentPlan['peak'];

export type Warning = DeploymentPlan['warnings'][number];

export type Cost = NonNullable<RoomCapacity['cost']>;

export const FUNCTIONS = ['postComment', 'getLive', 'getSegment'] as const;

export const FUNCTION_NAMES: Record<(typeof FUNCTIONS)[number], string> = {
  postComment: 'Post comment',
  getLive: 'Live poll',
  getSegment: 'Segment',
};

export const usd = (value: number) =>
  `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

export const rate = (value: number) => value.toLocaleString('en-US', { maximumFractionDigits: 1 });

export const seconds = (ms: number) => ms / 1000;

/**
 * A stretch-by-stretch plan as points a stepped chart draws: each step's provisioned concurrency
 * from its start, and the baseline (none) wherever no step is in force, with an hour of baseline
 * either side so the rise and fall show.
 */
export function planPoints(steps: readonly { fromMs: number; toMs: number; target: Target }[]) {
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

export const totalConcurrency = (target: Target) =>
  FUNCTIONS.reduce((sum, fn) => sum + target.provisionedConcurrency[fn], 0);

/** The capacity a target asks for, as a two-column list. */
export function TargetFigures({ target, caption }: { target: Target; caption: string }) {
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

export function Warnings({ warnings }: { warnings: readonly Warning[] }) {
  if (!warnings.length) return <p class="muted">The plan reaches no quota or limit.</p>;
  return (
    <ul class="warnings">
      {warnings.map((w, i) => (
        <li key={i} class={`notice ${w.level === 'warning' ? 'notice-warn' : 'notice-info'}`}>
          <p class="notice-title">
            {w.level === 'warning' ? 'Over a limit' : 'Worth knowing'}: {w.code.replaceAll('_', ' ')}
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
