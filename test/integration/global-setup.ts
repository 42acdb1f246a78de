import { createServer, type Server } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { createTables, tableNames } from '../../local/tables.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
    commentsTable: string;
    controlTable: string;
    jwksUrl: string;
    signingKey: JWK;
    otherSigningKey: JWK;
  }
}

/**
 * One DynamoDB Local per test run, with the tables made from the shared
 * definitions, and a JWKS endpoint standing in for the host service.
 * Tests isolate themselves by room id.
 */
export default async function setup(project: TestProject) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const dynamodb = await startDynamoDbLocal();
  const tables = tableNames('it');
  const client = new DynamoDBClient({
    endpoint: dynamodb.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await createTables(client, tables);
  client.destroy();

  const kid = 'test-key';
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const other = await generateKeyPair('ES256', { extractable: true });
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] });
  const server: Server = createServer((_, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(jwks);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  project.provide('dynamodbEndpoint', dynamodb.endpoint);
  project.provide('commentsTable', tables.comments);
  project.provide('controlTable', tables.control);
  project.provide('jwksUrl', `http://127.0.0.1:${port}/jwks.json`);
  project.provide('signingKey', { ...(await exportJWK(privateKey)), kid });
  project.provide('otherSigningKey', { ...(await exportJWK(other.privateKey)), kid });

  return async () => {
    server.close();
    await dynamodb.stop();
  };
}
