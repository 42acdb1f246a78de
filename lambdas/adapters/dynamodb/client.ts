import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AwsCredentialIdentity } from '@smithy/types';

export interface DynamoClientOptions {
  readonly region: string;
  /** DynamoDB Local (the local runtime, tests, benchmarks); default: the region's endpoint. */
  readonly endpoint?: string;
  /** Default: the SDK's provider chain (the function's role in Lambda). */
  readonly credentials?: AwsCredentialIdentity;
}

/**
 * The one place a DynamoDB client for the stores is made, from explicit
 * options (each runtime's composition root passes its own). Short timeouts: a
 * request that hangs is retried (up to 3 attempts) well inside the function's
 * timeout.
 */
export function createDynamoClient(options: DynamoClientOptions): DynamoDBDocumentClient {
  const base = new DynamoDBClient({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 },
  });
  const doc = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
  // The document client's own destroy does nothing: let it close the base client's sockets.
  doc.destroy = () => base.destroy();
  return doc;
}
