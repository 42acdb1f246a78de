import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { createDynamoClient, type DynamoClientOptions } from '../lambdas/adapters/dynamodb/client.js';
import { DynamoCommentStore } from '../lambdas/adapters/dynamodb/comment-store.js';
import { DynamoRoomStore } from '../lambdas/adapters/dynamodb/room-store.js';
import type { Comment } from '../lambdas/domain/feed/comment.js';
import { monotonicFactory } from 'ulid';
import { createRoom, type Room, type RoomSettings } from '../lambdas/domain/rooms/room.js';
import { functions, type FunctionName } from '../lambdas/routes.js';
import { lambdaContext as localLambdaContext, localIdentity } from '../local/api-gateway.js';
import { LOCAL_CREDENTIALS } from '../local/appsync/auth.js';
import { LOCAL_REGION } from '../local/composition.js';
import type { LocalStack } from '../local/stack.js';

/** Comment retention the fills write with (the product's default, 30 days); only TTL reads it. */
const FILL_RETENTION_SEC = 30 * 86_400;
/** Parallel writes while filling a room: enough to keep DynamoDB Local busy, few enough not to time out. */
const FILL_CONCURRENCY = 16;

/** The stack's DynamoDB Local, as the functions' client reaches it (local/composition.ts). */
export function dynamoOptions(stack: LocalStack): DynamoClientOptions {
  return { region: LOCAL_REGION, endpoint: stack.dynamodbEndpoint, credentials: LOCAL_CREDENTIALS };
}

/** The stores the handlers use, over a client built the same way, for fixtures and baselines. */
export function benchStores(stack: LocalStack) {
  const db = createDynamoClient(dynamoOptions(stack));
  return {
    db,
    rooms: new DynamoRoomStore(db, stack.tables.control),
    comments: new DynamoCommentStore(db, stack.tables.comments, stack.tables.control),
  };
}

export async function createBenchRoom(
  rooms: DynamoRoomStore,
  roomId: string,
  shards: number,
  settings: Partial<RoomSettings>,
): Promise<Room> {
  const room = createRoom({ roomId, title: `Benchmark ${roomId}`, shards, settings }, new Date());
  if (!(await rooms.create(room)))
    throw new Error(`Room ${roomId} already exists: start from an empty table.`);
  return room;
}

/**
 * Ids for fixtures: ULIDs like the product's, from a generator of their own, so
 * fills dated ahead (live-origin.ts) leave the product's monotonic ids alone.
 */
const benchId = monotonicFactory();

/** A viewer's comment of typical size (about 40 characters), as the post path stores it. */
export function benchComment(roomId: string, n: number, nowMs = Date.now()): Comment {
  const id = benchId(nowMs);
  return {
    id,
    roomId,
    kind: 'comment',
    userId: `bench-viewer-${n % 1000}`,
    displayName: `Viewer ${n % 1000}`,
    text: `Benchmark comment number ${n}, about forty chars`,
    createdAt: new Date(nowMs).toISOString(),
  };
}

/**
 * Writes `perShard` comments to every shard of the room through the store's own append,
 * dated `aheadMs` from now (default 0).
 */
export async function fillRoom(
  comments: DynamoCommentStore,
  room: Room,
  perShard: number,
  progress?: (line: string) => void,
  aheadMs = 0,
): Promise<number> {
  const jobs: (() => Promise<void>)[] = [];
  let n = 0;
  for (let shard = 0; shard < room.shards.write; shard++) {
    for (let i = 0; i < perShard; i++) {
      const comment = benchComment(room.roomId, n++, Date.now() + aheadMs);
      jobs.push(() => comments.append(comment, shard, Math.ceil(Date.now() / 1000) + FILL_RETENTION_SEC));
    }
  }
  await runLimited(jobs, FILL_CONCURRENCY);
  progress?.(`  filled ${room.roomId}: ${n} comments over ${room.shards.write} shard(s)`);
  return n;
}

async function runLimited(jobs: readonly (() => Promise<void>)[], concurrency: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, jobs.length) }, async () => {
      while (next < jobs.length) await jobs[next++]!();
    }),
  );
}

/**
 * A REST API (v1) Lambda proxy event, as API Gateway (and the local gateway)
 * builds it: what the handlers are invoked with in the benchmark.
 */
export function apiEvent(request: {
  readonly method: 'GET' | 'POST';
  readonly resource: string;
  readonly pathParameters: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}): APIGatewayProxyEvent {
  const path = request.resource.replace(/\{(\w+)\}/g, (_, name: string) => request.pathParameters[name]!);
  const headers = { host: 'bench.local', ...request.headers };
  return {
    resource: request.resource,
    path,
    httpMethod: request.method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: request.pathParameters,
    stageVariables: null,
    body: request.body ?? null,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'bench',
      authorizer: null,
      protocol: 'HTTP/1.1',
      httpMethod: request.method,
      identity: localIdentity('127.0.0.1', 'bench'),
      path: `/bench${path}`,
      stage: 'bench',
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: 'bench',
      resourcePath: request.resource,
    },
  };
}

/** The event as the edge sends it on: with the origin header the functions check (ADR 0030). */
export function throughEdge(
  event: APIGatewayProxyEvent,
  origin: { readonly name: string; readonly value: string },
): APIGatewayProxyEvent {
  const headers = { ...event.headers, [origin.name]: origin.value };
  return {
    ...event,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v ?? '']])),
  };
}

/** A post event: a viewer's bearer token, a unique clientMessageId. */
export function postEvent(roomId: string, token: string, n: number): APIGatewayProxyEvent {
  return apiEvent({
    method: 'POST',
    resource: '/v1/rooms/{roomId}/comments',
    pathParameters: { roomId },
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      text: `Benchmark comment number ${n}, about forty chars`,
      clientMessageId: `bench-${n}-${randomUUID().slice(0, 8)}`,
    }),
  });
}

export function liveEvent(roomId: string): APIGatewayProxyEvent {
  return apiEvent({ method: 'GET', resource: '/v1/rooms/{roomId}/live', pathParameters: { roomId } });
}

/** The context the local gateway gives handlers, for a function's timeout from the route table. */
export function lambdaContext(functionName: FunctionName): Context {
  return localLambdaContext(functionName, functions[functionName].timeoutMs);
}
