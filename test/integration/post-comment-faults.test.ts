import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { composeLocalFunctions, type LocalFunctions } from '../../local/composition.js';
import {
  startDynamoFaultProxy,
  type DynamoFault,
  type DynamoFaultProxy,
} from '../helpers/dynamodb-faults.js';
import { postEvent } from '../helpers/events.js';
import { integrationOptions, TEST_TOKEN_AUDIENCE, TEST_TOKEN_ISSUER } from '../helpers/functions.js';
import { testStores } from '../helpers/store.js';
import { signToken } from '../helpers/tokens.js';

/**
 * The post function over the fault layer (test/helpers/dynamodb-faults.ts), one fault at a time:
 * each of DynamoDB's failures on the post's one transaction gets the right answer, and an
 * acknowledged comment is stored exactly once (ADR 0002, ADR 0034). The 1,000-post run with all
 * faults mixed is test/e2e/fault-injection-posts.test.ts.
 */
let proxy: DynamoFaultProxy;
let functions: LocalFunctions;
const stores = testStores();

beforeAll(async () => {
  proxy = await startDynamoFaultProxy({ target: inject('dynamodbEndpoint'), seed: 7 });
  functions = composeLocalFunctions(integrationOptions({ dynamodbEndpoint: proxy.endpoint }));
});
afterAll(async () => {
  await proxy?.stop();
});

/** The post path's transaction: the one that carries an idempotency record. */
const postTransaction = (body: string) => body.includes('idem#');
/** Every post transaction fails with `fault`, or only the next `times`. */
const injectOnPost = (fault: DynamoFault, times?: number) =>
  proxy.setRules([
    {
      operation: 'TransactWriteItems',
      match: postTransaction,
      probabilities: { [fault]: 1 },
      ...(times === undefined ? {} : { times }),
    },
  ]);

const post = async (roomId: string, clientMessageId: string, text = 'hello') => {
  const token = await signToken(inject('signingKey'), {
    sub: 'fault-user',
    name: 'Ada',
    issuer: TEST_TOKEN_ISSUER,
    audience: TEST_TOKEN_AUDIENCE,
  });
  const result = await functions.handlers.postComment(
    postEvent(roomId, { text, clientMessageId }, { Authorization: `Bearer ${token}` }),
  );
  return { ...result, json: JSON.parse(result.body) as Record<string, unknown> };
};

describe('POST /v1/rooms/{roomId}/comments when DynamoDB fails', () => {
  it.each(['throttling', 'provisioned-throughput', 'transaction-throttled'] as const)(
    'answers 503 retryable with Retry-After and writes nothing while the transaction is throttled (%s)',
    async (fault) => {
      const room = await stores.room();
      injectOnPost(fault);

      const result = await post(room.roomId, 'm-1');

      expect(result.statusCode).toBe(503);
      expect(result.json).toMatchObject({ code: 'unavailable', retryable: true, retryAfterSec: 1 });
      expect(result.headers?.['Retry-After']).toBe('1');
      expect(await stores.commentItems(room.roomId, 1)).toEqual([]);
      expect(await stores.controlItems(room.roomId)).toEqual([]);
    },
  );

  it.each(['throttling', 'provisioned-throughput'] as const)(
    'stores the comment once when one attempt is throttled (%s: the client retries it itself)',
    async (fault) => {
      const room = await stores.room();
      injectOnPost(fault, 1);

      const result = await post(room.roomId, 'm-1');

      expect(result.statusCode).toBe(201);
      const stored = await stores.commentItems(room.roomId, 1);
      expect(stored.map((i) => i.sk)).toEqual([(result.json.comment as { id: string }).id]);
      expect(proxy.stats().faults[fault]).toBeGreaterThanOrEqual(1);
    },
  );

  it.each([
    ['ambiguous-500', 0],
    ['ambiguous-drop', 0],
    ['ambiguous-500', 30],
    ['ambiguous-drop', 30],
  ] as const)(
    'answers 201 with the comment that landed when the commit’s answer is lost (%s, slow mode %i s)',
    async (fault, slowModeSeconds) => {
      const room = await stores.room({ settings: { slowModeSeconds } });
      injectOnPost(fault, 1);

      const result = await post(room.roomId, 'm-1');

      expect(result.statusCode).toBe(201);
      expect(result.headers?.['Idempotent-Replayed']).toBe('true');
      const stored = await stores.commentItems(room.roomId, 1);
      expect(stored.map((i) => i.sk)).toEqual([(result.json.comment as { id: string }).id]);
    },
  );

  it('answers 503 while every attempt’s connection drops after the commit, then replays the landed comment', async () => {
    const room = await stores.room();
    injectOnPost('ambiguous-drop');

    const first = await post(room.roomId, 'm-1');
    proxy.setRules([]);
    const retry = await post(room.roomId, 'm-1');

    expect(first.statusCode).toBe(503);
    expect(first.json).toMatchObject({ code: 'unavailable', retryable: true });
    expect(retry.statusCode).toBe(201);
    expect(retry.headers?.['Idempotent-Replayed']).toBe('true');
    const stored = await stores.commentItems(room.roomId, 1);
    expect(stored.map((i) => i.sk)).toEqual([(retry.json.comment as { id: string }).id]);
  });

  it('answers 503 when the commit’s answer comes after the deadline, then replays the landed comment', async () => {
    const room = await stores.room({ settings: { slowModeSeconds: 30 } });
    injectOnPost('timeout', 1);

    const first = await post(room.roomId, 'm-1');
    const retry = await post(room.roomId, 'm-1');

    expect(first.statusCode).toBe(503);
    expect(first.json).toMatchObject({ code: 'unavailable', retryable: true });
    expect(retry.statusCode).toBe(201);
    expect(retry.headers?.['Idempotent-Replayed']).toBe('true');
    const stored = await stores.commentItems(room.roomId, 1);
    expect(stored.map((i) => i.sk)).toEqual([(retry.json.comment as { id: string }).id]);
    expect(proxy.stats().faults.timeout).toBeGreaterThanOrEqual(1);
  });
});
