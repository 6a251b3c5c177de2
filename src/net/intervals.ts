// Interval queries for cross-resource checks, so they stay O((n + m) log n + hits), never O(n * m).
import type { Interval } from './ip.ts';

const cmp = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

type Item<T> = { iv: Interval; value: T; max: bigint };

/**
 * An implicit augmented interval tree over an array sorted by start (the layout of Heng Li's
 * cgranges): node i's subtree maximum end prunes whole subtrees, so one very wide interval
 * (a /8 pod pool) does not turn every query into a scan.
 */
class FamilyTree<T> {
  private readonly a: Item<T>[];
  private readonly maxLevel: number;

  constructor(entries: { iv: Interval; value: T }[]) {
    this.a = entries
      .map((e) => ({ iv: e.iv, value: e.value, max: e.iv.end }))
      .sort((x, y) => cmp(x.iv.start, y.iv.start) || cmp(x.iv.end, y.iv.end));
    this.maxLevel = this.index();
  }

  private index(): number {
    const a = this.a;
    const n = a.length;
    if (n === 0) return -1;
    let lastI = 0;
    let last = a[0]!.iv.end;
    for (let i = 0; i < n; i += 2) {
      lastI = i;
      last = a[i]!.max = a[i]!.iv.end;
    }
    let k = 1;
    for (; 1 << k <= n; k++) {
      const x = 1 << (k - 1);
      const step = x << 2;
      for (let i = (x << 1) - 1; i < n; i += step) {
        const el = a[i - x]!.max;
        const er = i + x < n ? a[i + x]!.max : last;
        let e = a[i]!.iv.end;
        if (el > e) e = el;
        if (er > e) e = er;
        a[i]!.max = e;
      }
      lastI = (lastI >> k) & 1 ? lastI - x : lastI + x;
      if (lastI < n && a[lastI]!.max > last) last = a[lastI]!.max;
    }
    return k - 1;
  }

  /** Items overlapping [start, end], in start order. */
  overlapping(start: bigint, end: bigint): Item<T>[] {
    const a = this.a;
    const n = a.length;
    const out: Item<T>[] = [];
    if (n === 0) return out;
    const stack: [number, number, number][] = [[(1 << this.maxLevel) - 1, this.maxLevel, 0]];
    while (stack.length > 0) {
      const [x, k, w] = stack.pop()!;
      if (k <= 3) {
        // Small subtree: scan it in order.
        const i0 = (x >> k) << k;
        const i1 = Math.min(i0 + (1 << (k + 1)) - 1, n);
        for (let i = i0; i < i1 && a[i]!.iv.start <= end; i++) if (start <= a[i]!.iv.end) out.push(a[i]!);
      } else if (w === 0) {
        const y = x - (1 << (k - 1));
        stack.push([x, k, 1]);
        if (y >= n || a[y]!.max >= start) stack.push([y, k - 1, 0]);
      } else if (x < n && a[x]!.iv.start <= end) {
        if (start <= a[x]!.iv.end) out.push(a[x]!);
        stack.push([x + (1 << (k - 1)), k - 1, 0]);
      }
    }
    return out;
  }
}

/** Which stored intervals overlap or contain a query interval, per address family. */
export class IntervalIndex<T> {
  private readonly byFamily = new Map<number, FamilyTree<T>>();

  constructor(entries: Iterable<{ iv: Interval; value: T }>) {
    const groups = new Map<number, { iv: Interval; value: T }[]>();
    for (const e of entries) {
      const list = groups.get(e.iv.family) ?? [];
      list.push(e);
      groups.set(e.iv.family, list);
    }
    for (const [family, list] of groups) this.byFamily.set(family, new FamilyTree(list));
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

  private hits(q: Interval): Item<T>[] {
    return this.byFamily.get(q.family)?.overlapping(q.start, q.end) ?? [];
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
    let active: { iv: Interval; value: T }[] = [];
    for (const e of list) {
      active = active.filter((a) => a.iv.end >= e.iv.start);
      for (const a of active) out.push([a.value, e.value]);
      active.push(e);
    }
  }
  return out;
}
