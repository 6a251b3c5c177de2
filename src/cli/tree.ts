// Reading a tree for the CLI: the working tree (git-tracked files in a checkout) or a git ref.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { isManifestPath, isTemplatePath, type SourceFile } from '../manifests/load.ts';

const wanted = (p: string) => isManifestPath(p) || isTemplatePath(p);
const SKIP_DIRS = new Set(['.git', 'node_modules', '.tools']);

export function gitTopLevel(dir: string): string | undefined {
  const r = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd: dir, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Files below `root`, paths relative to it with `/`. In a git checkout: tracked and untracked-not-ignored files. */
export function readWorkingTree(root: string): SourceFile[] {
  const paths = gitTopLevel(root) ? gitFiles(root) : walk(root, root);
  return paths.filter(wanted).flatMap((p) => {
    try {
      return [{ path: p, bytes: readFileSync(join(root, p)) }];
    } catch {
      return []; // deleted in the working tree but still in the index
    }
  });
}

function gitFiles(root: string): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', '.'], {
    cwd: root,
    maxBuffer: 1 << 30,
  });
  return [...new Set(out.toString('utf8').split('\0').filter(Boolean))];
}

function walk(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) out.push(...walk(root, join(dir, e.name)));
    } else if (e.isFile()) out.push(relative(root, join(dir, e.name)).split(sep).join('/'));
  }
  return out;
}

/** The tree at `ref`, limited to the folder `root` inside the checkout, with paths relative to `root`. */
export function readGitTree(root: string, ref: string): SourceFile[] {
  const prefix = execFileSync('git', ['rev-parse', '--show-prefix'], { cwd: root, encoding: 'utf8' }).trim();
  const list = execFileSync('git', ['ls-tree', '-r', '-z', '--full-tree', ref, '--', prefix || '.'], {
    cwd: root,
    maxBuffer: 1 << 30,
  })
    .toString('utf8')
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const [meta, path] = line.split('\t') as [string, string];
      const [, type, sha] = meta.split(' ');
      return { type, sha: sha!, path: path.slice(prefix.length) };
    })
    .filter((e) => e.type === 'blob' && wanted(e.path));
  if (list.length === 0) return [];
  const batch = execFileSync('git', ['cat-file', '--batch'], {
    cwd: root,
    input: list.map((e) => e.sha).join('\n') + '\n',
    maxBuffer: 1 << 30,
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
