import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Each test file in its own process: suites start servers and DynamoDB Local clients of their own.
    pool: 'forks',
    // The JSON results feed CI's one-line summary (.ci/summary.mjs).
    reporters: ['default', 'json'],
    outputFile: { json: '.build/vitest-results.json' },
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 90_000,
        },
      },
      {
        test: { name: 'cdk', include: ['test/cdk/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 180_000 },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // A browser, a local stack and DynamoDB Local share two cores: a page may take seconds.
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
});
