import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { ulid } from 'ulid';
import { expect } from 'vitest';
import WebSocket from 'ws';
import { PUBLISH_MUTATION } from '../../lambdas/adapters/appsync-publisher.js';
import { readWireEvent, type RoomEvent } from '../../lambdas/domain/realtime/room-event.js';
import type { LocalStack } from '../../local/stack.js';

/**
 * A raw AppSync realtime client and GraphQL helpers for tests against the
 * local stack's AppSync stand-in. Call `useRealtime(stack.realtime)` first.
 */
let current: LocalStack['realtime'] | undefined;
export function useRealtime(realtime: LocalStack['realtime']): void {
  current = realtime;
}
function target(): LocalStack['realtime'] {
  if (!current) throw new Error('Call useRealtime(stack.realtime) before using the realtime helpers.');
  return current;
}

/** Upper bound of every wait for a message: generous, never a timing assertion. */
export const WAIT_MS = 10_000;

export interface WireError {
  errorType: string;
  message: string;
  errorCode?: number;
  path?: unknown;
}
export interface Message {
  type: string;
  id?: string;
  payload?: {
    connectionTimeoutMs?: number;
    errors?: WireError[];
    data?: Record<string, Record<string, unknown> | null>;
  };
}
export interface GraphqlBody {
  data?: Record<string, unknown> | null;
  errors?: WireError[];
}

/** The event of a `data` message (its one field, whatever the alias). */
export const eventOf = (m: Message) => Object.values(m.payload?.data ?? {})[0] ?? undefined;
export const errorOf = (m: Message) => m.payload?.errors?.[0];

/** The subscription documents players get from the connection-info endpoint. */
export { GLOBAL_EVENT, ROOM_EVENT } from '../../lambdas/domain/realtime/subscriptions.js';

/** The very mutation the backend publisher sends. */
export const PUBLISH = PUBLISH_MUTATION;

let counter = 0;
export const room = () => `room-${++counter}-${Date.now().toString(36)}`;

export function ping(roomId: string): RoomEvent<'PING'> {
  return { id: ulid(), roomId, kind: 'PING', time: new Date().toISOString(), payload: { nonce: ulid() } };
}

export const wire = (event: RoomEvent) => ({ ...event, payload: JSON.stringify(event.payload) });

export const hostOf = (url: string) => new URL(url).host;
export const base64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');
export const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export const apiKeyHeaders = (apiKey = target().apiKey) => ({
  host: hostOf(target().graphqlUrl),
  'x-api-key': apiKey,
});

/** SigV4 headers for a POST of `body` to `url`, as the AWS SDK's signer makes them. */
export async function sigV4(
  url: string,
  body: string,
  secretAccessKey = 'local',
  signingDate?: Date,
): Promise<Record<string, string>> {
  const target = new URL(url);
  const signer = new SignatureV4({
    credentials: { accessKeyId: 'local', secretAccessKey },
    region: 'us-east-1',
    service: 'appsync',
    sha256: Sha256,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: target.protocol,
      hostname: target.hostname,
      port: Number(target.port),
      path: target.pathname,
      headers: { host: target.host, 'content-type': 'application/json' },
      body,
    }),
    signingDate ? { signingDate } : {},
  );
  return signed.headers as Record<string, string>;
}

export async function graphql(body: string, headers: Record<string, string>) {
  const res = await fetch(target().httpGraphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: res.status, body: (await res.json()) as GraphqlBody };
}

/** Publishes through the IAM-only mutation, signed with the local credentials. */
export async function publish(event: RoomEvent, query = PUBLISH) {
  const body = JSON.stringify({ query, variables: { event: wire(event) } });
  const result = await graphql(body, await sigV4(target().httpGraphqlUrl, body));
  expect(result.body.errors).toBeUndefined();
  return result;
}

/** A raw AppSync realtime client: records every message, waits (bounded) for the ones a test expects. */
export class RawClient {
  readonly messages: Message[] = [];
  private readonly listeners = new Set<() => void>();
  private closeCode: number | undefined;
  private sequence = 0;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)) as Message);
      for (const listener of this.listeners) listener();
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      for (const listener of this.listeners) listener();
    });
  }

  static async open(
    options: {
      auth?: 'query' | 'subprotocol' | 'none';
      headers?: Record<string, unknown>;
      tls?: boolean;
    } = {},
  ): Promise<RawClient> {
    const auth = options.auth ?? 'query';
    const headers = options.headers ?? apiKeyHeaders();
    const base = options.tls ? target().realtimeUrl : target().httpRealtimeUrl;
    const url = auth === 'query' ? `${base}?header=${base64(headers)}&payload=${base64({})}` : base;
    const protocols =
      auth === 'subprotocol' ? ['graphql-ws', `header-${base64url(headers)}`] : ['graphql-ws'];
    const ws = new WebSocket(url, protocols, options.tls ? { ca: target().certificatePem } : {});
    const client = new RawClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  /** Opens, sends `connection_init` and waits for `connection_ack`. */
  static async connect(options: Parameters<typeof RawClient.open>[0] = {}): Promise<RawClient> {
    const client = await RawClient.open(options);
    client.send({ type: 'connection_init' });
    await client.next((m) => m.type === 'connection_ack');
    return client;
  }

  send(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }

  /** The first message (from `from` on) that satisfies `predicate`, waiting at most WAIT_MS. */
  next(predicate: (m: Message) => boolean, from = 0): Promise<Message> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.messages.slice(from).find(predicate);
        if (found) {
          done();
          resolve(found);
        } else if (this.closeCode !== undefined) {
          done();
          reject(new Error(`Socket closed (${this.closeCode}); messages: ${JSON.stringify(this.messages)}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`No matching message within ${WAIT_MS} ms; got ${JSON.stringify(this.messages)}`));
      }, WAIT_MS);
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  closed(): Promise<number> {
    return new Promise((resolve, reject) => {
      if (this.closeCode !== undefined) return resolve(this.closeCode);
      const timer = setTimeout(() => reject(new Error('The socket stayed open.')), WAIT_MS);
      this.ws.once('close', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
  }

  /** Sends `start` and resolves with the id once `start_ack` or `error` answers it. */
  async start(
    query: string,
    variables: Record<string, unknown> = {},
    authorization: Record<string, unknown> | null = apiKeyHeaders(),
  ): Promise<{ id: string; answer: Message }> {
    const id = `sub-${++this.sequence}`;
    this.send({
      id,
      type: 'start',
      payload: {
        data: JSON.stringify({ query, variables }),
        extensions: authorization ? { authorization } : {},
      },
    });
    const answer = await this.next((m) => m.id === id && (m.type === 'start_ack' || m.type === 'error'));
    return { id, answer };
  }

  async subscribe(query: string, variables: Record<string, unknown> = {}): Promise<string> {
    const { id, answer } = await this.start(query, variables);
    expect(answer, JSON.stringify(answer)).toEqual({ type: 'start_ack', id });
    return id;
  }

  data(id: string): Message[] {
    return this.messages.filter((m) => m.type === 'data' && m.id === id);
  }

  /** The event of the next `data` message for `id` whose event has this event id. */
  async received(id: string, eventId: string): Promise<Record<string, unknown>> {
    const message = await this.next((m) => m.type === 'data' && m.id === id && eventOf(m)?.id === eventId);
    return eventOf(message)!;
  }

  close(): void {
    this.ws.close();
  }
}

/** A subscription on a fresh connection; `nextEvent` waits for the first event matching `predicate`. */
export async function subscriber(query: string, variables: Record<string, unknown> = {}) {
  const client = await RawClient.connect();
  const id = await client.subscribe(query, variables);
  const nextEvent = async (predicate: (e: RoomEvent) => boolean): Promise<RoomEvent> =>
    readWireEvent(
      eventOf(
        await client.next((m) => m.type === 'data' && m.id === id && predicate(readWireEvent(eventOf(m)))),
      ),
    );
  return { client, nextEvent };
}
