import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LOCAL_CREDENTIALS } from '../local/appsync/auth.js';

/** DynamoDB Local and the local AppSync endpoint get the local credentials; never real ones. */
export { LOCAL_CREDENTIALS } from '../local/appsync/auth.js';

export function isLoopback(url: string | undefined): boolean {
  return url !== undefined && /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(url);
}

/** A DynamoDB client for `endpoint` (loopback: local credentials), or for AWS with the default chain. */
export function dynamoClient(endpoint: string | undefined): DynamoDBClient {
  if (isLoopback(endpoint))
    return new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  return new DynamoDBClient(endpoint ? { endpoint } : {});
}

/** The room-settings flags both CLIs take, as the settings fields they name; flags not given are left out. */
export function settingsFlags(values: {
  'slow-mode'?: string | undefined;
  'max-length'?: string | undefined;
  'poll-seconds'?: string | undefined;
  'segment-seconds'?: string | undefined;
  'ng-words'?: string | undefined;
}): Record<string, number | string[]> {
  const numbers = {
    slowModeSeconds: values['slow-mode'],
    maxCommentLength: values['max-length'],
    pollIntervalSeconds: values['poll-seconds'],
    segmentSeconds: values['segment-seconds'],
  };
  return {
    ...Object.fromEntries(
      Object.entries(numbers)
        .filter((entry): entry is [string, string] => entry[1] !== undefined)
        .map(([field, value]) => [field, Number(value)]),
    ),
    // Comma-separated; an empty value clears the list.
    ...(values['ng-words'] !== undefined
      ? {
          ngWords: values['ng-words']
            .split(',')
            .map((w) => w.trim())
            .filter((w) => w.length > 0),
        }
      : {}),
  };
}
