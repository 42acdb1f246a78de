import type { LocalStack } from '../../local/stack.js';

/** The environment a user of `npm run room` and `npm run event` sets for this stack (README). */
export function cliEnv(stack: LocalStack): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_DYNAMODB: stack.dynamodbEndpoint,
    COMMENTS_TABLE_NAME: stack.tables.comments,
    CONTROL_TABLE_NAME: stack.tables.control,
    REALTIME_GRAPHQL_URL: stack.realtime.httpGraphqlUrl,
    LOCAL_CONTROL_PLANE_URL: stack.edgeUrl,
  };
}
