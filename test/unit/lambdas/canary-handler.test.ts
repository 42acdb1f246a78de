import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMetrics } from '../../../lambdas/adapters/metrics.js';
import { createLogger } from '../../../lambdas/adapters/logger.js';
import { createCanaryHandler } from '../../../lambdas/handlers/canary.js';
import { captureEmf } from '../../helpers/emf.js';
import { aRoom, InMemoryRooms } from '../fakes.js';

afterEach(() => vi.restoreAllMocks());

describe('the canary handler with Powertools Metrics', () => {
  it('emits one EMF document per run in HybridLiveChat, with the service and stage dimensions the construct exposes', async () => {
    const emitted = captureEmf();
    const handler = createCanaryHandler({
      canary: {
        roomId: 'canary',
        rooms: new InMemoryRooms(aRoom({ roomId: 'canary' })),
        publisher: { publish: async () => {} },
        subscriber: {
          // The PING is lost: the push step fails.
          subscribe: async () => ({ close: () => {} }),
        },
        edge: { post: async () => 'c1', pollUntilShown: async () => {} },
        viewerToken: async () => 't',
        clock: Date.now,
        timeouts: { pushMs: 50 },
      },
      metrics: createMetrics('prod'),
      logger: createLogger({ logLevel: 'SILENT' }),
    });

    const run = await handler({});

    expect(run.steps.push.outcome).toBe('failed');
    const [emf, ...more] = emitted();
    expect(more).toEqual([]);
    expect(emf).toMatchObject({
      _aws: {
        CloudWatchMetrics: [{ Namespace: 'HybridLiveChat', Dimensions: [['service', 'stage']] }],
      },
      service: 'hybrid-live-chat',
      stage: 'prod',
      CanaryRunFailed: 1,
      CanaryPushFailed: 1,
      CanaryPostFailed: 0,
      CanaryPollFailed: 0,
    });
    expect(emf).toHaveProperty('CanaryPostToPollLatency');
    expect(emf).not.toHaveProperty('CanaryPushLatency');
  });
});
