import {
  APIGatewayClient,
  BadRequestException,
  GetStageCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import { DescribeTableCommand, DynamoDBClient, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DeleteProvisionedConcurrencyConfigCommand,
  GetProvisionedConcurrencyConfigCommand,
  LambdaClient,
  ProvisionedConcurrencyConfigNotFoundException,
  PutProvisionedConcurrencyConfigCommand,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { methodSettingKey, type CapacityResources } from '../../../lambdas/adapters/capacity/aws-calls.js';
import {
  AwsCapacityControls,
  type RoomShardGrower,
} from '../../../lambdas/adapters/capacity/aws-capacity-controls.js';
import { growWriteShardsInput } from '../../../lambdas/adapters/dynamodb/room-store.js';
import type { CapacityChange } from '../../../lambdas/domain/capacity/ports.js';
import type { RoomShards } from '../../../lambdas/domain/feed/shards.js';

const lambda = mockClient(LambdaClient);
const dynamodb = mockClient(DynamoDBClient);
const apigateway = mockClient(APIGatewayClient);
afterEach(() => {
  lambda.reset();
  dynamodb.reset();
  apigateway.reset();
});

const resources: CapacityResources = {
  functionNames: { postComment: 'chat-post', getLive: 'chat-live', getSegment: 'chat-segment' },
  tableNames: { comments: 'chat-comments', control: 'chat-control' },
  restApiId: 'a1b2c3',
  stageName: 'v1',
};

const COMMENTS = 'POST /v1/rooms/{roomId}/comments' as const;
const LIVE = 'GET /v1/rooms/{roomId}/live' as const;
const SEGMENT = 'GET /v1/rooms/{roomId}/segments/{n}' as const;

class RecordingGrower implements RoomShardGrower {
  readonly calls: [string, RoomShards, RoomShards][] = [];
  outcome: 'grown' | 'stale' | 'not-found' = 'grown';
  async growWriteShards(roomId: string, from: RoomShards, to: RoomShards) {
    this.calls.push([roomId, from, to]);
    return this.outcome;
  }
}

function controls(grower = new RecordingGrower()) {
  const region = { region: 'us-east-1' };
  return new AwsCapacityControls(resources, grower, {
    lambda: new LambdaClient(region),
    dynamodb: new DynamoDBClient(region),
    apigateway: new APIGatewayClient(region),
  });
}

const notFound = () =>
  new ProvisionedConcurrencyConfigNotFoundException({
    message: 'No Provisioned Concurrency Config found',
    $metadata: {},
  });

describe('methodSettingKey', () => {
  it('escapes the resource path as API Gateway keys method settings', () => {
    expect(methodSettingKey(COMMENTS)).toBe('~1v1~1rooms~1{roomId}~1comments/POST');
    expect(methodSettingKey(SEGMENT)).toBe('~1v1~1rooms~1{roomId}~1segments~1{n}/GET');
  });
});

describe('AwsCapacityControls.read', () => {
  it('reads each alias, table and the stage, with the exact requests', async () => {
    lambda
      .on(GetProvisionedConcurrencyConfigCommand, { FunctionName: 'chat-post' })
      .resolves({ RequestedProvisionedConcurrentExecutions: 25, Status: 'READY' })
      .on(GetProvisionedConcurrencyConfigCommand, { FunctionName: 'chat-live' })
      .rejects(notFound())
      .on(GetProvisionedConcurrencyConfigCommand, { FunctionName: 'chat-segment' })
      .resolves({ RequestedProvisionedConcurrentExecutions: 4, Status: 'FAILED' });
    dynamodb
      .on(DescribeTableCommand, { TableName: 'chat-comments' })
      .resolves({ Table: { WarmThroughput: { ReadUnitsPerSecond: 12_000, WriteUnitsPerSecond: 4_000 } } })
      .on(DescribeTableCommand, { TableName: 'chat-control' })
      .resolves({ Table: {} });
    apigateway.on(GetStageCommand).resolves({
      methodSettings: {
        '*/*': { throttlingRateLimit: 1_000, throttlingBurstLimit: 500, metricsEnabled: true },
        '~1v1~1rooms~1{roomId}~1comments/POST': { throttlingRateLimit: 200, throttlingBurstLimit: 100 },
        // Settings without a throttle of their own (-1): not a route throttle.
        '~1v1~1rooms~1{roomId}~1live/GET': { throttlingRateLimit: -1, throttlingBurstLimit: -1 },
      },
    });

    const state = await controls().read();

    expect(state).toEqual({
      // The failed allocation reads as none, so the next run requests it again.
      provisionedConcurrency: { postComment: 25, getLive: 0, getSegment: 0 },
      warmThroughput: {
        comments: { readUnitsPerSecond: 12_000, writeUnitsPerSecond: 4_000 },
        control: { readUnitsPerSecond: 0, writeUnitsPerSecond: 0 },
      },
      stageThrottling: { rateLimit: 1_000, burstLimit: 500 },
      routeThrottling: { [COMMENTS]: { rateLimit: 200, burstLimit: 100 } },
    });
    expect(lambda.commandCalls(GetProvisionedConcurrencyConfigCommand).map((c) => c.args[0].input)).toEqual([
      { FunctionName: 'chat-post', Qualifier: 'live' },
      { FunctionName: 'chat-live', Qualifier: 'live' },
      { FunctionName: 'chat-segment', Qualifier: 'live' },
    ]);
    expect(apigateway.commandCalls(GetStageCommand)[0]!.args[0].input).toEqual({
      restApiId: 'a1b2c3',
      stageName: 'v1',
    });
  });

  it('reports no stage throttle when the stage has no default method settings', async () => {
    lambda.on(GetProvisionedConcurrencyConfigCommand).rejects(notFound());
    dynamodb.on(DescribeTableCommand).resolves({ Table: {} });
    apigateway.on(GetStageCommand).resolves({});

    expect((await controls().read()).stageThrottling).toBeNull();
  });

  it('lets other failures through (a missing alias is a deployment fault)', async () => {
    lambda
      .on(GetProvisionedConcurrencyConfigCommand)
      .rejects(new Error('Function not found: chat-post:live'));
    dynamodb.on(DescribeTableCommand).resolves({ Table: {} });
    apigateway.on(GetStageCommand).resolves({});

    await expect(controls().read()).rejects.toThrow('Function not found');
  });
});

describe('AwsCapacityControls.apply', () => {
  const shards = (write: number, read = write) => ({ write, read });

  it.each<[string, CapacityChange, () => unknown[], unknown]>([
    [
      'provisioned concurrency set',
      { kind: 'provisioned-concurrency.set', function: 'postComment', from: 0, to: 40 },
      () => lambda.commandCalls(PutProvisionedConcurrencyConfigCommand),
      { FunctionName: 'chat-post', Qualifier: 'live', ProvisionedConcurrentExecutions: 40 },
    ],
    [
      'provisioned concurrency removed',
      { kind: 'provisioned-concurrency.remove', function: 'getSegment', from: 3 },
      () => lambda.commandCalls(DeleteProvisionedConcurrencyConfigCommand),
      { FunctionName: 'chat-segment', Qualifier: 'live' },
    ],
    [
      'warm throughput raised',
      {
        kind: 'warm-throughput.raise',
        table: 'control',
        from: { readUnitsPerSecond: 12_000, writeUnitsPerSecond: 4_000 },
        to: { readUnitsPerSecond: 30_000, writeUnitsPerSecond: 4_000 },
      },
      () => dynamodb.commandCalls(UpdateTableCommand),
      {
        TableName: 'chat-control',
        WarmThroughput: { ReadUnitsPerSecond: 30_000, WriteUnitsPerSecond: 4_000 },
      },
    ],
    [
      'stage throttle set',
      { kind: 'stage-throttle.set', from: null, to: { rateLimit: 5_000, burstLimit: 2_500 } },
      () => apigateway.commandCalls(UpdateStageCommand),
      {
        restApiId: 'a1b2c3',
        stageName: 'v1',
        patchOperations: [
          { op: 'replace', path: '/*/*/throttling/rateLimit', value: '5000' },
          { op: 'replace', path: '/*/*/throttling/burstLimit', value: '2500' },
        ],
      },
    ],
    [
      'route throttle set',
      {
        kind: 'route-throttle.set',
        route: COMMENTS,
        from: null,
        to: { rateLimit: 1_500.5, burstLimit: 700 },
      },
      () => apigateway.commandCalls(UpdateStageCommand),
      {
        restApiId: 'a1b2c3',
        stageName: 'v1',
        patchOperations: [
          {
            op: 'replace',
            path: '/~1v1~1rooms~1{roomId}~1comments/POST/throttling/rateLimit',
            value: '1500.5',
          },
          {
            op: 'replace',
            path: '/~1v1~1rooms~1{roomId}~1comments/POST/throttling/burstLimit',
            value: '700',
          },
        ],
      },
    ],
    [
      'route throttle removed',
      { kind: 'route-throttle.remove', route: LIVE, from: { rateLimit: 10, burstLimit: 5 } },
      () => apigateway.commandCalls(UpdateStageCommand),
      {
        restApiId: 'a1b2c3',
        stageName: 'v1',
        patchOperations: [{ op: 'remove', path: '/~1v1~1rooms~1{roomId}~1live/GET' }],
      },
    ],
  ])('%s: sends exactly the described request', async (_, change, sent, input) => {
    lambda.on(PutProvisionedConcurrencyConfigCommand).resolves({});
    lambda.on(DeleteProvisionedConcurrencyConfigCommand).resolves({});
    dynamodb.on(UpdateTableCommand).resolves({});
    apigateway.on(UpdateStageCommand).resolves({});
    const c = controls();

    await c.apply(change);

    const calls = sent() as { args: [{ input: unknown }] }[];
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual(input);
    expect(c.describe(change).input).toEqual(input);
    // One request per change, nothing else.
    expect(lambda.calls().length + dynamodb.calls().length + apigateway.calls().length).toBe(1);
  });

  it('takes a removal of provisioned concurrency that is already gone as done', async () => {
    lambda.on(DeleteProvisionedConcurrencyConfigCommand).rejects(notFound());

    await expect(
      controls().apply({ kind: 'provisioned-concurrency.remove', function: 'getLive', from: 2 }),
    ).resolves.toBeUndefined();
  });

  it('takes a removal of route settings that are already gone as done, but not other refusals', async () => {
    const change: CapacityChange = {
      kind: 'route-throttle.remove',
      route: LIVE,
      from: { rateLimit: 1, burstLimit: 1 },
    };
    apigateway.on(UpdateStageCommand).rejectsOnce(
      new BadRequestException({
        message:
          'Cannot remove method setting ~1v1~1rooms~1{roomId}~1live/GET because there is no method setting for this method',
        $metadata: {},
      }),
    );
    await expect(controls().apply(change)).resolves.toBeUndefined();

    apigateway
      .on(UpdateStageCommand)
      .rejects(new BadRequestException({ message: 'Invalid patch path', $metadata: {} }));
    await expect(controls().apply(change)).rejects.toThrow('Invalid patch path');
  });

  it('surfaces a refused warm-throughput raise', async () => {
    dynamodb.on(UpdateTableCommand).rejects(new Error('Table is being updated'));

    await expect(
      controls().apply({
        kind: 'warm-throughput.raise',
        table: 'comments',
        from: { readUnitsPerSecond: 1, writeUnitsPerSecond: 1 },
        to: { readUnitsPerSecond: 2, writeUnitsPerSecond: 1 },
      }),
    ).rejects.toThrow('Table is being updated');
  });

  it('grows room shards through the room store, and describes its conditional write', async () => {
    const grower = new RecordingGrower();
    const c = controls(grower);
    const change: CapacityChange = {
      kind: 'room-shards.grow',
      roomId: 'gig',
      from: shards(2, 8),
      to: shards(4, 8),
    };

    await c.apply(change);

    expect(grower.calls).toEqual([['gig', shards(2, 8), shards(4, 8)]]);
    expect(c.describe(change)).toEqual({
      service: 'dynamodb',
      operation: 'UpdateItem',
      input: growWriteShardsInput('chat-control', 'gig', shards(2, 8), shards(4, 8)),
    });
    expect(c.describe(change).input).toMatchObject({
      TableName: 'chat-control',
      Key: { pk: 'room#gig', sk: 'room' },
      ExpressionAttributeValues: { ':from': { write: 2, read: 8 }, ':to': { write: 4, read: 8 } },
    });
  });

  it.each([
    ['stale', /changed since they were read/],
    ['not-found', /no longer exists/],
  ] as const)('fails a shard growth the room store answers %s', async (outcome, message) => {
    const grower = new RecordingGrower();
    grower.outcome = outcome;

    await expect(
      controls(grower).apply({ kind: 'room-shards.grow', roomId: 'gig', from: shards(1), to: shards(2) }),
    ).rejects.toThrow(message);
  });
});
