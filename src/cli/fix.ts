// `lbguard fix [PATH] [--dry-run]`: apply every fix in place, or print the diff.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { analyze } from '../engine.ts';
import { planUntilStable, unifiedDiff } from '../fixes/plan.ts';
import type { SourceFile } from '../manifests/load.ts';
import { type Io, loadRepository } from './main.ts';

export async function fix(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'dry-run': { type: 'boolean', default: false }, config: { type: 'string' } },
  });
  const repo = await loadRepository(positionals, values.config);
  const texts = new Map(repo.files.map((f) => [f.path, Buffer.from(f.bytes).toString('utf8')]));
  const read = (file: string) => {
    if (texts.has(file)) return texts.get(file);
    try {
      return readFileSync(join(repo.root, file), 'utf8');
    } catch {
      return undefined;
    }
  };
  const findingsOf = (files: readonly SourceFile[]) =>
    analyze(files, { config: repo.config, configReports: repo.configReports }).findings;
  const plan = planUntilStable(repo.files, findingsOf, read);
  for (const f of plan.failures) io.err(`lbguard: ${f.rule}: fix not applied: ${f.message}\n`);
  if (plan.changes.length === 0) {
    io.out('No fixes to apply.\n');
    return plan.failures.length ? 1 : 0;
  }
  for (const c of plan.changes) {
    if (values['dry-run']) io.out(unifiedDiff(c));
    else {
      const path = join(repo.root, c.file);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, c.after);
      io.out(`${c.before === undefined ? 'created' : 'fixed'} ${c.file} (${c.rules.join(', ')})\n`);
      for (const t of c.titles ?? []) io.out(`  ${t}\n`);
    }
  }
  return plan.failures.length ? 1 : 0;
}
