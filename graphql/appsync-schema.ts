import { buildSchema, type GraphQLSchema } from 'graphql';

/**
 * What AppSync declares implicitly: its scalars and its directives. graphql-js
 * needs them declared to parse an AppSync schema; AppSync itself refuses a
 * schema that redeclares them, so they are prepended here and never written
 * into `schema.graphql`. CDK's synth-time check and the local AppSync endpoint
 * both parse the schema through this one function.
 */
export const APPSYNC_PRELUDE = /* GraphQL */ `
  scalar AWSDate
  scalar AWSTime
  scalar AWSDateTime
  scalar AWSTimestamp
  scalar AWSEmail
  scalar AWSJSON
  scalar AWSURL
  scalar AWSPhone
  scalar AWSIPAddress
  directive @aws_api_key on FIELD_DEFINITION | OBJECT
  directive @aws_iam on FIELD_DEFINITION | OBJECT
  directive @aws_oidc on FIELD_DEFINITION | OBJECT
  directive @aws_lambda on FIELD_DEFINITION | OBJECT
  directive @aws_cognito_user_pools(cognito_groups: [String]) on FIELD_DEFINITION | OBJECT
  directive @aws_auth(cognito_groups: [String]) on FIELD_DEFINITION
  directive @aws_subscribe(mutations: [String]) on FIELD_DEFINITION
`;

/**
 * Parses and validates an AppSync schema with graphql-js. Throws with
 * graphql-js's message, naming the source, if it is not valid.
 */
export function parseAppSyncSchema(sdl: string, source = 'the schema'): GraphQLSchema {
  try {
    return buildSchema(`${APPSYNC_PRELUDE}\n${sdl}`);
  } catch (error) {
    throw new Error(
      `${source} is not a valid AppSync schema: ${(error as Error).message} ` +
        '(AppSync scalars and directives are declared in graphql/appsync-schema.ts; a newer one may need adding there).',
      { cause: error },
    );
  }
}
