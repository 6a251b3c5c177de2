// For people: grouped by file, the offending line shown, the rule's remediation under it.
import { RULES_BY_ID } from '../checks/index.ts';
import type { Analysis } from '../engine.ts';
import type { Finding, Severity } from '../findings.ts';

export type TextOptions = { color: boolean; source: (file: string) => string | undefined };

const COLORS: Record<Severity | 'dim' | 'bold', [string, string]> = {
  error: ['\x1b[31m', '\x1b[39m'],
  warning: ['\x1b[33m', '\x1b[39m'],
  notice: ['\x1b[36m', '\x1b[39m'],
  dim: ['\x1b[2m', '\x1b[22m'],
  bold: ['\x1b[1m', '\x1b[22m'],
};

export function renderText(a: Pick<Analysis, 'findings' | 'summary' | 'scopes'>, opts: TextOptions): string {
  const c = (k: keyof typeof COLORS, s: string) => (opts.color ? `${COLORS[k][0]}${s}${COLORS[k][1]}` : s);
  const byFile = new Map<string, Finding[]>();
  for (const f of a.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  const lines: string[] = [];
  const cache = new Map<string, string[] | undefined>();
  for (const [file, list] of byFile) {
    lines.push(c('bold', file));
    if (!cache.has(file)) cache.set(file, opts.source(file)?.split('\n'));
    const src = cache.get(file);
    for (const f of list) {
      const state = f.state === 'existing' ? c('dim', ' (pre-existing)') : '';
      lines.push(`  ${f.line}:${f.column}  ${c(f.severity, f.severity.padEnd(7))}  ${f.message}  ${c('dim', f.rule)}${state}`);
      const text = src?.[f.line - 1];
      if (text !== undefined && text.trim() !== '') {
        lines.push(c('dim', `      | ${text.replace(/\t/g, ' ')}`));
        const width = f.endLine === f.line ? Math.max(1, f.endColumn - f.column) : Math.max(1, text.length - f.column + 1);
        lines.push(`      | ${' '.repeat(Math.max(0, f.column - 1))}${c(f.severity, '^'.repeat(width))}`);
      }
      for (const r of f.related ?? []) lines.push(c('dim', `      related: ${r.file}:${r.line}:${r.column} ${r.message}`));
      const remediation = RULES_BY_ID.get(f.rule)?.remediation;
      if (remediation) lines.push(c('dim', `      fix: ${remediation}`));
    }
    lines.push('');
  }
  const s = a.summary;
  if (a.scopes.length > 1) {
    lines.push(`Scopes: ${a.scopes.map((sc) => `${sc.name} (${sc.files} files, ${sc.reason})`).join('; ')}`);
  }
  lines.push(
    `${s.files} files, ${s.resources} resources: ${c('error', `${s.errors} errors`)}, ${c('warning', `${s.warnings} warnings`)}, ${c('notice', `${s.notices} notices`)}`,
  );
  return `${lines.join('\n')}\n`;
}
