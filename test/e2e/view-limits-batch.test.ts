import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../lambdas/adapters/dynamodb/client.js';
import { DynamoPlanStore } from '../../lambdas/adapters/dynamodb/plan-store.js';
import { LOCAL_CREDENTIALS } from '../../local/appsync/auth.js';
import { LOCAL_REGION } from '../../local/composition.js';
import { startLocalStack, type LocalStack } from '../../local/stack.js';

/**
 * The view-limit batch in the local stack (ADR 0039): the scheduler handler reads the plans from
 * DynamoDB Local, sends a job per limited channel to the local queue, and the worker handler runs
 * limits' computation on it — the wiring `npm start` uses.
 */
let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ seed: false });
});
afterAll(async () => {
  await stack?.stop();
});

describe('the view-limit batch in the local stack', () => {
  it('enqueues each limited channel, runs the worker on it, records the run, and shows it at GET /local/limits', async () => {
    // Prepare
    const db = createDynamoClient({
      region: LOCAL_REGION,
      endpoint: stack.dynamodbEndpoint,
      credentials: LOCAL_CREDENTIALS,
    });
    const plans = new DynamoPlanStore(db, stack.tables.control);
    const channelId = `ch-${Date.now()}`;
    await plans.put(channelId, { maxComments: 100, days: 7 }, { updatedAt: new Date().toISOString() });

    // Act
    const run = await stack.limits.runNow();

    // Assess
    expect(run.enqueued).toBeGreaterThanOrEqual(1);
    expect(run.batches.flatMap((b) => b.failed)).toEqual([]);
    expect(run.batches.reduce((n, b) => n + b.deleted.length, 0)).toBe(run.enqueued);
    const stored = await plans.get(channelId);
    expect(stored?.lastRun).toMatchObject({ channelId, reason: 'schedule', outcome: 'computed' });
    const response = await fetch(`${stack.edgeUrl}/local/limits`);
    expect(response.status).toBe(200);
    const state = (await response.json()) as { queue: unknown; deadLetters: unknown[]; batches: unknown[] };
    expect(state.queue).toEqual({ visible: 0, inFlight: 0 });
    expect(state.deadLetters).toEqual([]);
    expect(state.batches.length).toBeGreaterThanOrEqual(1);
  });
});
