import { describe, expect, it } from 'vitest';
import {
  CLOCK_SKEW_MS,
  MAX_POST_DURATION_MS,
  SEGMENT_CLOSE_GRACE_MS,
  segmentBounds,
  segmentOf,
  segmentState,
} from '../../../../lambdas/domain/feed/segments.js';

const SEGMENT_LENGTHS = [1, 7, 10, 60, 300];
const NOW = Date.UTC(2030, 0, 1, 12, 0, 0);

describe('segmentOf and segmentBounds', () => {
  it('numbers segments from the Unix epoch', () => {
    expect(segmentOf(0, 10)).toBe(0);
    expect(segmentOf(9_999, 10)).toBe(0);
    expect(segmentOf(10_000, 10)).toBe(1);
    expect(segmentBounds(0, 10)).toEqual({ startMs: 0, endMs: 10_000 });
    expect(segmentBounds(3, 10)).toEqual({ startMs: 30_000, endMs: 40_000 });
  });

  it.each(SEGMENT_LENGTHS)('round-trips segment numbers for %i-second segments', (segmentSeconds) => {
    const current = segmentOf(NOW, segmentSeconds);
    for (let n = current - 50; n <= current + 50; n++) {
      // Act
      const { startMs, endMs } = segmentBounds(n, segmentSeconds);

      // Assess
      expect(endMs - startMs).toBe(segmentSeconds * 1000);
      expect(segmentOf(startMs, segmentSeconds)).toBe(n);
      expect(segmentOf(endMs - 1, segmentSeconds)).toBe(n);
      expect(segmentOf(endMs, segmentSeconds)).toBe(n + 1);
      expect(segmentOf(startMs - 1, segmentSeconds)).toBe(n - 1);
    }
  });

  it('puts every instant in the segment whose bounds contain it (start inclusive, end exclusive)', () => {
    for (let t = NOW; t < NOW + 25_000; t += 997) {
      const n = segmentOf(t, 10);
      const { startMs, endMs } = segmentBounds(n, 10);

      expect(startMs).toBeLessThanOrEqual(t);
      expect(t).toBeLessThan(endMs);
    }
  });

  it('makes consecutive segments adjoin with no gap or overlap', () => {
    const a = segmentBounds(41, 10);
    const b = segmentBounds(42, 10);

    expect(b.startMs).toBe(a.endMs);
  });
});

describe('segmentState', () => {
  const segmentSeconds = 10;
  const n = segmentOf(NOW, segmentSeconds);
  const { startMs, endMs } = segmentBounds(n, segmentSeconds);

  it('closes a segment a whole post duration plus clock skew after its end', () => {
    expect(SEGMENT_CLOSE_GRACE_MS).toBe(MAX_POST_DURATION_MS + CLOCK_SKEW_MS);
    expect(SEGMENT_CLOSE_GRACE_MS).toBeGreaterThan(0);
  });

  it('is future one millisecond before the segment starts', () => {
    expect(segmentState(n, startMs - 1, segmentSeconds)).toBe('future');
  });

  it('is future for every later segment', () => {
    expect(segmentState(n + 1, startMs, segmentSeconds)).toBe('future');
    expect(segmentState(n + 1_000, startMs, segmentSeconds)).toBe('future');
  });

  it('is open from the segment start', () => {
    expect(segmentState(n, startMs, segmentSeconds)).toBe('open');
  });

  it('is open at the last millisecond of the segment', () => {
    expect(segmentState(n, endMs - 1, segmentSeconds)).toBe('open');
  });

  it('is still open right at its end', () => {
    expect(segmentState(n, endMs, segmentSeconds)).toBe('open');
  });

  it('is still open at end + grace - 1', () => {
    expect(segmentState(n, endMs + SEGMENT_CLOSE_GRACE_MS - 1, segmentSeconds)).toBe('open');
  });

  it('is closed at end + grace', () => {
    expect(segmentState(n, endMs + SEGMENT_CLOSE_GRACE_MS, segmentSeconds)).toBe('closed');
  });

  it('stays closed long after', () => {
    expect(segmentState(n, endMs + 86_400_000, segmentSeconds)).toBe('closed');
    expect(segmentState(0, NOW, segmentSeconds)).toBe('closed');
  });

  it.each(SEGMENT_LENGTHS)('applies the same grace to %i-second segments', (length) => {
    const m = segmentOf(NOW, length);
    const bounds = segmentBounds(m, length);

    expect(segmentState(m, bounds.endMs + SEGMENT_CLOSE_GRACE_MS - 1, length)).toBe('open');
    expect(segmentState(m, bounds.endMs + SEGMENT_CLOSE_GRACE_MS, length)).toBe('closed');
  });
});
