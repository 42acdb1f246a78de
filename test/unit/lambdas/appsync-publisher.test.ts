import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AppSyncPublisher,
  PublishError,
  PUBLISH_MUTATION,
} from '../../../lambdas/adapters/appsync-publisher.js';
import { createMetrics } from '../../../lambdas/adapters/metrics.js';
import type { RoomEvent } from '../../../lambdas/domain/realtime/room-event.js';
import { captureEmf, emfDimensions } from '../../helpers/emf.js';

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret-test' };

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** An AppSync stand-in on loopback that answers each request with the next scripted reply. */
async function fakeAppSync(...replies: ((res: ServerResponse) => void)[]) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      (replies.shift() ?? ok)(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/graphql`, received };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => {
      const closed = new Promise((r) => s.close(r));
      s.closeAllConnections(); // the hanging request's socket too
      return closed;
    }),
  );
  vi.restoreAllMocks();
});

const ok = (res: ServerResponse) => reply(res, 200, { data: { publish: { id: '1' } } });
const status = (code: number) => (res: ServerResponse) => reply(res, code, { errors: [{ message: 'no' }] });
const graphqlError = (errorType: string) => (res: ServerResponse) =>
  reply(res, 200, { data: { publish: null }, errors: [{ errorType, message: errorType }] });
const hang = () => undefined; // never answers: the publisher's timeout must end the attempt

function reply(res: ServerResponse, code: number, body: unknown) {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const notice: RoomEvent<'NOTICE'> = {
  id: '01JTESTEVENT0000000000000A',
  roomId: 'room-1',
  kind: 'NOTICE',
  time: '2026-11-21T12:00:00.000Z',
  payload: { itemId: 'n1', level: 'info', text: 'Doors open in 5 minutes' },
};

function publisher(url: string, extra: Partial<ConstructorParameters<typeof AppSyncPublisher>[0]> = {}) {
  const delays: number[] = [];
  const metrics = { addMetric: vi.fn(), publishStoredMetrics: vi.fn() };
  const instance = new AppSyncPublisher({
    graphqlUrl: url,
    region: 'ap-northeast-1',
    credentials,
    // Generous: only the hanging-server test relies on the timeout, and sets its own.
    timeoutMs: 5_000,
    sleep: async (ms) => void delays.push(ms),
    random: () => 0.5,
    metrics,
    ...extra,
  });
  return { instance, delays, metrics };
}

describe('AppSyncPublisher', () => {
  it('sends the publish mutation with every filtered field selected and the payload as AWSJSON', async () => {
    const appsync = await fakeAppSync(ok);

    await publisher(appsync.url).instance.publish(notice);

    const sent = JSON.parse(appsync.received[0]!.body);
    expect(sent.query).toBe(PUBLISH_MUTATION);
    expect(sent.query).toMatch(/publish\(event: \$event\) \{[^}]*\broomId\b/);
    expect(sent.variables.event).toEqual({ ...notice, payload: JSON.stringify(notice.payload) });
  });

  it('signs the request with SigV4 for the appsync service, verifiably', async () => {
    const appsync = await fakeAppSync(ok);

    await publisher(appsync.url).instance.publish(notice);

    const { headers, body } = appsync.received[0]!;
    const authorization = String(headers.authorization);
    expect(authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/ap-northeast-1\/appsync\/aws4_request, SignedHeaders=[^,]*host[^,]*, Signature=[0-9a-f]{64}$/,
    );
    // Re-signing what the server received with the same key and time gives the same signature.
    const url = new URL(appsync.url);
    const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)![1]!.split(';');
    const again = await new SignatureV4({
      credentials,
      region: 'ap-northeast-1',
      service: 'appsync',
      sha256: Sha256,
    }).sign(
      new HttpRequest({
        method: 'POST',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: url.pathname,
        headers: Object.fromEntries(signedHeaders.map((h) => [h, String(headers[h])])),
        body,
      }),
      { signingDate: parseAmzDate(String(headers['x-amz-date'])) },
    );
    expect(again.headers.authorization).toBe(authorization);
  });

  it('sends the request’s correlation id as x-correlation-id, signed, on every attempt', async () => {
    const appsync = await fakeAppSync(status(503), ok);

    await publisher(appsync.url, { correlationId: () => 'api-req-42' }).instance.publish(notice);

    expect(appsync.received.map((r) => r.headers['x-correlation-id'])).toEqual(['api-req-42', 'api-req-42']);
    expect(String(appsync.received[0]!.headers.authorization)).toMatch(/SignedHeaders=[^,]*x-correlation-id/);
  });

  it('sends no correlation header outside a request', async () => {
    const appsync = await fakeAppSync(ok);

    await publisher(appsync.url, { correlationId: () => undefined }).instance.publish(notice);

    expect(appsync.received[0]!.headers).not.toHaveProperty('x-correlation-id');
  });

  it('retries a 503 with jittered, growing backoff and then succeeds', async () => {
    const appsync = await fakeAppSync(status(503), status(503), ok);
    const { instance, delays, metrics } = publisher(appsync.url, { maxAttempts: 3, baseDelayMs: 100 });

    await instance.publish(notice);

    expect(appsync.received).toHaveLength(3);
    expect(delays).toEqual([50, 100]); // random 0.5 × 100 × 2^(attempt-1)
    expect(metrics.addMetric).not.toHaveBeenCalled();
  });

  it('retries throttling reported as a GraphQL error', async () => {
    const appsync = await fakeAppSync(graphqlError('Throttling'), ok);

    await publisher(appsync.url).instance.publish(notice);

    expect(appsync.received).toHaveLength(2);
  });

  it('ends a hanging attempt at the timeout and retries it', async () => {
    const appsync = await fakeAppSync(hang, ok);

    await publisher(appsync.url, { timeoutMs: 300 }).instance.publish(notice);

    expect(appsync.received).toHaveLength(2);
  });

  it('gives up after maxAttempts with a retryable error and counts the failure once', async () => {
    const appsync = await fakeAppSync(status(500), status(502), status(503));
    const { instance, metrics } = publisher(appsync.url, { maxAttempts: 3 });

    const error = await instance.publish(notice).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PublishError);
    expect(error).toMatchObject({ retryable: true, attempts: 3 });
    expect(appsync.received).toHaveLength(3);
    expect(metrics.addMetric).toHaveBeenCalledTimes(1);
    expect(metrics.addMetric).toHaveBeenCalledWith('RealtimePublishFailed', 'Count', 1);
    expect(metrics.publishStoredMetrics).toHaveBeenCalledTimes(1);
  });

  it('counts a failure with Powertools Metrics as one EMF document carrying the service and stage dimensions', async () => {
    const appsync = await fakeAppSync(status(401));
    const { instance } = publisher(appsync.url, { metrics: createMetrics('prod') });
    const emitted = captureEmf();

    await instance.publish(notice).catch(() => undefined);

    const [emf, ...more] = emitted();
    expect(more).toEqual([]);
    expect(emf).toMatchObject({
      _aws: {
        CloudWatchMetrics: [{ Namespace: 'HybridLiveChat', Metrics: [{ Name: 'RealtimePublishFailed' }] }],
      },
      RealtimePublishFailed: 1,
    });
    expect(emfDimensions(emf!)).toEqual({ service: 'hybrid-live-chat', stage: 'prod' });
  });

  it.each([
    ['an unauthorized request (HTTP 401)', status(401)],
    ['a rejected request (HTTP 400)', status(400)],
    ['an Unauthorized GraphQL error', graphqlError('Unauthorized')],
  ])('does not retry %s', async (_, answer) => {
    const appsync = await fakeAppSync(answer, ok);
    const { instance, metrics } = publisher(appsync.url);

    const error = await instance.publish(notice).catch((e: unknown) => e);

    expect(error).toMatchObject({ retryable: false, attempts: 1 });
    expect(appsync.received).toHaveLength(1);
    expect(metrics.addMetric).toHaveBeenCalledTimes(1);
  });

  it('refuses an invalid event before sending anything', async () => {
    const appsync = await fakeAppSync(ok);
    const bad = { ...notice, payload: { ...notice.payload, level: 'loud' } } as unknown as RoomEvent;

    await expect(publisher(appsync.url).instance.publish(bad)).rejects.toThrow(/level/);
    await expect(publisher(appsync.url).instance.publish({ ...notice, roomId: 'a#b' })).rejects.toThrow(
      /room id/,
    );
    expect(appsync.received).toHaveLength(0);
  });
});

function parseAmzDate(value: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value)!;
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}
