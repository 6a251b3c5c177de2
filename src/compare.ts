// Head against base: which findings a change brought in. Shared by the CLI (--base) and the
// GitHub App (merge base), so both call a finding "new" for the same reason.
import type { Finding } from './findings.ts';

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

/** The findings that fail a run: error level, and new unless `failOn` is `all`. Unmarked counts as new. */
export function failing(findings: readonly Finding[], failOn: 'new' | 'all'): Finding[] {
  return findings.filter((f) => f.severity === 'error' && (failOn === 'all' || f.state !== 'existing'));
}
