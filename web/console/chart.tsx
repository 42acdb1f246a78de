import 'uplot/dist/uPlot.min.css';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

/** One line (or bar set) of a chart: its name, its unit, its values (null: no figure there). */
export interface ChartSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
}

export interface ChartProps {
  /** The chart's heading, as text. */
  readonly title: string;
  /**
   * `time`: x values are epoch seconds. `category`: x values are indexes into `categories`, drawn
   * as bars.
   */
  readonly kind: 'time' | 'category';
  readonly x: readonly number[];
  readonly series: readonly ChartSeries[];
  readonly categories?: readonly string[];
  /** Axis labels, with units: "Comments per minute", "US dollars". */
  readonly xLabel: string;
  readonly yLabel: string;
  /** Time charts: draw each value until the next x (a plan in force over a stretch), not a slope. */
  readonly stepped?: boolean;
  /** One or two sentences a screen reader hears instead of the canvas. */
  readonly summary: string;
  /** How values read in the table and the axis (default: en-US grouping). */
  readonly formatValue?: (value: number) => string;
  /** How the value axis labels its ticks (default: compact, 1.2K). */
  readonly formatTick?: (value: number) => string;
  /** A logarithmic value axis, for figures orders of magnitude apart (costs of designs). */
  readonly logScale?: boolean;
  readonly height?: number;
}

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 2 });
export const formatCompact = (value: number) => compact.format(value);
const formatDefault = (value: number) => value.toLocaleString('en-US', { maximumFractionDigits: 2 });
const formatClock = (seconds: number) =>
  new Date(seconds * 1000).toLocaleString(undefined, {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });

/** The chart colours from the stylesheet's tokens, so light and dark each get their own. */
function palette() {
  const style = getComputedStyle(document.documentElement);
  const token = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    series: [1, 2, 3, 4].map((i) => token(`--chart-${i}`, '#1a56b8')),
    axis: token('--muted', '#55606e'),
    grid: token('--chart-grid', '#d3d8df'),
    font: `12px ${token('--font', 'sans-serif')}`,
    labelFont: `600 12px ${token('--font', 'sans-serif')}`,
  };
}

/**
 * A uPlot chart that fills its container's width, takes the light or dark palette from the CSS
 * tokens (and redraws when the scheme changes), titles itself in text, labels both axes with
 * units, and offers the same figures as a table for anyone who cannot read the canvas.
 */
export function Chart(props: ChartProps) {
  const holder = useRef<HTMLDivElement>(null);
  const format = props.formatValue ?? formatDefault;
  const formatX = (x: number) =>
    props.kind === 'time' ? formatClock(x) : (props.categories?.[x] ?? String(x));

  useEffect(() => {
    const target = holder.current;
    if (!target) return;
    let plot: uPlot | undefined;
    const draw = () => {
      plot?.destroy();
      const colours = palette();
      const bars = props.kind === 'category';
      const axis = (label: string, values?: uPlot.Axis['values']): uPlot.Axis => ({
        label,
        stroke: colours.axis,
        font: colours.font,
        labelFont: colours.labelFont,
        grid: { stroke: colours.grid, width: 1 },
        ticks: { stroke: colours.grid, width: 1 },
        ...(values ? { values } : {}),
      });
      const options: uPlot.Options = {
        width: Math.max(240, target.clientWidth),
        height: props.height ?? 220,
        scales: {
          x: bars ? { time: false, range: [-0.5, props.x.length - 0.5] } : { time: true },
          // Log: from a decade below the smallest figure, so even the smallest bar has height.
          y: props.logScale
            ? {
                distr: 3,
                log: 10,
                range: (_u, min, max) => [
                  10 ** (Math.floor(Math.log10(Math.max(min, 1e-9))) - 1),
                  10 ** Math.ceil(Math.log10(Math.max(max, 1e-9))),
                ],
              }
            : { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] },
        },
        axes: [
          axis(
            props.xLabel,
            bars
              ? (_u, splits) => splits.map((s) => (Number.isInteger(s) ? (props.categories?.[s] ?? '') : ''))
              : undefined,
          ),
          {
            // A log axis labels its powers of ten only; the ticks between stay unlabelled.
            ...axis(props.yLabel, (_u, splits) =>
              splits.map((s) =>
                props.logScale && !Number.isInteger(Math.round(Math.log10(s) * 1e6) / 1e6)
                  ? ''
                  : (props.formatTick ?? formatCompact)(s),
              ),
            ),
            size: 64,
          },
        ],
        legend: { show: props.series.length > 1 || !bars },
        cursor: bars ? { show: false } : {},
        series: [
          { label: props.xLabel, value: (_u, v) => (v === null ? '—' : formatX(v)) },
          ...props.series.map((s, i): uPlot.Series => {
            const colour = colours.series[i % colours.series.length]!;
            return {
              label: s.label,
              stroke: colour,
              width: 2,
              value: (_u, v) => (v === null ? '—' : format(v)),
              ...(bars
                ? { fill: colour, paths: uPlot.paths.bars!({ size: [0.6, 80] }), points: { show: false } }
                : props.stepped
                  ? { paths: uPlot.paths.stepped!({ align: 1 }), points: { show: false } }
                  : { points: { show: props.x.length < 40 } }),
            };
          }),
        ],
      };
      plot = new uPlot(
        options,
        [props.x as number[], ...props.series.map((s) => s.values as number[])],
        target,
      );
    };
    draw();
    const resize = new ResizeObserver(() => {
      if (plot && target.clientWidth > 0 && Math.abs(plot.width - target.clientWidth) > 1) {
        plot.setSize({ width: Math.max(240, target.clientWidth), height: props.height ?? 220 });
      }
    });
    resize.observe(target);
    const scheme = matchMedia('(prefers-color-scheme: dark)');
    scheme.addEventListener('change', draw);
    return () => {
      resize.disconnect();
      scheme.removeEventListener('change', draw);
      plot?.destroy();
    };
    // Redraw when the figures change; the props are plain data.
  }, [
    JSON.stringify([
      props.x,
      props.series,
      props.categories,
      props.kind,
      props.stepped,
      props.xLabel,
      props.yLabel,
    ]),
  ]);

  return (
    <figure class="chart">
      <figcaption class="chart-title">{props.title}</figcaption>
      <div class="chart-canvas" ref={holder} role="img" aria-label={`${props.title}. ${props.summary}`} />
      <details class="chart-table">
        <summary>Show as table</summary>
        <div class="table-scroll">
          <table class="table">
            <caption class="visually-hidden">{props.title}</caption>
            <thead>
              <tr>
                <th scope="col">{props.xLabel}</th>
                {props.series.map((s) => (
                  <th scope="col" class="numeric" key={s.label}>
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.x.map((x, row) => (
                <tr key={x}>
                  <th scope="row">{formatX(x)}</th>
                  {props.series.map((s) => {
                    const value = s.values[row];
                    return (
                      <td class="numeric" key={s.label}>
                        {value === null || value === undefined ? '—' : format(value)}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
