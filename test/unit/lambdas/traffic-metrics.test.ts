import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { CloudWatchTrafficMetrics } from '../../../lambdas/adapters/traffic-metrics.js';

const at = (minute: number, second = 0) => new Date(Date.UTC(2030, 0, 1, 0, minute, second));
/** 00:08:00 to 00:10:30: three minutes, the last one running. */
const window = { fromMs: at(8).getTime(), toMs: at(10, 30).getTime() };

const cloudFront = new CloudWatchClient({ region: 'us-east-1' });
const appSync = new CloudWatchClient({ region: 'eu-west-1' });
const cloudFrontMock = mockClient(cloudFront);
const appSyncMock = mockClient(appSync);
afterEach(() => {
  cloudFrontMock.reset();
  appSyncMock.reset();
});

const metrics = (apiId: string | null = 'api-123') =>
  new CloudWatchTrafficMetrics({
    distributionId: async () => 'E2EXAMPLE',
    ...(apiId ? { apiId } : {}),
    cloudFront,
    appSync,
  });

describe('CloudWatchTrafficMetrics', () => {
  it('asks CloudFront’s us-east-1 metrics for the distribution’s one-minute request sums over the window', async () => {
    cloudFrontMock.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'requests', Timestamps: [at(8), at(9)], Values: [120, 95], StatusCode: 'Complete' },
      ],
    });

    const poll = await metrics().pollRequests('r1', window);

    const calls = cloudFrontMock.commandCalls(GetMetricDataCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      MetricDataQueries: [
        {
          Id: 'requests',
          MetricStat: {
            Metric: {
              Namespace: 'AWS/CloudFront',
              MetricName: 'Requests',
              Dimensions: [
                { Name: 'DistributionId', Value: 'E2EXAMPLE' },
                { Name: 'Region', Value: 'Global' },
              ],
            },
            Period: 60,
            Stat: 'Sum',
          },
          ReturnData: true,
        },
      ],
      StartTime: at(8),
      EndTime: at(11),
      ScanBy: 'TimestampAscending',
    });
    expect(appSyncMock.commandCalls(GetMetricDataCommand)).toHaveLength(0);
    expect(poll).toMatchObject({
      scope: 'deployment',
      source: 'cloudwatch:AWS/CloudFront/Requests',
      perMinute: [
        { minuteMs: at(8).getTime(), count: 120 },
        { minuteMs: at(9).getTime(), count: 95 },
      ],
    });
  });

  it('asks AppSync’s metrics for the API’s active connections and subscriptions, in the function’s region', async () => {
    appSyncMock.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'connections', Timestamps: [at(9), at(8)], Values: [40, 35] },
        { Id: 'subscriptions', Timestamps: [at(8)], Values: [70] },
      ],
    });

    const realtime = await metrics().realtime('r1', window);

    const calls = appSyncMock.commandCalls(GetMetricDataCommand);
    expect(calls).toHaveLength(1);
    const dimensions = [{ Name: 'GraphQLAPIId', Value: 'api-123' }];
    expect(calls[0]!.args[0].input).toEqual({
      MetricDataQueries: [
        {
          Id: 'connections',
          MetricStat: {
            Metric: { Namespace: 'AWS/AppSync', MetricName: 'ActiveConnections', Dimensions: dimensions },
            Period: 60,
            Stat: 'Sum',
          },
          ReturnData: true,
        },
        {
          Id: 'subscriptions',
          MetricStat: {
            Metric: { Namespace: 'AWS/AppSync', MetricName: 'ActiveSubscriptions', Dimensions: dimensions },
            Period: 60,
            Stat: 'Sum',
          },
          ReturnData: true,
        },
      ],
      StartTime: at(8),
      EndTime: at(11),
      ScanBy: 'TimestampAscending',
    });
    expect(cloudFrontMock.commandCalls(GetMetricDataCommand)).toHaveLength(0);
    // Ordered by time whatever the answer's order; the latest minute is the current value.
    expect(realtime.connections).toMatchObject({
      scope: 'deployment',
      current: 40,
      perMinute: [
        { minuteMs: at(8).getTime(), count: 35 },
        { minuteMs: at(9).getTime(), count: 40 },
      ],
    });
    expect(realtime.subscriptions).toMatchObject({ scope: 'deployment', current: 70 });
  });

  it('follows NextToken and joins the pages of a series', async () => {
    cloudFrontMock
      .on(GetMetricDataCommand)
      .resolvesOnce({
        MetricDataResults: [{ Id: 'requests', Timestamps: [at(8)], Values: [1], StatusCode: 'PartialData' }],
        NextToken: 'page-2',
      })
      .resolvesOnce({ MetricDataResults: [{ Id: 'requests', Timestamps: [at(9)], Values: [2] }] });

    const poll = await metrics().pollRequests('r1', window);

    const calls = cloudFrontMock.commandCalls(GetMetricDataCommand);
    expect(calls.map((c) => c.args[0].input.NextToken)).toEqual([undefined, 'page-2']);
    expect(poll.perMinute.map((p) => p.count)).toEqual([1, 2]);
  });

  it('has no current value when CloudWatch has no datapoint', async () => {
    appSyncMock.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });

    const realtime = await metrics().realtime('r1', window);

    expect(realtime.connections).toMatchObject({ current: null, perMinute: [] });
  });

  it('fails the realtime figures without an API id, asking CloudWatch nothing', async () => {
    await expect(metrics(null).realtime('r1', window)).rejects.toThrow('REALTIME_API_ID');
    expect(appSyncMock.commandCalls(GetMetricDataCommand)).toHaveLength(0);
  });

  it('lets the caller see a failure', async () => {
    cloudFrontMock.on(GetMetricDataCommand).rejects(new Error('AccessDenied'));

    await expect(metrics().pollRequests('r1', window)).rejects.toThrow('AccessDenied');
  });
});
