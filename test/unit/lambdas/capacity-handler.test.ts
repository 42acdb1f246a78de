import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoAuditStore } from '../../../lambdas/adapters/dynamodb/audit-store.js';
import { createDynamoClient } from '../../../lambdas/adapters/dynamodb/client.js';
import { DynamoRoomStore } from '../../../lambdas/adapters/dynamodb/room-store.js';
import { createLogger } from '../../../lambdas/adapters/logger.js';
import type { CapacityState } from '../../../lambdas/domain/capacity/ports.js';
import { capacityPlanner } from '../../../lambdas/domain/capacity/planner.js';
import { createScalerHandler, type ScalerHandler } from '../../../lambdas/handlers/scaler.js';
import { LocalCapacityControls } from '../../../local/adapters/control-plane-client.js';

/** The scaler function end to end over a stand-in local runtime, with DynamoDB mocked. */
const doc = mockClient(DynamoDBDocumentClient);

let server: Server;
let handler: ScalerHandler;
const logger = createLogger({ logLevel: 'INFO' });
let logLines: string[] = [];
let state: CapacityState;
let refuseCalls = false;
const posted: unknown[] = [];

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method === 'GET' && req.url === '/local/control-plane/state') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(state));
    } else if (req.method === 'POST' && req.url === '/local/control-plane/calls') {
      if (refuseCalls) return void res.writeHead(500).end();
      posted.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      state = { ...state, provisionedConcurrency: { postComment: 0, getLive: 0, getSegment: 0 } };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ state }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dynamo = createDynamoClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const rooms = new DynamoRoomStore(dynamo, 'control');
  handler = createScalerHandler({
    scaler: {
      rooms,
      controls: new LocalCapacityControls(base, { comments: 'comments', control: 'control' }, rooms),
      auditLog: new DynamoAuditStore(dynamo, 'control'),
      plan: capacityPlanner({ leadTimeMs: 30 * 60_000, tailMs: 15 * 60_000 }),
      clock: Date.now,
    },
    logger,
  });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  doc.reset();
  // No rooms: the plan is the baseline.
  doc.on(QueryCommand).resolves({ Items: [] });
  doc.on(PutCommand).resolves({});
  posted.length = 0;
  refuseCalls = false;
  logLines = [];
  const capture = (chunk: unknown) => {
    logLines.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  state = {
    provisionedConcurrency: { postComment: 5, getLive: 0, getSegment: 0 },
    warmThroughput: {
      comments: { readUnitsPerSecond: 0, writeUnitsPerSecond: 0 },
      control: { readUnitsPerSecond: 0, writeUnitsPerSecond: 0 },
    },
    stageThrottling: { rateLimit: 1_000, burstLimit: 500 },
    routeThrottling: {},
  };
});

afterEach(() => vi.restoreAllMocks());

describe('scaler handler', () => {
  it('plans, applies through the local control plane, audits, and returns the run', async () => {
    const run = await handler({ reason: 'schedule', roomId: 'gig' });

    expect(run).toMatchObject({ reason: 'schedule', roomId: 'gig', dryRun: false, applied: 1 });
    expect(run.calls.map((c) => c.change)).toEqual([
      { kind: 'provisioned-concurrency.remove', function: 'postComment', from: 5 },
    ]);
    expect(posted).toEqual([{ calls: [run.calls[0]] }]);
    const audits = doc.commandCalls(PutCommand).map((c) => c.args[0].input);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      TableName: 'control',
      Item: { pk: 'audit#global', action: 'capacity.apply', actor: { userId: 'scaler' } },
    });
  });

  it('describes a dry run and changes nothing', async () => {
    const run = await handler({ reason: 'manual', dryRun: true });

    expect(run.calls).toHaveLength(1);
    expect(run.applied).toBe(0);
    expect(posted).toEqual([]);
    expect(doc.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('refuses a malformed event with a message saying what is wrong', async () => {
    await expect(handler({ reason: 'whenever' })).rejects.toThrow(/Invalid scaler request \(reason:/);
  });

  it('throws on a failed scheduled run (so Lambda retries it) but returns a failed manual one', async () => {
    refuseCalls = true;

    await expect(handler({ reason: 'schedule' })).rejects.toThrow(
      /DeleteProvisionedConcurrencyConfig failed after 0 of 1 calls: .*answered 500/,
    );
    const manual = await handler({ reason: 'manual' });
    expect(manual.failed?.change).toEqual({
      kind: 'provisioned-concurrency.remove',
      function: 'postComment',
      from: 5,
    });
  });

  it('logs the run under the correlation id of the request that asked for it', async () => {
    await handler({ reason: 'room-changed', roomId: 'gig', correlationId: 'admin-req-1' });

    const logged = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logged).toContainEqual(
      expect.objectContaining({ message: 'capacity scaler run', correlation_id: 'admin-req-1' }),
    );
  });

  it('logs a scheduled run under its own Lambda request id', async () => {
    const context = { awsRequestId: 'lambda-req-7', functionName: 'scaler' } as never;

    await handler({ reason: 'schedule', roomId: 'gig' }, context);

    const logged = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logged).toContainEqual(
      expect.objectContaining({ message: 'capacity scaler run', correlation_id: 'lambda-req-7' }),
    );
  });
});
