import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import {
  commentIdTime,
  highestIdAt,
  isCommentId,
  lowestIdAt,
  newCommentId,
} from '../../../../lambdas/domain/feed/ids.js';
import { mulberry32 } from '../../fakes.js';

// The id factory is monotonic per process (here: per test file), so these
// tests use times that only grow from one test to the next.
const T0 = Date.UTC(2030, 0, 1);

describe('newCommentId', () => {
  it('encodes the given time', () => {
    // Act
    const id = newCommentId(T0);

    // Assess
    expect(isCommentId(id)).toBe(true);
    expect(id).toHaveLength(26);
    expect(commentIdTime(id)).toBe(T0);
  });

  it('returns strictly increasing ids for many calls in the same millisecond', () => {
    const at = T0 + 1_000;

    const ids = Array.from({ length: 1_000 }, () => newCommentId(at));

    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => commentIdTime(id) === at)).toBe(true);
  });

  it('stays increasing when the clock steps back, keeping the later time', () => {
    // Prepare
    const later = T0 + 10_000;
    const first = newCommentId(later);

    // Act
    const afterStepBack = newCommentId(later - 5_000);

    // Assess
    expect(afterStepBack > first).toBe(true);
    expect(commentIdTime(afterStepBack)).toBe(later);
  });

  it('moves to the new time once the clock passes the last one', () => {
    const a = newCommentId(T0 + 20_000);

    const b = newCommentId(T0 + 20_001);

    expect(b > a).toBe(true);
    expect(commentIdTime(b)).toBe(T0 + 20_001);
  });

  it('sorts ids of later times after ids of earlier times', () => {
    const ids = [T0 + 30_000, T0 + 30_001, T0 + 31_000, T0 + 90_000].map((t) => newCommentId(t));

    expect([...ids].sort()).toEqual(ids);
  });
});

describe('commentIdTime', () => {
  it('decodes the time of any ULID', () => {
    for (const ms of [1, 1_000, T0, Date.UTC(2099, 11, 31, 23, 59, 59, 999)]) {
      expect(commentIdTime(ulid(ms))).toBe(ms);
    }
  });
});

describe('isCommentId', () => {
  it('accepts ULIDs and refuses other strings', () => {
    expect(isCommentId(ulid(T0))).toBe(true);
    expect(isCommentId('not-an-id')).toBe(false);
    expect(isCommentId('')).toBe(false);
    expect(isCommentId(ulid(T0).slice(0, 25))).toBe(false);
  });
});

describe('lowestIdAt and highestIdAt', () => {
  const random = mulberry32(7);
  // Arbitrary times from 1970 to 2100, plus edges of a second. Not 1: `ulid(0)`
  // means "now" to the ulid package, so ms - 1 must stay positive.
  const times = [
    2,
    999,
    1_000,
    T0,
    T0 + 999,
    ...Array.from({ length: 200 }, () => 2 + Math.floor(random() * Date.UTC(2100, 0, 1))),
  ];

  it('are valid ids that decode to their time', () => {
    for (const ms of times) {
      expect(isCommentId(lowestIdAt(ms))).toBe(true);
      expect(isCommentId(highestIdAt(ms))).toBe(true);
      expect(commentIdTime(lowestIdAt(ms))).toBe(ms);
      expect(commentIdTime(highestIdAt(ms))).toBe(ms);
    }
  });

  it('bound every id created at that millisecond', () => {
    for (const ms of times) {
      for (let i = 0; i < 5; i++) {
        const id = ulid(ms);

        expect(lowestIdAt(ms) <= id).toBe(true);
        expect(id <= highestIdAt(ms)).toBe(true);
      }
    }
  });

  it('exclude every id of the millisecond before and after', () => {
    for (const ms of times) {
      expect(ulid(ms - 1) < lowestIdAt(ms)).toBe(true);
      expect(highestIdAt(ms - 1) < lowestIdAt(ms)).toBe(true);
      expect(ulid(ms + 1) > highestIdAt(ms)).toBe(true);
      expect(lowestIdAt(ms + 1) > highestIdAt(ms)).toBe(true);
    }
  });

  it('bound monotonic ids too', () => {
    const at = T0 + 100_000;

    const ids = Array.from({ length: 50 }, () => newCommentId(at));

    for (const id of ids) {
      expect(lowestIdAt(at) <= id && id <= highestIdAt(at)).toBe(true);
      expect(id > highestIdAt(at - 1)).toBe(true);
      expect(id < lowestIdAt(at + 1)).toBe(true);
    }
  });
});

describe('newCommentId randomness', () => {
  it('gives ids of different milliseconds different random parts, past the pool’s refills', () => {
    const start = Date.UTC(2030, 0, 1);
    // 1,000 ids use 16,000 random bytes: the 4 KB pool is refilled several times.
    const randomParts = Array.from({ length: 1_000 }, (_, i) => newCommentId(start + i * 1_000).slice(10));

    expect(new Set(randomParts).size).toBe(randomParts.length);
    expect(new Set(randomParts.map((part) => part[0])).size).toBeGreaterThan(20);
  });
});
