import { describe, expect, it } from 'vitest';
import { planCapacity, targetAt, type CapacityPlan } from '../../../lambdas/domain/capacity/plan.js';
import { BASELINE_TARGET, type PlannedRoom } from '../../../lambdas/domain/capacity/target.js';

/*
 * Worked examples with the default assumptions (assumptions.ts):
 * 0.03 comments/viewer/min, burst ×4, handlers post 50 ms / live 50 ms / segment 100 ms,
 * 2 WCU per post on comments and 4 on control, 210-byte items (a live origin call reads P + 1.5 s of
 * them per shard, at most 501, and the global feed's block; ADR 0019),
 * 50 cache locations, 1 origin fetch per location per interval, 50% of viewers connecting in 60 s,
 * headroom ×1.5 (concurrency, throttles) and ×1.25 (warm throughput), partitions planned to 80%,
 * 1.5 control RCU per instance per second, quotas planned to 80%.
 *
 * Per viewer: 0.03 / 60 × 4 = 0.002 posts/s at the peak.
 */

const MIN = 60_000;
const HOUR = 60 * MIN;
const START = 100 * HOUR;
const LEAD = 30 * MIN;
const TAIL = 15 * MIN;
const options = { leadTimeMs: LEAD, tailMs: TAIL };

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

const codes = (plan: CapacityPlan) => plan.warnings.map((w) => `${w.level}:${w.code}`);

describe('planCapacity: one two-hour event', () => {
  it('10,000 viewers: a little provisioned concurrency, baseline throttles, no warning', () => {
    const plan = planCapacity([room({ expectedViewers: 10_000 })], options);

    expect(plan.rooms).toHaveLength(1);
    const [r] = plan.rooms;
    expect(r).toMatchObject({
      roomId: 'concert',
      // Window: start − 30 min … end + 15 min.
      windowFromMs: START - LEAD,
      windowToMs: START + 2 * HOUR + TAIL,
      // 10,000 / 3 s
      viewerRequestsPerSecond: 3333.333,
      // 10,000 × 0.002
      peakPostsPerSecond: 20,
      // min(50, 10,000) locations × (1/3 + 1/10)
      originRequestsPerSecond: 21.667,
      // live 16.667 + segments 5 + room info 16.667 + posts 20
      apiRequestsPerSecond: 58.333,
      // 20 posts × 2 WCU; control 20 × 4
      writeUnitsPerSecond: 40,
      controlWriteUnitsPerSecond: 80,
      // live: 20 posts/s × 4.5 s = 90 items × 210 B = 18,900 B → 5 blocks, + the global feed's 1 → 3 RCU
      // per call × 16.667 = 50; segments: 5/s × (2 queries × 0.5 + 20 × 10 × 210 B / 4,096 × 0.5) = 30.635
      readUnitsPerSecond: 80.635,
      // ceil(40 / (1,000 × 0.8)) = 1
      shardsNeeded: 1,
      writeShards: 1,
      currentWriteShards: 1,
      // 10,000 × 0.5 / 60 s
      realtimeConnectsPerSecond: 83.333,
      // 3,353 requests/s is far under 200,000: no change
      recommendedPollIntervalSeconds: 3,
      // post ceil(20 × 0.05 × 1.5 = 1.5); live ceil(16.667 × 0.05 × 1.5 = 1.25); segment ceil(5 × 0.1 × 1.5 = 0.75)
      provisionedConcurrency: { postComment: 2, getLive: 2, getSegment: 1 },
    });

    expect(plan.steps).toHaveLength(1);
    const [step] = plan.steps;
    expect(step).toMatchObject({ fromMs: START - LEAD, toMs: START + 2 * HOUR + TAIL, roomIds: ['concert'] });
    expect(step?.target).toEqual({
      provisionedConcurrency: { postComment: 2, getLive: 2, getSegment: 1 },
      // comments 40 × 1.25 = 50 W, 101 R; control 100 W, 13.5 R: all under 4,000 W / 12,000 R → no requirement
      warmThroughput: {
        comments: { readUnitsPerSecond: 0, writeUnitsPerSecond: 0 },
        control: { readUnitsPerSecond: 0, writeUnitsPerSecond: 0 },
      },
      // ceil(58.333 × 1.5 = 87.5) = 88 < the baseline 1,000 / 500
      stageThrottling: { rateLimit: 1_000, burstLimit: 500 },
      // posts 30, live 25 (each live route: players poll by tick, first loads without), segments 8:
      // each below the baseline
      routeThrottling: {
        'POST /v1/rooms/{roomId}/comments': { rateLimit: 1_000, burstLimit: 500 },
        'GET /v1/rooms/{roomId}/live': { rateLimit: 1_000, burstLimit: 500 },
        'GET /v1/rooms/{roomId}/live/{tick}': { rateLimit: 1_000, burstLimit: 500 },
        'GET /v1/rooms/{roomId}/segments/{n}': { rateLimit: 1_000, burstLimit: 500 },
      },
      roomShards: { concert: 1 },
    });
    expect(step?.load).toEqual({
      viewers: 10_000,
      viewerRequestsPerSecond: 3333.333,
      // polls + posts
      cloudFrontRequestsPerSecond: 3353.333,
      originRequestsPerSecond: 21.667,
      apiRequestsPerSecond: 58.333,
      postsPerSecond: 20,
      commentsWriteUnitsPerSecond: 40,
      commentsReadUnitsPerSecond: 80.635,
      controlWriteUnitsPerSecond: 80,
      // 6 instances × 1.5
      controlReadUnitsPerSecond: 9,
      // 2 + 2 + 1 provisioned + ceil(getRoom 16.667 × 0.05 = 0.833) on demand
      lambdaConcurrency: 6,
    });
    expect(plan.peak).toEqual(step?.target);
    expect(plan.warnings).toEqual([]);
  });

  it('100,000 viewers (ANCHORS’ worked example: 50 comments/s mean): more post concurrency, a connect-rate warning', () => {
    const plan = planCapacity([room({ expectedViewers: 100_000 })], options);
    const [r] = plan.rooms;
    expect(r).toMatchObject({
      viewerRequestsPerSecond: 33333.333,
      // 50 comments/s mean × 4
      peakPostsPerSecond: 200,
      // origin load does not grow with viewers: still 50 locations
      originRequestsPerSecond: 21.667,
      // 16.667 + 5 + 16.667 + 200
      apiRequestsPerSecond: 238.333,
      writeUnitsPerSecond: 400,
      controlWriteUnitsPerSecond: 800,
      // live: 200 × 4.5 = 900 items, cut at the limit's 501 × 210 B → 26 blocks + 1 → 13.5 RCU × 16.667 =
      // 225; segments 5 × (1 + 200 × 10 × 210 / 4,096 × 0.5 = 51.270) = 261.348
      readUnitsPerSecond: 486.348,
      // ceil(400 / 800) = 1
      writeShards: 1,
      realtimeConnectsPerSecond: 833.333,
      recommendedPollIntervalSeconds: 3,
      // post ceil(200 × 0.05 × 1.5 = 15)
      provisionedConcurrency: { postComment: 15, getLive: 2, getSegment: 1 },
    });
    const target = plan.peak;
    expect(target.provisionedConcurrency).toEqual({ postComment: 15, getLive: 2, getSegment: 1 });
    // comments 500 W / 608 R; control 1,000 W / 35.6 R: no warm throughput needed
    expect(target.warmThroughput.comments).toEqual({ readUnitsPerSecond: 0, writeUnitsPerSecond: 0 });
    expect(target.warmThroughput.control).toEqual({ readUnitsPerSecond: 0, writeUnitsPerSecond: 0 });
    // ceil(238.333 × 1.5 = 357.5) = 358 < 1,000; posts ceil(300) < 1,000
    expect(target.stageThrottling).toEqual({ rateLimit: 1_000, burstLimit: 500 });
    expect(target.routeThrottling['POST /v1/rooms/{roomId}/comments']).toEqual({
      rateLimit: 1_000,
      burstLimit: 500,
    });
    // 15 + 2 + 1 + 1 on demand
    expect(plan.steps[0]?.load.lambdaConcurrency).toBe(19);
    expect(plan.steps[0]?.load.controlReadUnitsPerSecond).toBe(28.5);

    // 200 posts/s × 4.5 s (a 3 s poll + 1.5 s) = 900 comments per `live` document > 500, over the room's
    // window; 833 connects/s in the first minute > 200/s
    expect(plan.warnings).toEqual([
      expect.objectContaining({
        level: 'warning',
        code: 'live_document_truncated',
        roomId: 'concert',
        limit: 500,
        planned: 900,
        fromMs: START - LEAD,
        toMs: START + 2 * HOUR + TAIL,
      }),
      expect.objectContaining({
        level: 'warning',
        code: 'appsync_connect_rate',
        roomId: 'concert',
        limit: 200,
        planned: 833.333,
        fromMs: START,
        toMs: START + MIN,
      }),
    ]);
    expect(plan.warnings[1]?.message).toMatch(/raise the quota.*connect with random jitter/);
  });

  it('1,000,000 viewers: shards, warm throughput, a wider post throttle, and a slower poll for CloudFront', () => {
    const plan = planCapacity([room({ expectedViewers: 1_000_000 })], options);
    const [r] = plan.rooms;
    expect(r).toMatchObject({
      viewerRequestsPerSecond: 333333.333,
      peakPostsPerSecond: 2_000,
      originRequestsPerSecond: 21.667,
      apiRequestsPerSecond: 2038.333,
      writeUnitsPerSecond: 4_000,
      controlWriteUnitsPerSecond: 8_000,
      // ceil(4,000 / 800) = 5
      shardsNeeded: 5,
      writeShards: 5,
      // live: 2,000 × 4.5 / 5 shards = 1,800 items, cut at 501 × 210 B → 26 blocks per shard;
      // (5 × 26 + 1) × 0.5 = 65.5 RCU × 16.667 = 1,091.667;
      // segments 5 × (6 × 0.5 + 2,000 × 10 × 210 / 4,096 × 0.5 = 515.695) = 2,578.476
      readUnitsPerSecond: 3670.143,
      realtimeConnectsPerSecond: 8333.333,
      // posts count at CloudFront too. Budget 250,000 × 0.8 = 200,000:
      // 3 s → 335,333; 4 s → 252,000; 5 s → 202,000; 6 s → 168,667 ✓
      recommendedPollIntervalSeconds: 6,
      // post ceil(2,000 × 0.05 × 1.5 = 150)
      provisionedConcurrency: { postComment: 150, getLive: 2, getSegment: 1 },
    });
    expect(plan.peak).toEqual({
      provisionedConcurrency: { postComment: 150, getLive: 2, getSegment: 1 },
      warmThroughput: {
        // writes 4,000 × 1.25 = 5,000 > 4,000; reads ceil(3,670.1 × 1.25) = 4,588 ≤ 12,000 → 0
        comments: { readUnitsPerSecond: 0, writeUnitsPerSecond: 5_000 },
        // writes 8,000 × 1.25 = 10,000; reads 154 instances × 1.5 × 1.25 = 288.75 → 0
        control: { readUnitsPerSecond: 0, writeUnitsPerSecond: 10_000 },
      },
      // ceil(2,038.333 × 1.5 = 3,057.5) = 3,058, burst ceil(1,529)
      stageThrottling: { rateLimit: 3_058, burstLimit: 1_529 },
      routeThrottling: {
        // 2,000 × 1.5 = 3,000, burst 1,500
        'POST /v1/rooms/{roomId}/comments': { rateLimit: 3_000, burstLimit: 1_500 },
        'GET /v1/rooms/{roomId}/live': { rateLimit: 1_000, burstLimit: 500 },
        'GET /v1/rooms/{roomId}/live/{tick}': { rateLimit: 1_000, burstLimit: 500 },
        'GET /v1/rooms/{roomId}/segments/{n}': { rateLimit: 1_000, burstLimit: 500 },
      },
      roomShards: { concert: 5 },
    });
    expect(plan.steps[0]?.load).toMatchObject({
      cloudFrontRequestsPerSecond: 335333.333,
      // 150 + 2 + 1 + 1
      lambdaConcurrency: 154,
      controlReadUnitsPerSecond: 231,
    });

    expect(codes(plan)).toEqual([
      // 1,000,000 subscribers: at the limit, above 80% of it
      'info:appsync_outbound',
      // 335,333 > 250,000
      'warning:cloudfront_requests',
      'info:dynamodb_warm_throughput',
      'info:dynamodb_warm_throughput',
      // 2,000 posts/s × 7.5 s (the 6 s floor + 1.5 s) = 15,000 comments per document > 500
      'warning:live_document_truncated',
      // 8,333/s > 200/s, at the start (later than the window's opening)
      'warning:appsync_connect_rate',
    ]);
    const byCode = (code: string) => plan.warnings.filter((w) => w.code === code);
    expect(byCode('cloudfront_requests')[0]).toMatchObject({ limit: 250_000, planned: 335333.333 });
    expect(byCode('cloudfront_requests')[0]?.message).toContain('Poll every 6 s (at least) in "concert"');
    expect(byCode('appsync_outbound')[0]).toMatchObject({ limit: 1_000_000, planned: 1_000_000 });
    expect(byCode('dynamodb_warm_throughput')).toEqual([
      expect.objectContaining({ table: 'comments', units: 'write', limit: 4_000, planned: 5_000 }),
      expect.objectContaining({ table: 'control', units: 'write', limit: 4_000, planned: 10_000 }),
    ]);
    expect(byCode('dynamodb_warm_throughput')[0]?.message).toMatch(/charged.*can never be lowered/);
  });

  it('5,000,000 viewers with 80 ms posts: throttles capped at the account, concurrency and request warnings', () => {
    const plan = planCapacity([room({ expectedViewers: 5_000_000 })], {
      ...options,
      assumptions: { postHandlerMs: 80 },
    });
    // posts 10,000/s; API 16.667 + 5 + 16.667 + 10,000 = 10,038.333 > 10,000
    expect(plan.peak.stageThrottling).toEqual({ rateLimit: 10_000, burstLimit: 5_000 });
    expect(plan.peak.routeThrottling['POST /v1/rooms/{roomId}/comments']).toEqual({
      rateLimit: 10_000,
      burstLimit: 5_000,
    });
    // post ceil(10,000 × 0.08 × 1.5) = 1,200
    expect(plan.peak.provisionedConcurrency.postComment).toBe(1_200);
    // 5,000,000 / k + 10,000 ≤ 200,000 → k ≥ 26.3
    expect(plan.rooms[0]?.recommendedPollIntervalSeconds).toBe(27);
    const warning = (code: string) => plan.warnings.find((w) => w.code === code);
    expect(warning('apigateway_account_rate')).toMatchObject({
      level: 'warning',
      limit: 10_000,
      planned: 10038.333,
    });
    // 1,200 + 2 + 1 + 1 on demand
    expect(warning('lambda_concurrency')).toMatchObject({ level: 'warning', limit: 1_000, planned: 1_204 });
    expect(warning('lambda_concurrency')?.message).toContain('1,203 provisioned, 1 on demand');
    expect(warning('appsync_outbound')).toMatchObject({ level: 'warning', planned: 5_000_000 });
  });
});

describe('planCapacity: several rooms', () => {
  const a = room({ roomId: 'a', expectedViewers: 100_000, startsAtMs: START, endsAtMs: START + 2 * HOUR });
  const b = room({
    roomId: 'b',
    expectedViewers: 100_000,
    startsAtMs: START + HOUR,
    endsAtMs: START + 3 * HOUR,
  });

  it('overlapping events: separate steps before and after, sums in the overlap', () => {
    const plan = planCapacity([b, a], options);

    // a: [start − 30 min, start + 2 h 15 min); b: [start + 30 min, start + 3 h 15 min)
    expect(plan.steps.map((s) => [s.fromMs, s.toMs, s.roomIds])).toEqual([
      [START - LEAD, START + HOUR - LEAD, ['a']],
      [START + HOUR - LEAD, START + 2 * HOUR + TAIL, ['a', 'b']],
      [START + 2 * HOUR + TAIL, START + 3 * HOUR + TAIL, ['b']],
    ]);
    const [before, overlap, after] = plan.steps;
    expect(before?.target.provisionedConcurrency).toEqual({ postComment: 15, getLive: 2, getSegment: 1 });
    expect(after?.target.provisionedConcurrency).toEqual({ postComment: 15, getLive: 2, getSegment: 1 });
    // Rates are summed, then rounded up once:
    // post (10 + 10) × 1.5 = 30; live (0.833 + 0.833) × 1.5 = 2.5 → 3; segment (0.5 + 0.5) × 1.5 → 2
    expect(overlap?.target.provisionedConcurrency).toEqual({ postComment: 30, getLive: 3, getSegment: 2 });
    expect(overlap?.target.roomShards).toEqual({ a: 1, b: 1 });
    expect(before?.target.roomShards).toEqual({ a: 1 });
    expect(overlap?.load).toMatchObject({
      viewers: 200_000,
      postsPerSecond: 400,
      viewerRequestsPerSecond: 66666.667,
      apiRequestsPerSecond: 476.667,
      commentsWriteUnitsPerSecond: 800,
    });
    expect(plan.peak).toEqual(overlap?.target);
    // Rooms listed by id, whatever the input order.
    expect(plan.rooms.map((r) => r.roomId)).toEqual(['a', 'b']);
    // Each room's own connect surge, at its own start (the starts are an hour apart); each room's own
    // `live` documents (200 posts/s × 4.5 s = 900 > 500) over its window: rooms never share a document.
    expect(plan.warnings.map((w) => [w.code, w.roomId, w.fromMs])).toEqual([
      ['live_document_truncated', 'a', START - LEAD],
      ['appsync_connect_rate', 'a', START],
      ['live_document_truncated', 'b', START + HOUR - LEAD],
      ['appsync_connect_rate', 'b', START + HOUR],
    ]);
  });

  it('the poll recommendation weighs every room in the step and slows the fastest poller', () => {
    const fast = room({ roomId: 'fast', expectedViewers: 550_000, pollIntervalSeconds: 3 });
    const slow = room({
      roomId: 'slow',
      expectedViewers: 200_000,
      pollIntervalSeconds: 10,
      startsAtMs: START + HOUR,
      endsAtMs: START + 3 * HOUR,
    });
    const plan = planCapacity([fast, slow], options);
    // fast alone: 550,000 / 3 + 1,100 posts = 184,433 ≤ 200,000.
    // Together: 183,333 + 20,000 + 1,500 = 204,833 (above 80% of the quota, under it) → info;
    // a 4 s floor: 137,500 + 20,000 + 1,500 = 159,000 ✓. slow already polls slower than 4 s.
    expect(plan.rooms.map((r) => [r.roomId, r.recommendedPollIntervalSeconds])).toEqual([
      ['fast', 4],
      ['slow', 10],
    ]);
    const cloudFront = plan.warnings.filter((w) => w.code === 'cloudfront_requests');
    expect(cloudFront).toEqual([
      expect.objectContaining({ level: 'info', planned: 204833.333, fromMs: START + HOUR - LEAD }),
    ]);
    expect(cloudFront[0]?.message).toContain('Poll every 4 s (at least) in "fast"');
  });

  it('warns when even 60 s polls do not fit, and recommends 60', () => {
    // 10,000,000 / 60 + 20,000 posts = 186,667 > 250,000 × 0.5
    const plan = planCapacity([room({ expectedViewers: 10_000_000 })], {
      ...options,
      assumptions: { quotaSafetyFactor: 0.5 },
    });
    expect(plan.rooms[0]?.recommendedPollIntervalSeconds).toBe(60);
    expect(plan.warnings.find((w) => w.code === 'cloudfront_requests')?.message).toContain(
      'Even 60 s polls do not fit',
    );
  });

  it('rooms starting together add up their connect surges', () => {
    // 15,000 × 0.5 / 60 = 125/s each: under 160 (80% of 200) alone, 250/s together
    const together = planCapacity(
      [room({ roomId: 'x', expectedViewers: 15_000 }), room({ roomId: 'y', expectedViewers: 15_000 })],
      options,
    );
    expect(together.warnings).toEqual([
      expect.objectContaining({
        level: 'warning',
        code: 'appsync_connect_rate',
        planned: 250,
        fromMs: START,
        toMs: START + MIN,
      }),
    ]);
    expect(together.warnings[0]?.roomId).toBeUndefined();
    expect(together.warnings[0]?.message).toContain('rooms "x", "y" together');

    const staggered = planCapacity(
      [
        room({ roomId: 'x', expectedViewers: 15_000 }),
        room({ roomId: 'y', expectedViewers: 15_000, startsAtMs: START + 2 * MIN, endsAtMs: START + HOUR }),
      ],
      options,
    );
    expect(staggered.warnings).toEqual([]);
  });

  it('back-to-back events without lead or tail: adjacent steps, no overlap', () => {
    const first = room({ roomId: 'first', expectedViewers: 100_000, endsAtMs: START + HOUR });
    const second = room({
      roomId: 'second',
      expectedViewers: 10_000,
      startsAtMs: START + HOUR,
      endsAtMs: START + 2 * HOUR,
    });
    const plan = planCapacity([first, second], { leadTimeMs: 0, tailMs: 0 });
    expect(plan.steps.map((s) => [s.fromMs, s.toMs, s.roomIds])).toEqual([
      [START, START + HOUR, ['first']],
      [START + HOUR, START + 2 * HOUR, ['second']],
    ]);
    expect(targetAt(plan, START + HOUR - 1).provisionedConcurrency.postComment).toBe(15);
    expect(targetAt(plan, START + HOUR).provisionedConcurrency.postComment).toBe(2);
    expect(targetAt(plan, START + HOUR).roomShards).toEqual({ second: 1 });

    // With the default lead and tail, the second's lead overlaps the first's tail.
    const withLead = planCapacity([first, second], options);
    expect(withLead.steps.map((s) => s.roomIds)).toEqual([['first'], ['first', 'second'], ['second']]);
    expect(withLead.steps[1]).toMatchObject({ fromMs: START + HOUR - LEAD, toMs: START + HOUR + TAIL });
  });

  it('an event shorter than the lead time is covered from start − lead to end + tail', () => {
    const short = room({ endsAtMs: START + 10 * MIN });
    const plan = planCapacity([short], options);
    expect(plan.steps.map((s) => [s.fromMs, s.toMs])).toEqual([[START - LEAD, START + 10 * MIN + TAIL]]);
    expect(targetAt(plan, START - 20 * MIN).provisionedConcurrency).toEqual({
      postComment: 2,
      getLive: 2,
      getSegment: 1,
    });
  });

  it('a room expecting no viewers contributes nothing', () => {
    const empty = planCapacity([room({ expectedViewers: 0 })], options);
    expect(empty).toMatchObject({ rooms: [], steps: [], warnings: [] });
    expect(empty.peak).toBe(BASELINE_TARGET);

    const mixed = planCapacity(
      [room({ roomId: 'quiet', expectedViewers: 0, writeShards: 4 }), room()],
      options,
    );
    expect(mixed.rooms.map((r) => r.roomId)).toEqual(['concert']);
    expect(mixed.steps.map((s) => s.roomIds)).toEqual([['concert']]);
    expect(mixed.peak.roomShards).toEqual({ concert: 1 });
  });

  it('no rooms: no steps, the baseline', () => {
    const plan = planCapacity([], options);
    expect(plan.steps).toEqual([]);
    expect(plan.peak).toBe(BASELINE_TARGET);
    expect(targetAt(plan, START)).toBe(BASELINE_TARGET);
  });
});

describe('planCapacity: write shards', () => {
  it('never plans fewer shards than the room has', () => {
    const plan = planCapacity([room({ expectedViewers: 10_000, writeShards: 8 })], options);
    expect(plan.rooms[0]).toMatchObject({ shardsNeeded: 1, currentWriteShards: 8, writeShards: 8 });
    expect(plan.peak.roomShards).toEqual({ concert: 8 });
    // Reads query every shard and the global feed: 20 × 4.5 / 8 = 11.25 items per shard, one block
    // each: (8 + 1) × 0.5 × 16.667 = 75, + segments 5 × (9 × 0.5 + 5.127) = 48.135
    expect(plan.rooms[0]?.readUnitsPerSecond).toBe(123.135);
  });

  it('grows to what the peak writes need', () => {
    // 2,000,000 × 0.002 = 4,000 posts/s × 2 = 8,000 WCU / 800 per shard = 10
    const plan = planCapacity([room({ expectedViewers: 2_000_000, writeShards: 3 })], options);
    expect(plan.rooms[0]).toMatchObject({ shardsNeeded: 10, writeShards: 10 });
  });

  it('caps at 64 shards and warns, rather than silently under-planning', () => {
    // 10,000,000 × 0.03 / 60 × 8 = 40,000 posts/s × 2 = 80,000 WCU / 800 = 100 shards needed
    const plan = planCapacity([room({ expectedViewers: 10_000_000 })], {
      ...options,
      assumptions: { burstFactor: 8 },
    });
    expect(plan.rooms[0]).toMatchObject({ shardsNeeded: 100, writeShards: 64 });
    expect(plan.peak.roomShards).toEqual({ concert: 64 });
    const partition = plan.warnings.find((w) => w.code === 'dynamodb_partition');
    expect(partition).toMatchObject({ level: 'warning', roomId: 'concert', limit: 64, planned: 100 });
    // 80,000 / 64 = 1,250 units/s per partition against 1,000
    expect(partition?.message).toContain('1,250 units/s');
  });
});

describe('planCapacity: assumption overrides', () => {
  it('change the result, and the plan reports the values used', () => {
    const base = planCapacity([room({ expectedViewers: 100_000 })], options);
    const tuned = planCapacity([room({ expectedViewers: 100_000 })], {
      ...options,
      assumptions: { burstFactor: 2, postHandlerMs: 200, edgeLocations: 10 },
    });
    // posts 100,000 × 0.03 / 60 × 2 = 100/s; post ceil(100 × 0.2 × 1.5) = 30
    expect(tuned.rooms[0]?.peakPostsPerSecond).toBe(100);
    expect(tuned.peak.provisionedConcurrency.postComment).toBe(30);
    // 10 locations × (1/3 + 1/10)
    expect(tuned.rooms[0]?.originRequestsPerSecond).toBe(4.333);
    expect(base.peak.provisionedConcurrency.postComment).toBe(15);
    expect(tuned.assumptions).toEqual({
      ...base.assumptions,
      burstFactor: 2,
      postHandlerMs: 200,
      edgeLocations: 10,
    });
  });

  it('an override left undefined keeps the default', () => {
    const plan = planCapacity([room()], { ...options, assumptions: { burstFactor: undefined } });
    expect(plan.assumptions.burstFactor).toBe(4);
  });

  it('fewer cache locations than viewers: a location only misses when a viewer asks it', () => {
    const tiny = planCapacity([room({ expectedViewers: 6 })], options);
    // 6 locations × (1/3 + 1/10)
    expect(tiny.rooms[0]?.originRequestsPerSecond).toBe(2.6);
  });
});

describe('targetAt', () => {
  const plan = planCapacity([room({ expectedViewers: 100_000 })], options);
  const target = plan.steps[0]?.target;

  it('is the baseline before the window opens', () => {
    expect(targetAt(plan, START - LEAD - 1)).toBe(BASELINE_TARGET);
  });

  it('is the step’s target from the window’s first millisecond until its last', () => {
    expect(targetAt(plan, START - LEAD)).toBe(target);
    expect(targetAt(plan, START + HOUR)).toBe(target);
    expect(targetAt(plan, START + 2 * HOUR + TAIL - 1)).toBe(target);
  });

  it('is the baseline once the window has closed (the end is exclusive)', () => {
    expect(targetAt(plan, START + 2 * HOUR + TAIL)).toBe(BASELINE_TARGET);
  });

  it('finds the right step among many, and the baseline in gaps between them', () => {
    const rooms = Array.from({ length: 7 }, (_, i) =>
      room({
        roomId: `r${i}`,
        expectedViewers: 10_000 * (i + 1),
        startsAtMs: START + i * 4 * HOUR,
        endsAtMs: START + i * 4 * HOUR + HOUR,
      }),
    );
    const many = planCapacity(rooms, options);
    expect(many.steps).toHaveLength(7);
    rooms.forEach((r, i) => {
      expect(targetAt(many, r.startsAtMs).roomShards).toEqual({ [`r${i}`]: 1 });
      // Between one window's close and the next one's opening.
      expect(targetAt(many, r.endsAtMs + TAIL + MIN)).toBe(BASELINE_TARGET);
    });
  });

  it('refuses a time that is not a number', () => {
    expect(() => targetAt(plan, Number.NaN)).toThrow(/atMs/);
  });
});
