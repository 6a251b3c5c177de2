// `lbguard fix [PATH] [--dry-run]`: apply every fix in place, or print the diff.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../engine.ts';
import { planUntilStable, unifiedDiff } from '../fixes/plan.ts';
import { type SourceFile, textReader } from '../manifests/load.ts';
import { repoPathProblem } from '../repo-path.ts';
import type { FixInput } from './commands.ts';
import { type Io, loadRepository } from './main.ts';
import { WriteRefused, writeInside } from './write.ts';

export async function fix({ values, positionals }: FixInput, io: Io): Promise<number> {
  const repo = await loadRepository(positionals, values.config);
  // A config mistake changes what is fixed (a dropped fixes.directory): say so before writing.
  for (const r of repo.configReports) io.err(`lbguard: ${r.file}:${r.line}:${r.column}: ${r.message}\n`);
  const inTree = textReader(repo.files);
  // A file the tree did not read (ignored by git, say) comes from disk.
  const read = (file: string) => {
    if (repoPathProblem(file)) return undefined;
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
  let refused = 0;
  for (const c of plan.changes) {
    if (values.dryRun) io.out(unifiedDiff(c));
    else {
      try {
        writeInside(
          repo.root,
          c.file,
          c.before === undefined ? undefined : Buffer.from(c.before),
          Buffer.from(c.after),
        );
      } catch (e) {
        if (!(e instanceof WriteRefused)) throw e;
        io.err(`lbguard: ${e.message}\n`);
        refused++;
        continue;
      }
      io.out(`${c.before === undefined ? 'created' : 'fixed'} ${c.file} (${c.rules.join(', ')})\n`);
      for (const t of c.titles ?? []) io.out(`  ${t}\n`);
    }
  }
  return plan.failures.length || refused ? 1 : 0;
}
