import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { once } from 'node:events';
import { connect as connectTls } from 'node:tls';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../local/paths.js';

const run = promisify(execFile);

/** What `npm start` does for a user: start, print working URLs, and stop everything on Ctrl-C. */
describe('npm start', () => {
  it('prints a certificate file that TLS clients trust the AppSync endpoint with, checks on', async () => {
    // Prepare
    const child = startLocal();
    try {
      await waitFor(
        () => child.output().includes('Ctrl-C stops everything'),
        90_000,
        () => child.output(),
      );
      const output = child.output();
      const file = certificateFile(output);
      const graphqlUrl = new URL(/GraphQL \(AppSync stand-in\)\s+(\S+)/.exec(output)![1]!);
      expect(output).toContain(`NODE_EXTRA_CA_CERTS=${file}`);

      // Act: a client that trusts only that file, and one that trusts only the default CAs
      const trusting = await tlsHandshake(graphqlUrl, { ca: readFileSync(file) });
      const untrusting = await tlsHandshake(graphqlUrl, {});
      // The exact command README gives: Node started with the file as an extra CA
      const { stdout } = await run(
        process.execPath,
        [
          '-e',
          `require('node:https').get(${JSON.stringify(graphqlUrl.href)}, (r) => { console.log(r.statusCode); r.resume(); })`,
        ],
        { env: { ...process.env, NODE_EXTRA_CA_CERTS: file } },
      );

      // Assess
      expect(trusting).toEqual({ authorized: true });
      expect(untrusting.authorized).toBe(false);
      expect(untrusting.error).toMatch(/self[- ]signed/i);
      expect(stdout.trim()).toBe('405'); // the endpoint answered: GET /graphql is not allowed
    } finally {
      child.process.kill('SIGINT');
      if (child.process.exitCode === null) await once(child.process, 'exit');
    }
  });

  it('prints working URLs and stops everything, DynamoDB Local included, on SIGINT', async () => {
    const local = startLocal();
    const child = local.process;
    try {
      await waitFor(() => local.output().includes('Ctrl-C stops everything'), 90_000, local.output);
      const output = local.output();

      const edgeUrl = /Edge \(CloudFront stand-in\)\s+(\S+)/.exec(output)?.[1];
      const apiUrl = /API origin \(API Gateway\)\s+(\S+)/.exec(output)?.[1];
      const originValue = /x-origin-verify: (\S+)\)/.exec(output)?.[1];
      const dynamodbPort = Number(/DynamoDB Local\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1]);
      const s3Port = Number(/S3 \(s3rver\), segment archive\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1]);
      expect(edgeUrl).toBeDefined();
      expect((await fetch(`${edgeUrl}/v1/rooms/demo`)).status).toBe(200);
      // The origin answers only what the edge sends on (ADR 0030): the header it prints.
      expect(originValue).toBeDefined();
      expect((await fetch(`${apiUrl}/v1/rooms/demo/live`)).status).toBe(403);
      const live = await fetch(`${apiUrl}/v1/rooms/demo/live`, {
        headers: { 'x-origin-verify': originValue! },
      });
      expect(live.status).toBe(200);
      expect(await accepts(dynamodbPort)).toBe(true);
      expect(await accepts(s3Port)).toBe(true);
      expect(output).not.toContain('NodeVersionSupportWarning');
      expect(existsSync(certificateFile(output))).toBe(true);

      child.kill('SIGINT');
      const [code] = await once(child, 'exit');

      expect(code).toBe(0);
      expect(await accepts(dynamodbPort)).toBe(false);
      expect(await accepts(s3Port)).toBe(false);
      // In memory, the certificate's temporary directory goes with the stack.
      expect(existsSync(certificateFile(output))).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

function startLocal() {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'local/main.ts',
      '--in-memory',
      ...['--port', '0', '--api-port', '0', '--dynamodb-port', '0', '--appsync-port', '0'],
      ...['--appsync-tls-port', '0', '--s3-port', '0'],
    ],
    { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { process: child, output: () => output };
}

function certificateFile(output: string): string {
  const file = /AppSync certificate\s+(\S+)/.exec(output)?.[1];
  if (!file) throw new Error(`npm start printed no certificate file:\n${output}`);
  return file;
}

/** A TLS handshake with certificate checks on; whether the server's certificate was trusted. */
function tlsHandshake(url: URL, options: { ca?: Buffer }): Promise<{ authorized: boolean; error?: string }> {
  return new Promise((resolve) => {
    const socket = connectTls({ host: url.hostname, port: Number(url.port), ...options }, () => {
      resolve({ authorized: socket.authorized });
      socket.end();
    });
    socket.once('error', (error) => resolve({ authorized: false, error: error.message }));
  });
}

async function waitFor(condition: () => boolean, timeoutMs: number, context: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out. Output so far:\n${context()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
