import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { generate } from 'selfsigned';
import { LOCAL_CREDENTIALS } from './auth.js';
import { AppSyncEngine, type EngineStats } from './engine.js';
import { RealtimeGateway } from './realtime.js';
import { loadResolvers, type ResolverMap } from './resolvers.js';
import { close, listen } from '../ports.js';
import { loadAppSyncSchema } from './schema.js';

export const GRAPHQL_PATH = '/graphql';
export const REALTIME_PATH = '/graphql/realtime';
/** AppSync's request limit. */
const MAX_REQUEST_BYTES = 1024 * 1024;

export interface LocalAppSyncOptions {
  /** Plain HTTP/WS port (the in-process publisher); 0 picks a free one. Default 0. */
  readonly port?: number;
  /** HTTPS/WSS port (Amplify, browsers); 0 picks a free one. Default 0. */
  readonly tlsPort?: number;
  /** Default: `da2-` and 26 random characters, new at every start. */
  readonly apiKey?: string;
  /** Interval of `ka` messages. Default 60 s. */
  readonly keepAliveIntervalMs?: number;
  /** Default: the bundles of `graphql/resolvers/` (`bundleResolvers()`). */
  readonly resolvers?: ResolverMap;
}

export interface LocalAppSync {
  /** `https://127.0.0.1:<tls port>/graphql`: give this to AppSync clients (they derive the realtime URL). */
  readonly graphqlUrl: string;
  /** `wss://127.0.0.1:<tls port>/graphql/realtime`. */
  readonly realtimeUrl: string;
  /** The same endpoint over plain HTTP, for the in-process backend (no custom CA needed). */
  readonly httpGraphqlUrl: string;
  readonly httpRealtimeUrl: string;
  readonly apiKey: string;
  /** The self-signed certificate of the TLS port, for clients to trust explicitly. */
  readonly certificatePem: string;
  readonly region: string;
  stats(): EngineStats & { connections: number; publishesRefused: number };
  /**
   * A fault switch for tests of the poll path's promise (ADR 0034): while set, every `publish`
   * mutation over HTTP fails — `unavailable` (503 ServiceUnavailable, which the publisher
   * retries), `unauthorized` (401, which it does not) or `drop` (the connection is cut) — and
   * nothing is delivered. `undefined` turns it off.
   */
  failPublishes(fault: PublishFault | undefined): void;
  /** Open subscriptions to a field, with these arguments (statistics: one room's subscribers). */
  countSubscriptions(fieldName: string, args?: Record<string, unknown>): number;
  stop(): Promise<void>;
}

export type PublishFault = 'unavailable' | 'unauthorized' | 'drop';

/** An API key shaped like AppSync's (`da2-` + 26 lower-case alphanumerics). */
export function newApiKey(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return `da2-${[...randomBytes(26)].map((b) => alphabet[b % alphabet.length]).join('')}`;
}

/** A certificate for 127.0.0.1, ::1 and localhost, valid for 30 days from now. */
export async function localCertificate(): Promise<{ key: string; cert: string }> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 30 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers':
    'content-type, x-api-key, authorization, x-amz-date, x-amz-security-token, x-amz-user-agent, x-amz-content-sha256',
  'access-control-max-age': '86400',
};

/**
 * The local AppSync-compatible endpoint: `POST /graphql` and the realtime
 * WebSocket (any path, AppSync clients use `/graphql/realtime`), on a TLS port
 * with a certificate made at start and on a plain port. Same schema file, same
 * resolver bundles as CDK deploys.
 */
export async function startLocalAppSync(options: LocalAppSyncOptions = {}): Promise<LocalAppSync> {
  const apiKey = options.apiKey ?? newApiKey();
  const auth = { apiKey, credentials: LOCAL_CREDENTIALS };
  const [resolvers, certificate] = await Promise.all([
    options.resolvers ? Promise.resolve(options.resolvers) : loadResolvers(),
    localCertificate(),
  ]);
  const engine = new AppSyncEngine(loadAppSyncSchema(), resolvers, { auth, graphqlPath: GRAPHQL_PATH });
  const realtime = new RealtimeGateway(engine, auth, {
    ...(options.keepAliveIntervalMs !== undefined
      ? { keepAliveIntervalMs: options.keepAliveIntervalMs }
      : {}),
    connectPath: `${GRAPHQL_PATH}/connect`,
  });

  const faults: PublishFaults = { fault: undefined, refused: 0 };
  const handler = (req: IncomingMessage, res: ServerResponse) => void handle(engine, faults, req, res);
  const plain = createServer(handler);
  const tls = createTlsServer({ key: certificate.key, cert: certificate.cert }, handler);
  const servers: Server[] = [plain, tls];
  for (const server of servers)
    server.on('upgrade', (req, socket, head) => realtime.handleUpgrade(req, socket, head));

  try {
    const port = await listen(plain, options.port ?? 0);
    const tlsPort = await listen(tls, options.tlsPort ?? 0);
    return {
      graphqlUrl: `https://127.0.0.1:${tlsPort}${GRAPHQL_PATH}`,
      realtimeUrl: `wss://127.0.0.1:${tlsPort}${REALTIME_PATH}`,
      httpGraphqlUrl: `http://127.0.0.1:${port}${GRAPHQL_PATH}`,
      httpRealtimeUrl: `ws://127.0.0.1:${port}${REALTIME_PATH}`,
      apiKey,
      certificatePem: certificate.cert,
      region: 'us-east-1',
      stats: () => ({ ...engine.stats(), ...realtime.stats(), publishesRefused: faults.refused }),
      failPublishes: (fault) => {
        faults.fault = fault;
      },
      countSubscriptions: (fieldName, args) => engine.countSubscriptions(fieldName, args),
      stop: async () => {
        realtime.close();
        await Promise.all(servers.map(close));
      },
    };
  } catch (error) {
    realtime.close();
    await Promise.all(servers.map(close));
    throw error;
  }
}

interface PublishFaults {
  fault: PublishFault | undefined;
  refused: number;
}

const PUBLISH_MUTATION = /\bpublish\s*\(/;

async function handle(
  engine: AppSyncEngine,
  faults: PublishFaults,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://local');
  const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...CORS_HEADERS, ...headers });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };
  try {
    if (req.method === 'OPTIONS') return reply(204, undefined);
    if (url.pathname !== GRAPHQL_PATH) {
      return reply(404, {
        errors: [{ errorType: 'NotFoundException', message: `No route for ${url.pathname}.` }],
      });
    }
    if (req.method !== 'POST') {
      return reply(
        405,
        { errors: [{ errorType: 'MethodNotAllowed', message: 'POST /graphql.' }] },
        { allow: 'POST' },
      );
    }
    const body = await readBody(req);
    if (body === undefined) {
      return reply(413, { errors: [{ errorType: 'PayloadTooLarge', message: 'The request is over 1 MB.' }] });
    }
    if (faults.fault && PUBLISH_MUTATION.test(body)) {
      faults.refused++;
      if (faults.fault === 'drop') return void req.socket.destroy();
      return faults.fault === 'unavailable'
        ? reply(503, {
            errors: [{ errorType: 'ServiceUnavailable', message: 'Publishing is failing (fault switch).' }],
          })
        : reply(401, {
            errors: [
              { errorType: 'UnauthorizedException', message: 'Publishing is refused (fault switch).' },
            ],
          });
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const result = await engine.executeHttp({
      method: req.method,
      path: url.pathname,
      query: url.searchParams,
      headers,
      body,
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
    });
    return reply(result.status, result.body);
  } catch (error) {
    console.error('[local appsync] request failed:', error);
    return reply(500, { errors: [{ errorType: 'InternalFailure', message: 'The local endpoint failed.' }] });
  }
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(size > MAX_REQUEST_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', reject);
  });
}
