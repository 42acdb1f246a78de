import { describe, expect, it } from 'vitest';
import { formatOffset } from '../../../web/player/strings.js';

describe('formatOffset', () => {
  it('shows a replayed item’s offset as media players show time', () => {
    expect([0, 99, 6_500, 359_999, 360_000, 372_300].map(formatOffset)).toEqual([
      '0:00',
      '0:00',
      '1:05',
      '59:59',
      '1:00:00',
      '1:02:03',
    ]);
  });

  it('counts a part-second before the start as a whole one', () => {
    expect([-1, -50, -100, -101, -6_500].map(formatOffset)).toEqual([
      '-0:01',
      '-0:01',
      '-0:01',
      '-0:02',
      '-1:05',
    ]);
  });
});
