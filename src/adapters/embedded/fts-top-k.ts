/** Keeps the k smallest items by a comparator (a bounded max-heap), for the page of a search. */
export function smallest(ids: Iterable<number>, k: number, less: (a: number, b: number) => boolean): number[] {
  const heap: number[] = [];
  const up = (i: number) => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(heap[p]!, heap[i]!)) break;
      [heap[p], heap[i]] = [heap[i]!, heap[p]!];
      i = p;
    }
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && less(heap[m]!, heap[l]!)) m = l;
      if (r < heap.length && less(heap[m]!, heap[r]!)) m = r;
      if (m === i) return;
      [heap[m], heap[i]] = [heap[i]!, heap[m]!];
      i = m;
    }
  };
  if (k <= 0) return [];
  for (const id of ids) {
    if (heap.length < k) {
      heap.push(id);
      up(heap.length - 1);
    } else if (less(id, heap[0]!)) {
      heap[0] = id;
      down(0);
    }
  }
  return heap.sort((a, b) => (less(a, b) ? -1 : less(b, a) ? 1 : 0));
}
