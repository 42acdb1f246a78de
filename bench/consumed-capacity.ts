import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import type { DynamoClient } from '../lambdas/adapters/dynamodb/client.js';

/** One DynamoDB call as the store made it, with what DynamoDB said it consumed. */
export interface CapturedCall {
  /** The client method: `get`, `query`, `transactWrite`, … */
  readonly command: keyof DynamoClient;
  /** The request as the store built it (plain values, before marshalling). */
  readonly input: Readonly<Record<string, unknown>>;
  /** The items a read returned (plain values). */
  readonly items: readonly Record<string, unknown>[];
  readonly consumed: readonly ConsumedCapacity[];
}

export interface CapturingClient {
  /** Hand this to the real stores: they issue their exact calls through it. */
  readonly db: DynamoClient;
  readonly calls: CapturedCall[];
}

/**
 * Wraps the functions' client: every call asks for `ReturnConsumedCapacity:
 * INDEXES` and records the answer, so the stores need no hook of their own.
 */
export function capturingClient(base: DynamoClient): CapturingClient {
  const calls: CapturedCall[] = [];
  const wrap =
    <K extends keyof DynamoClient>(command: K) =>
    async (input: Parameters<DynamoClient[K]>[0]) => {
      const asked = { ...input, ReturnConsumedCapacity: 'INDEXES' as const };
      const output = (await (base[command] as (i: typeof asked) => Promise<unknown>)(asked)) as {
        ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[];
        Items?: Record<string, unknown>[];
      };
      const consumed = output.ConsumedCapacity;
      calls.push({
        command,
        input: { ...asked },
        items: output.Items ?? [],
        consumed: consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed],
      });
      return output;
    };
  const db = {
    get: wrap('get'),
    put: wrap('put'),
    update: wrap('update'),
    query: wrap('query'),
    transactWrite: wrap('transactWrite'),
    batchGet: wrap('batchGet'),
    delete: wrap('delete'),
  } as DynamoClient;
  return { db, calls };
}

/** Capacity units a call consumed on one table (all of them without a name). */
export function unitsOn(call: CapturedCall, tableName?: string): number {
  return call.consumed
    .filter((c) => tableName === undefined || c.TableName === tableName)
    .reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
}
