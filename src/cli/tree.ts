// Reading a tree for the CLI: the working tree (git-tracked files in a checkout) or a git ref.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { CONFIG_PATH } from '../config.ts';
import { isInputPath, type SourceFile } from '../manifests/load.ts';

const wanted = isInputPath;
const SKIP_DIRS = new Set(['.git', 'node_modules', '.tools']);

export function gitTopLevel(dir: string): string | undefined {
  const r = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd: dir, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Where `dir` sits in its git checkout (`infra/` or ''), or undefined outside git. */
export function gitPrefix(dir: string): string | undefined {
  const r = spawnSync('git', ['rev-parse', '--show-prefix'], { cwd: dir, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** The commit `ref` names in the checkout at `dir`, or undefined. Never lets a ref pass as an option. */
export function resolveCommit(dir: string, ref: string): string | undefined {
  const r = spawnSync('git', ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], {
    cwd: dir,
    encoding: 'utf8',
  });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * The nearest folder at or above `start` that looks like a repository root: it holds `.git` or
 * the lbguard config. Used when the command line names files or several folders.
 */
export function findRepositoryRoot(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git')) || existsSync(join(dir, CONFIG_PATH))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Files below `root`, paths relative to it with `/`. In a git checkout: tracked and
 * untracked-not-ignored files. Listing untracked files makes git walk every folder, so that
 * listing runs in a child process while the tracked files are read here, on the other core.
 * A caller that already asked git passes `inGit`, saving a spawn.
 */
export async function readWorkingTree(
  root: string,
  inGit = gitTopLevel(root) !== undefined,
): Promise<SourceFile[]> {
  if (!inGit) return readPaths(root, walk(`${root}/`, ''));
  const untracked = gitList(root, ['--others', '--exclude-standard']);
  const tracked = gitFiles(root);
  const files = readPaths(root, tracked);
  const seen = new Set(tracked);
  files.push(
    ...readPaths(
      root,
      (await untracked).filter((p) => !seen.has(p)),
    ),
  );
  return files;
}

function readPaths(root: string, paths: readonly string[]): SourceFile[] {
  const files: SourceFile[] = [];
  for (const p of paths) {
    if (!wanted(p)) continue;
    const file = readNoFollow(`${root}/${p}`, p);
    if (file) files.push(file);
  }
  return files;
}

function gitList(root: string, which: string[]): Promise<string[]> {
  return new Promise((resolvePaths, reject) => {
    execFile(
      'git',
      ['ls-files', '-z', ...which, '--', '.'],
      { cwd: root, maxBuffer: 1 << 30, encoding: 'buffer' },
      (err, out) => (err ? reject(err) : resolvePaths(out.toString('utf8').split('\0').filter(Boolean))),
    );
  });
}

/** One buffer for every read: a manifest is small, and a larger file is read again in full. */
let scratch: Buffer | undefined;
const SCRATCH_BYTES = 4 << 20;

/** Files larger than this are read only in part: they are over any size limit, and a Buffer has a cap. */
const READ_CAP = 1 << 30;

/**
 * The file, or undefined for a symlink (skipped as in a git tree or a tarball, so head and base
 * read the same files) or a file deleted in the working tree but still in the index. A file that
 * cannot be read (permissions) is returned as unreadable, so the report says so.
 * O_NOFOLLOW saves the lstat a check would cost on every file; one positioned read into a shared
 * buffer saves the fstat readFileSync makes (a read shorter than asked is the end of a regular file).
 */
function readNoFollow(full: string, path: string): SourceFile | undefined {
  let fd: number;
  try {
    fd = openSync(full, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ELOOP' || code === 'ENOTDIR') return undefined;
    return { path, bytes: new Uint8Array(), unreadable: `${code ?? 'error'} opening the file` };
  }
  try {
    scratch ??= Buffer.allocUnsafe(SCRATCH_BYTES);
    const n = readSync(fd, scratch, 0, SCRATCH_BYTES, 0);
    if (n < SCRATCH_BYTES) return { path, bytes: Buffer.from(scratch.subarray(0, n)) };
    const size = fstatSync(fd).size;
    if (size > READ_CAP) return { path, bytes: Buffer.from(scratch.subarray(0, n)), size };
    return { path, bytes: readFileSync(fd) };
  } catch (e) {
    return {
      path,
      bytes: new Uint8Array(),
      unreadable: `${(e as NodeJS.ErrnoException).code ?? 'error'} reading the file`,
    };
  } finally {
    closeSync(fd);
  }
}

function gitFiles(root: string): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--', '.'], {
    cwd: root,
    maxBuffer: 1 << 30,
  });
  return [...new Set(out.toString('utf8').split('\0').filter(Boolean))];
}

/** Regular files below `base` + `rel`, as `/`-joined paths relative to `base` (string joins: this runs per file). */
function walk(base: string, rel: string, out: string[] = []): string[] {
  for (const e of readdirSync(base + rel, { withFileTypes: true })) {
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walk(base, `${rel}${e.name}/`, out);
    } else if (e.isFile()) out.push(rel + e.name);
  }
  return out;
}

/**
 * The tree at `ref`, limited to the folder `root` inside the checkout, with paths relative to `root`.
 * Throws when `ref` names no commit; callers that want a friendly message check `resolveCommit` first.
 * A caller that already resolved the commit and the root's git prefix passes them as `known`,
 * saving two git spawns.
 */
export function readGitTree(
  root: string,
  ref: string,
  known?: { commit: string; prefix: string },
): SourceFile[] {
  const commit = known?.commit ?? resolveCommit(root, ref);
  if (!commit) throw new Error(`${ref} is not a commit in the git checkout at ${root}`);
  const prefix = known ? known.prefix : (gitPrefix(root) ?? '');
  // Literal pathspecs: a folder named `[a]` or `*` is a path, not a pattern.
  const list = execFileSync(
    'git',
    ['--literal-pathspecs', 'ls-tree', '-r', '-z', '--full-tree', commit, '--', prefix || '.'],
    {
      cwd: root,
      maxBuffer: 1 << 30,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
    .toString('utf8')
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf('\t');
      const path = line.slice(tab + 1);
      const [mode, type, sha] = line.slice(0, tab).split(' ');
      return { mode, type, sha: sha!, path: path.slice(prefix.length) };
    })
    // A symlink's blob is its target's name, not a manifest.
    .filter((e) => e.type === 'blob' && e.mode !== '120000' && wanted(e.path));
  if (list.length === 0) return [];
  const batch = execFileSync('git', ['cat-file', '--batch'], {
    cwd: root,
    input: list.map((e) => e.sha).join('\n') + '\n',
    maxBuffer: 1 << 30,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const files: SourceFile[] = [];
  let off = 0;
  for (const e of list) {
    const nl = batch.indexOf(10, off);
    const header = batch.subarray(off, nl).toString('utf8').split(' ');
    const size = Number(header[2]);
    files.push({ path: e.path, bytes: batch.subarray(nl + 1, nl + 1 + size) });
    off = nl + 1 + size + 1;
  }
  return files;
}

export const isDirectory = (p: string): boolean => existsSync(p) && statSync(p).isDirectory();
