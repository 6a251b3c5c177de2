// Which files a directory applies, as `kustomize build` (and Flux) would see it: the files its
// kustomization.yaml reaches through `resources`/`components`, or, without one, every file below it.
import { posix } from 'node:path';

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** `refs`: every entry of `resources`, `components` and `bases`; `components`: those of `components`, in order. */
export type KustomizeRefs = { refs: string[]; components: string[] };

export type KustomizeFile = { file: string; dir: string; refs: string[]; components?: string[] };

export type Tree = {
  /** Every file path known to the analysis (relative, `/`-separated). */
  files: ReadonlySet<string>;
  /** The same paths sorted, so the files below a directory are one contiguous run. */
  sorted: readonly string[];
  /** kustomization.yaml files by their directory. */
  kustomizations: ReadonlyMap<string, KustomizeFile>;
};

/** `./a/b/` -> `a/b`; `.` and `./` -> ''. Paths leaving the repository give undefined. */
export function normalizeDir(p: string): string | undefined {
  const n = posix.normalize(p.trim().replace(/^\/+/, ''));
  if (n === '.' || n === './' || n === '') return '';
  if (n === '..' || n.startsWith('../')) return undefined;
  return n.replace(/\/+$/, '');
}

/**
 * `dir` joined with a kustomization ref, normalized as normalizeDir does. The plain case
 * (`./app`, `app/`) skips path.posix: a parent kustomization can list thousands of folders.
 */
export function joinRef(dir: string, ref: string): string | undefined {
  const clean = ref.startsWith('./') ? ref.slice(2) : ref;
  if (clean !== '' && !clean.startsWith('/') && !/(?:^|\/)\.\.?(?:\/|$)|\/\/|\s/.test(clean)) {
    const rel = clean.endsWith('/') ? clean.slice(0, -1) : clean;
    return dir === '' ? rel : `${dir}/${rel}`;
  }
  return normalizeDir(posix.join(dir, ref));
}

export const under = (file: string, dir: string): boolean => dir === '' || file.startsWith(`${dir}/`);

export const makeTree = (files: Iterable<string>, kustomizations: readonly KustomizeFile[]): Tree => {
  const set = new Set(files);
  return {
    files: set,
    sorted: [...set].sort(),
    kustomizations: new Map(kustomizations.map((k) => [k.dir, k])),
  };
};

/** Files below `dir`, by binary search in the sorted paths (a repository can have many thousands). */
export function filesUnder(tree: Tree, dir: string): string[] {
  if (dir === '') return [...tree.sorted];
  const prefix = `${dir}/`;
  const list = tree.sorted;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < prefix) lo = mid + 1;
    else hi = mid;
  }
  const out: string[] = [];
  for (let i = lo; i < list.length && list[i]!.startsWith(prefix); i++) out.push(list[i]!);
  return out;
}

export const isKustomizationFile = (file: string): boolean =>
  KUSTOMIZATION_FILES.includes(posix.basename(file));

/** The string entries of `resources`, `components` and (legacy) `bases`. */
export function kustomizeRefs(data: Record<string, unknown>): KustomizeRefs {
  const out: KustomizeRefs = { refs: [], components: [] };
  for (const key of ['resources', 'components', 'bases']) {
    const list = data[key];
    if (!Array.isArray(list)) continue;
    for (const x of list) {
      if (typeof x !== 'string') continue;
      out.refs.push(x);
      if (key === 'components') out.components.push(x);
    }
  }
  return out;
}

export const isRemote = (ref: string): boolean =>
  /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) || /^(?:github\.com|gitlab\.com)\//.test(ref);

/**
 * Files applied from `dir`, with the kustomization files themselves. One walk with one result set
 * per root (not a set per folder merged upwards: a parent kustomization can list thousands of
 * folders); a folder is visited once, so a reference cycle ends. `memo` keeps results per root.
 */
export function reach(tree: Tree, dir: string, memo = new Map<string, Set<string>>()): Set<string> {
  const cached = memo.get(dir);
  if (cached) return cached;
  const out = new Set<string>();
  const visited = new Set<string>([dir]);
  const stack = [dir];
  while (stack.length > 0) {
    const d = stack.pop()!;
    const k = tree.kustomizations.get(d);
    if (!k) {
      for (const f of filesUnder(tree, d)) out.add(f);
      continue;
    }
    out.add(k.file);
    for (const ref of k.refs) {
      if (isRemote(ref)) continue;
      const target = joinRef(d, ref);
      if (target === undefined) continue;
      if (tree.files.has(target) || /\.(?:ya?ml|json)$/.test(target)) out.add(target);
      else if (!visited.has(target)) {
        visited.add(target);
        stack.push(target);
      }
    }
  }
  memo.set(dir, out);
  return out;
}

/** kustomization.yaml directories that no other kustomization.yaml references: kustomize roots. */
export function kustomizeRoots(tree: Tree): string[] {
  const referenced = new Set<string>();
  for (const k of tree.kustomizations.values()) {
    for (const ref of k.refs) {
      if (isRemote(ref)) continue;
      const target = joinRef(k.dir, ref);
      if (target !== undefined && target !== k.dir) referenced.add(target);
    }
  }
  return [...tree.kustomizations.keys()].filter((d) => !referenced.has(d)).sort();
}

/** True when some kustomization builds on another directory's kustomization (an overlay over a base). */
export function hasOverlays(tree: Tree): boolean {
  for (const k of tree.kustomizations.values()) {
    for (const ref of k.refs) {
      const target = isRemote(ref) ? undefined : joinRef(k.dir, ref);
      if (
        target !== undefined &&
        target !== k.dir &&
        tree.kustomizations.has(target) &&
        !under(target, k.dir)
      ) {
        return true;
      }
    }
  }
  return false;
}
