import { describe, expect, it } from 'vitest';
import { ascendingBy, descendingBy, mergeSorted } from '../../../../lambdas/domain/feed/merge.js';
import { mulberry32 } from '../../fakes.js';

interface Item {
  readonly key: string;
  /** Which list the item came from and where in it: lets tests check order among equal keys. */
  readonly list: number;
  readonly pos: number;
}

const byKey = ascendingBy<Item>((i) => i.key);
const byKeyDescending = descendingBy<Item>((i) => i.key);

/** Lists of items from lists of keys. */
const lists = (...keys: string[][]): Item[][] =>
  keys.map((ks, list) => ks.map((key, pos) => ({ key, list, pos })));
const keysOf = (items: readonly Item[]) => items.map((i) => i.key);

/** A list whose reads beyond what the merge needed are recorded. */
function watched<T>(items: T[]) {
  let highestRead = -1;
  const list = new Proxy(items, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && /^\d+$/.test(prop)) highestRead = Math.max(highestRead, Number(prop));
      return Reflect.get(target, prop, receiver);
    },
  });
  return { list, highestRead: () => highestRead };
}

describe('ascendingBy and descendingBy', () => {
  it('compare by the key', () => {
    const a = { key: 'a', list: 0, pos: 0 };
    const b = { key: 'b', list: 0, pos: 0 };

    expect(byKey(a, b)).toBeLessThan(0);
    expect(byKey(b, a)).toBeGreaterThan(0);
    expect(byKey(a, { ...a })).toBe(0);
    expect(byKeyDescending(a, b)).toBeGreaterThan(0);
    expect(byKeyDescending(b, a)).toBeLessThan(0);
    expect(byKeyDescending(a, { ...a })).toBe(0);
  });

  it('compare strings by code unit, as ids sort in DynamoDB', () => {
    const upper = { key: 'Z', list: 0, pos: 0 };
    const lower = { key: 'a', list: 0, pos: 0 };

    expect(byKey(upper, lower)).toBeLessThan(0);
  });
});

describe('mergeSorted', () => {
  it('returns nothing for no lists', () => {
    expect(mergeSorted<Item>([], byKey)).toEqual([]);
  });

  it('returns nothing for only empty lists', () => {
    expect(mergeSorted(lists([], [], []), byKey)).toEqual([]);
  });

  it('returns a single list unchanged', () => {
    const [only] = lists(['a', 'c', 'e']);

    const merged = mergeSorted([only!], byKey);

    expect(merged).toEqual(only);
    expect(merged).not.toBe(only);
  });

  it('merges lists of unequal length, skipping empty ones', () => {
    // Prepare
    const input = lists(['b', 'f'], [], ['a', 'c', 'd', 'e', 'g', 'h'], ['z']);

    // Act
    const merged = mergeSorted(input, byKey);

    // Assess
    expect(keysOf(merged)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'z']);
  });

  it('merges lists sorted newest first with descendingBy', () => {
    const input = lists(['09', '05', '01'], ['08', '07'], ['10', '02']);

    const merged = mergeSorted(input, byKeyDescending);

    expect(keysOf(merged)).toEqual(['10', '09', '08', '07', '05', '02', '01']);
  });

  it('does not modify its input', () => {
    const input = lists(['a', 'c'], ['b']);
    const copy = structuredClone(input);

    mergeSorted(input, byKey, 2);

    expect(input).toEqual(copy);
  });

  it('keeps equal items of one list in their order', () => {
    const input = lists(['a', 'b', 'b', 'b', 'c'], ['b', 'b']);

    const merged = mergeSorted(input, byKey);

    expect(keysOf(merged)).toEqual(['a', 'b', 'b', 'b', 'b', 'b', 'c']);
    for (const list of [0, 1]) {
      const positions = merged.filter((i) => i.list === list).map((i) => i.pos);
      expect(positions).toEqual([...positions].sort((x, y) => x - y));
    }
  });

  it('stops at the limit, taking the smallest items', () => {
    const input = lists(['a', 'd', 'g'], ['b', 'e'], ['c', 'f']);

    expect(keysOf(mergeSorted(input, byKey, 4))).toEqual(['a', 'b', 'c', 'd']);
    expect(mergeSorted(input, byKey, 0)).toEqual([]);
    expect(keysOf(mergeSorted(input, byKey, 100))).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  });

  it('reads no further into a list than the limit needs', () => {
    // Prepare: two long lists; the merge must stop early instead of walking them.
    const evens = watched(
      Array.from({ length: 10_000 }, (_, i) => ({ key: String(2 * i).padStart(6, '0'), list: 0, pos: i })),
    );
    const odds = watched(
      Array.from({ length: 10_000 }, (_, i) => ({
        key: String(2 * i + 1).padStart(6, '0'),
        list: 1,
        pos: i,
      })),
    );

    // Act
    const merged = mergeSorted([evens.list, odds.list], byKey, 5);

    // Assess
    expect(keysOf(merged)).toEqual(['000000', '000001', '000002', '000003', '000004']);
    expect(evens.highestRead()).toBeLessThanOrEqual(3);
    expect(odds.highestRead()).toBeLessThanOrEqual(3);
  });

  it('agrees with flat().sort() on many random inputs', () => {
    // Prepare: few distinct keys, so that ties across and within lists are common.
    const random = mulberry32(20_240_601);
    const int = (n: number) => Math.floor(random() * n);

    for (let round = 0; round < 500; round++) {
      const keys = Array.from({ length: int(7) }, () =>
        Array.from(
          { length: int(25) },
          () => String.fromCharCode(97 + int(12)) + String.fromCharCode(97 + int(3)),
        ).sort(),
      );
      const input = lists(...keys);
      const limit = random() < 0.3 ? int(30) : Infinity;
      const expected = keys.flat().sort();

      // Act
      const ascending = mergeSorted(input, byKey, limit);
      const descending = mergeSorted(
        input.map((l) => [...l].reverse()),
        byKeyDescending,
        limit,
      );

      // Assess
      expect(keysOf(ascending)).toEqual(expected.slice(0, limit));
      expect(keysOf(descending)).toEqual([...expected].reverse().slice(0, limit));
      for (let l = 0; l < input.length; l++) {
        const positions = ascending.filter((i) => i.list === l).map((i) => i.pos);
        // Each list contributes a prefix of itself, in its own order.
        expect(positions).toEqual(positions.map((_, i) => i));
      }
    }
  });

  it('puts equal items from earlier lists first, like a stable sort of the lists joined', () => {
    const merged = mergeSorted(lists(['a'], ['a'], ['a'], ['a']), byKey);

    expect(merged.map((i) => i.list)).toEqual([0, 1, 2, 3]);
  });
});
