import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RoomShardGrower } from '../../../lambdas/adapters/capacity/aws-capacity-controls.js';
import {
  LOCAL_RESOURCES,
  LocalCapacityControls,
  LocalScalerInvoker,
  LocalScheduleStore,
} from '../../../local/adapters/control-plane-client.js';
import type { CapacityChange, CapacityState, ScalerRun } from '../../../lambdas/domain/capacity/ports.js';
import { BASELINE_TARGET } from '../../../lambdas/domain/capacity/target.js';
import type { RoomShards } from '../../../lambdas/domain/feed/shards.js';

interface Seen {
  method: string;
  url: string;
  contentType: string | undefined;
  body: unknown;
}

/** A stand-in for the local runtime: records each request and answers with what the test queued. */
let server: Server;
let base: string;
const seen: Seen[] = [];
let answer: (req: IncomingMessage) => { status: number; body?: unknown } = () => ({ status: 500 });

beforeAll(async () => {
  server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    seen.push({
      method: req.method!,
      url: req.url!,
      contentType: req.headers['content-type'],
      body: text ? JSON.parse(text) : undefined,
    });
    const { status, body } = answer(req);
    res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen.length = 0;
});

const state: CapacityState = {
  provisionedConcurrency: { postComment: 3, getLive: 0, getSegment: 0 },
  warmThroughput: {
    comments: { readUnitsPerSecond: 12_000, writeUnitsPerSecond: 4_000 },
    control: { readUnitsPerSecond: 12_000, writeUnitsPerSecond: 4_000 },
  },
  stageThrottling: { rateLimit: 1_000, burstLimit: 500 },
  routeThrottling: { 'GET /v1/rooms/{roomId}/live': { rateLimit: 300, burstLimit: 100 } },
};

class RecordingGrower implements RoomShardGrower {
  readonly calls: [string, RoomShards, RoomShards][] = [];
  outcome: 'grown' | 'stale' | 'not-found' = 'grown';
  async growWriteShards(roomId: string, from: RoomShards, to: RoomShards) {
    this.calls.push([roomId, from, to]);
    return this.outcome;
  }
}

const tableNames = { comments: 'local-comments', control: 'local-control' };

describe('LocalCapacityControls', () => {
  it('reads the state from the runtime', async () => {
    answer = () => ({ status: 200, body: state });

    const read = await new LocalCapacityControls(base, tableNames, new RecordingGrower()).read();

    expect(read).toEqual(state);
    expect(seen).toEqual([
      { method: 'GET', url: '/local/control-plane/state', contentType: undefined, body: undefined },
    ]);
  });

  it('refuses a malformed state', async () => {
    answer = () => ({ status: 200, body: { ...state, provisionedConcurrency: { postComment: -1 } } });

    await expect(new LocalCapacityControls(base, tableNames, new RecordingGrower()).read()).rejects.toThrow(
      /state is malformed/,
    );
  });

  it('posts each change with the AWS request it stands for', async () => {
    answer = () => ({ status: 200, body: { state } });
    const controls = new LocalCapacityControls(base, tableNames, new RecordingGrower());
    const change: CapacityChange = {
      kind: 'provisioned-concurrency.set',
      function: 'getLive',
      from: 0,
      to: 7,
    };

    await controls.apply(change);

    expect(seen).toEqual([
      {
        method: 'POST',
        url: '/local/control-plane/calls',
        contentType: 'application/json',
        body: {
          calls: [
            {
              change,
              api: {
                service: 'lambda',
                operation: 'PutProvisionedConcurrencyConfig',
                input: {
                  FunctionName: LOCAL_RESOURCES.functionNames.getLive,
                  Qualifier: 'live',
                  ProvisionedConcurrentExecutions: 7,
                },
              },
            },
          ],
        },
      },
    ]);
  });

  it('describes warm throughput on the local tables', () => {
    const controls = new LocalCapacityControls(base, tableNames, new RecordingGrower());

    expect(
      controls.describe({
        kind: 'warm-throughput.raise',
        table: 'comments',
        from: { readUnitsPerSecond: 1, writeUnitsPerSecond: 1 },
        to: { readUnitsPerSecond: 2, writeUnitsPerSecond: 1 },
      }).input,
    ).toMatchObject({ TableName: 'local-comments' });
  });

  it('grows room shards in the room store, not through the runtime', async () => {
    const grower = new RecordingGrower();
    const change: CapacityChange = {
      kind: 'room-shards.grow',
      roomId: 'gig',
      from: { write: 1, read: 1 },
      to: { write: 3, read: 3 },
    };

    await new LocalCapacityControls(base, tableNames, grower).apply(change);

    expect(grower.calls).toEqual([['gig', change.from, change.to]]);
    expect(seen).toEqual([]);

    grower.outcome = 'stale';
    await expect(new LocalCapacityControls(base, tableNames, grower).apply(change)).rejects.toThrow(
      /could not grow \(stale\)/,
    );
  });

  it('fails with the status when the runtime refuses a call', async () => {
    answer = () => ({ status: 503, body: { message: 'busy' } });

    await expect(
      new LocalCapacityControls(base, tableNames, new RecordingGrower()).apply({
        kind: 'stage-throttle.set',
        from: null,
        to: { rateLimit: 1, burstLimit: 1 },
      }),
    ).rejects.toThrow(/answered 503 to POST \/local\/control-plane\/calls/);
  });

  it('fails when nothing listens', async () => {
    await expect(
      new LocalCapacityControls('http://127.0.0.1:9', tableNames, new RecordingGrower()).read(),
    ).rejects.toThrow();
  });
});

describe('LocalScheduleStore', () => {
  it('puts a schedule with its time and request, and tells created from updated', async () => {
    let status = 201;
    answer = () => ({ status });
    const store = new LocalScheduleStore(base);
    const at = Date.UTC(2030, 0, 1, 11, 30);

    await expect(store.put('scale-up-gig', at, { reason: 'schedule', roomId: 'gig' })).resolves.toBe(
      'created',
    );
    status = 200;
    await expect(store.put('scale-up-gig', at, { reason: 'schedule', roomId: 'gig' })).resolves.toBe(
      'updated',
    );

    expect(seen[0]).toEqual({
      method: 'PUT',
      url: '/local/schedules/scale-up-gig',
      contentType: 'application/json',
      body: { at: '2030-01-01T11:30:00.000Z', request: { reason: 'schedule', roomId: 'gig' } },
    });
  });

  it('deletes a schedule: 204 deleted, 404 missing, anything else an error', async () => {
    let status = 204;
    answer = () => ({ status });
    const store = new LocalScheduleStore(base);

    await expect(store.delete('scale-down-gig')).resolves.toBe(true);
    status = 404;
    await expect(store.delete('scale-down-gig')).resolves.toBe(false);
    status = 500;
    await expect(store.delete('scale-down-gig')).rejects.toThrow(/answered 500/);
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(
      Array(3).fill('DELETE /local/schedules/scale-down-gig'),
    );
  });
});

describe('LocalScalerInvoker', () => {
  const aRun: ScalerRun = {
    at: '2030-01-01T12:00:00.000Z',
    dryRun: false,
    reason: 'manual',
    target: BASELINE_TARGET,
    warnings: [],
    calls: [],
    applied: 0,
    skipped: [],
  };

  it('queues a run (202)', async () => {
    answer = () => ({ status: 202 });

    await new LocalScalerInvoker(base).runSoon({ reason: 'room-changed', roomId: 'gig' });

    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: '/local/scaler/invocations',
      body: { request: { reason: 'room-changed', roomId: 'gig' }, invocationType: 'Event' },
    });
  });

  it('carries the caller’s correlation id in the request', async () => {
    answer = () => ({ status: 200, body: aRun });

    await new LocalScalerInvoker(base, () => 'api-req-3').run({ reason: 'manual' });

    expect(seen[0]!.body).toEqual({
      request: { reason: 'manual', correlationId: 'api-req-3' },
      invocationType: 'RequestResponse',
    });
  });

  it('runs and returns the run (200)', async () => {
    answer = () => ({ status: 200, body: aRun });

    await expect(new LocalScalerInvoker(base).run({ reason: 'manual' })).resolves.toEqual(aRun);
    expect(seen[0]!.body).toEqual({ request: { reason: 'manual' }, invocationType: 'RequestResponse' });
  });

  it("surfaces a failed run with the runtime's message", async () => {
    answer = () => ({ status: 500, body: { errorMessage: 'REST_API_ID is not set' } });

    await expect(new LocalScalerInvoker(base).run({ reason: 'manual' })).rejects.toThrow(
      /answered 500 .*REST_API_ID is not set/,
    );
  });
});
