import { useRef, useState } from 'preact/hooks';
import type { Response } from '../api.js';
import { Chart } from '../chart.js';
import { useConsole } from '../context.js';
import { useLoad } from '../hooks.js';
import { ErrorNotice, formatNumber, Progress } from '../ui.js';
import type { RoomTabProps } from './room.js';

type Stats = Response<'GET /admin/v1/rooms/{roomId}/stats'>;

/** The windows offered, in minutes (the API takes 1 to 1,440). */
const WINDOWS = [
  { minutes: 15, label: '15 min' },
  { minutes: 60, label: '1 hour' },
  { minutes: 360, label: '6 hours' },
  { minutes: 1440, label: '24 hours' },
] as const;

/** How often the tab reads the figures again. */
export const STATS_REFRESH_MS = 30_000;

const seconds = (iso: string) => Date.parse(iso) / 1000;
const clock = (iso: string) =>
  new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

interface Sample {
  readonly at: number;
  readonly connections: number | null;
  readonly subscriptions: number | null;
}

/** A figure with its caption, marked "estimate" with the reason when the API says it is one. */
function Figure({ label, value, estimate }: { label: string; value: string; estimate?: string }) {
  return (
    <div class="figure">
      <dt>
        {label}
        {estimate ? (
          <span class="badge badge-estimate" title={estimate}>
            estimate
          </span>
        ) : null}
      </dt>
      <dd>{value}</dd>
    </div>
  );
}

/**
 * Room tab: comments per minute, distinct posters, poll requests and realtime connections over a
 * chosen window, read again every 30 s. Figures the API calls estimates are labelled so, with why.
 */
export function StatsTab({ room }: RoomTabProps) {
  const { api } = useConsole();
  const [minutes, setMinutes] = useState<number>(60);
  // Sources that keep no history (the realtime gauges locally) still have a "now": the tab keeps
  // what it has seen since it opened, so the chart has a line to draw.
  const seen = useRef<Sample[]>([]);
  const stats = useLoad(
    async (signal) => {
      const result = await api('GET /admin/v1/rooms/{roomId}/stats', {
        params: { roomId: room.roomId },
        query: { minutes: String(minutes) },
        signal,
      });
      const rt = result.realtimeConnections;
      seen.current = [
        ...seen.current.slice(-240),
        {
          at: seconds(result.generatedAt),
          connections: rt?.connections.current ?? null,
          subscriptions: rt?.subscriptions.current ?? null,
        },
      ];
      return result;
    },
    [room.roomId, minutes],
    STATS_REFRESH_MS,
  );

  return (
    <div class="stats">
      <div class="toolbar">
        <fieldset class="segmented">
          <legend>Window</legend>
          {WINDOWS.map((w) => (
            <label key={w.minutes} class="check">
              <input
                type="radio"
                name="stats-window"
                value={w.minutes}
                checked={minutes === w.minutes}
                onChange={() => setMinutes(w.minutes)}
              />
              {w.label}
            </label>
          ))}
        </fieldset>
        <p class="muted updated" aria-live="polite">
          {stats.data ? `Updated at ${clock(stats.data.generatedAt)}` : ''}
          {stats.loading && stats.data ? ' · refreshing…' : ''}
          {' · every 30 s'}
        </p>
        <button type="button" class="button button-small" onClick={stats.reload} disabled={stats.loading}>
          Refresh now
        </button>
      </div>
      <ErrorNotice error={stats.error} onRetry={stats.reload} />
      {stats.loading && !stats.data ? <Progress label="Counting the room's activity…" /> : null}
      {stats.data ? <StatsView stats={stats.data} samples={seen.current} /> : null}
    </div>
  );
}

function StatsView({ stats, samples }: { stats: Stats; samples: readonly Sample[] }) {
  const estimateOf = (figure: string) =>
    stats.estimates
      .filter((e) => e.figure === figure || e.figure.startsWith(`${figure}.`))
      .map((e) => e.why)
      .join(' ') || undefined;
  const c = stats.comments;
  const poll = stats.pollRequests;
  const rt = stats.realtimeConnections;
  const windowText = `the last ${formatNumber(stats.window.minutes)} minutes`;

  const commentsX = c.perMinute.map((p) => seconds(p.minute));
  // A per-minute count with no entry for a minute counted nothing then: zeros, on the comments' minutes.
  const pollCounts = new Map((poll?.perMinute ?? []).map((p) => [seconds(p.minute), p.count]));
  const pollValues = commentsX.map((x) => pollCounts.get(x) ?? 0);
  const busiest = c.perMinute.reduce((max, p) => Math.max(max, p.count), 0);

  // Realtime: the source's history when it has one, else what this tab has seen.
  const history = rt && rt.connections.perMinute !== null ? rt : undefined;
  const rtX = history
    ? [
        ...new Set(
          [...history.connections.perMinute!, ...(history.subscriptions.perMinute ?? [])].map((p) =>
            seconds(p.minute),
          ),
        ),
      ].sort((a, b) => a - b)
    : samples.map((s) => s.at);
  const at = (points: readonly { minute: string; count: number }[] | null, x: number) =>
    points?.find((p) => seconds(p.minute) === x)?.count ?? null;
  const connections = history
    ? rtX.map((x) => at(history.connections.perMinute, x))
    : samples.map((s) => s.connections);
  const subscriptions = history
    ? rtX.map((x) => at(history.subscriptions.perMinute, x))
    : samples.map((s) => s.subscriptions);

  return (
    <>
      <dl class="figures">
        <Figure label="Comments" value={formatNumber(c.total)} estimate={estimateOf('comments')} />
        <Figure
          label="Distinct posters"
          value={formatNumber(c.distinctPosters)}
          estimate={estimateOf('comments')}
        />
        <Figure label="Removed by moderators" value={formatNumber(c.removed)} />
        <Figure
          label="Poll requests"
          value={poll ? formatNumber(poll.total) : 'unavailable'}
          estimate={estimateOf('pollRequests')}
        />
        <Figure
          label="Realtime connections now"
          value={rt?.connections.current != null ? formatNumber(rt.connections.current) : 'unavailable'}
          estimate={estimateOf('realtimeConnections.connections')}
        />
        <Figure
          label="Room subscriptions now"
          value={rt?.subscriptions.current != null ? formatNumber(rt.subscriptions.current) : 'unavailable'}
          estimate={estimateOf('realtimeConnections.subscriptions')}
        />
      </dl>
      {stats.estimates.length ? (
        <div class="notice notice-warn">
          <p class="notice-title">Some figures are estimates</p>
          <ul>
            {stats.estimates.map((e) => (
              <li key={e.figure}>
                <strong>{figureName(e.figure)}:</strong> {e.why}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {stats.unavailable.length ? (
        <div class="notice notice-error" role="status">
          <p class="notice-title">Some figures are missing</p>
          <ul>
            {stats.unavailable.map((u) => (
              <li key={u.figure}>
                <strong>{figureName(u.figure)}:</strong> {u.why}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div class="grid-2">
        <Chart
          title="Comments per minute"
          kind="time"
          x={commentsX}
          series={[{ label: 'Comments', values: c.perMinute.map((p) => p.count) }]}
          xLabel="Time (local)"
          yLabel="Comments per minute"
          summary={`${formatNumber(c.total)} comments from ${formatNumber(c.distinctPosters)} people in ${windowText}; the busiest minute had ${formatNumber(busiest)}.`}
        />
        {poll ? (
          <Chart
            title="Poll requests per minute"
            kind="time"
            x={commentsX}
            series={[{ label: 'Poll requests', values: pollValues }]}
            xLabel="Time (local)"
            yLabel="Requests per minute"
            summary={`${formatNumber(poll.total)} poll requests in ${windowText}, counted by ${poll.source}.`}
          />
        ) : null}
        {rt ? (
          <Chart
            title={history ? 'Realtime connections' : 'Realtime connections (since this page opened)'}
            kind="time"
            x={rtX}
            series={[
              { label: 'Connections', values: connections },
              { label: 'Room subscriptions', values: subscriptions },
            ]}
            xLabel="Time (local)"
            yLabel="Open at once"
            summary={`${rt.connections.current ?? 'unknown'} realtime connections and ${rt.subscriptions.current ?? 'unknown'} subscriptions to this room now${rt.connections.peak !== null ? `; at most ${rt.connections.peak} connections in ${windowText}` : ''}.`}
          />
        ) : null}
      </div>
      {!history && rt ? (
        <p class="hint">
          The realtime source ({rt.connections.source}) keeps no history: the chart shows what this page has
          read since it opened.
        </p>
      ) : null}
    </>
  );
}

const FIGURE_NAMES: Record<string, string> = {
  comments: 'Comments and distinct posters',
  pollRequests: 'Poll requests',
  realtimeConnections: 'Realtime connections',
  'realtimeConnections.connections': 'Realtime connections',
  'realtimeConnections.subscriptions': 'Room subscriptions',
};
const figureName = (figure: string) => FIGURE_NAMES[figure] ?? figure;
