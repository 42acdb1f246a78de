import type { UpdateStageCommandInput } from '@aws-sdk/client-api-gateway';
import type { UpdateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type {
  DeleteProvisionedConcurrencyConfigCommandInput,
  PutProvisionedConcurrencyConfigCommandInput,
} from '@aws-sdk/client-lambda';
import type { UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { ApiCall, CapacityChange } from '../../domain/capacity/ports.js';
import {
  SCALED_ALIAS,
  type CapacityTable,
  type ScaledFunction,
  type Throttle,
  type ThrottledRoute,
} from '../../domain/capacity/target.js';
import { growWriteShardsInput } from '../dynamodb/room-store.js';

/**
 * The AWS request each capacity change is, built in one place: the AWS
 * controls send exactly this, dry runs show it, the local stand-in records it.
 */

/** The names of what the scaler changes. */
export interface CapacityResources {
  /** Function names (or ARNs) of the scaled functions; their `live` alias carries the concurrency. */
  readonly functionNames: Readonly<Record<ScaledFunction, string>>;
  readonly tableNames: Readonly<Record<CapacityTable, string>>;
  readonly restApiId: string;
  readonly stageName: string;
}

/** Every capacity request, typed by operation. */
export type CapacityRequest =
  | {
      readonly service: 'lambda';
      readonly operation: 'PutProvisionedConcurrencyConfig';
      readonly input: PutProvisionedConcurrencyConfigCommandInput;
    }
  | {
      readonly service: 'lambda';
      readonly operation: 'DeleteProvisionedConcurrencyConfig';
      readonly input: DeleteProvisionedConcurrencyConfigCommandInput;
    }
  | {
      readonly service: 'dynamodb';
      readonly operation: 'UpdateTable';
      readonly input: UpdateTableCommandInput;
    }
  | { readonly service: 'dynamodb'; readonly operation: 'UpdateItem'; readonly input: UpdateCommandInput }
  | {
      readonly service: 'apigateway';
      readonly operation: 'UpdateStage';
      readonly input: UpdateStageCommandInput;
    };

/**
 * A stage's method-settings key for a route: the resource path with `/`
 * escaped as `~1`, then the method. `POST /v1/rooms/{roomId}/comments` →
 * `~1v1~1rooms~1{roomId}~1comments/POST`. `*` + `/` + `*` is the stage default.
 */
export function methodSettingKey(route: ThrottledRoute): string {
  const [method, path] = route.split(' ') as [string, string];
  return `${path.replaceAll('/', '~1')}/${method}`;
}

export const STAGE_DEFAULT_KEY = '*/*';

export function capacityRequest(change: CapacityChange, resources: CapacityResources): CapacityRequest {
  switch (change.kind) {
    case 'provisioned-concurrency.set':
      return {
        service: 'lambda',
        operation: 'PutProvisionedConcurrencyConfig',
        input: {
          FunctionName: resources.functionNames[change.function],
          Qualifier: SCALED_ALIAS,
          ProvisionedConcurrentExecutions: change.to,
        },
      };
    case 'provisioned-concurrency.remove':
      return {
        service: 'lambda',
        operation: 'DeleteProvisionedConcurrencyConfig',
        input: { FunctionName: resources.functionNames[change.function], Qualifier: SCALED_ALIAS },
      };
    case 'warm-throughput.raise':
      return {
        service: 'dynamodb',
        operation: 'UpdateTable',
        input: {
          TableName: resources.tableNames[change.table],
          WarmThroughput: {
            ReadUnitsPerSecond: change.to.readUnitsPerSecond,
            WriteUnitsPerSecond: change.to.writeUnitsPerSecond,
          },
        },
      };
    case 'stage-throttle.set':
      return updateStage(resources, throttleOps(STAGE_DEFAULT_KEY, change.to));
    case 'route-throttle.set':
      return updateStage(resources, throttleOps(methodSettingKey(change.route), change.to));
    case 'route-throttle.remove':
      // Removing the method's settings returns it to the stage default.
      return updateStage(resources, [{ op: 'remove', path: `/${methodSettingKey(change.route)}` }]);
    case 'room-shards.grow':
      return {
        service: 'dynamodb',
        operation: 'UpdateItem',
        // Rooms live in the control table.
        input: growWriteShardsInput(resources.tableNames.control, change.roomId, change.from, change.to),
      };
  }
}

/** As the controls' `describe` gives it. */
export function describeCapacityCall(change: CapacityChange, resources: CapacityResources): ApiCall {
  const request = capacityRequest(change, resources);
  return { service: request.service, operation: request.operation, input: { ...request.input } };
}

function throttleOps(
  key: string,
  throttle: Throttle,
): NonNullable<UpdateStageCommandInput['patchOperations']> {
  return [
    { op: 'replace', path: `/${key}/throttling/rateLimit`, value: String(throttle.rateLimit) },
    { op: 'replace', path: `/${key}/throttling/burstLimit`, value: String(throttle.burstLimit) },
  ];
}

function updateStage(
  resources: CapacityResources,
  patchOperations: NonNullable<UpdateStageCommandInput['patchOperations']>,
): CapacityRequest {
  return {
    service: 'apigateway',
    operation: 'UpdateStage',
    input: { restApiId: resources.restApiId, stageName: resources.stageName, patchOperations },
  };
}
