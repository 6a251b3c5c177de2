// Findings with fixes -> new file contents. Composes every fix on a file; idempotent because each
// op is skipped when its result already holds.
import { structuredPatch } from 'diff';
import type { Finding } from '../findings.ts';
import { appendDocument, applyEdit, FixError } from './apply.ts';
import type { Fix } from './types.ts';

export type FileChange = { file: string; before: string | undefined; after: string; rules: string[] };
export type FixPlan = { changes: FileChange[]; failures: { rule: string; file: string; message: string }[] };

export const fixOf = (f: Finding): Fix | undefined => f.fix as Fix | undefined;

export function planFixes(findings: readonly Finding[], read: (file: string) => string | undefined): FixPlan {
  const current = new Map<string, { before: string | undefined; text: string | undefined; rules: Set<string> }>();
  const failures: FixPlan['failures'] = [];
  const state = (file: string) => {
    let s = current.get(file);
    if (!s) {
      const before = read(file);
      s = { before, text: before, rules: new Set() };
      current.set(file, s);
    }
    return s;
  };
  for (const finding of findings) {
    const fix = fixOf(finding);
    if (!fix) continue;
    for (const change of fix.changes) {
      const s = state(change.file);
      try {
        if (change.kind === 'edit') {
          if (s.text === undefined) throw new FixError(`${change.file} does not exist`);
          s.text = applyEdit(s.text, change);
        } else s.text = appendDocument(s.text, change);
        s.rules.add(finding.rule);
      } catch (e) {
        failures.push({ rule: finding.rule, file: change.file, message: (e as Error).message });
      }
    }
  }
  const changes: FileChange[] = [];
  for (const [file, s] of current) {
    if (s.text !== undefined && s.text !== s.before) {
      changes.push({ file, before: s.before, after: s.text, rules: [...s.rules].sort() });
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
