import { readFileSync } from 'node:fs';
import { graphql, GraphQLSchema, isScalarType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schemaPath } from '../../../graphql/bundle.js';
import { allowedModes, loadAppSyncSchema, subscribedMutations } from '../../../local/appsync/schema.js';

const schema = loadAppSyncSchema();

describe('loading the AppSync schema', () => {
  it('parses the schema file as it is, with AppSync’s scalars and directives declared beside it', () => {
    const file = readFileSync(schemaPath, 'utf8');

    expect(schema).toBeInstanceOf(GraphQLSchema);
    expect(file).not.toMatch(/^\s*scalar AWS/m);
    for (const name of [
      'AWSDateTime',
      'AWSJSON',
      'AWSDate',
      'AWSTime',
      'AWSTimestamp',
      'AWSEmail',
      'AWSURL',
      'AWSPhone',
      'AWSIPAddress',
    ]) {
      expect(isScalarType(schema.getType(name)), name).toBe(true);
    }
  });

  it('applies AppSync’s authorization rule: field directives, else the type’s, else the default', () => {
    expect(allowedModes(schema, 'Mutation', 'publish', 'API_KEY')).toEqual(['AWS_IAM']);
    expect(allowedModes(schema, 'Subscription', 'onRoomEvent', 'API_KEY')).toEqual(['API_KEY', 'AWS_IAM']);
    expect(allowedModes(schema, 'RoomEvent', 'payload', 'API_KEY')).toEqual(['API_KEY', 'AWS_IAM']);
  });

  it('uses the default mode where neither field nor type says anything', () => {
    const bare = new GraphQLSchema({});
    expect(allowedModes(bare, 'Nothing', 'here', 'API_KEY')).toEqual(['API_KEY']);
  });

  it('reads @aws_subscribe', () => {
    const fields = schema.getSubscriptionType()!.getFields();

    expect(subscribedMutations(fields.onRoomEvent!)).toEqual(['publish']);
    expect(subscribedMutations(fields.onGlobalEvent!)).toEqual(['publish']);
  });
});

describe('AppSync scalars', () => {
  const echo = /* GraphQL */ `
    mutation ($event: RoomEventInput!) {
      publish(event: $event) {
        payload
        time
      }
    }
  `;
  const run = (event: Record<string, unknown>) =>
    graphql({
      schema,
      source: echo,
      variableValues: { event: { id: 'e', roomId: 'r', kind: 'PING', ...event } },
      rootValue: { publish: ({ event: e }: { event: unknown }) => e },
    });

  it('parses AWSJSON input into a value and returns AWSJSON as a JSON string', async () => {
    const seen: unknown[] = [];
    const result = await graphql({
      schema,
      source: echo,
      variableValues: {
        event: { id: 'e', roomId: 'r', kind: 'PING', time: '2030-01-01T00:00:00Z', payload: '{"nonce":"n"}' },
      },
      rootValue: {
        publish: ({ event }: { event: { payload: unknown } }) => {
          seen.push(event.payload);
          return event;
        },
      },
    });

    expect(seen).toEqual([{ nonce: 'n' }]);
    expect(result).toEqual({ data: { publish: { payload: '{"nonce":"n"}', time: '2030-01-01T00:00:00Z' } } });
  });

  it('refuses AWSJSON that is not JSON and an AWSDateTime without a zone', async () => {
    const badJson = await run({ time: '2030-01-01T00:00:00Z', payload: '{nonce' });
    const badTime = await run({ time: '2030-01-01T00:00:00', payload: '{}' });

    expect(badJson.errors?.[0]?.message).toMatch(/AWSJSON/);
    expect(badTime.errors?.[0]?.message).toMatch(/AWSDateTime/);
  });
});
