import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The document client every store takes. Short timeouts: a request that hangs
 * is retried (by the SDK, up to 3 attempts) well inside the function's timeout.
 * The endpoint comes from the SDK's own settings (`AWS_ENDPOINT_URL_DYNAMODB`
 * locally), so the same code talks to DynamoDB and DynamoDB Local.
 */
export function createDocumentClient(client?: DynamoDBClient): DynamoDBDocumentClient {
  const base =
    client ??
    new DynamoDBClient({
      maxAttempts: 3,
      requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 },
    });
  return DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
}
