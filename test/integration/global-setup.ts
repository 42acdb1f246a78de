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
    /** Stands in for AppSync's publish endpoint and the local edge (see captureServer). */
    captureUrl: string;
  }
}

/**
 * Records what the admin function sends out — realtime publishes (POST
 * /graphql, answered like AppSync) and edge invalidations — and replays
 * them on GET /captured, so integration tests can assert what was pushed.
 */
function captureServer(): Server {
  const captured: {
    kind: 'publish' | 'invalidation' | 'schedule' | 'scaler';
    body: unknown;
    /** A publish's `x-correlation-id` header. */
    correlationId?: string;
  }[] = [];
  // Schedules as the local runtime keeps them (local/adapters/control-plane-client.ts).
  const schedules = new Map<string, unknown>();
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const body = chunks.length
        ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown)
        : undefined;
      if (req.method === 'POST' && req.url === '/graphql') {
        const event = (body as { variables: { event: Record<string, unknown> } }).variables.event;
        const correlationId = req.headers['x-correlation-id'];
        captured.push({
          kind: 'publish',
          body: { ...event, payload: JSON.parse(String(event.payload)) },
          ...(typeof correlationId === 'string' ? { correlationId } : {}),
        });
        return reply(200, { data: { publish: event } });
      }
      if (req.method === 'POST' && req.url === '/local/edge/invalidations') {
        captured.push({ kind: 'invalidation', body });
        return reply(201, { dropped: 0 });
      }
      if (req.method === 'GET' && req.url?.startsWith('/local/stats?')) {
        // The local runtime's statistics (LocalStats in local/adapters/traffic-metrics.ts), all quiet.
        const roomId = new URL(req.url, 'http://capture').searchParams.get('roomId');
        return reply(200, {
          roomId,
          edge: { perMinute: [] },
          realtime: { connections: 0, roomSubscriptions: 0, globalSubscriptions: 0 },
        });
      }
      if (req.url?.startsWith('/local/schedules/') && (req.method === 'PUT' || req.method === 'DELETE')) {
        const name = decodeURIComponent(req.url.slice('/local/schedules/'.length));
        captured.push({ kind: 'schedule', body: { method: req.method, name, ...(body as object) } });
        if (req.method === 'DELETE') {
          const existed = schedules.delete(name);
          res.writeHead(existed ? 204 : 404);
          return res.end();
        }
        const existed = schedules.has(name);
        schedules.set(name, body);
        return reply(existed ? 200 : 201, { name });
      }
      if (req.method === 'POST' && req.url === '/local/scaler/invocations') {
        // The scaler itself runs in the e2e tests (the local runtime); here, only the request is kept.
        captured.push({ kind: 'scaler', body });
        const { invocationType } = body as { invocationType: string };
        if (invocationType === 'Event') {
          res.writeHead(202);
          return res.end();
        }
        return reply(500, { errorMessage: 'No scaler runs in the integration tests.' });
      }
      if (req.method === 'GET' && req.url === '/captured') return reply(200, captured);
      return reply(404, { code: 'route_not_found' });
    });
  });
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

  const capture = captureServer();
  await new Promise<void>((resolve) => capture.listen(0, '127.0.0.1', resolve));
  const captureAddress = capture.address();
  const capturePort = typeof captureAddress === 'object' && captureAddress ? captureAddress.port : 0;
  project.provide('captureUrl', `http://127.0.0.1:${capturePort}`);

  project.provide('dynamodbEndpoint', dynamodb.endpoint);
  project.provide('commentsTable', tables.comments);
  project.provide('controlTable', tables.control);
  project.provide('jwksUrl', `http://127.0.0.1:${port}/jwks.json`);
  project.provide('signingKey', { ...(await exportJWK(privateKey)), kid });
  project.provide('otherSigningKey', { ...(await exportJWK(other.privateKey)), kid });

  return async () => {
    server.close();
    capture.close();
    await dynamodb.stop();
  };
}
