/**
 * The view-limit merge (ADR 0038): the newest `limit` visible items across many streams, each
 * newest first by id and read page by page. A binary heap holds one entry per stream, keyed by
 * the stream's head, so at any moment the merge holds at most one page per stream — never N items.
 */

/** What the merge needs of a stored feed record: its id and whether viewers see it. */
export interface StreamItem {
  readonly id: string;
  /** `tombstone` for a deletion record; anything else is an item. */
  readonly kind?: string;
  /** Set on a deleted item. */
  readonly deletedAt?: string;
}

/** One room shard's records within the window, newest first, a page at a time. */
export type ItemStream = AsyncIterable<readonly StreamItem[]>;

/** What the merge took from one stream. */
export interface StreamTake {
  /** Visible items of this stream among the newest `limit`. */
  readonly taken: number;
  /** The oldest of them; absent when it gave none. */
  readonly oldestId?: string;
}

export interface MergeResult {
  /** Per stream, in the order given. */
  readonly streams: readonly StreamTake[];
  /** Visible items taken in all: `limit`, or fewer when the streams ran dry first. */
  readonly taken: number;
  /** Records read from the streams (visible or not): the pages pulled, whole. */
  readonly read: number;
  /** True when the streams ran dry before `limit` visible items. */
  readonly exhausted: boolean;
}

/** Shown to viewers: neither a tombstone nor a deleted item (comment.ts `isVisible`). */
export const isVisibleRecord = (item: StreamItem): boolean =>
  item.kind !== 'tombstone' && item.deletedAt === undefined;

/** One stream's position: its current page and the index of its head in it. */
interface Cursor {
  readonly index: number;
  readonly pages: AsyncIterator<readonly StreamItem[]>;
  page: readonly StreamItem[];
  at: number;
  lastId: string | undefined;
}

export async function mergeNewest(streams: readonly ItemStream[], limit: number): Promise<MergeResult> {
  let read = 0;
  const cursors: Cursor[] = streams.map((stream, index) => ({
    index,
    pages: stream[Symbol.asyncIterator](),
    page: [],
    at: 0,
    lastId: undefined,
  }));

  /** Moves the cursor onto its next visible record, pulling pages as needed; false at the end. */
  const advance = async (cursor: Cursor): Promise<boolean> => {
    for (;;) {
      while (cursor.at < cursor.page.length) {
        const item = cursor.page[cursor.at]!;
        if (cursor.lastId !== undefined && item.id >= cursor.lastId) {
          throw new Error(`Stream ${cursor.index} is not newest first: ${item.id} after ${cursor.lastId}.`);
        }
        cursor.lastId = item.id;
        if (isVisibleRecord(item)) return true;
        cursor.at++;
      }
      // Drop the finished page before asking for the next: one page per stream at a time.
      cursor.page = [];
      cursor.at = 0;
      const next = await cursor.pages.next();
      if (next.done) return false;
      cursor.page = next.value;
      read += next.value.length;
    }
  };
  const headId = (cursor: Cursor) => cursor.page[cursor.at]!.id;

  const heap = new MaxHeap<Cursor>((a, b) => {
    const ia = headId(a);
    const ib = headId(b);
    // Ties (the same id in two rooms: not expected of ULIDs) go to the earlier stream.
    return ia > ib || (ia === ib && a.index < b.index);
  });
  const takes = streams.map(() => ({ taken: 0, oldestId: undefined as string | undefined }));
  let taken = 0;
  try {
    // Every stream's first page at once; after that, only the stream just taken from reads on.
    const started = await Promise.all(cursors.map(advance));
    cursors.forEach((cursor, i) => {
      if (started[i]) heap.push(cursor);
    });
    while (taken < limit && heap.size > 0) {
      const cursor = heap.pop()!;
      const take = takes[cursor.index]!;
      take.taken++;
      take.oldestId = headId(cursor);
      taken++;
      cursor.at++;
      if (taken < limit && (await advance(cursor))) heap.push(cursor);
    }
  } finally {
    // Stop the streams that were not read to the end (a query's remaining pages are never asked for).
    await Promise.all(cursors.map((cursor) => cursor.pages.return?.()));
  }
  return {
    streams: takes.map(({ taken, oldestId }) => (oldestId === undefined ? { taken } : { taken, oldestId })),
    taken,
    read,
    exhausted: taken < limit,
  };
}

/**
 * A binary max-heap over `higher`. Written here rather than taken from a package: it holds one
 * entry per stream (a few hundred at most) and is these thirty lines (ADR 0038).
 */
class MaxHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly higher: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.higher(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      for (let i = 0; ;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let best = i;
        if (left < items.length && this.higher(items[left]!, items[best]!)) best = left;
        if (right < items.length && this.higher(items[right]!, items[best]!)) best = right;
        if (best === i) break;
        [items[i], items[best]] = [items[best]!, items[i]!];
        i = best;
      }
    }
    return top;
  }
}
