import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IntervalIndex, overlappingPairs } from '../../src/net/intervals.ts';
import type { Interval } from '../../src/net/ip.ts';

const iv = (start: number, end: number, family: 4 | 6 = 4): Interval => ({
  family,
  start: BigInt(start),
  end: BigInt(end),
});

const arbIntervals = fc.array(
  fc.tuple(fc.nat(200), fc.nat(60)).map(([s, len]) => iv(s, s + len)),
  { maxLength: 80 },
);

describe('IntervalIndex', () => {
  it('answers overlapping and containing exactly like a brute-force scan', () => {
    fc.assert(
      fc.property(arbIntervals, fc.nat(260), fc.nat(40), (stored, qs, qlen) => {
        // Arrange
        const index = new IntervalIndex(stored.map((s, i) => ({ iv: s, value: i })));
        const q = iv(qs, qs + qlen);

        // Act / Assert
        const overlaps = stored
          .map((s, i) => [s, i] as const)
          .filter(([s]) => s.start <= q.end && q.start <= s.end);
        expect(index.overlapping(q).sort((a, b) => a - b)).toEqual(overlaps.map(([, i]) => i));
        const contains = overlaps.filter(([s]) => s.start <= q.start && s.end >= q.end);
        expect(index.containing(q).sort((a, b) => a - b)).toEqual(contains.map(([, i]) => i));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps families apart', () => {
    const index = new IntervalIndex([{ iv: iv(0, 10, 6), value: 'v6' }]);
    expect(index.overlapping(iv(0, 10, 4))).toEqual([]);
    expect(index.overlapping(iv(5, 5, 6))).toEqual(['v6']);
  });

  it('prunes past one very wide interval (no scan of everything before a query)', () => {
    const entries = [
      { iv: iv(0, 1), value: -1 },
      ...Array.from({ length: 20_000 }, (_, i) => ({ iv: iv(10 + i * 4, 11 + i * 4), value: i })),
    ];
    entries.push({ iv: iv(5, 100_000), value: -2 });
    const index = new IntervalIndex(entries);
    expect(index.overlapping(iv(80_000, 80_000))).toEqual([-2]);
    expect(index.containing(iv(50, 51))).toEqual([-2, 10]);
  });
});

describe('overlappingPairs', () => {
  it('finds every overlapping pair exactly once', () => {
    fc.assert(
      fc.property(arbIntervals, (stored) => {
        const pairs = overlappingPairs(stored.map((s, i) => ({ iv: s, value: i })));
        const key = (a: number, b: number) => (a < b ? `${a}-${b}` : `${b}-${a}`);
        const expected = new Set<string>();
        for (const [i, a] of stored.entries()) {
          for (const [j, b] of stored.entries()) {
            if (i < j && a.start <= b.end && b.start <= a.end) expected.add(key(i, j));
          }
        }
        expect(new Set(pairs.map(([a, b]) => key(a, b)))).toEqual(expected);
        expect(pairs.length).toBe(expected.size);
      }),
      { numRuns: 200 },
    );
  });
});
