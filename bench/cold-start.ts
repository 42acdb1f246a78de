import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { build, type BuildOptions } from 'esbuild';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { segmentOf } from '../lambdas/domain/feed/segments.js';
import { functions, scalerFunction, type FunctionName } from '../lambdas/routes.js';
import { DEV_TOKEN_AUDIENCE, DEV_TOKEN_ISSUER } from '../local/dev-tokens.js';
import { LOCAL_CREDENTIALS } from '../local/appsync/auth.js';
import { LOCAL_REGION } from '../local/composition.js';
import { projectRoot } from '../local/paths.js';
import type { LocalStack } from '../local/stack.js';
import { apiEvent, benchStores, createBenchRoom, liveEvent, postEvent, throughEdge } from './fixtures.js';
import { median, ratio } from './stats.js';
import { FUNCTION_BUNDLING } from '../lib/bundling.js';

/**
 * Figure 6: each function bundled as CDK bundles it, then started in a fresh
 * Node process per sample: import of the bundle plus its first request
 * against the running DynamoDB Local, beside the same for an empty handler
 * bundled the same way. Node's own boot is measured too (it is the same for
 * every bundle). Lambda's runtime and hardware differ; the ratio is the point.
 */

/**
 * The esbuild options CDK's NodejsFunction is given (lib/bundling.ts, used by
 * chat-function.ts): ESM, node22, `module` before `main`, minified with class
 * names kept, source maps without sources, the createRequire banner, the SDK bundled.
 */
export const CDK_BUNDLING: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: FUNCTION_BUNDLING.format,
  target: FUNCTION_BUNDLING.target,
  mainFields: [...FUNCTION_BUNDLING.mainFields],
  banner: { js: FUNCTION_BUNDLING.banner },
  minify: FUNCTION_BUNDLING.minify,
  keepNames: FUNCTION_BUNDLING.keepNames,
  sourcemap: FUNCTION_BUNDLING.sourceMap,
  logLevel: 'error',
};

const ROOM_ID = 'bench-cold';

/**
 * What a deployed function's environment holds (CDK sets it; lambdas/config.ts parses it at cold
 * start), pointed at the running stack: its tables over DynamoDB Local (the SDK's own endpoint
 * variable, local credentials), its dev JWKS. The admin function's and the scaler's AWS-only
 * settings stand in with well-formed values: they are imported only, never asked to call AWS.
 */
export function functionEnvironment(stack: LocalStack, secretsManagerUrl: string): Record<string, string> {
  return {
    ORIGIN_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:bench-origin-AbCdEf',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManagerUrl,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: stack.dynamodbEndpoint,
    COMMENTS_TABLE_NAME: stack.tables.comments,
    CONTROL_TABLE_NAME: stack.tables.control,
    VIEWER_TOKEN_JWKS_URL: `${stack.edgeUrl}/local/jwks.json`,
    VIEWER_TOKEN_ISSUER: DEV_TOKEN_ISSUER,
    VIEWER_TOKEN_AUDIENCE: DEV_TOKEN_AUDIENCE,
    REALTIME_GRAPHQL_URL: stack.realtime.httpGraphqlUrl,
    EDGE_PARAMETER_NAME: '/hybrid-chat/bench/edge',
    SCALER_FUNCTION_ARN: 'arn:aws:lambda:us-east-1:000000000000:function:bench-scaler:live',
    SCHEDULER_ROLE_ARN: 'arn:aws:iam::000000000000:role/bench-scheduler',
    SCHEDULE_GROUP_NAME: 'hybrid-chat-bench',
    SCALED_FUNCTION_NAMES: JSON.stringify({ postComment: 'p', getLive: 'l', getSegment: 's' }),
    REST_API_ID: 'bench',
    REST_API_STAGE: 'bench',
    // The admin function's metrics dimension (ADR 0033).
    STAGE: 'bench',
    // The stack's archive bucket: getSegment and admin need a name; an open segment never reads it.
    ARCHIVE_BUCKET_NAME: stack.archive.bucket,
  };
}

export interface ColdStartRow {
  readonly function: string;
  readonly bundleKB: number;
  /** The first request each fresh process handled, or `import only`. */
  readonly firstRequest: string;
  readonly samples: number;
  /** Medians, ms. */
  readonly importMs: number;
  readonly requestMs: number;
  /** import + first request. */
  readonly initMs: number;
  /** spawn to exit of the whole process (Node boot included). */
  readonly processMs: number;
  /** initMs and processMs over the empty handler's. */
  readonly ratio: { readonly init: number; readonly process: number };
}

export interface ColdStartResult {
  readonly repeats: number;
  readonly nodeBootMs: number;
  readonly baseline: Omit<ColdStartRow, 'ratio'>;
  readonly rows: ColdStartRow[];
  /** Entries that could not be bundled or imported (e.g. a function still being written). */
  readonly skipped: { readonly function: string; readonly reason: string }[];
}

interface Subject {
  readonly name: string;
  readonly entry: string;
  readonly event: (n: number) => APIGatewayProxyEvent | undefined;
  readonly label: string;
}

interface Sample {
  readonly importMs: number;
  readonly requestMs: number;
  readonly bootMs: number;
  readonly processMs: number;
}

/** The child: times the bundle's import and first request from inside a fresh process. */
const PROBE = `import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
const [bundle, eventJson] = process.argv.slice(2);
const bootMs = performance.now();
const { handler } = await import(pathToFileURL(bundle).href);
const imported = performance.now();
let status = null;
if (eventJson) {
  const context = { functionName: 'bench', awsRequestId: 'bench', getRemainingTimeInMillis: () => 5000 };
  status = (await handler(JSON.parse(eventJson), context)).statusCode;
}
const handled = performance.now();
process.stdout.write(JSON.stringify({ bootMs, importMs: imported - bootMs, requestMs: handled - imported, status }) + '\\n', () => process.exit(0));
`;

const EMPTY_HANDLER = `export const handler = async () => ({ statusCode: 200, headers: {}, body: '{}' });\n`;

export async function benchColdStart(
  stack: LocalStack,
  options: { readonly repeats: number; readonly progress: (line: string) => void },
): Promise<ColdStartResult> {
  const { rooms } = benchStores(stack);
  const room = await createBenchRoom(rooms, ROOM_ID, 1, { slowModeSeconds: 0 });
  const { token } = await stack.tokens.issue({ userId: 'bench-cold', displayName: 'Bench cold' });
  const segment = String(segmentOf(Date.now(), room.settings.segmentSeconds));
  const edge = (event: APIGatewayProxyEvent) => throughEdge(event, stack.origin.header);
  const requests: Partial<Record<FunctionName, Omit<Subject, 'name' | 'entry'>>> = {
    postComment: { label: 'POST comment', event: (n) => edge(postEvent(ROOM_ID, token, n)) },
    getLive: { label: 'GET live', event: () => edge(liveEvent(ROOM_ID)) },
    getSegment: {
      label: 'GET open segment',
      event: () =>
        edge(
          apiEvent({
            method: 'GET',
            resource: '/v1/rooms/{roomId}/segments/{n}',
            pathParameters: { roomId: ROOM_ID, n: segment },
          }),
        ),
    },
    getRoom: {
      label: 'GET room',
      event: () =>
        edge(
          apiEvent({ method: 'GET', resource: '/v1/rooms/{roomId}', pathParameters: { roomId: ROOM_ID } }),
        ),
    },
  };
  const subjects: Subject[] = (Object.keys(functions) as FunctionName[]).map((name) => ({
    name,
    entry: join(projectRoot, functions[name].entry),
    ...(requests[name] ?? { label: 'import only', event: () => undefined }),
  }));
  const skipped: { function: string; reason: string }[] = [];
  const scalerEntry = join(projectRoot, scalerFunction.entry);
  if (existsSync(scalerEntry)) {
    subjects.push({ name: 'scaler', entry: scalerEntry, label: 'import only', event: () => undefined });
  } else {
    skipped.push({ function: 'scaler', reason: `${scalerFunction.entry} does not exist yet` });
  }

  // Secrets Manager's GetSecretValue for the origin secret, as the functions read it at cold start:
  // the stack's value as AWSCURRENT, no other label (as before a first rotation).
  const secretsManager = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const { VersionStage } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        VersionStage?: string;
      };
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      if (VersionStage === 'AWSCURRENT') res.end(JSON.stringify({ SecretString: stack.origin.header.value }));
      else res.writeHead(400).end(JSON.stringify({ __type: 'ResourceNotFoundException' }));
    });
  });
  await new Promise<void>((resolve) => secretsManager.listen(0, '127.0.0.1', resolve));
  const environment = functionEnvironment(
    stack,
    `http://127.0.0.1:${(secretsManager.address() as AddressInfo).port}`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'hlc-bench-cold-'));
  try {
    const probe = join(dir, 'probe.mjs');
    writeFileSync(probe, PROBE);
    const emptyEntry = join(dir, 'empty-handler.mjs');
    writeFileSync(emptyEntry, EMPTY_HANDLER);
    const baselineSubject: Subject = {
      name: 'empty handler (baseline)',
      entry: emptyEntry,
      label: 'GET live event',
      event: () => liveEvent(ROOM_ID),
    };

    options.progress(`  bundling ${subjects.length + 1} entries as CDK does…`);
    const bundles = new Map<string, { file: string; bytes: number }>();
    for (const subject of [baselineSubject, ...subjects]) {
      try {
        bundles.set(subject.name, await bundle(subject.entry, join(dir, subject.name.replace(/\W+/g, '-'))));
      } catch (error) {
        if (subject === baselineSubject) throw error;
        skipped.push({ function: subject.name, reason: `bundling failed: ${firstLine(error)}` });
      }
    }

    const samples = new Map<string, Sample[]>();
    const live = [baselineSubject, ...subjects].filter((s) => bundles.has(s.name));
    let n = 0;
    for (let r = 0; r < options.repeats; r++) {
      options.progress(`  cold-start round ${r + 1} of ${options.repeats}…`);
      for (const subject of live) {
        if (!bundles.has(subject.name)) continue;
        try {
          const sample = await runProbe(
            probe,
            bundles.get(subject.name)!.file,
            subject.event(n++),
            environment,
          );
          samples.set(subject.name, [...(samples.get(subject.name) ?? []), sample]);
        } catch (error) {
          if (subject === baselineSubject || subject.label !== 'import only') throw error;
          bundles.delete(subject.name);
          skipped.push({ function: subject.name, reason: `import failed: ${firstLine(error)}` });
        }
      }
    }

    const row = (subject: Subject) => {
      const list = samples.get(subject.name)!;
      const importMs = median(list.map((s) => s.importMs));
      const requestMs = median(list.map((s) => s.requestMs));
      return {
        function: subject.name,
        bundleKB: Math.round(bundles.get(subject.name)!.bytes / 102.4) / 10,
        firstRequest: subject.label,
        samples: list.length,
        importMs: round(importMs),
        requestMs: round(requestMs),
        initMs: round(median(list.map((s) => s.importMs + s.requestMs))),
        processMs: round(median(list.map((s) => s.processMs))),
      };
    };
    const baseline = row(baselineSubject);
    return {
      repeats: options.repeats,
      nodeBootMs: round(median([...samples.values()].flat().map((s) => s.bootMs))),
      baseline,
      rows: live
        .filter((s) => s !== baselineSubject && bundles.has(s.name))
        .map((s) => {
          const r = row(s);
          return {
            ...r,
            ratio: {
              init: ratio(r.initMs, baseline.initMs),
              process: ratio(r.processMs, baseline.processMs),
            },
          };
        }),
      skipped,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await new Promise((resolve) => secretsManager.close(resolve));
  }
}

async function bundle(entry: string, outdir: string): Promise<{ file: string; bytes: number }> {
  const file = join(outdir, 'index.mjs');
  await build({ ...CDK_BUNDLING, entryPoints: [entry], outfile: file, absWorkingDir: projectRoot });
  return { file, bytes: statSync(file).size };
}

function runProbe(
  probe: string,
  bundleFile: string,
  event: APIGatewayProxyEvent | undefined,
  environment: Record<string, string>,
): Promise<Sample> {
  const args = [probe, bundleFile, ...(event ? [JSON.stringify(event)] : [])];
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...environment, POWERTOOLS_LOG_LEVEL: 'ERROR' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      const processMs = performance.now() - started;
      const line = stdout.trim().split('\n').pop() ?? '';
      let parsed: { bootMs: number; importMs: number; requestMs: number; status: number | null };
      try {
        parsed = JSON.parse(line) as typeof parsed;
      } catch {
        reject(new Error(`probe exited with ${code}: ${stderr.trim() || stdout.trim()}`));
        return;
      }
      if (parsed.status !== null && (parsed.status < 200 || parsed.status > 299)) {
        reject(new Error(`first request answered ${parsed.status}: ${stderr.trim() || stdout.trim()}`));
        return;
      }
      resolve({ bootMs: parsed.bootMs, importMs: parsed.importMs, requestMs: parsed.requestMs, processMs });
    });
  });
}

const firstLine = (error: unknown) => String(error instanceof Error ? error.message : error).split('\n')[0]!;
const round = (n: number) => Math.round(n * 10) / 10;
