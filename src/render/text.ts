// For people: grouped by file, the offending line shown, the rule's remediation under it.
import { RULES_BY_ID } from '../checks/index.ts';
import type { Analysis } from '../engine.ts';
import type { Finding, Severity } from '../findings.ts';
import { lineStart, visible } from './escape.ts';
import { plural } from './shared.ts';

export type TextOptions = { color: boolean; source: (file: string) => string | undefined };

/** Notices that say an input was not read (a file, a template, a values source, a variable). */
const GAP_RULES = new Set(['file-skipped', 'template-skipped', 'value-unresolved']);

const COLORS: Record<Severity | 'dim' | 'bold', [string, string]> = {
  error: ['\x1b[31m', '\x1b[39m'],
  warning: ['\x1b[33m', '\x1b[39m'],
  notice: ['\x1b[36m', '\x1b[39m'],
  dim: ['\x1b[2m', '\x1b[22m'],
  bold: ['\x1b[1m', '\x1b[22m'],
};

export function renderText(
  a: Pick<Analysis, 'findings' | 'summary' | 'scopes'> & { stats?: Pick<Analysis['stats'], 'templates'> },
  opts: TextOptions,
): string {
  const c = (k: keyof typeof COLORS, s: string) => (opts.color ? `${COLORS[k][0]}${s}${COLORS[k][1]}` : s);
  // With one scope its name says nothing; with several, each finding says which cluster it is about.
  const showScope = a.scopes.length > 1;
  const byFile = new Map<string, Finding[]>();
  for (const f of a.findings) {
    const list = byFile.get(f.file);
    if (list) list.push(f);
    else byFile.set(f.file, [f]);
  }
  const lines: string[] = [];
  for (const [file, list] of byFile) {
    lines.push(c('bold', lineStart(visible(file))));
    const src = opts.source(file)?.split(/\r?\n/);
    for (const f of list) {
      const scope = showScope ? c('dim', ` [${visible(f.scope)}]`) : '';
      const state = f.state === 'existing' ? c('dim', ' (pre-existing)') : '';
      lines.push(
        `  ${f.line}:${f.column}  ${c(f.severity, f.severity.padEnd(7))}  ${visible(f.message)}  ${c('dim', visible(f.rule))}${scope}${state}`,
      );
      const text = src?.[f.line - 1];
      if (text !== undefined && text.trim() !== '') {
        lines.push(c('dim', `      | ${visible(text.replace(/\t/g, ' '))}`));
        const width =
          f.endLine === f.line
            ? Math.max(1, f.endColumn - f.column)
            : Math.max(1, text.length - f.column + 1);
        lines.push(`      | ${' '.repeat(Math.max(0, f.column - 1))}${c(f.severity, '^'.repeat(width))}`);
      }
      for (const r of f.related ?? [])
        lines.push(c('dim', `      related: ${visible(r.file)}:${r.line}:${r.column} ${visible(r.message)}`));
      const remediation = RULES_BY_ID.get(f.rule)?.remediation;
      if (remediation) lines.push(c('dim', `      fix: ${remediation}`));
    }
    lines.push('');
  }
  if (showScope) {
    lines.push('Scopes:');
    for (const sc of a.scopes)
      lines.push(`  ${visible(sc.name)}: ${plural(sc.files, 'file')}, ${visible(sc.reason)}`);
  }
  const s = a.summary;
  const count = (sev: Severity, n: number) => (n > 0 ? c(sev, plural(n, sev)) : plural(n, sev));
  let summary = `${plural(s.files, 'file')}, ${plural(s.resources, 'resource')}: ${count('error', s.errors)}, ${count('warning', s.warnings)}, ${count('notice', s.notices)}`;
  if (a.findings.some((f) => f.state)) {
    const existing = a.findings.filter((f) => f.state === 'existing').length;
    summary += ` (${a.findings.length - existing} new, ${existing} pre-existing)`;
  }
  if (a.findings.length === 0) lines.push('No findings.');
  lines.push(summary);
  // Never silent: what could not be read, so "No findings" means read and clean. Gaps are named one
  // by one in their notices; templates that could hold nothing lbguard checks are only counted.
  const gaps = a.findings.filter((f) => GAP_RULES.has(f.rule)).length;
  const templates = a.stats?.templates ?? 0;
  const unread = [
    ...(gaps > 0 ? [`${plural(gaps, 'gap')} (inputs that could not be read, named above)`] : []),
    ...(templates > 0
      ? [`${plural(templates, 'template document')} with nothing PureLB or Calico in them`]
      : []),
  ];
  if (unread.length) lines.push(c('dim', `Not read: ${unread.join('; ')}.`));
  return `${lines.join('\n')}\n`;
}
