// Findings with fixes -> new file contents. Composes every fix on a file; idempotent because each
// op is skipped when its result already holds.
import { structuredPatch } from 'diff';
import type { Finding } from '../findings.ts';
import type { SourceFile } from '../manifests/load.ts';
import { appendDocument, applyEdit, FixError, targetOf } from './apply.ts';

export type FileChange = {
  file: string;
  before: string | undefined;
  after: string;
  rules: string[];
  /** What each applied fix did, in order (a fix that found its work done is not listed). */
  titles?: string[];
};
export type FixPlan = { changes: FileChange[]; failures: { rule: string; file: string; message: string }[] };

export function planFixes(findings: readonly Finding[], read: (file: string) => string | undefined): FixPlan {
  const current = new Map<
    string,
    { before: string | undefined; text: string | undefined; rules: Set<string>; titles: string[] }
  >();
  const failures: FixPlan['failures'] = [];
  const state = (file: string) => {
    let s = current.get(file);
    if (!s) {
      const before = read(file);
      s = { before, text: before, rules: new Set(), titles: [] };
      current.set(file, s);
    }
    return s;
  };
  for (const finding of findings) {
    const fix = finding.fix;
    if (!fix) continue;
    for (const change of fix.changes) {
      const s = state(change.file);
      try {
        const was = s.text;
        if (change.kind === 'edit') {
          if (s.text === undefined) throw new FixError(`${change.file} does not exist`);
          // Positions are of the file as read; the count of same-named documents before it holds after edits.
          s.text = applyEdit(s.text, change, targetOf(s.before ?? s.text, change));
        } else s.text = appendDocument(s.text, change);
        s.rules.add(finding.rule);
        if (s.text !== was && !s.titles.includes(fix.title)) s.titles.push(fix.title);
      } catch (e) {
        failures.push({ rule: finding.rule, file: change.file, message: (e as Error).message });
      }
    }
  }
  const changes: FileChange[] = [];
  for (const [file, s] of current) {
    if (s.text !== undefined && s.text !== s.before) {
      changes.push({ file, before: s.before, after: s.text, rules: [...s.rules].sort(), titles: s.titles });
    }
  }
  return { changes: changes.sort((a, b) => a.file.localeCompare(b.file)), failures };
}

/** A unified diff of one change, with a/ and b/ prefixes like git. */
export function unifiedDiff(c: FileChange): string {
  const patch = structuredPatch(
    c.before === undefined ? '/dev/null' : `a/${c.file}`,
    `b/${c.file}`,
    c.before ?? '',
    c.after,
    undefined,
    undefined,
    { context: 3 },
  );
  const lines = [`--- ${patch.oldFileName}`, `+++ ${patch.newFileName}`];
  for (const h of patch.hunks) {
    lines.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, ...h.lines);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Fixes, re-checked and fixed again until nothing changes: a fix can make a pool valid (an
 * aggregation with its slash back) and so expose what the next rule must fix (the IPPool that
 * pool lacks). `check` after `fix` then reports none of what lbguard knows how to fix.
 */
export function planUntilStable(
  files: readonly SourceFile[],
  findingsOf: (files: readonly SourceFile[]) => readonly Finding[],
  read: (file: string) => string | undefined,
  /**
   * Which findings a round fixes (default: all). Apply fixes takes the ones its run offered in the
   * first round, then what those fixes expose; `lbguard fix` takes every one.
   */
  select: (f: Finding, round: number) => boolean = () => true,
  rounds = 5,
): FixPlan {
  const originals = new Map<string, string | undefined>();
  const current = new Map<string, string>();
  const rules = new Map<string, Set<string>>();
  const titles = new Map<string, string[]>();
  let failures: FixPlan['failures'] = [];
  let tree = [...files];
  const readNow = (file: string) => (current.has(file) ? current.get(file) : read(file));
  for (let i = 0; i < rounds; i++) {
    const plan = planFixes(
      findingsOf(tree).filter((f) => select(f, i)),
      readNow,
    );
    failures = plan.failures;
    if (plan.changes.length === 0) break;
    for (const c of plan.changes) {
      if (!originals.has(c.file)) originals.set(c.file, c.before);
      current.set(c.file, c.after);
      const set = rules.get(c.file) ?? new Set();
      for (const r of c.rules) set.add(r);
      rules.set(c.file, set);
      titles.set(c.file, [...(titles.get(c.file) ?? []), ...(c.titles ?? [])]);
    }
    const bytes = (text: string) => Buffer.from(text, 'utf8');
    const changed = new Set(plan.changes.map((c) => c.file));
    tree = [
      ...tree.map((f) => (changed.has(f.path) ? { path: f.path, bytes: bytes(current.get(f.path)!) } : f)),
      ...plan.changes
        .filter((c) => !tree.some((f) => f.path === c.file))
        .map((c) => ({ path: c.file, bytes: bytes(c.after) })),
    ];
  }
  const changes: FileChange[] = [];
  for (const [file, after] of current) {
    const before = originals.get(file);
    if (after !== before) {
      const sorted = [...(rules.get(file) ?? [])].sort();
      changes.push({ file, before, after, rules: sorted, titles: titles.get(file) ?? [] });
    }
  }
  return { changes: changes.sort((a, b) => a.file.localeCompare(b.file)), failures };
}
