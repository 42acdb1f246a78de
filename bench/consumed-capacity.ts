import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoClient, type DynamoClientOptions } from '../lambdas/adapters/dynamodb/client.js';

/** One DynamoDB call as the store made it, with what DynamoDB said it consumed. */
export interface CapturedCall {
  readonly command: string;
  /** The request as the store built it (document form, before marshalling). */
  readonly input: Readonly<Record<string, unknown>>;
  /** The items a read returned (document form). */
  readonly items: readonly Record<string, unknown>[];
  readonly consumed: readonly ConsumedCapacity[];
}

export interface CapturingClient {
  /** Hand this to the real stores: they issue their exact commands through it. */
  readonly doc: DynamoDBDocumentClient;
  readonly calls: CapturedCall[];
  destroy(): void;
}

/**
 * A document client built like the functions' (`createDynamoClient`), plus
 * one middleware that asks every request for `ReturnConsumedCapacity:
 * INDEXES` and records the answer: the stores need no hook of their own.
 * It sits in the `initialize` step, outside the document client's
 * marshalling, so it sees plain JavaScript inputs and outputs.
 */
export function capturingDocumentClient(options: DynamoClientOptions): CapturingClient {
  const doc = createDynamoClient(options);
  const calls: CapturedCall[] = [];
  // The document client shares its base client's middleware stack.
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = 'INDEXES';
      const result = await next(args);
      const output = result.output as {
        ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[];
        Items?: [];
      };
      const consumed = output.ConsumedCapacity;
      calls.push({
        command: context.commandName ?? 'unknown',
        input: { ...input },
        items: output.Items ?? [],
        consumed: consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed],
      });
      return result;
    },
    { step: 'initialize', name: 'benchConsumedCapacity' },
  );
  return { doc, calls, destroy: () => doc.destroy() };
}

/** Capacity units a call consumed on one table (all of them without a name). */
export function unitsOn(call: CapturedCall, tableName?: string): number {
  return call.consumed
    .filter((c) => tableName === undefined || c.TableName === tableName)
    .reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
}
