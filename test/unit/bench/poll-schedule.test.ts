import { describe, expect, it } from 'vitest';
import { dueAtMs, MAX_PLANNED_REQUESTS, pollPlan, viewerOf } from '../../../bench/poll-schedule.js';

describe('pollPlan', () => {
  it('gives every viewer one poll per interval over the whole intervals of the duration', () => {
    const plan = pollPlan({ viewers: 4, intervalMs: 1000, durationMs: 2500 });

    expect(plan).toMatchObject({ rounds: 2, requests: 8, spacingMs: 250, lastDueMs: 1750 });
  });

  it('spreads phases evenly: each viewer polls exactly one interval apart, in a fixed order', () => {
    const plan = pollPlan({ viewers: 5, intervalMs: 1000, durationMs: 3000 });
    const byViewer = new Map<number, number[]>();
    for (let j = 0; j < plan.requests; j++) {
      byViewer.set(viewerOf(plan, j), [...(byViewer.get(viewerOf(plan, j)) ?? []), dueAtMs(plan, j)]);
    }

    expect([...byViewer.keys()].sort()).toEqual([0, 1, 2, 3, 4]);
    for (const [viewer, dues] of byViewer) {
      expect(dues).toEqual([0, 1000, 2000].map((t) => t + viewer * 200));
    }
  });

  it('asks for the same number of requests in every interval-long window: no bursts', () => {
    const plan = pollPlan({ viewers: 7, intervalMs: 1000, durationMs: 5000 });
    const dues = Array.from({ length: plan.requests }, (_, j) => dueAtMs(plan, j));
    for (const start of [0, 130, 499, 2000, 3999]) {
      expect(dues.filter((t) => t >= start && t < start + 1000)).toHaveLength(7);
    }
  });

  it('refuses plans that are empty, unbounded or absurd', () => {
    expect(() => pollPlan({ viewers: 0, intervalMs: 1000, durationMs: 5000 })).toThrow(/viewers/);
    expect(() => pollPlan({ viewers: 2.5, intervalMs: 1000, durationMs: 5000 })).toThrow(/viewers/);
    expect(() => pollPlan({ viewers: 10, intervalMs: 0, durationMs: 5000 })).toThrow(/intervalMs/);
    expect(() => pollPlan({ viewers: 10, intervalMs: 1000, durationMs: 500 })).toThrow(/durationMs/);
    expect(() => pollPlan({ viewers: MAX_PLANNED_REQUESTS, intervalMs: 1000, durationMs: 2000 })).toThrow(
      /planned requests/,
    );
  });
});
