// `lbguard fix [PATH] [--dry-run]`: apply every fix in place, or print the diff.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { analyze } from '../engine.ts';
import { planUntilStable, unifiedDiff } from '../fixes/plan.ts';
import { type SourceFile, textReader } from '../manifests/load.ts';
import type { FixInput } from './commands.ts';
import { type Io, loadRepository } from './main.ts';

export async function fix({ values, positionals }: FixInput, io: Io): Promise<number> {
  const repo = await loadRepository(positionals, values.config);
  const inTree = textReader(repo.files);
  // A file the tree did not read (ignored by git, say) comes from disk.
  const read = (file: string) => {
    const text = inTree(file);
    if (text !== undefined) return text;
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
    if (values.dryRun) io.out(unifiedDiff(c));
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
