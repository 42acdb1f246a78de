/**
 * k-way merge of individually sorted lists (one per shard) with a binary heap:
 * O(n log k), and it stops as soon as `limit` items are out.
 */
export function mergeSorted<T>(
  lists: readonly (readonly T[])[],
  compare: (a: T, b: T) => number,
  limit = Infinity,
): T[] {
  // Heap entries: [list index, position in that list].
  const heap: [number, number][] = [];
  const head = ([l, p]: [number, number]): T => lists[l]![p]!;
  // Ties go to the earlier list, so the output is deterministic.
  const less = (a: [number, number], b: [number, number]) => {
    const order = compare(head(a), head(b));
    return order < 0 || (order === 0 && a[0] < b[0]);
  };

  const push = (entry: [number, number]) => {
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  };
  const pop = (): [number, number] => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && less(heap[left]!, heap[smallest]!)) smallest = left;
        if (right < heap.length && less(heap[right]!, heap[smallest]!)) smallest = right;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
        i = smallest;
      }
    }
    return top;
  };

  lists.forEach((list, l) => {
    if (list.length > 0) push([l, 0]);
  });
  const out: T[] = [];
  while (heap.length > 0 && out.length < limit) {
    const [l, p] = pop();
    out.push(lists[l]![p]!);
    if (p + 1 < lists[l]!.length) push([l, p + 1]);
  }
  return out;
}

export const ascendingBy =
  <T>(key: (item: T) => string) =>
  (a: T, b: T): number => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  };

export const descendingBy =
  <T>(key: (item: T) => string) =>
  (a: T, b: T): number =>
    ascendingBy(key)(b, a);
