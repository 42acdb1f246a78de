import type { IncomingMessage } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import type { RealtimeError, RealtimeHandlers, Timers } from '../../client/realtime.js';
import type { RealtimeEndpoint, RealtimeState, RoomEvent } from '../../client/types.js';
import { wireEvent } from './room-events.js';

/**
 * A scripted server speaking AppSync's realtime protocol as AWS documents it, for the client's
 * failure cases the local endpoint has no switch for (silence, refusals, drops, a subscription it
 * stops feeding). It records what clients send; tests set how it answers.
 */

/** Upper bound of every wait on a condition: generous, never a timing assertion. */
export const WAIT_MS = 10_000;

export async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export interface StartMessage {
  readonly id: string;
  readonly query: string;
  readonly variables: Record<string, unknown>;
  readonly authorization: unknown;
}

export interface ServerMessage {
  type: string;
  id?: string;
  payload?: unknown;
}

export class ProtocolConnection {
  /** Every message the client sent, parsed. */
  readonly received: { type?: string; id?: string; payload?: { data?: string; extensions?: unknown } }[] = [];
  /** Started and not stopped, by id. */
  readonly active = new Map<string, StartMessage>();
  /** Started subscriptions the server no longer feeds (a half-failed subscription). */
  readonly muted = new Set<string>();
  /** Every message the server sent. */
  readonly sent: ServerMessage[] = [];
  closed = false;

  constructor(
    readonly ws: WebSocket,
    readonly request: IncomingMessage,
  ) {}

  send(message: ServerMessage): void {
    this.sent.push(message);
    this.ws.send(JSON.stringify(message));
  }

  starts(): StartMessage[] {
    return this.received.filter((m) => m.type === 'start').map((m) => toStart(m));
  }
}

function toStart(m: ProtocolConnection['received'][number]): StartMessage {
  const data = JSON.parse(m.payload?.data ?? '{}') as { query: string; variables: Record<string, unknown> };
  const extensions = m.payload?.extensions as { authorization?: unknown } | undefined;
  return {
    id: m.id!,
    query: data.query,
    variables: data.variables,
    authorization: extensions?.authorization,
  };
}

/** The field a subscription document selects (ours: onRoomEvent or onGlobalEvent). */
const fieldOf = (query: string) => (query.includes('onGlobalEvent') ? 'onGlobalEvent' : 'onRoomEvent');

export class ProtocolServer {
  readonly connections: ProtocolConnection[] = [];
  /** How to answer `connection_init`: ack (with this connectionTimeoutMs), or nothing, or an error. */
  answerInit: (c: ProtocolConnection) => ServerMessage | undefined = () => ({
    type: 'connection_ack',
    payload: { connectionTimeoutMs: 300_000 },
  });
  /** How to answer a `start`: start_ack, an error, or nothing. */
  answerStart: (start: StartMessage, c: ProtocolConnection) => 'ack' | 'error' | 'ignore' = () => 'ack';
  /** Called after each start_ack sent. */
  afterStartAck: (c: ProtocolConnection) => void = () => {};

  private constructor(
    private readonly wss: WebSocketServer,
    readonly port: number,
  ) {
    wss.on('connection', (ws, request) => this.accept(ws, request));
  }

  static async start(): Promise<ProtocolServer> {
    const wss = new WebSocketServer({
      port: 0,
      host: '127.0.0.1',
      handleProtocols: (protocols) => (protocols.has('graphql-ws') ? 'graphql-ws' : false),
    });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    return new ProtocolServer(wss, (wss.address() as { port: number }).port);
  }

  endpoint(apiKey = 'da2-scriptedscriptedscripted00'): RealtimeEndpoint {
    return {
      graphqlUrl: `https://api.example.test/graphql`,
      realtimeUrl: `ws://127.0.0.1:${this.port}/graphql/realtime`,
      apiKey,
    };
  }

  open(): ProtocolConnection[] {
    return this.connections.filter((c) => !c.closed);
  }

  /** Sends `event` to every open, fed subscription whose room (or "*" for global ones) it is. */
  publish(event: RoomEvent): void {
    for (const c of this.open()) {
      for (const start of c.active.values()) {
        const field = fieldOf(start.query);
        const matches =
          field === 'onGlobalEvent' ? event.roomId === '*' : start.variables.roomId === event.roomId;
        if (matches && !c.muted.has(start.id)) {
          c.send({ type: 'data', id: start.id, payload: { data: { [field]: wireEvent(event) } } });
        }
      }
    }
  }

  /** Closes every connection (the server going away) and stops listening. */
  async stop(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(ws: WebSocket, request: IncomingMessage): void {
    const c = new ProtocolConnection(ws, request);
    this.connections.push(c);
    ws.on('close', () => (c.closed = true));
    ws.on('message', (raw) => {
      const message = JSON.parse(String(raw)) as ProtocolConnection['received'][number];
      c.received.push(message);
      if (message.type === 'connection_init') {
        const answer = this.answerInit(c);
        if (answer) c.send(answer);
      } else if (message.type === 'start') {
        const start = toStart(message);
        const answer = this.answerStart(start, c);
        if (answer === 'ack') {
          c.active.set(start.id, start);
          c.send({ type: 'start_ack', id: start.id });
          this.afterStartAck(c);
        } else if (answer === 'error') {
          c.send({
            type: 'error',
            id: start.id,
            payload: { errors: [{ errorType: 'LimitExceededError', message: 'Rate limit exceeded' }] },
          });
        }
      } else if (message.type === 'stop') {
        c.active.delete(message.id!);
        c.send({ type: 'complete', id: message.id! });
      }
    });
  }
}

/** What a client's handlers saw. */
export interface Recorded {
  readonly states: RealtimeState[];
  readonly events: RoomEvent[];
  readonly errors: RealtimeError[];
  reconnected: number;
  readonly handlers: Required<RealtimeHandlers>;
}

export function recorder(): Recorded {
  const recorded: Recorded = {
    states: [],
    events: [],
    errors: [],
    reconnected: 0,
    handlers: {
      onEvent: (event) => recorded.events.push(event),
      onState: (state) => recorded.states.push(state),
      onReconnected: () => recorded.reconnected++,
      onError: (error) => recorded.errors.push(error),
    },
  };
  return recorded;
}

/** The global timers, counting those still pending, and recording each delay asked for. */
export function countingTimers(): Timers & { pending(): number; delays: number[] } {
  const live = new Set<unknown>();
  const delays: number[] = [];
  return {
    delays,
    pending: () => live.size,
    setTimeout(callback, ms) {
      delays.push(ms);
      const handle = setTimeout(() => {
        live.delete(handle);
        callback();
      }, ms);
      live.add(handle);
      return handle;
    },
    clearTimeout(handle) {
      live.delete(handle);
      clearTimeout(handle as NodeJS.Timeout);
    },
  };
}
