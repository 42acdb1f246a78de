import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canaryStepMetric, CANARY_METRICS } from '../../lambdas/handlers/canary.js';
import { DynamoRoomStore } from '../../lambdas/adapters/dynamodb/room-store.js';
import { createDynamoClient } from '../../lambdas/adapters/dynamodb/client.js';
import { CANARY_CHANNEL_ID } from '../../lambdas/domain/canary/room-ids.js';
import { LOCAL_CREDENTIALS } from '../../local/appsync/auth.js';
import { webSocketTrusting } from '../../local/adapters/trusting-websocket.js';
import { LocalCanary, type LocalCanaryRun } from '../../local/canary.js';
import { composeLocalCanary, LOCAL_REGION, type LocalCanaryOptions } from '../../local/composition.js';
import { startLocalStack, type LocalStack } from '../../local/stack.js';

/**
 * The canary against the local stack (ADR 0032): the same handler CDK deploys, subscribing over
 * the AppSync stand-in's wss endpoint, publishing through the backend's publisher, posting and
 * polling through the local edge with a dev token.
 */
let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ seed: false });
});
afterAll(async () => {
  await stack?.stop();
});

/** A port nothing listens on: taken, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A second canary wired like the stack's, with `overrides` breaking one part of its path. */
function canaryWith(overrides: Partial<LocalCanaryOptions>): LocalCanary {
  const { realtime } = stack;
  return new LocalCanary(
    composeLocalCanary({
      dynamodbEndpoint: stack.dynamodbEndpoint,
      tables: stack.tables,
      edgeUrl: stack.edgeUrl,
      realtime: {
        publishUrl: realtime.httpGraphqlUrl,
        graphqlUrl: realtime.graphqlUrl,
        realtimeUrl: realtime.realtimeUrl,
        apiKey: realtime.apiKey,
      },
      WebSocket: webSocketTrusting(realtime.certificatePem),
      viewerToken: async () =>
        (await stack.tokens.issue({ userId: 'canary', displayName: 'Canary', ttlSeconds: 300 })).token,
      // The failures below are meant: their error logs would only be noise here.
      logLevel: 'SILENT',
      ...overrides,
    }),
    0,
  );
}

const outcomes = (run: LocalCanaryRun) =>
  Object.fromEntries(Object.entries(run.steps).map(([name, step]) => [name, step.outcome]));
const metric = (run: LocalCanaryRun, name: string) => run.metrics.find((m) => m.name === name)?.value;

describe('the local canary', () => {
  it('succeeds against the local stack: room made, PING pushed back, comment polled back through the edge', async () => {
    const run = await stack.canary.runNow();

    expect(outcomes(run)).toEqual({ room: 'ok', subscribe: 'ok', push: 'ok', post: 'ok', poll: 'ok' });
    expect(run.failed).toBe(false);
    const { push, post, poll } = run.steps;
    expect(push.latencyMs).toBeGreaterThanOrEqual(0);
    // Post-to-poll counts from the post's start, so it includes the post itself.
    expect(poll.latencyMs).toBeGreaterThanOrEqual(post.latencyMs!);
    expect(metric(run, CANARY_METRICS.runFailed)).toBe(0);
    expect(metric(run, CANARY_METRICS.pushLatency)).toBe(push.latencyMs);
    expect(metric(run, CANARY_METRICS.postToPollLatency)).toBe(poll.latencyMs);
    for (const step of ['room', 'subscribe', 'push', 'post', 'poll'] as const) {
      expect(metric(run, canaryStepMetric(step))).toBe(0);
    }

    // The room is the canary's own, and the comment went through the edge (its counters saw the polls).
    const rooms = new DynamoRoomStore(
      createDynamoClient({
        region: LOCAL_REGION,
        endpoint: stack.dynamodbEndpoint,
        credentials: LOCAL_CREDENTIALS,
      }),
      stack.tables.control,
    );
    const room = await rooms.get(stack.canary.roomId);
    expect(room).toMatchObject({ channelId: CANARY_CHANNEL_ID, status: 'open' });
    const live = (await (await fetch(`${stack.edgeUrl}/v1/rooms/${stack.canary.roomId}/live`)).json()) as {
      comments: { userId: string; text: string }[];
    };
    expect(live.comments.some((c) => c.userId === 'canary' && c.text.startsWith('canary '))).toBe(true);
  });

  it('shows its recent runs, newest first, at GET /local/canary, and runs on POST /local/canary/runs', async () => {
    const before = stack.canary.recent().length;
    const res = await fetch(`${stack.edgeUrl}/local/canary/runs`, { method: 'POST' });
    expect(res.status).toBe(201);
    const posted = (await res.json()) as LocalCanaryRun;

    const shown = (await (await fetch(`${stack.edgeUrl}/local/canary`)).json()) as {
      roomId: string;
      intervalMs: number;
      runs: LocalCanaryRun[];
    };

    expect(shown.roomId).toBe('canary');
    expect(shown.intervalMs).toBe(0);
    expect(shown.runs).toHaveLength(before + 1);
    expect(shown.runs[0]).toEqual(posted);
    expect(shown.runs[0]!.steps.poll.outcome).toBe('ok');
  });

  it('runs on its timer when given an interval', async () => {
    const timed = new LocalCanary(
      composeLocalCanary({
        dynamodbEndpoint: stack.dynamodbEndpoint,
        tables: stack.tables,
        edgeUrl: stack.edgeUrl,
        realtime: {
          publishUrl: stack.realtime.httpGraphqlUrl,
          graphqlUrl: stack.realtime.graphqlUrl,
          realtimeUrl: stack.realtime.realtimeUrl,
          apiKey: stack.realtime.apiKey,
        },
        WebSocket: webSocketTrusting(stack.realtime.certificatePem),
        viewerToken: async () => undefined,
        logLevel: 'SILENT',
      }),
      50,
    );
    try {
      await expect.poll(() => timed.recent().length, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
      expect(timed.recent()[0]!.steps.post.outcome).toBe('not_configured');
    } finally {
      await timed.stop();
    }
  });

  it('reports the push step failed, and the run failed, when AppSync publishing fails', async () => {
    const canary = canaryWith({
      realtime: {
        publishUrl: `http://127.0.0.1:${await closedPort()}/graphql`,
        graphqlUrl: stack.realtime.graphqlUrl,
        realtimeUrl: stack.realtime.realtimeUrl,
        apiKey: stack.realtime.apiKey,
      },
    });

    const run = await canary.runNow();

    expect(outcomes(run)).toEqual({ room: 'ok', subscribe: 'ok', push: 'failed', post: 'ok', poll: 'ok' });
    expect(run.steps.push.error).toMatch(/publishing the PING failed/);
    expect(run.failed).toBe(true);
    expect(metric(run, CANARY_METRICS.runFailed)).toBe(1);
    expect(metric(run, canaryStepMetric('push'))).toBe(1);
    expect(metric(run, CANARY_METRICS.pushLatency)).toBeUndefined();
  });

  it('reports the post failed and skips the poll when the edge is unreachable', async () => {
    const canary = canaryWith({ edgeUrl: `http://127.0.0.1:${await closedPort()}` });

    const run = await canary.runNow();

    expect(outcomes(run)).toEqual({
      room: 'ok',
      subscribe: 'ok',
      push: 'ok',
      post: 'failed',
      poll: 'skipped',
    });
    expect(run.steps.post.error).toMatch(/network/);
    expect(metric(run, CANARY_METRICS.runFailed)).toBe(1);
    expect(metric(run, canaryStepMetric('post'))).toBe(1);
    expect(metric(run, CANARY_METRICS.postToPollLatency)).toBeUndefined();
  });

  it('reports the subscription failed when the API key is refused, and skips the push', async () => {
    const canary = canaryWith({
      realtime: {
        publishUrl: stack.realtime.httpGraphqlUrl,
        graphqlUrl: stack.realtime.graphqlUrl,
        realtimeUrl: stack.realtime.realtimeUrl,
        apiKey: 'da2-notthekey00000000000000000',
      },
    });

    const run = await canary.runNow();

    expect(outcomes(run)).toMatchObject({ subscribe: 'failed', push: 'skipped', post: 'ok', poll: 'ok' });
    expect(run.steps.subscribe.error).toMatch(/realtime_unauthorized/);
  });

  it('reports the subscription failed, saying why, when the realtime endpoint is unreachable', async () => {
    const canary = canaryWith({
      realtime: {
        publishUrl: stack.realtime.httpGraphqlUrl,
        graphqlUrl: stack.realtime.graphqlUrl,
        realtimeUrl: `wss://127.0.0.1:${await closedPort()}/graphql/realtime`,
        apiKey: stack.realtime.apiKey,
      },
      timeouts: { subscribeMs: 1_500 },
    });

    const run = await canary.runNow();

    expect(outcomes(run)).toMatchObject({ subscribe: 'failed', push: 'skipped', post: 'ok', poll: 'ok' });
    expect(run.steps.subscribe.error).toMatch(/not subscribed in time/);
  });

  it('says not_configured, not failed, when it has no viewer token', async () => {
    const canary = canaryWith({ viewerToken: async () => undefined });

    const run = await canary.runNow();

    expect(outcomes(run)).toEqual({
      room: 'ok',
      subscribe: 'ok',
      push: 'ok',
      post: 'not_configured',
      poll: 'skipped',
    });
    expect(run.failed).toBe(false);
  });
});
