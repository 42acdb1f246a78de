import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { AppSyncPublisher } from '../lambdas/adapters/appsync-publisher.js';
import { newCommentId } from '../lambdas/domain/feed/ids.js';
import { startLocalAppSync } from '../local/appsync/server.js';
import { summarize, type Summary } from './stats.js';

/**
 * Publish-to-receive latency to many local subscribers: the realtime path as
 * the backend uses it (SigV4-signed `publish` mutation → the local AppSync
 * endpoint → its filters → every subscriber's WebSocket), beside a bare `ws`
 * server broadcasting the same `data` message to as many sockets — the floor
 * for delivering one message to N sockets in this process. Rounds of the two
 * alternate, so both see the same machine load. Loopback only.
 */
export interface RealtimeBenchOptions {
  readonly subscribers: number;
  readonly rounds: number;
  readonly progress?: (line: string) => void;
}

export interface RealtimeBenchResult {
  readonly subscribers: number;
  readonly rounds: number;
  /** Milliseconds from the publish call to each subscriber's receipt. */
  readonly appsync: Summary;
  /** Milliseconds from the broadcast call to each socket's receipt. */
  readonly bareWs: Summary;
  /** appsync ÷ bareWs: what the realtime path costs over the bare floor. */
  readonly ratio: { readonly p50: number; readonly p99: number };
}

const ROOM = 'bench-room';
/** Enough for V8 to settle after the first HTTP publishes (it re-optimises the socket writers then). */
const WARMUP_ROUNDS = 5;
const ROUND_TIMEOUT_MS = 30_000;
const SUBSCRIPTION = `subscription S($roomId: ID!) { onRoomEvent(roomId: $roomId) { id roomId kind time payload } }`;

export async function benchRealtime(options: RealtimeBenchOptions): Promise<RealtimeBenchResult> {
  const log = options.progress ?? (() => undefined);
  log(`bare ws broadcast and the AppSync path, ${options.subscribers} sockets each…`);
  const bare = await bareWsPath(options);
  const appsync = await appSyncPath(options, log);
  try {
    // Rounds alternate between the paths (and which goes first), so both see the same machine load.
    log(`${options.rounds} rounds each, alternating…`);
    const samples = { bare: [] as number[], appsync: [] as number[] };
    for (let round = 0; round < WARMUP_ROUNDS + options.rounds; round++) {
      const order = round % 2 === 0 ? (['bare', 'appsync'] as const) : (['appsync', 'bare'] as const);
      for (const which of order) {
        const latencies = await (which === 'bare' ? bare : appsync).round();
        if (round >= WARMUP_ROUNDS) samples[which].push(...latencies);
      }
    }
    const bareWs = summarize(samples.bare);
    const appsyncSummary = summarize(samples.appsync);
    const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
    return {
      subscribers: options.subscribers,
      rounds: options.rounds,
      appsync: appsyncSummary,
      bareWs,
      ratio: { p50: ratio(appsyncSummary.p50, bareWs.p50), p99: ratio(appsyncSummary.p99, bareWs.p99) },
    };
  } finally {
    await Promise.all([bare.close(), appsync.close()]);
  }
}

/** One path under test: a round sends one event and resolves every subscriber's latency. */
interface Path {
  round(): Promise<number[]>;
  close(): Promise<void>;
}

/** Receipt times per event id, and a way to wait until every socket has one. */
class Receipts {
  private readonly times = new Map<string, number[]>();
  private waiter: { id: string; resolve: () => void } | undefined;

  constructor(private readonly expected: number) {}

  record(id: string): void {
    const at = performance.now();
    const list = this.times.get(id) ?? [];
    list.push(at);
    this.times.set(id, list);
    if (this.waiter?.id === id && list.length >= this.expected) this.waiter.resolve();
  }

  all(id: string): Promise<number[]> {
    if ((this.times.get(id)?.length ?? 0) >= this.expected) return Promise.resolve(this.times.get(id)!);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`Only ${this.times.get(id)?.length ?? 0} of ${this.expected} received ${id}.`)),
        ROUND_TIMEOUT_MS,
      );
      this.waiter = {
        id,
        resolve: () => {
          clearTimeout(timer);
          this.waiter = undefined;
          resolve(this.times.get(id)!);
        },
      };
    });
  }
}

/** Sends one event and waits for every receipt: the milliseconds from send to each. */
async function oneRound(receipts: Receipts, send: (id: string) => Promise<void> | void): Promise<number[]> {
  const id = newCommentId(Date.now());
  const sentAt = performance.now();
  await send(id);
  const received = await receipts.all(id);
  return received.map((at) => at - sentAt);
}

async function openAll<T>(count: number, open: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < count; i += 100) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(100, count - i) }, open))));
  }
  return out;
}

async function bareWsPath(options: RealtimeBenchOptions): Promise<Path> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const receipts = new Receipts(options.subscribers);
  const clients = await openAll(options.subscribers, async () => {
    const ws = new WebSocket(url);
    ws.on('message', (data) => receipts.record(JSON.parse(String(data)).payload.data.onRoomEvent.id));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    return ws;
  });
  return {
    round: () =>
      oneRound(receipts, (id) => {
        // The message a subscriber receives from the AppSync path, built the same way.
        const message = JSON.stringify({
          type: 'data',
          id: 'sub-1',
          payload: {
            data: {
              onRoomEvent: {
                id,
                roomId: ROOM,
                kind: 'PING',
                time: new Date().toISOString(),
                payload: '{"nonce":"bench"}',
              },
            },
          },
        });
        for (const socket of server.clients) socket.send(message);
      }),
    close: async () => {
      for (const ws of clients) ws.terminate();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function appSyncPath(options: RealtimeBenchOptions, log: (line: string) => void): Promise<Path> {
  const appsync = await startLocalAppSync({});
  const receipts = new Receipts(options.subscribers);
  const header = Buffer.from(
    JSON.stringify({ host: new URL(appsync.httpGraphqlUrl).host, 'x-api-key': appsync.apiKey }),
  ).toString('base64');
  const url = `${appsync.httpRealtimeUrl}?header=${header}&payload=e30=`;
  const clients = await openAll(options.subscribers, async () => {
    const ws = new WebSocket(url, ['graphql-ws']);
    const acked = new Promise<void>((resolve, reject) => {
      ws.on('message', (data) => {
        const message = JSON.parse(String(data));
        if (message.type === 'connection_ack') {
          ws.send(
            JSON.stringify({
              id: 'sub-1',
              type: 'start',
              payload: {
                data: JSON.stringify({ query: SUBSCRIPTION, variables: { roomId: ROOM } }),
                extensions: {
                  authorization: { host: new URL(appsync.httpGraphqlUrl).host, 'x-api-key': appsync.apiKey },
                },
              },
            }),
          );
        } else if (message.type === 'start_ack') resolve();
        else if (message.type === 'data') receipts.record(message.payload.data.onRoomEvent.id);
        else if (message.type === 'error' || message.type === 'connection_error')
          reject(new Error(String(data)));
      });
      ws.once('error', reject);
    });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    ws.send(JSON.stringify({ type: 'connection_init' }));
    await acked;
    return ws;
  });
  log(`  ${clients.length} subscribers acknowledged`);
  const publisher = new AppSyncPublisher({
    graphqlUrl: appsync.httpGraphqlUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    timeoutMs: ROUND_TIMEOUT_MS,
    maxAttempts: 1,
  });
  return {
    round: () =>
      oneRound(receipts, (id) =>
        publisher.publish({
          id,
          roomId: ROOM,
          kind: 'PING',
          time: new Date().toISOString(),
          payload: { nonce: 'bench' },
        }),
      ),
    close: async () => {
      for (const ws of clients) ws.terminate();
      await appsync.stop();
    },
  };
}
