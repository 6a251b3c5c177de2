// "Did you mean": the nearest known name to a mistyped one, for rule ids in `lbguard explain`
// and in `lbguard.dev/ignore` annotations.

/** Levenshtein distance, two rows. */
export function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The closest candidate within about a third of the word's length (ties: the first), else the one
 * candidate containing the word (`not-exported` finds `lb-pool-not-exported`), else undefined.
 */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  const containing = list.filter((c) => word.length >= 4 && c.includes(word));
  let best: string | undefined = containing.length === 1 ? containing[0] : undefined;
  let bestDistance = Math.max(2, Math.ceil(word.length / 3)) + 1;
  for (const c of list) {
    const d = distance(word, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
