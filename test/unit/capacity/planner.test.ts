import { describe, expect, it } from 'vitest';
import { capacityPlanner } from '../../../lambdas/domain/capacity/planner.js';

describe('capacityPlanner', () => {
  it('plans with the real planner over the lead and tail windows', () => {
    const leadTimeMs = 30 * 60_000;
    const tailMs = 20 * 60_000;
    const planFor = capacityPlanner({ leadTimeMs, tailMs });
    const start = Date.UTC(2030, 0, 1, 12);
    const room = {
      roomId: 'gig',
      expectedViewers: 50_000,
      startsAtMs: start,
      endsAtMs: start + 3_600_000,
      pollIntervalSeconds: 3,
      segmentSeconds: 10,
      writeShards: 1,
    };

    const before = planFor([room], start - leadTimeMs - 1);
    const ahead = planFor([room], start - leadTimeMs);
    const tail = planFor([room], start + 3_600_000 + tailMs - 1);
    const after = planFor([room], start + 3_600_000 + tailMs);

    expect(before.target.provisionedConcurrency.postComment).toBe(0);
    expect(ahead.target.provisionedConcurrency.postComment).toBeGreaterThan(0);
    expect(tail.target.provisionedConcurrency.postComment).toBeGreaterThan(0);
    expect(after.target.provisionedConcurrency.postComment).toBe(0);
    expect(Array.isArray(ahead.warnings)).toBe(true);
  });
});
