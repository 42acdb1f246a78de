import { describe, expect, it } from 'vitest';
import {
  eventuallyConsistentQueryUnits,
  itemSize,
  transactionalWriteUnits,
} from '../../../bench/dynamo-units.js';

describe('itemSize', () => {
  it('counts attribute names and string values in UTF-8 bytes', () => {
    expect(itemSize({ pk: 'ab', sk: '' })).toBe(2 + 2 + 2);
    expect(itemSize({ t: 'コメ' })).toBe(1 + 6);
  });

  it('counts numbers by significant digits: one byte per two, plus one', () => {
    expect(itemSize({ n: 12345 })).toBe(1 + 4);
    expect(itemSize({ n: 1000 })).toBe(1 + 2);
    expect(itemSize({ n: -0.0012 })).toBe(1 + 2);
    expect(itemSize({ expiresAt: 1795386683 })).toBe(9 + 6);
  });

  it('counts booleans and nulls as one byte, and lists and maps as 3 plus one per element', () => {
    expect(itemSize({ b: true, z: null })).toBe(1 + 1 + 1 + 1);
    expect(itemSize({ l: ['a', 'bc'] })).toBe(1 + 3 + (1 + 1) + (1 + 2));
    expect(itemSize({ m: { a: 'x' } })).toBe(1 + 3 + (1 + 1 + 1));
  });

  it('leaves out undefined attributes (the document client removes them)', () => {
    expect(itemSize({ a: 'x', gone: undefined })).toBe(2);
  });
});

describe('transactionalWriteUnits', () => {
  it('charges two units per started KB of each item', () => {
    expect(transactionalWriteUnits([240, 263])).toBe(4);
    expect(transactionalWriteUnits([1024])).toBe(2);
    expect(transactionalWriteUnits([1025])).toBe(4);
  });
});

describe('eventuallyConsistentQueryUnits', () => {
  it('rounds the total of the items up to 4 KB, not each item', () => {
    expect(eventuallyConsistentQueryUnits(Array.from({ length: 40 }, () => 100))).toBe(0.5);
    expect(eventuallyConsistentQueryUnits([4096])).toBe(0.5);
    expect(eventuallyConsistentQueryUnits([4097])).toBe(1);
    // 201 comments of ~247 B: what a full live window returns per shard.
    expect(eventuallyConsistentQueryUnits(Array.from({ length: 201 }, () => 247))).toBe(6.5);
  });

  it('charges at least half a unit for a query that returns nothing', () => {
    expect(eventuallyConsistentQueryUnits([])).toBe(0.5);
  });
});
