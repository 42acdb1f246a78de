import { Chart, formatCompact } from '../../chart.js';
import { formatNumber } from '../../ui.js';
import { type Cost, rate, usd } from './figures.js';

/** Axis labels that fit under a bar. */
const SHORT_DESIGN_NAMES: Record<string, string> = {
  hybrid: 'This design',
  'all-appsync': 'All over AppSync',
  'apigw-websocket': 'WebSocket fan-out',
  'ivs-chat': 'IVS Chat',
};

/** The event's cost here and on the designs it is compared with, as bars and a table, with what it assumes. */
export function CostComparison({ cost }: { cost: Cost }) {
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
        yLabel="US dollars (log scale)"
        logScale
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
