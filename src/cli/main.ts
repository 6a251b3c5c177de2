// `lbguard check`: thin over the engine. Exit 0 clean, 1 error-level findings, 2 usage or I/O.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { RULE_IDS } from '../checks/index.ts';
import type { InputRuleId } from '../checks/input.ts';
import { compareTrees, failing } from '../compare.ts';
import { CONFIG_PATH, type Config, DEFAULT_CONFIG, parseConfig } from '../config.ts';
import { type Analysis, summarize } from '../engine.ts';
import type { Finding, Report } from '../findings.ts';
import { type SourceFile, STDIN_PATH, textReader } from '../manifests/load.ts';
import { renderGithub } from '../render/github.ts';
import { renderJson } from '../render/json.ts';
import { renderSarif } from '../render/sarif.ts';
import { renderText } from '../render/text.ts';
import { TOOL } from '../render/tool.ts';
import {
  findRepositoryRoot,
  gitPrefix,
  isDirectory,
  readGitTree,
  readWorkingTree,
  resolveCommit,
} from './tree.ts';

export const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type Format = (typeof FORMATS)[number];

const USAGE = `Usage: lbguard check [PATH...] [--base REF|DIR] [--config FILE] [--format text|json|sarif|github]
       lbguard check - [--config FILE] [--format ...]   (a rendered stream on stdin)
       lbguard fix [PATH] [--dry-run] [--config FILE]
       lbguard scopes [PATH] [--config FILE] [--format text|json]
       lbguard review --repo OWNER/NAME --pr N
       lbguard routes [PATH] [--base REF|DIR] [--config FILE] [--format text|json]

Checks that PureLB ServiceGroups and Calico BGP configuration agree.
  PATH          one folder: the repository root (default .); its .github/lbguard.yml is the config.
                Files or several folders: the whole repository around them is checked (its root is
                the nearest folder above them holding .git or .github/lbguard.yml) and only
                findings about those paths are reported.
                -: read one multi-document stream from stdin (kustomize build ... | lbguard check -,
                helm template ... | lbguard check -), checked as one scope; positions are stream lines.
  --base REF    also check the tree at git REF (or the folder DIR) with the same config; findings
                already there are marked pre-existing and do not fail the run (config failOn: all)
  --config FILE use this config file instead of .github/lbguard.yml
  --format F    text (default), json, sarif (GitHub code scanning) or github (workflow commands)
Exit status: 0 no new error-level finding, 1 error-level findings, 2 usage or I/O error.`;

export type Io = {
  out: (s: string) => void;
  err: (s: string) => void;
  isTTY: boolean;
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
  env: process.env,
};

/** https://no-color.org: any non-empty NO_COLOR turns colour off, even on a terminal. */
export const useColor = (io: Io): boolean => io.isTTY && !(io.env ?? process.env).NO_COLOR;

export class UsageError extends Error {}

type Command = (args: string[], io: Io) => Promise<number>;

// One entry per subcommand; heavy ones are imported only when run, so `check` starts fast.
const COMMANDS: Record<string, Command> = {
  check: (args, io) => check(args, io),
  fix: async (args, io) => (await import('./fix.ts')).fix(args, io),
  scopes: async (args, io) => (await import('./scopes.ts')).scopes(args, io),
  review: async (args, io) => (await import('./review.ts')).review(args, io),
  routes: async (args, io) => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        base: { type: 'string' },
        config: { type: 'string' },
        format: { type: 'string', default: 'text' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      io.out(`${USAGE}\n`);
      return 0;
    }
    return (await import('./routes.ts')).routes({ values, positionals }, io);
  },
};

export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.out(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    }
    if (command === '--version' || command === '-V') {
      io.out(`${TOOL.version}\n`);
      return 0;
    }
    const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!run) throw new UsageError(`unknown command "${command}"`);
    return await run(rest, io);
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`lbguard: ${(e as Error).message}\n${USAGE}\n`);
    } else io.err(`lbguard: ${(e as Error).message}\n`);
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

async function check(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      base: { type: 'string' },
      config: { type: 'string' },
      format: { type: 'string', default: 'text' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  const format = FORMATS.find((f) => f === values.format);
  if (!format) throw new UsageError(`unknown format "${values.format}" (use ${FORMATS.join(', ')})`);
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
  const findings = restrict(compared, repo.selection);
  // Counts of what is reported; files and resources stay those read, the whole repository.
  const analysis: Analysis = {
    ...head,
    findings,
    summary: summarize(findings, head.summary.files, head.summary.resources),
  };
  io.out(
    render(analysis, format, {
      color: useColor(io),
      pathPrefix: repo.gitPrefix ?? '',
      source: textReader(repo.files),
    }),
  );
  return failing(findings, repo.config.failOn).length > 0 ? 1 : 0;
}

type RenderOptions = Parameters<typeof renderText>[1] & { pathPrefix: string };

function render(a: Analysis, format: Format, opts: RenderOptions): string {
  switch (format) {
    case 'json':
      return renderJson(a);
    case 'text':
      return renderText(a, opts);
    case 'sarif':
      return renderSarif(a, opts);
    case 'github':
      return renderGithub(a, opts);
  }
}
