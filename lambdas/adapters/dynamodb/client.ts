import { lazyAwsLite, type AwsLiteConfig } from '../aws-lite.js';
import dynamodbPlugin from '@aws-lite/dynamodb';
import type {
  BatchGetCommandInput,
  BatchGetCommandOutput,
  DeleteCommandInput,
  DeleteCommandOutput,
  GetCommandInput,
  GetCommandOutput,
  PutCommandInput,
  PutCommandOutput,
  QueryCommandInput,
  QueryCommandOutput,
  TransactWriteCommandInput,
  TransactWriteCommandOutput,
  UpdateCommandInput,
  UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall, type NativeAttributeValue } from '@aws-sdk/util-dynamodb';

/**
 * The DynamoDB client every store takes: aws-lite (ADR 0022), a small client
 * whose cold start and bundle fit the viewer functions, behind the calls the
 * stores make. Inputs and outputs are plain JavaScript values, shaped as the
 * AWS SDK's document client shapes them; errors come out typed.
 */
export interface DynamoClient {
  get(input: GetCommandInput): Promise<Pick<GetCommandOutput, 'Item' | 'ConsumedCapacity'>>;
  put(input: PutCommandInput): Promise<Pick<PutCommandOutput, 'Attributes' | 'ConsumedCapacity'>>;
  update(input: UpdateCommandInput): Promise<Pick<UpdateCommandOutput, 'Attributes' | 'ConsumedCapacity'>>;
  query(
    input: QueryCommandInput,
  ): Promise<Pick<QueryCommandOutput, 'Items' | 'LastEvaluatedKey' | 'ConsumedCapacity'>>;
  transactWrite(
    input: TransactWriteCommandInput,
  ): Promise<Pick<TransactWriteCommandOutput, 'ConsumedCapacity'>>;
  batchGet(
    input: BatchGetCommandInput,
  ): Promise<Pick<BatchGetCommandOutput, 'Responses' | 'UnprocessedKeys' | 'ConsumedCapacity'>>;
  delete(input: DeleteCommandInput): Promise<Pick<DeleteCommandOutput, 'Attributes' | 'ConsumedCapacity'>>;
}

export interface DynamoClientOptions {
  readonly region: string;
  /** DynamoDB Local's URL; in AWS the regional endpoint is used. */
  readonly endpoint?: string;
  /** In AWS, omitted: the function role's credentials come from the environment. */
  readonly credentials?: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
  /**
   * How long one call may take, retries included, before it fails as
   * transient. Default 2,000 ms: a hung request fails well inside the post
   * function's timeout, and the client's retry with the same clientMessageId
   * is idempotent.
   */
  readonly timeoutMs?: number;
}

/** A condition expression was false (PutItem, UpdateItem). */
export class ConditionFailedError extends Error {
  override readonly name = 'ConditionFailedError';
}

/** One entry of a cancelled transaction: its code, and the item when ALL_OLD was asked for. */
export interface CancellationReason {
  readonly code: string;
  readonly item?: Record<string, NativeAttributeValue>;
}

/** A transaction was cancelled; `reasons` lists one entry per action, in order. */
export class TransactionCanceledError extends Error {
  override readonly name = 'TransactionCanceledError';
  constructor(
    message: string,
    readonly reasons: readonly CancellationReason[],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Throttling, a service error or a timeout: the same request may succeed if tried again later. */
export class TransientDynamoError extends Error {
  override readonly name = 'TransientDynamoError';
}

/** Error codes DynamoDB documents as retryable (API_* "Errors", Common Errors). */
const TRANSIENT_CODES = new Set([
  'InternalServerError',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ThrottlingException',
  'TransactionConflictException',
  'ServiceUnavailable',
  'LimitExceededException',
  // Network failures (aws-lite usually drops the code after its retries: see typed()).
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
]);

/** Cancellation reasons of a transaction that was throttled (TransactWriteItems, "Errors"). */
const THROTTLED_REASONS = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded']);

const DEFAULT_TIMEOUT_MS = 2_000;
/** aws-lite retries 5xx, 429 and network errors; two retries keep a call inside its deadline. */
const RETRIES = 2;

export function createDynamoClient(options: DynamoClientOptions): DynamoClient {
  const endpoint = options.endpoint ? new URL(options.endpoint) : undefined;
  const connect = lazyAwsLite({
    region: options.region,
    ...(options.credentials ?? {}),
    ...(endpoint ? { endpoint: endpoint.origin } : {}),
    plugins: [dynamodbPlugin],
    // aws-lite turns keep-alive off for endpoints that are not AWS's; DynamoDB Local wants it too.
    keepAlive: true,
    retries: RETRIES,
    awsjsonMarshall: { removeUndefinedValues: true },
  } as AwsLiteConfig);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  const call = async <T>(operation: string, input: object): Promise<T> => {
    const aws = await connect();
    const service = (aws as unknown as { DynamoDB: Record<string, (input: object) => Promise<T>> }).DynamoDB;
    const method = service[operation]!;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new TransientDynamoError(`DynamoDB ${operation} took longer than ${timeoutMs} ms.`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([method(input), deadline]);
    } catch (error) {
      throw typed(operation, error);
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    get: (input) => call('GetItem', input),
    put: (input) => call('PutItem', input),
    update: (input) => call('UpdateItem', input),
    // aws-lite leaves pagination keys in DynamoDB's wire format; the stores see plain values.
    query: async (input) => {
      const { ExclusiveStartKey, ...rest } = input;
      const out = await call<Awaited<ReturnType<DynamoClient['query']>>>('Query', {
        ...rest,
        ...(ExclusiveStartKey ? { ExclusiveStartKey: marshall(ExclusiveStartKey) } : {}),
      });
      const last = out.LastEvaluatedKey as Parameters<typeof unmarshall>[0] | undefined;
      return { ...out, LastEvaluatedKey: last ? unmarshall(last) : undefined };
    },
    transactWrite: (input) => call('TransactWriteItems', input),
    batchGet: (input) => call('BatchGetItem', input),
    delete: (input) => call('DeleteItem', input),
  };
}

/** Every page of a query, in order (the AWS SDK's paginateQuery, for this client). */
export async function* queryPages(
  db: DynamoClient,
  input: QueryCommandInput,
): AsyncGenerator<NonNullable<QueryCommandOutput['Items']>> {
  for await (const page of queryResponses(db, input)) yield page.Items ?? [];
}

/** Every response of a query, in order: its items with what it consumed. The next is asked for only when wanted. */
export async function* queryResponses(
  db: DynamoClient,
  input: QueryCommandInput,
): AsyncGenerator<Awaited<ReturnType<DynamoClient['query']>>> {
  let startKey = input.ExclusiveStartKey;
  do {
    const page = await db.query({ ...input, ...(startKey ? { ExclusiveStartKey: startKey } : {}) });
    yield page;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

interface AwsLiteError {
  readonly code?: string;
  readonly name?: string;
  readonly statusCode?: number;
  readonly message?: string;
  /** Set by aws-lite's HTTP layer when the request itself failed (no answer). */
  readonly rawStack?: string;
  readonly CancellationReasons?: readonly {
    readonly Code?: string;
    readonly Item?: Parameters<typeof unmarshall>[0];
  }[];
}

/** aws-lite reports AWS's error code as `code`; map it to a type once, here. */
function typed(operation: string, error: unknown): unknown {
  if (error instanceof TransientDynamoError) return error;
  const e = (error ?? {}) as AwsLiteError;
  const code = e.code ?? e.name ?? '';
  const message = `DynamoDB ${operation}: ${e.message ?? code}`;
  if (code === 'ConditionalCheckFailedException') return new ConditionFailedError(message, { cause: error });
  if (code === 'TransactionCanceledException') {
    const reasons = (e.CancellationReasons ?? []).map((reason) => ({
      code: reason.Code ?? 'None',
      ...(reason.Item ? { item: unmarshall(reason.Item) } : {}),
    }));
    // DynamoDB reports a throttled transaction as cancelled, the throttling in its reasons: that
    // is not an answer about the items (no condition failed), so it is transient like any throttle.
    if (
      reasons.some((r) => THROTTLED_REASONS.has(r.code)) &&
      !reasons.some((r) => r.code === 'ConditionalCheckFailed')
    ) {
      return new TransientDynamoError(message, { cause: error });
    }
    return new TransactionCanceledError(message, reasons, { cause: error });
  }
  if (TRANSIENT_CODES.has(code) || (e.statusCode !== undefined && e.statusCode >= 500)) {
    return new TransientDynamoError(message, { cause: error });
  }
  // A connection that failed after aws-lite's retries ("socket hang up", "connect ECONNREFUSED")
  // comes out with neither a code nor a status, only the request's stack: transient all the same.
  if (e.statusCode === undefined && typeof e.rawStack === 'string') {
    return new TransientDynamoError(message, { cause: error });
  }
  return error;
}
