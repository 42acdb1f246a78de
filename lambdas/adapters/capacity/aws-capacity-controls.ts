import {
  APIGatewayClient,
  BadRequestException,
  GetStageCommand,
  UpdateStageCommand,
  type MethodSetting,
} from '@aws-sdk/client-api-gateway';
import { DescribeTableCommand, DynamoDBClient, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DeleteProvisionedConcurrencyConfigCommand,
  GetProvisionedConcurrencyConfigCommand,
  LambdaClient,
  ProvisionedConcurrencyConfigNotFoundException,
  PutProvisionedConcurrencyConfigCommand,
} from '@aws-sdk/client-lambda';
import type {
  ApiCall,
  CapacityChange,
  CapacityControls,
  CapacityState,
} from '../../domain/capacity/ports.js';
import {
  CAPACITY_TABLES,
  SCALED_ALIAS,
  SCALED_FUNCTIONS,
  THROTTLED_ROUTES,
  type Throttle,
  type ThrottledRoute,
} from '../../domain/capacity/target.js';
import type { RoomShards } from '../../domain/feed/shards.js';
import {
  STAGE_DEFAULT_KEY,
  capacityRequest,
  describeCapacityCall,
  methodSettingKey,
  type CapacityResources,
} from './aws-calls.js';

/** Grows a room's write shards (DynamoRoomStore.growWriteShards). */
export interface RoomShardGrower {
  growWriteShards(roomId: string, from: RoomShards, to: RoomShards): Promise<'grown' | 'stale' | 'not-found'>;
}

export interface CapacityClients {
  readonly lambda: LambdaClient;
  readonly dynamodb: DynamoDBClient;
  readonly apigateway: APIGatewayClient;
}

/** Lambda provisioned concurrency, DynamoDB warm throughput, API Gateway stage throttles, room shards. */
export class AwsCapacityControls implements CapacityControls {
  constructor(
    private readonly resources: CapacityResources,
    private readonly shards: RoomShardGrower,
    private readonly clients: CapacityClients = {
      lambda: new LambdaClient({}),
      dynamodb: new DynamoDBClient({}),
      apigateway: new APIGatewayClient({}),
    },
  ) {}

  async read(): Promise<CapacityState> {
    const [concurrency, warm, stage] = await Promise.all([
      Promise.all(SCALED_FUNCTIONS.map((fn) => this.provisionedConcurrency(fn))),
      Promise.all(
        CAPACITY_TABLES.map(async (table) => {
          const { Table } = await this.clients.dynamodb.send(
            new DescribeTableCommand({ TableName: this.resources.tableNames[table] }),
          );
          return {
            readUnitsPerSecond: Table?.WarmThroughput?.ReadUnitsPerSecond ?? 0,
            writeUnitsPerSecond: Table?.WarmThroughput?.WriteUnitsPerSecond ?? 0,
          };
        }),
      ),
      this.clients.apigateway.send(
        new GetStageCommand({ restApiId: this.resources.restApiId, stageName: this.resources.stageName }),
      ),
    ]);
    const settings = stage.methodSettings ?? {};
    const routeThrottling: Partial<Record<ThrottledRoute, Throttle>> = {};
    for (const route of THROTTLED_ROUTES) {
      const throttle = throttleOf(settings[methodSettingKey(route)]);
      if (throttle) routeThrottling[route] = throttle;
    }
    return {
      provisionedConcurrency: {
        postComment: concurrency[0]!,
        getLive: concurrency[1]!,
        getSegment: concurrency[2]!,
      },
      warmThroughput: { comments: warm[0]!, control: warm[1]! },
      stageThrottling: throttleOf(settings[STAGE_DEFAULT_KEY]),
      routeThrottling,
    };
  }

  describe(change: CapacityChange): ApiCall {
    return describeCapacityCall(change, this.resources);
  }

  async apply(change: CapacityChange): Promise<void> {
    const request = capacityRequest(change, this.resources);
    switch (request.operation) {
      case 'PutProvisionedConcurrencyConfig':
        await this.clients.lambda.send(new PutProvisionedConcurrencyConfigCommand(request.input));
        return;
      case 'DeleteProvisionedConcurrencyConfig':
        try {
          await this.clients.lambda.send(new DeleteProvisionedConcurrencyConfigCommand(request.input));
        } catch (error) {
          // Already gone: the goal is reached.
          if (!(error instanceof ProvisionedConcurrencyConfigNotFoundException)) throw error;
        }
        return;
      case 'UpdateTable':
        await this.clients.dynamodb.send(new UpdateTableCommand(request.input));
        return;
      case 'UpdateStage':
        try {
          await this.clients.apigateway.send(new UpdateStageCommand(request.input));
        } catch (error) {
          // Removing a route's settings that are already gone: the goal is reached.
          const gone =
            change.kind === 'route-throttle.remove' &&
            error instanceof BadRequestException &&
            /no method setting/i.test(error.message);
          if (!gone) throw error;
        }
        return;
      case 'UpdateItem': {
        if (change.kind !== 'room-shards.grow')
          throw new Error(`UpdateItem is not a ${change.kind} request.`);
        const outcome = await this.shards.growWriteShards(change.roomId, change.from, change.to);
        if (outcome === 'stale') {
          throw new Error(
            `Room ${change.roomId}'s shards changed since they were read; the next run retries.`,
          );
        }
        if (outcome === 'not-found') throw new Error(`Room ${change.roomId} no longer exists.`);
        return;
      }
    }
  }

  /** What the alias has requested; 0 when nothing is configured, or when the allocation failed (retried). */
  private async provisionedConcurrency(fn: (typeof SCALED_FUNCTIONS)[number]): Promise<number> {
    try {
      const config = await this.clients.lambda.send(
        new GetProvisionedConcurrencyConfigCommand({
          FunctionName: this.resources.functionNames[fn],
          Qualifier: SCALED_ALIAS,
        }),
      );
      if (config.Status === 'FAILED') return 0;
      return config.RequestedProvisionedConcurrentExecutions ?? 0;
    } catch (error) {
      if (error instanceof ProvisionedConcurrencyConfigNotFoundException) return 0;
      throw error;
    }
  }
}

/** A method setting's throttle; none when absent, or negative (treated as unset). */
function throttleOf(setting: MethodSetting | undefined): Throttle | null {
  const rateLimit = setting?.throttlingRateLimit;
  const burstLimit = setting?.throttlingBurstLimit;
  if (rateLimit === undefined || burstLimit === undefined || rateLimit < 0 || burstLimit < 0) return null;
  return { rateLimit, burstLimit };
}
