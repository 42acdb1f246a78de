import { inject } from 'vitest';
import {
  composeLocalFunctions,
  type LocalFunctions,
  type LocalFunctionsOptions,
} from '../../local/composition.js';
import { LocalOriginSecrets } from '../../local/adapters/origin-secrets.js';
import { TEST_ORIGIN_SECRET } from './events.js';
import type { LimitJob, LimitJobQueue } from '../../lambdas/domain/limits/job.js';

/** The viewer-token claims the integration suite signs with (helpers/tokens.ts callers). */
export const TEST_TOKEN_ISSUER = 'https://host.test/';
export const TEST_TOKEN_AUDIENCE = 'hybrid-live-chat';

/**
 * The functions as the integration suite runs them: built by the local composition root over
 * the suite's DynamoDB Local and tables (global-setup.ts), the test JWKS, and the capture server
 * standing in for AppSync, the edge and the scaler's control plane — so tests can read what the
 * admin function published, invalidated, scheduled and invoked.
 */
export function integrationOptions(overrides: Partial<LocalFunctionsOptions> = {}): LocalFunctionsOptions {
  const capture = inject('captureUrl');
  return {
    dynamodbEndpoint: inject('dynamodbEndpoint'),
    tables: { comments: inject('commentsTable'), control: inject('controlTable') },
    viewerTokens: { jwksUrl: inject('jwksUrl'), issuer: TEST_TOKEN_ISSUER, audience: TEST_TOKEN_AUDIENCE },
    edgeUrl: capture,
    controlPlaneUrl: capture,
    originSecrets: new LocalOriginSecrets(TEST_ORIGIN_SECRET),
    realtime: {
      publishUrl: `${capture}/graphql`,
      graphqlUrl: 'https://appsync.test/graphql',
      realtimeUrl: 'wss://appsync-realtime.test/graphql/realtime',
      apiKey: 'da2-testkey',
    },
    // Rooms change under the tests' feet (closing, settings): no stale copies.
    settings: { ROOM_CACHE_TTL_MS: 0, LIVE_COMMENT_LIMIT: 50 },
    logLevel: 'SILENT',
    limitJobs: testJobs,
    ...overrides,
  };
}

/**
 * The view-limit job queue the suite's admin function sends to: the port, recording what was sent
 * (this process's jobs, newest last), so tests observe what the admin API queued.
 * `failNext` refuses the next sends, as SQS refusing a batch would.
 */
export const testJobs = new (class RecordingJobQueue implements LimitJobQueue {
  readonly sent: LimitJob[] = [];
  failNext = 0;
  async send(jobs: readonly LimitJob[]): Promise<void> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('the test queue refused the jobs');
    }
    this.sent.push(...jobs);
  }
  /** The jobs sent for one channel. */
  of(channelId: string): LimitJob[] {
    return this.sent.filter((job) => job.channelId === channelId);
  }
})();

let built: LocalFunctions | undefined;

/** One set of functions per test file (each file runs in its own process), built on first use. */
export function testFunctions(): LocalFunctions {
  built ??= composeLocalFunctions(integrationOptions());
  return built;
}
