import {
  CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import type { MinuteCount, PollTraffic, RealtimeTraffic, TrafficMetrics } from '../domain/stats/ports.js';

type Window = { readonly fromMs: number; readonly toMs: number };

const MINUTE_MS = 60_000;
/** GetMetricData pages; a day of three one-minute series fits in one, this only bounds a runaway. */
const MAX_PAGES = 10;

export interface CloudWatchTrafficOptions {
  /** The CloudFront distribution's id, resolved on first use (CDK writes it to an SSM parameter). */
  readonly distributionId: () => Promise<string>;
  /** The AppSync API id (`REALTIME_API_ID`); without it the realtime figures are unavailable. */
  readonly apiId?: string;
  /** CloudFront publishes its metrics in us-east-1 only. Default: a client for us-east-1. */
  readonly cloudFront?: CloudWatchClient;
  /** AppSync's metrics live in the API's region, the function's own. Default: a client for that region. */
  readonly appSync?: CloudWatchClient;
}

/**
 * Traffic from CloudWatch: CloudFront's `Requests` for the distribution and
 * AppSync's real-time `ActiveConnections` / `ActiveSubscriptions` for the API,
 * one-minute sums. Neither service has a per-room dimension, so every figure
 * is deployment-wide and the statistics call it an estimate of the room's.
 */
export class CloudWatchTrafficMetrics implements TrafficMetrics {
  private readonly cloudFront: CloudWatchClient;
  private readonly appSync: CloudWatchClient;

  constructor(private readonly options: CloudWatchTrafficOptions) {
    this.cloudFront = options.cloudFront ?? new CloudWatchClient({ region: 'us-east-1' });
    this.appSync = options.appSync ?? new CloudWatchClient({});
  }

  async pollRequests(_roomId: string, window: Window): Promise<PollTraffic> {
    const distributionId = await this.options.distributionId();
    const series = await metricData(this.cloudFront, window, [
      query('requests', 'AWS/CloudFront', 'Requests', [
        { Name: 'DistributionId', Value: distributionId },
        { Name: 'Region', Value: 'Global' },
      ]),
    ]);
    return {
      scope: 'deployment',
      source: 'cloudwatch:AWS/CloudFront/Requests',
      note: 'It counts every request the CDN answered (polls, posts, room info) and arrives a minute or more late.',
      perMinute: series.get('requests') ?? [],
    };
  }

  async realtime(_roomId: string, window: Window): Promise<RealtimeTraffic> {
    const apiId = this.options.apiId;
    if (!apiId) throw new Error('REALTIME_API_ID is not set: no AppSync metrics to read.');
    const dimensions = [{ Name: 'GraphQLAPIId', Value: apiId }];
    const series = await metricData(this.appSync, window, [
      query('connections', 'AWS/AppSync', 'ActiveConnections', dimensions),
      query('subscriptions', 'AWS/AppSync', 'ActiveSubscriptions', dimensions),
    ]);
    const gauge = (id: string, metric: string, note: string) => {
      const perMinute = series.get(id) ?? [];
      return {
        scope: 'deployment' as const,
        source: `cloudwatch:AWS/AppSync/${metric}`,
        note,
        current: perMinute.at(-1)?.count ?? null,
        perMinute,
      };
    };
    return {
      connections: gauge(
        'connections',
        'ActiveConnections',
        'Current is the latest minute CloudWatch has; it arrives a minute or more late.',
      ),
      subscriptions: gauge(
        'subscriptions',
        'ActiveSubscriptions',
        'Players hold a room subscription and a global one each; it arrives a minute or more late.',
      ),
    };
  }
}

function query(
  id: string,
  namespace: string,
  metricName: string,
  dimensions: { Name: string; Value: string }[],
): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: { Namespace: namespace, MetricName: metricName, Dimensions: dimensions },
      Period: 60,
      Stat: 'Sum',
    },
    ReturnData: true,
  };
}

/** One GetMetricData over the window's whole minutes (the running one included), every page. */
async function metricData(
  client: CloudWatchClient,
  window: Window,
  queries: MetricDataQuery[],
): Promise<Map<string, MinuteCount[]>> {
  const series = new Map<string, MinuteCount[]>();
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const out = await client.send(
      new GetMetricDataCommand({
        MetricDataQueries: queries,
        StartTime: new Date(Math.floor(window.fromMs / MINUTE_MS) * MINUTE_MS),
        EndTime: new Date(Math.floor(window.toMs / MINUTE_MS) * MINUTE_MS + MINUTE_MS),
        ScanBy: 'TimestampAscending',
        ...(nextToken ? { NextToken: nextToken } : {}),
      }),
    );
    for (const result of out.MetricDataResults ?? []) addPoints(series, result);
    nextToken = out.NextToken;
    if (!nextToken) break;
  }
  for (const points of series.values()) points.sort((a, b) => a.minuteMs - b.minuteMs);
  return series;
}

function addPoints(series: Map<string, MinuteCount[]>, result: MetricDataResult) {
  if (!result.Id) return;
  const points = series.get(result.Id) ?? [];
  (result.Timestamps ?? []).forEach((timestamp, i) => {
    const value = result.Values?.[i];
    if (value !== undefined) points.push({ minuteMs: timestamp.getTime(), count: Math.round(value) });
  });
  series.set(result.Id, points);
}
