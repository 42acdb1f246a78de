import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { authenticate, type AuthResult } from './auth.js';
import type { AppSyncEngine } from './engine.js';
import type { AppSyncError } from './errors.js';

/** AppSync's realtime subprotocol. */
export const GRAPHQL_WS = 'graphql-ws';
/** What `connection_ack` tells clients: the longest silence (no `ka`) before they should reconnect. */
export const CONNECTION_TIMEOUT_MS = 300_000;
/**
 * Default keep-alive interval. AppSync's clients allow `connectionTimeoutMs`
 * (5 min), but aws-amplify v6 already reports `ConnectedPendingKeepAlive` after
 * 65 s without a `ka`, so the local endpoint sends one a minute.
 */
export const DEFAULT_KEEP_ALIVE_MS = 60_000;

/** AppSync's limit on one realtime message. */
const MAX_MESSAGE_BYTES = 240 * 1024;

export interface RealtimeOptions {
  readonly keepAliveIntervalMs?: number;
  readonly connectionTimeoutMs?: number;
  /** Path whose IAM signature a connection's `header` covers: AppSync signs `<graphql path>/connect`. */
  readonly connectPath?: string;
}

export interface RealtimeStats {
  readonly connections: number;
}

type ServerMessage =
  | { type: 'connection_ack'; payload: { connectionTimeoutMs: number } }
  | { type: 'connection_error'; payload: { errors: AppSyncError[] } }
  | { type: 'ka' }
  | { type: 'start_ack'; id: string }
  | { type: 'complete'; id: string }
  | { type: 'error'; id?: string; payload: { errors: AppSyncError[] } };

function decodeBase64Json(value: string | undefined): Record<string, unknown> | undefined {
  if (value === undefined || value === '') return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Query parameters read without turning `+` into a space: clients put plain
 * base64 (with `+`, `/`, `=`) into `header` and `payload`, not always encoded.
 */
function rawQueryParams(url: string): Map<string, string> {
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  const params = new Map<string, string>();
  for (const pair of query.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? '' : pair.slice(eq + 1);
    try {
      params.set(decodeURIComponent(name), decodeURIComponent(value));
    } catch {
      params.set(name, value);
    }
  }
  return params;
}

export function offeredProtocols(request: IncomingMessage): string[] {
  return (request.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

/**
 * The connection's auth headers, as AppSync reads them: the `header` query
 * parameter (base64 JSON, with `payload` base64 `{}`), or a `header-<base64url
 * JSON>` subprotocol offered beside `graphql-ws` (aws-amplify v6).
 */
export function connectionAuthHeaders(
  request: IncomingMessage,
): { headers: Record<string, unknown>; payload: string } | undefined {
  const params = rawQueryParams(request.url ?? '/');
  const fromQuery = decodeBase64Json(params.get('header'));
  const payloadParam = params.get('payload');
  const payload = payloadParam ? Buffer.from(payloadParam, 'base64').toString('utf8') : '{}';
  if (fromQuery) return { headers: fromQuery, payload };
  const subprotocol = offeredProtocols(request).find((p) => p.startsWith('header-'));
  const fromProtocol = decodeBase64Json(subprotocol?.slice('header-'.length));
  return fromProtocol ? { headers: fromProtocol, payload } : undefined;
}

/** AppSync's realtime WebSocket protocol in front of the engine. */
export class RealtimeGateway {
  private readonly wss: WebSocketServer;
  private readonly keepAliveIntervalMs: number;
  private readonly connectionTimeoutMs: number;
  private readonly connectPath: string;
  private readonly connections = new Set<Connection>();

  constructor(
    private readonly engine: AppSyncEngine,
    private readonly auth: Parameters<typeof authenticate>[2],
    options: RealtimeOptions = {},
  ) {
    this.keepAliveIntervalMs = options.keepAliveIntervalMs ?? DEFAULT_KEEP_ALIVE_MS;
    this.connectionTimeoutMs = options.connectionTimeoutMs ?? CONNECTION_TIMEOUT_MS;
    this.connectPath = options.connectPath ?? '/graphql/connect';
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: MAX_MESSAGE_BYTES,
      handleProtocols: (protocols) => (protocols.has(GRAPHQL_WS) ? GRAPHQL_WS : false),
    });
  }

  stats(): RealtimeStats {
    return { connections: this.connections.size };
  }

  /** For a server's `upgrade` event: any path; the `graphql-ws` subprotocol is required. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (!offeredProtocols(request).includes(GRAPHQL_WS)) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, request));
  }

  private accept(ws: WebSocket, request: IncomingMessage): void {
    const credentials = connectionAuthHeaders(request);
    const sourceIp = request.socket.remoteAddress ?? '127.0.0.1';
    const auth: Promise<AuthResult> = credentials
      ? authenticate(
          credentials.headers,
          { method: 'POST', path: this.connectPath, body: credentials.payload },
          this.auth,
          sourceIp,
        )
      : Promise.resolve({ ok: false, message: 'Missing authorization header' });
    const connection = new Connection(ws, auth, sourceIp, this.engine, {
      keepAliveIntervalMs: this.keepAliveIntervalMs,
      connectionTimeoutMs: this.connectionTimeoutMs,
    });
    this.connections.add(connection);
    ws.once('close', () => this.connections.delete(connection));
  }

  /** Closes every connection (code 1001, going away). */
  close(): void {
    for (const connection of this.connections) connection.terminate();
    this.wss.close();
  }
}

class Connection {
  private keepAlive: NodeJS.Timeout | undefined;
  /** id → unregister, for started subscriptions; id → undefined while a start is being prepared. */
  private readonly operations = new Map<string, (() => void) | undefined>();
  private closed = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly auth: Promise<AuthResult>,
    private readonly sourceIp: string,
    private readonly engine: AppSyncEngine,
    private readonly timing: { keepAliveIntervalMs: number; connectionTimeoutMs: number },
  ) {
    ws.on('message', (data, isBinary) => void this.onMessage(data, isBinary));
    ws.on('close', () => this.cleanUp());
    ws.on('error', () => this.cleanUp());
  }

  /** Going away: a close frame, and the socket dropped if the client does not answer it within a second. */
  terminate(): void {
    this.cleanUp();
    this.ws.close(1001, 'Server stopping');
    setTimeout(() => this.ws.terminate(), 1000).unref();
  }

  private cleanUp(): void {
    this.closed = true;
    clearInterval(this.keepAlive);
    for (const unregister of this.operations.values()) unregister?.();
    this.operations.clear();
  }

  private send(message: ServerMessage): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  private startKeepAlive(): void {
    if (this.keepAlive) return;
    this.send({ type: 'ka' });
    this.keepAlive = setInterval(() => this.send({ type: 'ka' }), this.timing.keepAliveIntervalMs);
    this.keepAlive.unref();
  }

  private refuseConnection(message: string): void {
    this.send({
      type: 'connection_error',
      payload: { errors: [{ errorType: 'UnauthorizedException', message, errorCode: 401 }] },
    });
    this.ws.close(1000, 'Unauthorized');
  }

  private async onMessage(raw: RawData, isBinary: boolean): Promise<void> {
    let message: { type?: unknown; id?: unknown; payload?: unknown };
    try {
      if (isBinary) throw new Error('binary');
      message = JSON.parse(raw.toString()) as typeof message;
      if (typeof message !== 'object' || message === null) throw new Error('not an object');
    } catch {
      this.send({
        type: 'error',
        payload: { errors: [{ errorType: 'MessageParsingError', message: 'Messages are JSON objects.' }] },
      });
      return;
    }
    const id = typeof message.id === 'string' && message.id !== '' ? message.id : undefined;
    switch (message.type) {
      case 'connection_init': {
        const auth = await this.auth;
        if (!auth.ok) return this.refuseConnection(auth.message);
        this.send({
          type: 'connection_ack',
          payload: { connectionTimeoutMs: this.timing.connectionTimeoutMs },
        });
        this.startKeepAlive();
        return;
      }
      case 'start':
        return this.start(id, message.payload);
      case 'stop': {
        if (!id) return this.protocolError(undefined, 'stop needs the id of a subscription.');
        this.operations.get(id)?.();
        this.operations.delete(id);
        this.send({ type: 'complete', id });
        return;
      }
      default:
        this.send({
          type: 'error',
          ...(id ? { id } : {}),
          payload: {
            errors: [
              {
                errorType: 'UnsupportedOperation',
                message: `${typeof message.type === 'string' ? message.type : 'unknown'} not supported through the realtime channel`,
              },
            ],
          },
        });
    }
  }

  private protocolError(id: string | undefined, message: string): void {
    this.send({
      type: 'error',
      ...(id ? { id } : {}),
      payload: { errors: [{ errorType: 'MalformedRequest', message }] },
    });
  }

  private async start(id: string | undefined, payload: unknown): Promise<void> {
    const connectionAuth = await this.auth;
    if (!connectionAuth.ok) return this.refuseConnection(connectionAuth.message);
    if (!id) return this.protocolError(undefined, 'start needs an id.');
    if (this.operations.has(id)) {
      this.send({
        type: 'error',
        id,
        payload: {
          errors: [
            { errorType: 'DuplicatedOperationError', message: `Subscription ${id} is already started.` },
          ],
        },
      });
      return;
    }
    const body = (typeof payload === 'object' && payload !== null ? payload : {}) as {
      data?: unknown;
      extensions?: { authorization?: unknown };
    };
    const authorization = body.extensions?.authorization;
    this.operations.set(id, undefined);
    const result = await this.engine.prepareSubscription(
      body.data,
      typeof authorization === 'object' && authorization !== null
        ? (authorization as Record<string, unknown>)
        : {},
      this.sourceIp,
    );
    // Stopped, or the socket closed, while the start was being prepared.
    if (this.closed || !this.operations.has(id)) return;
    if (!result.ok) {
      this.operations.delete(id);
      this.send({ type: 'error', id, payload: { errors: result.errors } });
      return;
    }
    // The payload comes serialized, shared by every subscriber of the same selection: only the id is this one's.
    const head = `{"type":"data","id":${JSON.stringify(id)},"payload":`;
    const unregister = this.engine.register(result.subscription, (payload) => {
      if (this.ws.readyState === WebSocket.OPEN) this.ws.send(head + payload + '}');
    });
    this.operations.set(id, unregister);
    this.send({ type: 'start_ack', id });
    this.startKeepAlive();
  }
}
