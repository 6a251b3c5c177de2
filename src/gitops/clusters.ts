// Clusters read from the repository's layout: Flux Kustomization trees grouped by the entry point
// Flux is bootstrapped with, or kustomize roots. Used for `clusters: auto` scopes and to pick each
// Kustomization's ConfigMaps from its own cluster (two clusters often both have `cluster-settings`).
import { posix } from 'node:path';
import { DEFAULT_SCOPE, type Scope } from '../manifests/scope.ts';
import type { FluxKustomization } from './flux.ts';
import { filesUnder, kustomizeRoots, reach, type Tree } from './kustomize.ts';

export type Cluster = {
  name: string;
  /** The directory the cluster is entered from (clusters/prod). */
  entry: string;
  reason: string;
  files: Set<string>;
  kustomizations: FluxKustomization[];
};

export type FluxLayout = {
  clusters: Cluster[];
  /** Files each Flux Kustomization applies. */
  applies: Map<FluxKustomization, Set<string>>;
};

// Directory names that say "this is where Flux lives", not which cluster it is.
const GENERIC = new Set([
  'flux',
  'flux-system',
  'cluster',
  'clusters',
  'config',
  'bootstrap',
  'kubernetes',
  'k8s',
]);

/** `clusters/<name>` above a file, else the file's directory. */
function entryOfFile(file: string): string {
  const m = /^((?:.*\/)?clusters\/[^/]+)\//.exec(file);
  return m ? m[1]! : posix.dirname(file) === '.' ? '' : posix.dirname(file);
}

function nameOf(entry: string): string {
  const segs = entry.split('/').filter(Boolean);
  while (segs.length > 1 && GENERIC.has(segs[segs.length - 1]!)) segs.pop();
  return segs[segs.length - 1] ?? DEFAULT_SCOPE;
}

export function fluxLayout(tree: Tree, ks: readonly FluxKustomization[]): FluxLayout {
  const memo = new Map<string, Set<string>>();
  const applies = new Map<FluxKustomization, Set<string>>();
  for (const k of ks) applies.set(k, k.dir === undefined ? new Set() : reach(tree, k.dir, memo));
  const children = new Map<FluxKustomization, FluxKustomization[]>();
  const reached = new Set<FluxKustomization>();
  for (const k of ks) {
    const kids = ks.filter((o) => o !== k && applies.get(k)!.has(o.file));
    children.set(k, kids);
    for (const c of kids) reached.add(c);
  }
  // Roots: applied by no other Kustomization. Kustomizations only in a cycle become roots too.
  const visited = new Set<FluxKustomization>();
  const closure = (root: FluxKustomization): FluxKustomization[] => {
    const out: FluxKustomization[] = [];
    const stack = [root];
    const seen = new Set<FluxKustomization>();
    while (stack.length) {
      const k = stack.pop()!;
      if (seen.has(k)) continue;
      seen.add(k);
      visited.add(k);
      out.push(k);
      stack.push(...children.get(k)!);
    }
    return out;
  };
  const groups = new Map<string, { roots: FluxKustomization[]; members: Set<FluxKustomization> }>();
  const addRoot = (root: FluxKustomization) => {
    // A bootstrapped flux-system Kustomization applies its own file: its path is the entry point.
    const self = applies.get(root)!.has(root.file) && root.dir !== undefined && root.dir !== '';
    const entry = self ? root.dir! : entryOfFile(root.file);
    const g = groups.get(entry) ?? { roots: [], members: new Set() };
    g.roots.push(root);
    for (const k of closure(root)) g.members.add(k);
    groups.set(entry, g);
  };
  for (const k of ks) if (!reached.has(k)) addRoot(k);
  for (const k of ks) if (!visited.has(k)) addRoot(k);

  const clusters: Cluster[] = [];
  const names = new Map<string, number>();
  for (const [entry, g] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const files = new Set<string>();
    for (const f of filesUnder(tree, entry)) files.add(f);
    for (const k of g.members) {
      files.add(k.file);
      for (const f of applies.get(k)!) files.add(f);
    }
    const name = nameOf(entry);
    names.set(name, (names.get(name) ?? 0) + 1);
    const members = [...g.members];
    clusters.push({
      name,
      entry,
      reason: `Flux entry point ${entry || '(repository root)'}: Kustomization${members.length > 1 ? 's' : ''} ${members
        .map((k) => k.name)
        .join(', ')}`,
      files,
      kustomizations: members,
    });
  }
  // Two entry points with the same last directory name keep their full paths.
  for (const c of clusters) if ((names.get(c.name) ?? 0) > 1 && c.entry) c.name = c.entry;
  return { clusters, applies };
}

/** Scopes from the Flux layout, or from kustomize roots when there is no Flux Kustomization. */
export function autoScopes(tree: Tree, layout: FluxLayout | undefined): Scope[] {
  const scopes: Scope[] = [];
  if (layout && layout.clusters.length > 0) {
    for (const c of layout.clusters) scopes.push({ name: c.name, files: new Set(c.files), reason: c.reason });
  } else {
    const memo = new Map<string, Set<string>>();
    for (const dir of kustomizeRoots(tree)) {
      const k = tree.kustomizations.get(dir)!;
      scopes.push({
        name: dir || 'root',
        files: new Set(reach(tree, dir, memo)),
        reason: `kustomize root ${k.file}`,
      });
    }
  }
  const placed = new Set<string>();
  for (const s of scopes) for (const f of s.files) placed.add(f);
  const rest = [...tree.files].filter((f) => !placed.has(f));
  if (rest.length > 0 || scopes.length === 0) {
    scopes.push({
      name: DEFAULT_SCOPE,
      files: new Set(rest),
      reason:
        scopes.length === 0
          ? 'the whole repository (no Flux Kustomization or kustomize root found)'
          : 'files no Flux Kustomization or kustomize root applies',
    });
  }
  return scopes;
}
