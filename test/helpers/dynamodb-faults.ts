import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { close, listen } from '../../local/ports.js';
import { mulberry32 } from '../unit/fakes.js';

/**
 * A fault layer between the functions and DynamoDB Local: an HTTP proxy that
 * forwards DynamoDB's JSON protocol unchanged, except that, by rule and with a
 * seeded random source, it answers chosen operations (by `X-Amz-Target`) with
 * the failures DynamoDB and the network produce (ADR 0034):
 *
 * - throttling, in DynamoDB's own shapes: `ThrottlingException` and
 *   `ProvisionedThroughputExceededException` (400), and for a transaction the
 *   `TransactionCanceledException` whose reasons say `ThrottlingError` — how
 *   DynamoDB reports a throttled `TransactWriteItems`; nothing is written;
 * - timeouts: the request is forwarded (the write lands) and the answer held
 *   past the client's deadline;
 * - ambiguous commits: the request is forwarded, the write lands, and the
 *   answer is lost — a 500 `InternalServerError`, or the connection dropped.
 *
 * Tests only: the local stack is pointed at it through its `dynamodbEndpoint`
 * option, so no product code knows it exists.
 */
export type DynamoFault =
  | 'throttling'
  | 'provisioned-throughput'
  | 'transaction-throttled'
  | 'timeout'
  | 'ambiguous-500'
  | 'ambiguous-drop';

export const DYNAMO_FAULTS: readonly DynamoFault[] = [
  'throttling',
  'provisioned-throughput',
  'transaction-throttled',
  'timeout',
  'ambiguous-500',
  'ambiguous-drop',
];

export interface FaultRule {
  /** The operation, as the last part of `X-Amz-Target` (`TransactWriteItems`, `GetItem`, …). */
  readonly operation: string;
  /** Narrows the rule to some requests of the operation (e.g. the post path's transaction). */
  readonly match?: (body: string) => boolean;
  /** Per request: the chance of each fault. One draw per matching request picks at most one. */
  readonly probabilities: Partial<Record<DynamoFault, number>>;
  /** At most this many faults from this rule, then it passes requests through. Default unbounded. */
  readonly times?: number;
}

export interface DynamoFaultProxyOptions {
  /** DynamoDB Local's endpoint. */
  readonly target: string;
  readonly rules?: readonly FaultRule[];
  /** Seeds the random source, so a run's faults can be replayed. Default 1. */
  readonly seed?: number;
  /** How long a `timeout` holds the answer. Default 2,500 ms: past the functions' 2,000 ms deadline. */
  readonly holdMs?: number;
  /** Default 0 (a free port). */
  readonly port?: number;
}

export interface DynamoFaultStats {
  /** Requests seen, per operation. */
  readonly requests: Record<string, number>;
  /** Faults injected, per kind. */
  readonly faults: Record<DynamoFault, number>;
  /** Faults injected, per operation and kind. */
  readonly faultsByOperation: Record<string, Partial<Record<DynamoFault, number>>>;
}

export interface DynamoFaultProxy {
  /** Give this to the stack as its DynamoDB endpoint. */
  readonly endpoint: string;
  /** Replaces the rules (e.g. `[]` to stop injecting). */
  setRules(rules: readonly FaultRule[]): void;
  /**
   * From now on every new request's connection is dropped, as if DynamoDB were unreachable;
   * resolves once every request already forwarded has been answered (nothing in flight).
   */
  cutOff(): Promise<void>;
  /** Forwards requests again. */
  restore(): void;
  stats(): DynamoFaultStats;
  stop(): Promise<void>;
}

/** Unmarshalled by clients as `code` ThrottlingException; DynamoDB's message for on-demand tables. */
const THROTTLING = {
  __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException',
  message:
    'Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly.',
};
const PROVISIONED_THROUGHPUT = {
  __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
  message:
    'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
};
const INTERNAL = {
  __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
  message: 'Internal server error',
};

export async function startDynamoFaultProxy(options: DynamoFaultProxyOptions): Promise<DynamoFaultProxy> {
  const target = new URL(options.target);
  const random = mulberry32(options.seed ?? 1);
  const holdMs = options.holdMs ?? 2_500;
  let rules = options.rules ?? [];
  const requests: Record<string, number> = {};
  const faults = Object.fromEntries(DYNAMO_FAULTS.map((f) => [f, 0])) as Record<DynamoFault, number>;
  const byOperation: Record<string, Partial<Record<DynamoFault, number>>> = {};
  const upstream = new Agent({ keepAlive: true });
  const held = new Set<NodeJS.Timeout>();
  let unreachable = false;
  let inFlight = 0;
  let onIdle: (() => void) | undefined;

  const used = new Map<FaultRule, number>();

  const pick = (operation: string, body: string): DynamoFault | undefined => {
    for (const rule of rules) {
      if (rule.operation !== operation || (rule.match && !rule.match(body))) continue;
      if ((used.get(rule) ?? 0) >= (rule.times ?? Infinity)) continue;
      let draw = random();
      for (const fault of DYNAMO_FAULTS) {
        draw -= rule.probabilities[fault] ?? 0;
        if (draw < 0) {
          used.set(rule, (used.get(rule) ?? 0) + 1);
          return fault;
        }
      }
      return undefined;
    }
    return undefined;
  };

  const forward = (req: IncomingMessage, body: Buffer) =>
    new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
      const out = request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
          agent: upstream,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });

  const reply = (res: ServerResponse, status: number, payload: object) => {
    const body = JSON.stringify(payload);
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.0',
      'content-length': Buffer.byteLength(body),
      'x-amzn-requestid': `fault-${Date.now().toString(36)}`,
    });
    res.end(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (unreachable) return res.socket?.destroy();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const operation =
      String(req.headers['x-amz-target'] ?? '')
        .split('.')
        .pop() ?? '';
    requests[operation] = (requests[operation] ?? 0) + 1;
    const fault = pick(operation, body.toString('utf8'));
    if (fault) {
      faults[fault]++;
      const counts = (byOperation[operation] ??= {});
      counts[fault] = (counts[fault] ?? 0) + 1;
    }

    switch (fault) {
      case 'throttling':
        return reply(res, 400, THROTTLING);
      case 'provisioned-throughput':
        return reply(res, 400, PROVISIONED_THROUGHPUT);
      case 'transaction-throttled': {
        const items =
          (JSON.parse(body.toString('utf8')) as { TransactItems?: unknown[] }).TransactItems ?? [];
        return reply(res, 400, {
          __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
          message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${items.map(() => 'ThrottlingError').join(', ')}]`,
          CancellationReasons: items.map(() => ({ Code: 'ThrottlingError', Message: THROTTLING.message })),
        });
      }
    }

    let answer: Awaited<ReturnType<typeof forward>>;
    inFlight++;
    try {
      answer = await forward(req, body);
    } catch {
      // DynamoDB Local is down (or restarting): the client sees what it would see without us.
      return res.socket?.destroy();
    } finally {
      if (--inFlight === 0) onIdle?.();
    }
    if (fault === 'ambiguous-500') return reply(res, 500, INTERNAL);
    if (fault === 'ambiguous-drop') return res.socket?.destroy();
    const send = () => {
      if (res.destroyed) return;
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    };
    if (fault !== 'timeout') return send();
    const timer = setTimeout(() => {
      held.delete(timer);
      send();
    }, holdMs);
    held.add(timer);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.socket?.destroy());
  });
  const port = await listen(server, options.port ?? 0);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    setRules: (next) => {
      rules = next;
    },
    cutOff: async () => {
      unreachable = true;
      if (inFlight > 0) await new Promise<void>((resolve) => (onIdle = resolve));
      onIdle = undefined;
    },
    restore: () => {
      unreachable = false;
    },
    stats: () => ({
      requests: { ...requests },
      faults: { ...faults },
      faultsByOperation: structuredClone(byOperation),
    }),
    stop: async () => {
      for (const timer of held) clearTimeout(timer);
      held.clear();
      await close(server);
      upstream.destroy();
    },
  };
}
