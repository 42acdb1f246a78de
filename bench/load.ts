/**
 * `npm run load [-- --stages 1000,5000,10000 --seconds 60 --posts-per-second 200]`: the staged load
 * run of issue 12, staged as the source write-up's team staged theirs. Starts the local stack (the
 * one `npm start` runs; DynamoDB Local in memory, free loopback ports), creates a room without slow
 * mode through the admin API, and per stage forks a generator process (load-viewers.ts) with N
 * virtual viewers polling through the local edge as the viewer SDK does plus posts from a pool of
 * dev viewer tokens. Reports per stage to stdout and to a JSON and a markdown file. Bounded: at most
 * MAX_VIEWERS viewers, MAX_SECONDS per stage, MAX_STAGES stages and MAX_REQUESTS_PER_STAGE requests.
 */
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { format } from 'prettier';
import { adminPath } from '../lambdas/domain/paths.js';
import type { EdgeStats } from '../local/edge-cache.js';
import type { EventLoopDelay } from '../local/event-loop.js';
import { projectRoot } from '../local/paths.js';
import { startDynamoDbLocal } from '../local/dynamodb-local.js';
import { startLocalStack, type LocalStack } from '../local/stack.js';
import { ownCpuSeconds, processCpuSeconds } from './cpu-time.js';
import { renderLoadMarkdown, stageReport, type StageReport } from './load-report.js';
import { CHILD_FLAG, type LoadStageOptions, type LoadStageResult } from './load-viewers.js';

export const MAX_VIEWERS = 10_000;
export const MAX_SECONDS = 300;
export const MAX_STAGES = 5;
export const MAX_POSTS_PER_SECOND = 500;
export const MAX_REQUESTS_PER_STAGE = 2_000_000;
/** Distinct dev viewer tokens the posts rotate through (each posts every posters ÷ rate seconds). */
const MAX_POSTERS = 2_000;
const ROOM_ID = 'load-run';
/**
 * Seconds of the stages' post rate sent before the first stage, unmeasured, a few at a time:
 * DynamoDB Local's JIT needs thousands of transactions before it reaches its speed (a first stage
 * after 200 warm-up posts answered half the posts a later stage did), and the handlers' caches fill.
 */
const WARMUP_SECONDS_OF_POSTS = 15;
const POLL_INTERVAL_SECONDS = 3;

const USAGE = `Usage: npm run load -- [options]

  --stages <n,n,…>          virtual viewers per stage        default 1000,5000,10000 (each ≤ ${MAX_VIEWERS})
  --seconds <n>             length of each stage              default 60 (≤ ${MAX_SECONDS})
  --posts-per-second <n>    posts during each stage           default 200 (≤ ${MAX_POSTS_PER_SECOND})
  --posters <n>             distinct viewer tokens posting    default 1000 (≤ ${MAX_POSTERS})
  --out <file.json>         where the report goes (and .md)   default bench/results/load-latest.json
  -h, --help                this text`;

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const { values } = parseArgs({
  options: {
    stages: { type: 'string', default: '1000,5000,10000' },
    seconds: { type: 'string', default: '60' },
    'posts-per-second': { type: 'string', default: '200' },
    posters: { type: 'string', default: '1000' },
    out: { type: 'string', default: join(projectRoot, 'bench', 'results', 'load-latest.json') },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

function bounded(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`--${name} takes whole numbers from ${min} to ${max}; got "${value}".\n\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

const stages = values.stages.split(',').map((v) => bounded('stages', v.trim(), 1, MAX_VIEWERS));
if (stages.length > MAX_STAGES) {
  console.error(`--stages takes at most ${MAX_STAGES} stages.\n\n${USAGE}`);
  process.exit(2);
}
const seconds = bounded('seconds', values.seconds, 1, MAX_SECONDS);
const postsPerSecond = bounded('posts-per-second', values['posts-per-second'], 0, MAX_POSTS_PER_SECOND);
const posters = bounded('posters', values.posters, 1, MAX_POSTERS);
const outFile = resolve(values.out);

const started = Date.now();
const progress = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${line}`);
const loadBefore = loadavg().map((n) => Math.round(n * 100) / 100);
progress(`load average before: ${loadBefore.join(' ')} on ${cpus().length} cores`);

progress('starting the local stack (DynamoDB Local in memory, free loopback ports)…');
// Started here rather than by the stack, so each stage can read the JVM's CPU time.
const dynamodb = await startDynamoDbLocal();
const stack = await startLocalStack({ seed: false, logLevel: 'ERROR', dynamodbEndpoint: dynamodb.endpoint });
const stopAll = () => stack.stop().finally(() => dynamodb.stop());
// Ctrl-C stops DynamoDB Local too (a forked generator gets the signal from the terminal itself).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void stopAll().finally(() => process.exit(130)));
}
const reports: StageReport[] = [];
try {
  await createRoom(stack);
  progress(
    `room ${ROOM_ID}: poll ${POLL_INTERVAL_SECONDS} s, slow mode off; issuing ${posters} viewer tokens…`,
  );
  const tokens = await issueTokens(stack.edgeUrl, posters);
  const warmUpPosts = Math.max(50, postsPerSecond * WARMUP_SECONDS_OF_POSTS);
  progress(`warming up (not measured): ${warmUpPosts} posts, a few at a time…`);
  await warmUp(stack.edgeUrl, tokens, warmUpPosts);
  for (const viewers of stages) {
    progress(`stage: ${viewers} viewers, ${postsPerSecond} posts/s, ${seconds} s…`);
    await call<EventLoopDelay>(stack.edgeUrl, 'POST', '/local/event-loop/reset');
    const edgeBefore = await call<EdgeStats>(stack.edgeUrl, 'GET', '/local/edge');
    const cpuBefore = {
      wallMs: Date.now(),
      stack: ownCpuSeconds(),
      dynamodb: processCpuSeconds(dynamodb.pid),
    };
    const result = await runStage({
      edgeUrl: stack.edgeUrl,
      roomId: ROOM_ID,
      viewers,
      seconds,
      postsPerSecond,
      pollIntervalSeconds: POLL_INTERVAL_SECONDS,
      tokens,
      maxRequests: MAX_REQUESTS_PER_STAGE,
    });
    const cpu = {
      wallSeconds: (Date.now() - cpuBefore.wallMs) / 1000,
      stackSeconds: ownCpuSeconds() - cpuBefore.stack,
      dynamodbSeconds: difference(processCpuSeconds(dynamodb.pid), cpuBefore.dynamodb),
    };
    const edgeAfter = await call<EdgeStats>(stack.edgeUrl, 'GET', '/local/edge');
    const stackEventLoop = await call<EventLoopDelay>(stack.edgeUrl, 'GET', '/local/event-loop');
    const report = stageReport({
      pollIntervalSeconds: POLL_INTERVAL_SECONDS,
      postsPerSecond,
      seconds,
      result,
      edgeBefore,
      edgeAfter,
      stackEventLoop,
      cpu,
    });
    reports.push(report);
    for (const [code, count] of Object.entries(report.errorCodes)) {
      progress(`  error ${code} × ${count}: ${report.errorMessages[code]}`);
    }
    progress(
      `  ${report.requests} requests, ${report.errors} errors, ${report.drainSeconds} s to answer the last; polls/s ${report.pollsPerSecond.offered} offered, ${report.pollsPerSecond.achieved} achieved; live origin calls/interval ${report.originCallsPerInterval.live}`,
    );
  }
} finally {
  await stopAll();
}

const markdown = renderLoadMarkdown(reports);
const output = {
  generatedAt: new Date().toISOString(),
  command: `npm run load -- --stages ${stages.join(',')} --seconds ${seconds} --posts-per-second ${postsPerSecond} --posters ${posters}`,
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
    loadAverageBefore: loadBefore,
    loadAverageAfter: loadavg().map((n) => Math.round(n * 100) / 100),
  },
  processes:
    'three on the same cores: the local stack (edge, origin and handlers in one Node process), DynamoDB Local (JVM), and the generator (one Node process per stage)',
  room: { roomId: ROOM_ID, pollIntervalSeconds: POLL_INTERVAL_SECONDS, slowModeSeconds: 0, shards: 1 },
  stages: reports,
};
mkdirSync(dirname(outFile), { recursive: true });
// As Prettier writes it, so a rerun leaves the repository's format check green.
writeFileSync(outFile, await format(JSON.stringify(output), { parser: 'json' }));
writeFileSync(outFile.replace(/\.json$/, '') + '.md', markdown);
console.log(`\n${markdown}`);
progress(`report in ${outFile} (and .md)`);

/** The room, made as an operator would make it: the admin API, through the edge. */
async function createRoom(local: LocalStack): Promise<void> {
  const { token } = await call<{ token: string }>(local.edgeUrl, 'POST', '/local/admin-tokens', {
    roles: ['operator'],
  });
  await call(
    local.edgeUrl,
    'POST',
    adminPath('/rooms'),
    {
      roomId: ROOM_ID,
      channelId: 'default',
      title: 'Load run',
      settings: { slowModeSeconds: 0, pollIntervalSeconds: POLL_INTERVAL_SECONDS },
    },
    { authorization: `Bearer ${token}` },
  );
}

/** Dev viewer tokens from `POST /local/tokens`, a few at a time. */
async function issueTokens(edgeUrl: string, count: number): Promise<string[]> {
  const tokens: string[] = new Array<string>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < count) {
        const n = next++;
        tokens[n] = (
          await call<{ token: string }>(edgeUrl, 'POST', '/local/tokens', {
            userId: `load-viewer-${n}`,
            displayName: `Viewer ${n}`,
          })
        ).token;
      }
    }),
  );
  return tokens;
}

async function warmUp(edgeUrl: string, tokens: readonly string[], posts: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < posts) {
        const n = next++;
        // Retried until accepted: a cold DynamoDB Local may time out the first transactions.
        for (let attempt = 0; ; attempt++) {
          const response = await fetch(`${edgeUrl}/v1/rooms/${ROOM_ID}/comments`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${tokens[n % tokens.length]}`,
              'content-type': 'application/json',
            },
            body: JSON.stringify({ text: `warm-up ${n}`, clientMessageId: `warm-up-${n}` }),
          });
          await response.arrayBuffer();
          if (response.ok) break;
          if (attempt >= 5)
            throw new Error(`The warm-up post ${n} failed ${attempt + 1} times: ${response.status}.`);
        }
      }
    }),
  );
}

async function call<T = unknown>(
  base: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

function runStage(options: LoadStageOptions): Promise<LoadStageResult> {
  const child = fork(fileURLToPath(new URL('./load-viewers.ts', import.meta.url)), [CHILD_FLAG], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  child.send(options);
  return new Promise((resolve, reject) => {
    let result: LoadStageResult | undefined;
    child.on('message', (message) => (result = message as LoadStageResult));
    child.on('error', reject);
    child.on('exit', (code) =>
      result ? resolve(result) : reject(new Error(`The load generator exited with ${code} and no result.`)),
    );
  });
}

function difference(after: number | undefined, before: number | undefined): number | undefined {
  return after === undefined || before === undefined ? undefined : after - before;
}
