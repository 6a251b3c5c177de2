// `lbguard scopes [PATH]`: which clusters (scopes) lbguard checks apart, why each exists, where it is
// entered from and which files it holds. Cross-resource rules never look across scopes, so this is
// what a user reads to see (and overrule with config `clusters`) how the repository was split.
import { analyze, type ScopeSummary } from '../engine.ts';
import { plural } from '../render/shared.ts';
import type { ScopesInput } from './commands.ts';
import { type Io, loadRepository, UsageError } from './main.ts';

const FORMATS = ['text', 'json'] as const;

export async function scopes({ values, positionals }: ScopesInput, io: Io): Promise<number> {
  const format = FORMATS.find((f) => f === values.format);
  if (!format) throw new UsageError(`unknown format "${values.format}" (use ${FORMATS.join(', ')})`);
  if (positionals.length > 1) throw new UsageError('scopes takes one folder');
  const repo = await loadRepository(positionals, values.config);
  const a = analyze(repo.files, { config: repo.config, configReports: repo.configReports });
  io.out(format === 'json' ? renderScopesJson(a.scopes) : renderScopesText(a.scopes));
  return 0;
}

export function renderScopesJson(list: readonly ScopeSummary[]): string {
  const out = list.map((s) => ({
    name: s.name,
    reason: s.reason,
    entry: s.entry ?? null,
    resources: s.resources,
    files: [...s.paths].sort(),
  }));
  return `${JSON.stringify({ version: 1, scopes: out }, null, 2)}\n`;
}

export function renderScopesText(list: readonly ScopeSummary[]): string {
  const lines: string[] = [];
  for (const s of list) {
    lines.push(`${s.name}: ${plural(s.files, 'file')}, ${plural(s.resources, 'resource')}`);
    lines.push(`  why:   ${s.reason}`);
    if (s.entry !== undefined) lines.push(`  entry: ${s.entry || '(repository root)'}`);
    for (const f of [...s.paths].sort()) lines.push(`    ${f}`);
  }
  lines.push(
    list.length > 1
      ? `${list.length} scopes: rules that compare resources never look across them.`
      : '1 scope: every resource is compared with every other.',
  );
  return `${lines.join('\n')}\n`;
}
