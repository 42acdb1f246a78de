import { Chart } from '../../chart.js';
import { useConsole } from '../../context.js';
import { useLoad } from '../../hooks.js';
import { Empty, ErrorNotice, formatNumber, formatTime, Progress } from '../../ui.js';
import type { RoomTabProps } from '../room.js';
import {
  FUNCTION_NAMES,
  FUNCTIONS,
  planPoints,
  rate,
  type RoomCapacity,
  type Target,
  TargetFigures,
  totalConcurrency,
  Warnings,
} from './figures.js';
import { CostComparison } from './cost.js';
import { ScalerPanel } from './scaler.js';

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
