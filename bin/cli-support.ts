import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** DynamoDB Local and the local AppSync endpoint accept any credentials; never send real ones there. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export function isLoopback(url: string | undefined): boolean {
  return url !== undefined && /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(url);
}

/** A DynamoDB client for `endpoint` (loopback: local credentials), or for AWS with the default chain. */
export function dynamoClient(endpoint: string | undefined): DynamoDBClient {
  if (isLoopback(endpoint))
    return new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  return new DynamoDBClient(endpoint ? { endpoint } : {});
}
