// Head against base: which findings a change brought in. Shared by the CLI (--base) and the
// GitHub App (merge base), so both call a finding "new" for the same reason.
import type { Finding, Severity } from './findings.ts';

/**
 * Marks each head finding `new` or `existing` by fingerprint, never by line: an edit above a
 * finding moves it without making it new. Fingerprints are counted, not just looked up, so a
 * second copy of an old mistake (same rule, resource and value) is still new.
 */
export function markStates(head: readonly Finding[], base: readonly Finding[]): Finding[] {
  const remaining = new Map<string, number>();
  for (const f of base) remaining.set(f.fingerprint, (remaining.get(f.fingerprint) ?? 0) + 1);
  return head.map((f) => {
    const left = remaining.get(f.fingerprint) ?? 0;
    if (left > 0) remaining.set(f.fingerprint, left - 1);
    return { ...f, state: left > 0 ? 'existing' : 'new' };
  });
}

/** `--fail-on`: the lowest severity that fails a run; `none` reports without failing. */
export const FAIL_ON = ['error', 'warning', 'none'] as const;
export type FailOn = (typeof FAIL_ON)[number];

const failsAt: Record<FailOn, readonly Severity[]> = {
  error: ['error'],
  warning: ['error', 'warning'],
  none: [],
};

/**
 * The findings that fail a run: at or above `threshold` (error level by default), and new unless
 * `failOn` (the config's) is `all`. Unmarked counts as new.
 */
export function failing(
  findings: readonly Finding[],
  failOn: 'new' | 'all',
  threshold: FailOn = 'error',
): Finding[] {
  return findings.filter(
    (f) => failsAt[threshold].includes(f.severity) && (failOn === 'all' || f.state !== 'existing'),
  );
}
