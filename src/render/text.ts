// For people: grouped by file, the offending line shown, the rule's remediation under it.
import { RULES_BY_ID } from '../checks/index.ts';
import type { Analysis } from '../engine.ts';
import type { Finding, Severity } from '../findings.ts';
import { lineStart, visible } from './escape.ts';
import { noFindingsText, notReadText, plural, skippedText } from './shared.ts';
import { type Paint, painter, wrap } from './style.ts';

export type TextOptions = {
  color: boolean;
  source: (file: string) => string | undefined;
  /** The terminal's width: messages wrap to it. Undefined (a pipe): one line per message. */
  columns?: number;
};

/** New findings first, then the pre-existing ones under their own heading, each grouped by file. */
export function renderText(a: Pick<Analysis, 'findings' | 'summary' | 'scopes'>, opts: TextOptions): string {
  const c = painter(opts.color);
  const fresh = a.findings.filter((f) => f.state !== 'existing');
  const old = a.findings.filter((f) => f.state === 'existing');
  const lines = byFile(fresh, a, opts);
  if (old.length) {
    lines.push(c('bold', `Pre-existing (already in --base), ${plural(old.length, 'finding')}:`), '');
    lines.push(...byFile(old, a, opts));
  }
  if (a.scopes.length > 1) {
    lines.push('Scopes:');
    for (const sc of a.scopes)
      lines.push(`  ${visible(sc.name)}: ${plural(sc.files, 'file')}, ${visible(sc.reason)}`);
  }
  if (a.findings.length === 0) lines.push(noFindingsText(a.summary.gaps));
  lines.push(summaryText(a, c));
  // Never silent: what could not be read, so "No findings" means read and clean.
  const unread = notReadText(a.summary.gaps);
  if (unread) lines.push(c('dim', `${unread}.`));
  const skipped = skippedText(a.summary.gaps);
  if (skipped) lines.push(c('dim', `${skipped}.`));
  return `${lines.join('\n')}\n`;
}

function summaryText(a: Pick<Analysis, 'findings' | 'summary'>, c: Paint): string {
  const s = a.summary;
  const count = (sev: Severity, n: number) => (n > 0 ? c(sev, plural(n, sev)) : plural(n, sev));
  let line = `${plural(s.files, 'file')}, ${plural(s.resources, 'resource')}: ${count('error', s.errors)}, ${count('warning', s.warnings)}, ${count('notice', s.notices)}`;
  if (a.findings.some((f) => f.state)) {
    line += ` (new: ${count('error', s.new.errors)}, ${count('warning', s.new.warnings)}; pre-existing: ${plural(s.existing.errors, 'error')}, ${plural(s.existing.warnings, 'warning')})`;
  }
  if (s.suppressed) line += `; ${s.suppressed} suppressed by lbguard.dev/ignore`;
  return line;
}

function byFile(findings: readonly Finding[], a: Pick<Analysis, 'scopes'>, opts: TextOptions): string[] {
  const c = painter(opts.color);
  // With one scope its name says nothing; with several, each finding says which cluster it is about.
  const showScope = a.scopes.length > 1;
  const files = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = files.get(f.file);
    if (list) list.push(f);
    else files.set(f.file, [f]);
  }
  const lines: string[] = [];
  for (const [file, list] of files) {
    lines.push(c('bold', lineStart(visible(file))));
    const src = opts.source(file)?.split(/\r?\n/);
    for (const f of list) {
      const scope = showScope ? c('dim', ` [${visible(f.scope)}]`) : '';
      const state = f.state === 'existing' ? c('dim', ' (pre-existing)') : '';
      const at = `  ${f.line}:${f.column}  `;
      // The message wraps under itself; the rule id stays at its end.
      const rule = visible(f.rule);
      const message = wrap(`${visible(f.message)}  ${rule}`, opts.columns, ' '.repeat(at.length + 9));
      const body = message.slice(0, message.length - rule.length) + c('dim', rule);
      lines.push(`${at}${c(f.severity, f.severity.padEnd(7))}  ${body}${scope}${state}`);
      const text = src?.[f.line - 1];
      if (text !== undefined && text.trim() !== '') {
        lines.push(c('dim', `      | ${visible(text.replace(/\t/g, ' '))}`));
        const width =
          f.endLine === f.line
            ? Math.max(1, f.endColumn - f.column)
            : Math.max(1, text.length - f.column + 1);
        lines.push(`      | ${' '.repeat(Math.max(0, f.column - 1))}${c(f.severity, '^'.repeat(width))}`);
      }
      const under = (label: string, text: string) =>
        c('dim', `      ${label}${wrap(text, opts.columns, ' '.repeat(6 + label.length))}`);
      for (const r of f.related ?? [])
        lines.push(under('related: ', `${visible(r.file)}:${r.line}:${r.column} ${visible(r.message)}`));
      const remediation = RULES_BY_ID.get(f.rule)?.remediation;
      if (remediation) lines.push(under('fix: ', remediation));
    }
    lines.push('');
  }
  return lines;
}
