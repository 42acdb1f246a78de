import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { itemsPerLiveDocument, largestFittingPoll } from '../../../lambdas/domain/capacity/live-document.js';
import { planCapacity, type CapacityPlan, type PlanOptions } from '../../../lambdas/domain/capacity/plan.js';
import type { PlannedRoom } from '../../../lambdas/domain/capacity/target.js';

/*
 * A `live` document made as its tick starts covers P + 1.5 s and carries at most LIVE_COMMENT_LIMIT
 * (500) items. With the default assumptions a viewer posts 0.03 / 60 × 4 = 0.002 comments/s at the
 * peak, so 100,000 viewers post 200/s; the plan's safe share is 80% (400 of 500).
 */

const MIN = 60_000;
const HOUR = 60 * MIN;
const START = 100 * HOUR;
const options: PlanOptions = { leadTimeMs: 30 * MIN, tailMs: 15 * MIN };

const room = (overrides: Partial<PlannedRoom> = {}): PlannedRoom => ({
  roomId: 'concert',
  expectedViewers: 10_000,
  startsAtMs: START,
  endsAtMs: START + 2 * HOUR,
  pollIntervalSeconds: 3,
  segmentSeconds: 10,
  writeShards: 1,
  ...overrides,
});

const truncation = (plan: CapacityPlan, roomId = 'concert') =>
  plan.warnings.filter((w) => w.code === 'live_document_truncated' && w.roomId === roomId);

const planOne = (overrides: Partial<PlannedRoom>, more: Partial<PlanOptions> = {}) =>
  truncation(planCapacity([room(overrides)], { ...options, ...more }));

describe('the live_document_truncated warning', () => {
  it('says nothing while documents stay within the safe share of the limit', () => {
    // 40,000 viewers: 80/s × 4.5 s = 360 ≤ 400
    expect(planOne({ expectedViewers: 40_000 })).toEqual([]);
    // 80,000 viewers at 1 s: 160/s × 2.5 s = 400, exactly the safe share
    expect(planOne({ expectedViewers: 80_000, pollIntervalSeconds: 1 })).toEqual([]);
  });

  it('is `info` above the safe share up to the limit itself', () => {
    // 100,000 viewers at 1 s: 200/s × 2.5 s = 500, at the limit: not truncated, but close
    const [atLimit] = planOne({ expectedViewers: 100_000, pollIntervalSeconds: 1 });
    expect(atLimit).toMatchObject({ level: 'info', limit: 500, planned: 500 });
    // 50,000 viewers at 3 s: 100/s × 4.5 s = 450
    const [close] = planOne({ expectedViewers: 50_000 });
    expect(close).toMatchObject({ level: 'info', limit: 500, planned: 450 });
    expect(close?.message).toContain('above the 400 the plan allows (80%)');
    // 100 × (P + 1.5) ≤ 400 → P ≤ 2.5; 450 / 0.8 = 562.5
    expect(close?.message).toContain('Poll every 2 s or less, or raise LIVE_COMMENT_LIMIT to 563');
  });

  it('is a `warning` once documents would be truncated, over the room’s window', () => {
    // 100,001 viewers at 1 s: 200.002/s × 2.5 s = 500.005 > 500
    expect(planOne({ expectedViewers: 100_001, pollIntervalSeconds: 1 })).toEqual([
      expect.objectContaining({ level: 'warning', planned: 500.005 }),
    ]);
    // ANCHORS' worked example at its peak: 200/s × 4.5 s = 900
    expect(planOne({ expectedViewers: 100_000 })).toEqual([
      expect.objectContaining({
        level: 'warning',
        code: 'live_document_truncated',
        roomId: 'concert',
        limit: 500,
        planned: 900,
        fromMs: START - 30 * MIN,
        toMs: START + 2 * HOUR + 15 * MIN,
      }),
    ]);
  });

  it('tells the operator what happens and what to do, in numbers', () => {
    const [warning] = planOne({ expectedViewers: 100_000 });
    const message = warning?.message ?? '';
    expect(message).toContain('Room "concert" would put about 900 comments in each `live` document');
    expect(message).toContain('200/s at its peak × 4.5 s: a 3 s poll + 1.5 s');
    expect(message).toContain('against LIVE_COMMENT_LIMIT 500');
    expect(message).toContain('documents would be truncated');
    // 100,000 viewers / 3 s, one segment each
    expect(message).toContain('read about one segment on each poll');
    expect(message).toContain('about 33,333 more CloudFront requests/s');
    expect(message).toContain('growing with the comment rate');
    // 200 × (1 + 1.5) = 500 fits; 200 × 4.5 = 900 fits a limit of 900
    expect(message).toContain('Poll every 1 s or less, or raise LIVE_COMMENT_LIMIT to 900');
  });

  it('uses the interval after the plan’s poll floor: a floor that lengthens documents can overflow them', () => {
    // "chat" alone: 40,000 viewers at 1 s post 80/s: 80 × 2.5 = 200 items, nothing to say.
    const chat = room({ roomId: 'chat', expectedViewers: 40_000, pollIntervalSeconds: 1 });
    expect(truncation(planCapacity([chat], options), 'chat')).toEqual([]);

    // With a 1,000,000-viewer room at 5 s in the same window, CloudFront needs a 6 s floor
    // (5 s: 8,000 + 200,000 + 2,080 posts > 200,000; 6 s: 175,413), so "chat" polls every 6 s:
    // 80 × 7.5 = 600 > 500.
    const crowd = room({ roomId: 'crowd', expectedViewers: 1_000_000, pollIntervalSeconds: 5 });
    const plan = planCapacity([chat, crowd], options);
    expect(plan.rooms.find((r) => r.roomId === 'chat')?.recommendedPollIntervalSeconds).toBe(6);
    const [warning] = truncation(plan, 'chat');
    expect(warning).toMatchObject({ level: 'warning', planned: 600 });
    expect(warning?.message).toContain(
      "a 6 s poll (raised from 1 s by the plan's poll floor for CloudFront) + 1.5 s",
    );
    // 80 × (4 + 1.5) = 440 ≤ 500; a faster poll than the floor needs CloudFront's quota raised
    expect(warning?.message).toContain(
      'Poll every 4 s or less (under the CloudFront floor: ask AWS to raise that quota too), or raise LIVE_COMMENT_LIMIT to 600',
    );
  });

  it('suggests an interval and a limit that fit, and the next interval up does not', () => {
    // 60,000 viewers: 120/s × 4.5 = 540 > 500; 120 × 3.5 = 420 fits, 120 × 4.5 does not
    const [warning] = planOne({ expectedViewers: 60_000 });
    expect(warning?.message).toContain('Poll every 2 s or less, or raise LIVE_COMMENT_LIMIT to 540');

    expect(planOne({ expectedViewers: 60_000, pollIntervalSeconds: 2 })).toEqual([
      expect.objectContaining({ level: 'info', planned: 420 }),
    ]);
    expect(planOne({ expectedViewers: 60_000, pollIntervalSeconds: 3 })).toEqual([
      expect.objectContaining({ level: 'warning' }),
    ]);
    expect(planOne({ expectedViewers: 60_000 }, { liveCommentLimit: 540 })).toEqual([
      expect.objectContaining({ level: 'info', limit: 540, planned: 540 }),
    ]);
    expect(planOne({ expectedViewers: 60_000 }, { liveCommentLimit: 539 })).toEqual([
      expect.objectContaining({ level: 'warning', limit: 539 }),
    ]);
  });

  it('suggests only a faster poll when no allowed limit holds the room’s interval', () => {
    // 50,000 viewers at 10 s: 100/s × 11.5 s = 1,150 > 1,000; 100 × 4.5 = 450 fits
    const [warning] = planOne({ expectedViewers: 50_000, pollIntervalSeconds: 10 });
    expect(warning?.message).toMatch(/Poll every 3 s or less\.$/);
  });

  it('suggests only a higher limit when even 1 s polls overflow', () => {
    // 125,000 viewers at 1 s: 250/s × 2.5 s = 625
    const [warning] = planOne({ expectedViewers: 125_000, pollIntervalSeconds: 1 });
    expect(warning?.message).toContain(
      'No poll interval fits: even 1 s polls would put 625 comments in a document. Raise LIVE_COMMENT_LIMIT to 625',
    );
  });

  it('suggests both together when neither alone fits', () => {
    // 175,000 viewers at 3 s: 350/s × 4.5 = 1,575 > 1,000; at 1 s 875
    const [warning] = planOne({ expectedViewers: 175_000 });
    expect(warning?.message).toContain(
      'even 1 s polls would put 875 comments in a document: poll every 1 s and raise LIVE_COMMENT_LIMIT to 875',
    );
  });

  it('says when nothing fits, even at 1 s with the largest limit', () => {
    // 300,000 viewers: 600/s; at 1 s 1,500 > 1,000
    const [warning] = planOne({ expectedViewers: 300_000 });
    expect(warning?.message).toContain('even 1 s polls would put 1,500 comments in a document');
    expect(warning?.message).toContain("more than LIVE_COMMENT_LIMIT's maximum of 1,000 holds");
    expect(warning?.message).toContain('turn on slow mode or lower the expected comment rate');
  });

  it('is one warning per room, at the longest interval of any step it spans', () => {
    // "chat" polls every 1 s alone (200 items) and every 6 s once "crowd" joins it (600 items).
    const chat = room({ roomId: 'chat', expectedViewers: 40_000, pollIntervalSeconds: 1 });
    const crowd = room({
      roomId: 'crowd',
      expectedViewers: 1_000_000,
      pollIntervalSeconds: 5,
      startsAtMs: START + HOUR,
      endsAtMs: START + 3 * HOUR,
    });
    const plan = planCapacity([chat, crowd], options);
    expect(plan.steps.map((s) => s.roomIds)).toEqual([['chat'], ['chat', 'crowd'], ['crowd']]);
    expect(truncation(plan, 'chat')).toEqual([expect.objectContaining({ level: 'warning', planned: 600 })]);
  });

  it('sizes `live` reads with the same limit', () => {
    // 900 items per call: cut at 501 by default (26 blocks), 900 × 210 B = 47 blocks with a limit of
    // 1,000: (47 + 1) × 0.5 = 24 RCU × 16.667 calls/s = 400, + segments 261.348
    const base = planCapacity([room({ expectedViewers: 100_000 })], options);
    const raised = planCapacity([room({ expectedViewers: 100_000 })], {
      ...options,
      liveCommentLimit: 1_000,
    });
    expect(base.rooms[0]?.readUnitsPerSecond).toBe(486.348);
    expect(raised.rooms[0]?.readUnitsPerSecond).toBe(661.348);
  });
});

describe('largestFittingPoll', () => {
  it('is the largest whole interval whose documents hold the items, from 1 to 60 s', () => {
    expect(largestFittingPoll(200, 500)).toBe(1);
    expect(largestFittingPoll(120, 500)).toBe(2);
    expect(largestFittingPoll(0, 500)).toBe(60);
    expect(largestFittingPoll(201, 500)).toBeUndefined();
  });

  it('never suggests an interval that overflows, nor passes over a larger one that fits', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 5_000, noNaN: true }),
        fc.integer({ min: 1, max: 1_000 }),
        (itemsPerSecond, limit) => {
          const poll = largestFittingPoll(itemsPerSecond, limit);
          if (poll === undefined) {
            expect(itemsPerLiveDocument(itemsPerSecond, 1)).toBeGreaterThan(limit);
          } else {
            expect(itemsPerLiveDocument(itemsPerSecond, poll)).toBeLessThanOrEqual(limit + 1e-9);
            if (poll < 60) expect(itemsPerLiveDocument(itemsPerSecond, poll + 1)).toBeGreaterThan(limit);
          }
        },
      ),
    );
  });
});

describe('following the advice', () => {
  // Up to 150,000 viewers: polls + posts stay under CloudFront's 200,000/s at 1 s, so no floor applies.
  it('clears a `warning`, and an `info` altogether', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 150_000 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 1_000 }),
        (expectedViewers, pollIntervalSeconds, liveCommentLimit) => {
          const [warning] = planOne({ expectedViewers, pollIntervalSeconds }, { liveCommentLimit });
          if (!warning) return;
          const message = warning.message;
          const poll = /Poll every (\d+) s or less/.exec(message)?.[1];
          const limit = /aise LIVE_COMMENT_LIMIT to ([\d,]+)/.exec(message)?.[1]?.replaceAll(',', '');
          const both = /poll every 1 s and raise/.test(message);
          expect(poll !== undefined || limit !== undefined || /slow mode/.test(message)).toBe(true);
          const followed = (overrides: Partial<PlannedRoom>, more: Partial<PlanOptions>) => {
            const [after] = planOne(
              { expectedViewers, pollIntervalSeconds, ...overrides },
              {
                liveCommentLimit,
                ...more,
              },
            );
            if (warning.level === 'warning') expect(after?.level).not.toBe('warning');
            else expect(after).toBeUndefined();
          };
          if (poll !== undefined) followed({ pollIntervalSeconds: Number(poll) }, {});
          if (limit !== undefined) {
            followed(both ? { pollIntervalSeconds: 1 } : {}, { liveCommentLimit: Number(limit) });
          }
        },
      ),
    );
  });
});
