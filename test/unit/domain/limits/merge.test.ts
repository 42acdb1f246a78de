import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeNewest, type StreamItem } from '../../../../lambdas/domain/limits/merge.js';

type State = 'visible' | 'deleted' | 'tombstone';

/** A record of a stream as the comment store yields it. */
const record = (id: string, state: State): StreamItem =>
  state === 'tombstone'
    ? { id, kind: 'tombstone', deletedAt: '2026-01-01T00:00:00.000Z' }
    : state === 'deleted'
      ? { id, kind: 'comment', deletedAt: '2026-01-01T00:00:00.000Z' }
      : { id, kind: 'comment' };

/** Instruments a set of streams: pages pulled, and how many records the merge holds at once. */
function instrumented(streams: readonly (readonly StreamItem[])[], pageSizes: readonly number[]) {
  const current = streams.map(() => 0);
  const stats = { held: 0, maxHeld: 0, pulled: streams.map(() => 0), closed: streams.map(() => false) };
  const iterables = streams.map((records, s) => ({
    async *[Symbol.asyncIterator]() {
      const size = pageSizes[s]!;
      try {
        for (let at = 0; at < records.length; at += size) {
          const page = records.slice(at, at + size);
          // Asking for this page means the merge is done with the one before.
          stats.held += page.length - current[s]!;
          current[s] = page.length;
          stats.maxHeld = Math.max(stats.maxHeld, stats.held);
          stats.pulled[s]! += page.length;
          await Promise.resolve();
          yield page;
        }
      } finally {
        stats.held -= current[s]!;
        current[s] = 0;
        stats.closed[s] = true;
      }
    },
  }));
  return { iterables, stats };
}

/** The oracle: every visible record of every stream, newest first, the first `limit`. */
function bruteForce(streams: readonly (readonly StreamItem[])[], limit: number) {
  const all = streams.flatMap((records, s) =>
    records.filter((r) => r.kind !== 'tombstone' && r.deletedAt === undefined).map((r) => ({ s, id: r.id })),
  );
  all.sort((a, b) => (a.id < b.id ? 1 : -1));
  const taken = all.slice(0, limit);
  return {
    taken: taken.length,
    streams: streams.map((_, s) => {
      const mine = taken.filter((t) => t.s === s);
      return mine.length ? { taken: mine.length, oldestId: mine.at(-1)!.id } : { taken: 0 };
    }),
    oldest: taken.at(-1)?.id,
  };
}

/** Random streams: unique ids spread over them, each stream newest first, with its own page size. */
const scenario = fc
  .record({
    streamCount: fc.integer({ min: 1, max: 12 }),
    records: fc.array(
      fc.record({
        stream: fc.nat(),
        state: fc.constantFrom<State>('visible', 'visible', 'visible', 'deleted', 'tombstone'),
      }),
      { maxLength: 300 },
    ),
    pageSizes: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 12, maxLength: 12 }),
    limitOffset: fc.integer({ min: 1, max: 320 }),
  })
  .map(({ streamCount, records, pageSizes, limitOffset }) => {
    const streams: StreamItem[][] = Array.from({ length: streamCount }, () => []);
    // Index order is id order: ids are fixed-width, so every id is unique and compares as text.
    records.forEach((r, i) =>
      streams[r.stream % streamCount]!.push(record(String(i).padStart(6, '0'), r.state)),
    );
    for (const s of streams) s.reverse();
    return { streams, pageSizes: pageSizes.slice(0, streamCount), limit: limitOffset };
  });

describe('mergeNewest', () => {
  it('takes what the brute-force oracle takes: per stream the count and the oldest id', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ streams, pageSizes, limit }) => {
        const { iterables } = instrumented(streams, pageSizes);

        const result = await mergeNewest(iterables, limit);

        const expected = bruteForce(streams, limit);
        expect(result.streams).toEqual(expected.streams);
        expect(result.taken).toBe(expected.taken);
        expect(result.exhausted).toBe(expected.taken < limit);
      }),
      { numRuns: 300 },
    );
  });

  it('holds at most one page per stream and reads at most a page per stream beyond the newest N', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ streams, pageSizes, limit }) => {
        const { iterables, stats } = instrumented(streams, pageSizes);

        const result = await mergeNewest(iterables, limit);

        const pageSum = pageSizes.reduce((a, b) => a + b, 0);
        expect(stats.maxHeld).toBeLessThanOrEqual(pageSum);
        const total = streams.reduce((a, s) => a + s.length, 0);
        const { oldest } = bruteForce(streams, limit);
        // Records at or above the oldest taken must be read; beyond them, at most one page per stream.
        const needed = streams.flat().filter((r) => oldest !== undefined && r.id >= oldest).length;
        expect(result.read).toBe(stats.pulled.reduce((a, b) => a + b, 0));
        expect(result.read).toBeLessThanOrEqual(result.exhausted ? total : needed + pageSum);
        if (result.exhausted) expect(result.read).toBe(total);
        // Every stream is closed, read to its end or not.
        expect(stats.closed.every(Boolean)).toBe(true);
        expect(stats.held).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('reads a few pages of long streams when N is small', async () => {
    // Prepare: three streams of 10,000 records each, pages of 100.
    const streams = [0, 1, 2].map((s) =>
      Array.from({ length: 10_000 }, (_, i) =>
        record(String(3 * (10_000 - i) + s).padStart(8, '0'), 'visible'),
      ),
    );
    const { iterables, stats } = instrumented(streams, [100, 100, 100]);

    // Act
    const result = await mergeNewest(iterables, 1_000);

    // Assess: about N records read, never more than three pages held.
    expect(result.taken).toBe(1_000);
    expect(result.read).toBeLessThanOrEqual(1_000 + 300);
    expect(stats.maxHeld).toBeLessThanOrEqual(300);
    expect(result.streams.map((s) => s.taken).reduce((a, b) => a + b, 0)).toBe(1_000);
  });

  it('counts nothing of tombstones and deleted items, and takes nothing from empty streams', async () => {
    const streams = [
      [record('0009', 'tombstone'), record('0008', 'visible'), record('0007', 'deleted')],
      [],
      [record('0006', 'deleted'), record('0005', 'visible')],
    ];

    const result = await mergeNewest(instrumented(streams, [2, 2, 2]).iterables, 10);

    expect(result.streams).toEqual([
      { taken: 1, oldestId: '0008' },
      { taken: 0 },
      { taken: 1, oldestId: '0005' },
    ]);
    expect(result.taken).toBe(2);
    expect(result.read).toBe(5);
    expect(result.exhausted).toBe(true);
  });

  it('refuses a stream that is not newest first', async () => {
    const streams = [[record('0001', 'visible'), record('0002', 'visible')]];

    await expect(mergeNewest(instrumented(streams, [5]).iterables, 5)).rejects.toThrow(/not newest first/);
  });
});
