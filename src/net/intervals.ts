// Sort-and-sweep helpers so cross-resource checks stay O((n + m) log n), not O(n * m).
import type { Interval } from './ip.ts';

const cmp = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * An index over intervals answering "which stored intervals overlap / contain this one".
 * Sorted by start with a running maximum of ends, so each query is a binary search plus
 * the overlapping hits.
 */
export class IntervalIndex<T> {
  private readonly byFamily = new Map<number, { items: { iv: Interval; value: T }[]; maxEnd: bigint[] }>();

  constructor(entries: Iterable<{ iv: Interval; value: T }>) {
    const groups = new Map<number, { iv: Interval; value: T }[]>();
    for (const e of entries) {
      const list = groups.get(e.iv.family) ?? [];
      list.push(e);
      groups.set(e.iv.family, list);
    }
    for (const [family, items] of groups) {
      items.sort((a, b) => cmp(a.iv.start, b.iv.start) || cmp(a.iv.end, b.iv.end));
      const maxEnd: bigint[] = [];
      let m = -1n;
      for (const it of items) {
        if (it.iv.end > m) m = it.iv.end;
        maxEnd.push(m);
      }
      this.byFamily.set(family, { items, maxEnd });
    }
  }

  /** Every stored value whose interval overlaps `q`, in start order. */
  overlapping(q: Interval): T[] {
    return this.hits(q).map((it) => it.value);
  }

  /** Every stored value whose interval contains `q` entirely. */
  containing(q: Interval): T[] {
    return this.hits(q)
      .filter((it) => it.iv.start <= q.start && it.iv.end >= q.end)
      .map((it) => it.value);
  }

  private hits(q: Interval): { iv: Interval; value: T }[] {
    const g = this.byFamily.get(q.family);
    if (!g) return [];
    // Last item with start <= q.end.
    let lo = 0;
    let hi = g.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (g.items[mid]!.iv.start <= q.end) lo = mid + 1;
      else hi = mid;
    }
    const out: { iv: Interval; value: T }[] = [];
    for (let i = lo - 1; i >= 0 && g.maxEnd[i]! >= q.start; i--) {
      if (g.items[i]!.iv.end >= q.start) out.push(g.items[i]!);
    }
    return out.reverse();
  }
}

/** Pairs of overlapping intervals in one list, by a sweep over sorted starts. */
export function overlappingPairs<T>(entries: { iv: Interval; value: T }[]): [T, T][] {
  const out: [T, T][] = [];
  const byFamily = new Map<number, { iv: Interval; value: T }[]>();
  for (const e of entries) {
    const list = byFamily.get(e.iv.family) ?? [];
    list.push(e);
    byFamily.set(e.iv.family, list);
  }
  for (const list of byFamily.values()) {
    list.sort((a, b) => cmp(a.iv.start, b.iv.start) || cmp(b.iv.end, a.iv.end));
    const active: { iv: Interval; value: T }[] = [];
    for (const e of list) {
      for (let i = active.length - 1; i >= 0; i--) if (active[i]!.iv.end < e.iv.start) active.splice(i, 1);
      for (const a of active) out.push([a.value, e.value]);
      active.push(e);
    }
  }
  return out;
}
