import { describe, expect, it } from 'vitest';
import { planCapacity, type PlanOptions } from '../../../lambdas/domain/capacity/plan.js';
import type { PlannedRoom } from '../../../lambdas/domain/capacity/target.js';
import { UnprocessableError } from '../../../lambdas/domain/errors.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const options: PlanOptions = { leadTimeMs: HOUR / 2, tailMs: HOUR / 4 };
const room = (overrides: Partial<PlannedRoom> = {}): PlannedRoom => ({
  roomId: 'concert',
  expectedViewers: 10_000,
  startsAtMs: 100 * HOUR,
  endsAtMs: 102 * HOUR,
  pollIntervalSeconds: 3,
  segmentSeconds: 10,
  writeShards: 1,
  ...overrides,
});

/** The error planCapacity throws, for assertions on its code and message. */
function refusal(rooms: readonly unknown[], opts: unknown = options): UnprocessableError {
  try {
    planCapacity(rooms as PlannedRoom[], opts as PlanOptions);
  } catch (error) {
    if (error instanceof UnprocessableError) return error;
    throw error;
  }
  throw new Error('planCapacity accepted the input');
}

describe('planCapacity refuses absurd rooms, naming the room and the field', () => {
  it.each([
    [
      'negative viewers',
      { expectedViewers: -1 },
      'expectedViewers: must be a whole number from 0 to 10,000,000 viewers',
    ],
    [
      'NaN viewers',
      { expectedViewers: Number.NaN },
      'expectedViewers: must be a whole number from 0 to 10,000,000 viewers',
    ],
    [
      'fractional viewers',
      { expectedViewers: 1.5 },
      'expectedViewers: must be a whole number from 0 to 10,000,000 viewers',
    ],
    [
      'more than 10 million viewers',
      { expectedViewers: 10_000_001 },
      'expectedViewers: must be a whole number from 0 to 10,000,000 viewers',
    ],
    ['an end at the start', { endsAtMs: 100 * HOUR }, 'endsAtMs: must be after startsAtMs'],
    ['an end before the start', { endsAtMs: 99 * HOUR }, 'endsAtMs: must be after startsAtMs'],
    [
      'an event longer than a month',
      { endsAtMs: 100 * HOUR + 32 * DAY },
      'endsAtMs: must be at most 31 days',
    ],
    ['a negative start', { startsAtMs: -1 }, 'startsAtMs: must be a time in milliseconds'],
    [
      'a poll interval of 0 s',
      { pollIntervalSeconds: 0 },
      'pollIntervalSeconds: must be a whole number from 1 to 60 seconds',
    ],
    [
      'a poll interval of 61 s',
      { pollIntervalSeconds: 61 },
      'pollIntervalSeconds: must be a whole number from 1 to 60 seconds',
    ],
    [
      'a segment of 0 s',
      { segmentSeconds: 0 },
      'segmentSeconds: must be a whole number from 1 to 300 seconds',
    ],
    ['no write shard', { writeShards: 0 }, 'writeShards: must be a whole number from 1 to 64 shards'],
    ['65 write shards', { writeShards: 65 }, 'writeShards: must be a whole number from 1 to 64 shards'],
  ])('%s', (_, overrides, message) => {
    const error = refusal([room({ roomId: 'ok' }), room(overrides)]);
    expect(error.code).toBe('invalid_capacity_input');
    expect(error.status).toBe(422);
    expect(error.message).toContain(`rooms[1] (room "concert").${message}`);
    expect(error.message).not.toContain('"ok"');
  });

  it('a room id that could not be a room', () => {
    expect(refusal([room({ roomId: 'a b' })]).message).toContain(
      'rooms[0] (room "a b").roomId: a room id is',
    );
  });

  it('a room without an id, by its index', () => {
    const { roomId: _, ...anonymous } = room();
    expect(refusal([anonymous]).message).toMatch(/rooms\[0\]\.roomId: /);
  });

  it('the same room twice', () => {
    expect(refusal([room(), room()]).message).toContain('room "concert" appears more than once');
  });

  it('every problem at once', () => {
    const { message } = refusal([room({ expectedViewers: -5, pollIntervalSeconds: 0 })], {
      leadTimeMs: -1,
      tailMs: 0,
    });
    expect(message).toContain('expectedViewers');
    expect(message).toContain('pollIntervalSeconds');
    expect(message).toContain('options.leadTimeMs');
  });

  it('rooms that are not a list', () => {
    expect(refusal('concert' as unknown as unknown[]).message).toMatch(/Invalid capacity input: rooms: /);
  });
});

describe('planCapacity refuses absurd options', () => {
  it.each([
    [
      'a negative lead',
      { leadTimeMs: -1, tailMs: 0 },
      'options.leadTimeMs: must be a whole number from 0 to 604,800,000 ms',
    ],
    [
      'a tail over a week',
      { leadTimeMs: 0, tailMs: 8 * DAY },
      'options.tailMs: must be a whole number from 0 to 604,800,000 ms',
    ],
    [
      'a missing tail',
      { leadTimeMs: 0 },
      'options.tailMs: must be a whole number from 0 to 604,800,000 ms (7 days)',
    ],
    ['an unknown option', { leadTimeMs: 0, tailMs: 0, lead: 5 }, 'options: Unrecognized key: "lead"'],
    [
      'a live comment limit of 0',
      { leadTimeMs: 0, tailMs: 0, liveCommentLimit: 0 },
      'options.liveCommentLimit: must be a whole number from 1 to 1,000 comments',
    ],
    [
      'a live comment limit above what LIVE_COMMENT_LIMIT accepts',
      { leadTimeMs: 0, tailMs: 0, liveCommentLimit: 1_001 },
      'options.liveCommentLimit: must be a whole number from 1 to 1,000 comments',
    ],
    [
      'a fractional live comment limit',
      { leadTimeMs: 0, tailMs: 0, liveCommentLimit: 450.5 },
      'options.liveCommentLimit: must be a whole number',
    ],
  ])('%s', (_, opts, message) => {
    const error = refusal([room()], opts);
    expect(error.code).toBe('invalid_capacity_input');
    expect(error.message).toContain(message);
  });

  it.each([
    [
      'a burst below 1',
      { burstFactor: 0.5 },
      'options.assumptions.burstFactor: must be a number from 1 to 100',
    ],
    [
      'a partition headroom above 1',
      { partitionHeadroom: 1.5 },
      'options.assumptions.partitionHeadroom: must be',
    ],
    [
      'negative comments',
      { commentsPerViewerPerMinute: -0.1 },
      'options.assumptions.commentsPerViewerPerMinute',
    ],
    [
      'a post under 2 write units',
      { commentsWriteUnitsPerPost: 1 },
      'options.assumptions.commentsWriteUnitsPerPost',
    ],
    [
      'fractional locations',
      { edgeLocations: 2.5 },
      'options.assumptions.edgeLocations: must be a whole number',
    ],
    [
      'infinite durations',
      { postHandlerMs: Infinity },
      'options.assumptions.postHandlerMs: must be a number',
    ],
    ['an unknown assumption', { burst: 4 }, 'options.assumptions: Unrecognized key: "burst"'],
  ])('assumption overrides: %s', (_, assumptions, message) => {
    const error = refusal([room()], { ...options, assumptions });
    expect(error.code).toBe('invalid_capacity_input');
    expect(error.message).toContain(message);
  });
});
