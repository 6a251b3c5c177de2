// `lbguard check`: thin over the engine. Exit 0 clean, 1 error-level findings, 2 usage or I/O.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { RULE_IDS } from '../checks/index.ts';
import type { InputRuleId } from '../checks/input.ts';
import { compareTrees, failing } from '../compare.ts';
import { CONFIG_PATH, type Config, DEFAULT_CONFIG, parseConfig } from '../config.ts';
import { type Analysis, summarize } from '../engine.ts';
import type { Finding, Report } from '../findings.ts';
import { type SourceFile, STDIN_PATH, textReader } from '../manifests/load.ts';
import { FORMATS, isFormat } from '../render/formats.ts';
import { colorWanted } from '../render/style.ts';
import { type CheckInput, COMMANDS } from './commands.ts';
import { runCommandLine } from './parse.ts';
import {
  findRepositoryRoot,
  gitPrefix,
  isDirectory,
  readGitTree,
  readWorkingTree,
  resolveCommit,
} from './tree.ts';

export type Io = {
  out: (s: string) => void;
  err: (s: string) => void;
  isTTY: boolean;
  /** The terminal's width, for help and wrapped text; undefined when not a terminal. */
  columns?: number;
  /** Read for NO_COLOR; process.env when absent. */
  env?: Readonly<Record<string, string | undefined>>;
  /** All of standard input (`lbguard check -`); process.stdin when absent. */
  stdin?: () => Promise<Uint8Array>;
};

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const defaultIo: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  isTTY: Boolean(process.stdout.isTTY),
  columns: process.stdout.isTTY ? process.stdout.columns : undefined,
  env: process.env,
};

/** Text output is coloured on a terminal, as NO_COLOR, FORCE_COLOR and TERM=dumb allow. */
export const useColor = (io: Io): boolean => colorWanted(io.isTTY, io.env ?? process.env);

export class UsageError extends Error {}

export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  try {
    return await runCommandLine(argv, COMMANDS, io);
  } catch (e) {
    const hint = e instanceof UsageError ? '\n(lbguard COMMAND --help shows its usage)' : '';
    io.err(`lbguard: ${(e as Error).message}${hint}\n`);
    return 2;
  }
}

export type Loaded = {
  root: string;
  files: SourceFile[];
  config: Config;
  configReports: Report<InputRuleId>[];
  /** Repository-relative files or folders the report is limited to; undefined: everything. */
  selection?: string[];
  /** The root relative to its git checkout's top (`infra/`, or ''); undefined outside git. */
  gitPrefix?: string;
};

const toPosix = (p: string) => p.split(sep).join('/');

/** Files or several folders: the repository around them, and the repository-relative selection. */
function locate(paths: string[]): { root: string; selection?: string[] } {
  const abs = (paths.length ? paths : ['.']).map((p) => {
    const r = resolve(p);
    if (!existsSync(r)) throw new Error(`${p}: no such file or folder`);
    return r;
  });
  if (abs.length === 1 && isDirectory(abs[0]!)) return { root: abs[0]! };
  let common = abs[0]!;
  while (!abs.every((p) => p === common || p.startsWith(common.endsWith(sep) ? common : common + sep))) {
    common = dirname(common);
  }
  const start = isDirectory(common) ? common : dirname(common);
  const root = findRepositoryRoot(start) ?? start;
  const selection = abs.map((p) => toPosix(relative(root, p)));
  return selection.includes('') ? { root } : { root, selection };
}

/** Reads the repository folder and its config: shared by every command. */
export async function loadRepository(paths: string[], configFile: string | undefined): Promise<Loaded> {
  const { root, selection } = locate(paths);
  const prefix = gitPrefix(root);
  return {
    root,
    files: await readWorkingTree(root, prefix !== undefined),
    ...readConfig(root, configFile),
    selection,
    gitPrefix: prefix,
  };
}

/** The config: `--config FILE`, else the root's .github/lbguard.yml, else the defaults. */
function readConfig(root: string, configFile: string | undefined): Pick<Loaded, 'config' | 'configReports'> {
  const configPath = configFile ? resolve(configFile) : resolve(root, CONFIG_PATH);
  let config = DEFAULT_CONFIG;
  let configReports: Report<InputRuleId>[] = [];
  if (configFile && !existsSync(configPath)) throw new Error(`config file ${configFile} not found`);
  if (existsSync(configPath)) {
    // Reported like any manifest: relative to the root when it lives there, so annotations land on it.
    const inRoot = relative(root, configPath);
    const shown = inRoot.startsWith('..') || isAbsolute(inRoot) ? configFile! : toPosix(inRoot);
    let text: string;
    try {
      text = readFileSync(configPath, 'utf8');
    } catch (e) {
      throw new Error(`config file ${shown} cannot be read: ${(e as Error).message}`);
    }
    const parsed = parseConfig(text, shown, RULE_IDS);
    config = parsed.config;
    configReports = parsed.reports;
  }
  return { config, configReports };
}

/** `lbguard check -`: one file, the stream, in one scope; the config of the current folder. */
async function loadStdin(io: Io, configFile: string | undefined): Promise<Loaded> {
  const root = process.cwd();
  const bytes = await (io.stdin ?? readStdin)();
  return { root, files: [{ path: STDIN_PATH, bytes }], ...readConfig(root, configFile) };
}

/** The base tree: a git ref of the root's checkout, or else a folder. Errors here say what is wrong, not the usage. */
export async function readBase(repo: Loaded, base: string): Promise<SourceFile[]> {
  const prefix = repo.gitPrefix;
  const commit = prefix !== undefined ? resolveCommit(repo.root, base) : undefined;
  if (prefix !== undefined && commit) return readGitTree(repo.root, base, { commit, prefix });
  if (isDirectory(base)) return readWorkingTree(resolve(base));
  if (repo.gitPrefix === undefined) {
    throw new Error(
      `--base ${base}: ${repo.root} is not inside a git checkout, so there is no ref to compare with`,
    );
  }
  throw new Error(`--base ${base}: no such git commit, branch or tag (try git fetch, or a full clone in CI)`);
}

const inSelection = (selection: readonly string[], file: string) =>
  selection.some((s) => file === s || file.startsWith(`${s}/`));

/** A finding is about the selection when it or one of its related places is; config problems always show. */
export function restrict(findings: Finding[], selection: readonly string[] | undefined): Finding[] {
  if (!selection) return findings;
  return findings.filter(
    (f) =>
      f.rule === 'config' ||
      inSelection(selection, f.file) ||
      (f.related ?? []).some((r) => inSelection(selection, r.file)),
  );
}

export async function check({ values, positionals }: CheckInput, io: Io): Promise<number> {
  const format = values.format;
  if (!isFormat(format)) throw new UsageError(`unknown format "${format}"`);
  const stdin = positionals.includes('-');
  if (stdin && positionals.length > 1) throw new UsageError('- (stdin) cannot be combined with paths');
  if (stdin && values.base !== undefined) throw new UsageError('--base needs a repository, not stdin');
  const repo = stdin ? await loadStdin(io, values.config) : await loadRepository(positionals, values.config);
  const base = values.base !== undefined ? await readBase(repo, values.base) : undefined;
  // The one comparison the App uses too (compare.ts says which config reads the base).
  const { head, findings: compared } = compareTrees(repo.files, base, {
    config: repo.config,
    configReports: repo.configReports,
    // A rendered stream is one build: one scope, whatever Flux objects or identities it holds.
    ...(stdin
      ? { scopes: [{ name: 'stdin', files: new Set([STDIN_PATH]), reason: 'the stream read from stdin' }] }
      : {}),
  });
  let findings = restrict(compared, repo.selection);
  if (values.newOnly) findings = findings.filter((f) => f.state !== 'existing');
  // Counts of what is reported; files and resources stay those read, the whole repository.
  const suppressed = restrict(head.suppressed, repo.selection);
  const analysis: Analysis = {
    ...head,
    findings,
    suppressed,
    // Gaps stay the whole run's: --new-only or a path selection hides notices, not what was unread.
    summary: summarize(
      findings,
      head.summary.files,
      head.summary.resources,
      suppressed.length,
      head.summary.gaps,
    ),
  };
  io.out(
    FORMATS[format](analysis, {
      color: useColor(io),
      columns: io.columns,
      pathPrefix: repo.gitPrefix ?? '',
      source: textReader(repo.files),
    }),
  );
  const failed = failing(findings, repo.config.failOn, values.failOn).length > 0;
  // What counts: new findings, or all of them under the config's failOn: all.
  const counted = findings.filter((f) => repo.config.failOn === 'all' || f.state !== 'existing');
  setActionsOutputs(io.env ?? process.env, {
    'new-errors': counted.filter((f) => f.severity === 'error').length,
    'new-warnings': counted.filter((f) => f.severity === 'warning').length,
    conclusion: failed ? 'failure' : 'success',
  });
  return failed ? 1 : 0;
}

/** A step's outputs under GitHub Actions: appended to the file $GITHUB_OUTPUT names. */
export function setActionsOutputs(
  env: Readonly<Record<string, string | undefined>>,
  outputs: Record<string, string | number>,
): void {
  if (!env.GITHUB_OUTPUT) return;
  appendFileSync(
    env.GITHUB_OUTPUT,
    Object.entries(outputs)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
}
