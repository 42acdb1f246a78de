import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../local/paths.js';

/** What `npm start` does for a user: start, print working URLs, and stop everything on Ctrl-C. */
describe('npm start', () => {
  it('prints working URLs and stops everything, DynamoDB Local included, on SIGINT', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'local/main.ts',
        '--in-memory',
        '--port',
        '0',
        '--api-port',
        '0',
        '--dynamodb-port',
        '0',
        '--appsync-port',
        '0',
        '--appsync-tls-port',
        '0',
      ],
      { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await waitFor(
        () => output.includes('Ctrl-C stops everything'),
        90_000,
        () => output,
      );

      const edgeUrl = /Edge \(CloudFront stand-in\)\s+(\S+)/.exec(output)?.[1];
      const apiUrl = /API origin \(API Gateway\)\s+(\S+)/.exec(output)?.[1];
      const originValue = /x-origin-verify: (\S+)\)/.exec(output)?.[1];
      const dynamodbPort = Number(/DynamoDB Local\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1]);
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
      expect(output).not.toContain('NodeVersionSupportWarning');

      child.kill('SIGINT');
      const [code] = await once(child, 'exit');

      expect(code).toBe(0);
      expect(await accepts(dynamodbPort)).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

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
