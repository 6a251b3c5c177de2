// Clusters read from the repository's layout: Flux Kustomization trees grouped by the entry point
// Flux is bootstrapped with, or kustomize roots. Used for `clusters: auto` scopes and to pick each
// Kustomization's ConfigMaps from its own cluster (two clusters often both have `cluster-settings`).
import { posix } from 'node:path';
import type { InputRuleId } from '../checks/input.ts';
import type { Report } from '../findings.ts';
import { DEFAULT_SCOPE, type Scope } from '../manifests/scope.ts';
import { type Artifact, artifactFiles, expandPatterns, reachInArtifact } from './artifacts.ts';
import type { FluxKustomization } from './flux.ts';
import { filesUnder, kustomizeRoots, reach, type Tree, under } from './kustomize.ts';

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
  /** What an applied ExternalArtifact takes from elsewhere than this tree: one notice each. */
  reports: Report<InputRuleId>[];
  isThisRepository: IsThisRepository;
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

/** Whether a Flux source (a Kustomization's sourceRef, an ArtifactGenerator's source) is this repository. */
export type IsThisRepository = (source: { kind: string; name: string }) => boolean;
/** Where a source that is this repository starts in the tree ('' for the root); undefined for another source. */
export type SourceRoot = (source: { kind: string; name: string }) => string | undefined;

const sourceKey = (s: { kind: string; name: string }) => `${s.kind}/${s.name}`;

/**
 * Which sources are this repository, and so which Kustomizations read this tree. The source of a
 * Kustomization that applies its own file is (the bootstrap: `flux-system`, cluster-template's
 * `cluster`), whatever its kind: a repository can reach its cluster as a GitRepository or pushed as
 * an OCIRepository. So is the source of a FluxInstance whose `sync.path` is a folder of this tree.
 * A path of `./` proves nothing: the OCIRepository `flux` Kustomization of cluster-template applies
 * Flux's own manifests from its root. Without any such proof, every GitRepository is read as this
 * repository. The others (an OCI artifact, an archived or another project's GitRepository) apply
 * nothing here: their `dir` is cleared.
 */
function thisRepository(
  tree: Tree,
  ks: readonly FluxKustomization[],
  memo: Map<string, Set<string>>,
): SourceRoot {
  const own = new Set<string>();
  const rooted = rootSources(tree, ks);
  for (const k of ks) {
    if (k.dir === undefined || !k.source) continue;
    const proof = k.instance ? exists(tree, k.dir) : k.dir !== '' && reach(tree, k.dir, memo).has(k.file);
    if (proof) own.add(sourceKey(k.source));
  }
  const proved = own.size > 0;
  const rootOf: SourceRoot = (s) => {
    const key = sourceKey(s);
    return rooted.get(key) ?? (own.has(key) || (!proved && s.kind === 'GitRepository') ? '' : undefined);
  };
  for (const k of ks)
    if (k.dir !== undefined && k.source && rootOf(k.source) === undefined) k.dir = undefined;
  return rootOf;
}

const exists = (tree: Tree, dir: string): boolean =>
  tree.kustomizations.has(dir) || filesUnder(tree, dir).length > 0;

/**
 * Sources whose paths are rooted in a subfolder of this tree, not at its root: a repository that
 * CI pushes as an OCI artifact of one folder (`flux push artifact --path=./kubernetes`), so that
 * `path: ./apps/prod` means `kubernetes/apps/prod` here. When none of a source's paths exists from
 * the root and at least two exist below one folder holding their Kustomizations (one stray path
 * proves nothing), that source is this repository from that folder: those dirs are moved there.
 * Returns those sources' folders by source key.
 */
function rootSources(tree: Tree, ks: readonly FluxKustomization[]): Map<string, string> {
  const bySource = new Map<string, FluxKustomization[]>();
  for (const k of ks) {
    // An ExternalArtifact's paths are the generator's to map (artifactApplies).
    if (!k.source || k.source.kind === 'ExternalArtifact' || k.instance || !k.dir) continue;
    const key = sourceKey(k.source);
    bySource.set(key, [...(bySource.get(key) ?? []), k]);
  }
  const out = new Map<string, string>();
  for (const [key, list] of bySource) {
    if (list.length < 2 || list.some((k) => exists(tree, k.dir!))) continue;
    // The folder above the most of these Kustomizations under which their paths exist; leftovers
    // elsewhere (an archive folder) keep paths that reach nothing.
    const fits = (root: string) =>
      list.filter((k) => under(k.file, root) && exists(tree, `${root}/${k.dir}`));
    let best: { root: string; fit: FluxKustomization[] } | undefined;
    for (const root of new Set(list.flatMap((k) => ancestors(k.file)))) {
      const fit = fits(root);
      if (fit.length >= 2 && (!best || fit.length > best.fit.length)) best = { root, fit };
    }
    if (!best) continue;
    for (const k of best.fit) k.dir = `${best.root}/${k.dir}`;
    out.set(key, best.root);
  }
  return out;
}

/** The folders above a file, nearest last, without the root ('a/b/c.yaml' -> 'a', 'a/b'). */
const ancestors = (file: string): string[] => {
  const segs = file.split('/').slice(0, -1);
  return segs.map((_, i) => segs.slice(0, i + 1).join('/'));
};

/**
 * Files applied by the Kustomizations whose source is an ExternalArtifact made here by an
 * ArtifactGenerator from this repository (see artifacts.ts); sets their `dir` to the folder their
 * path was copied from. Copies the tree cannot replay become notices at the copy.
 */
function artifactApplies(
  tree: Tree,
  ks: readonly FluxKustomization[],
  artifacts: readonly Artifact[],
  rootOf: SourceRoot,
): { applies: Map<FluxKustomization, Set<string>>; reports: Report<InputRuleId>[] } {
  const applies = new Map<FluxKustomization, Set<string>>();
  const reports: Report<InputRuleId>[] = [];
  const built = new Map<Artifact, Map<string, string>>();
  for (const k of ks) {
    if (k.source?.kind !== 'ExternalArtifact' || k.path === undefined) continue;
    const ns = k.source.namespace ?? k.namespace;
    // Each cluster folder often has its own generator making the same artifact names (staging's
    // `apps`, production's `apps`): the nearest one to the Kustomization is its cluster's.
    const artifact = nearest(
      k.file,
      artifacts.filter(
        (a) =>
          a.name === k.source!.name && (a.namespace === undefined || ns === undefined || a.namespace === ns),
      ),
    );
    if (!artifact) continue;
    let files = built.get(artifact);
    if (!files) {
      const out = artifactFiles(tree, artifact, rootOf);
      files = out.files;
      built.set(artifact, files);
      for (const copy of out.unread) reports.push(unreadCopy(artifact, copy));
    }
    const { applies: set, dir } = reachInArtifact(tree, files, k.path);
    applies.set(k, set);
    if (dir !== undefined) k.dir = dir;
  }
  return { applies, reports };
}

/** The artifact whose generator file shares the longest folder path with `file`. */
function nearest(file: string, list: readonly Artifact[]): Artifact | undefined {
  const shared = (a: string, b: string) => {
    const x = a.split('/');
    const y = b.split('/');
    let n = 0;
    while (n < x.length - 1 && n < y.length - 1 && x[n] === y[n]) n++;
    return n;
  };
  let best: Artifact | undefined;
  for (const a of list) if (!best || shared(file, a.doc.file) > shared(file, best.doc.file)) best = a;
  return best;
}

function unreadCopy(artifact: Artifact, copy: Artifact['copies'][number]): Report<InputRuleId> {
  const i = artifact.copies.indexOf(copy);
  const at = artifact.doc.span(['spec', 'artifacts', artifact.index, 'copy', i, 'from']);
  const alias = /^@([^/]+)\//.exec(copy.from)?.[1];
  const source = alias === undefined ? undefined : artifact.sources.get(alias);
  const why =
    copy.strategy !== undefined && copy.strategy !== 'Overwrite'
      ? `its ${copy.strategy} strategy is not replayed`
      : source
        ? `${source.kind} ${source.name} is not this repository`
        : 'it names no source of the generator';
  return {
    ...at,
    rule: 'value-unresolved',
    message: `Not read: ExternalArtifact ${artifact.name} copies ${copy.from}, and ${why}; what it adds to the cluster is not checked.`,
    value: copy.from,
  };
}

/** How sure a root is to be a cluster's entry: its own bootstrap, a `clusters/<name>` folder, or neither. */
const BOOTSTRAP = 2;
const CLUSTERS_FOLDER = 1;

export function fluxLayout(
  tree: Tree,
  ks: readonly FluxKustomization[],
  artifacts: readonly Artifact[] = [],
): FluxLayout {
  const memo = new Map<string, Set<string>>();
  const rootOf = thisRepository(tree, ks, memo);
  const isThisRepository: IsThisRepository = (s) => rootOf(s) !== undefined;
  const fromArtifacts = artifactApplies(tree, ks, expandPatterns(tree, artifacts, rootOf), rootOf);
  const applies = new Map<FluxKustomization, Set<string>>();
  for (const k of ks)
    applies.set(
      k,
      fromArtifacts.applies.get(k) ?? (k.dir === undefined ? new Set() : reach(tree, k.dir, memo)),
    );
  const byFile = new Map<string, FluxKustomization[]>();
  for (const k of ks) byFile.set(k.file, [...(byFile.get(k.file) ?? []), k]);
  const children = new Map<FluxKustomization, FluxKustomization[]>();
  const reached = new Set<FluxKustomization>();
  for (const k of ks) {
    const kids: FluxKustomization[] = [];
    for (const f of applies.get(k)!) for (const o of byFile.get(f) ?? []) if (o !== k) kids.push(o);
    children.set(k, kids);
    for (const c of kids) reached.add(c);
  }
  // A FluxInstance's sync is the bootstrap whatever applies its file (a script, the operator's chart).
  const selfApplied = (k: FluxKustomization) =>
    k.dir !== undefined && (k.instance !== undefined || (k.dir !== '' && applies.get(k)!.has(k.file)));
  const strength = (k: FluxKustomization) =>
    selfApplied(k) ? BOOTSTRAP : /(?:^|\/)clusters\/[^/]+\//.test(k.file) ? CLUSTERS_FOLDER : 0;
  const entryOf = (k: FluxKustomization) => (selfApplied(k) ? k.dir! : entryOfFile(k.file));
  const closure = (root: FluxKustomization): Set<FluxKustomization> => {
    const seen = new Set<FluxKustomization>();
    const stack = [root];
    while (stack.length) {
      const k = stack.pop()!;
      if (seen.has(k)) continue;
      seen.add(k);
      stack.push(...children.get(k)!);
    }
    return seen;
  };
  // Roots: applied by no other Kustomization; then, for Kustomizations only in a cycle, the
  // bootstrap among them. Surer entries first, shallower files first: a leftover (an archived
  // Kustomization, an app left out of its parent's kustomization.yaml) found later inside what a
  // cluster already holds joins nothing and founds no cluster of its own.
  const order = (list: FluxKustomization[]) =>
    list.sort(
      (a, b) => strength(b) - strength(a) || depth(a.file) - depth(b.file) || a.file.localeCompare(b.file),
    );
  const groups = new Map<string, { roots: FluxKustomization[]; members: Set<FluxKustomization> }>();
  const taken = new Set<FluxKustomization>();
  const owned = new Set<string>();
  const dirs: string[] = [];
  // A root that is not surely an entry point is a leftover when it lies inside a cluster already
  // found, or applies what one already applies (an archived copy of a cluster's Kustomization).
  // Where a sure entry point (a bootstrap, a FluxInstance, a `clusters/<name>` folder) founded a
  // cluster, a root that is not one is a leftover too: an app Kustomization its overlay does not
  // list (xunholy's apps/base), which would otherwise become a "cluster" named after the app.
  let sure = false;
  const leftover = (root: FluxKustomization, members: Set<FluxKustomization>) =>
    strength(root) === 0 &&
    groups.size > 0 &&
    (sure ||
      dirs.some((d) => under(root.file, d)) ||
      [...members].some((m) => taken.has(m) || [...applies.get(m)!].some((f) => owned.has(f))));
  const addRoot = (root: FluxKustomization) => {
    const members = closure(root);
    // Applying nothing from this tree (another repository's, an OCI artifact's) founds no cluster.
    if (leftover(root, members) || [...members].every((m) => applies.get(m)!.size === 0)) return;
    if (strength(root) > 0) sure = true;
    const entry = entryOf(root);
    const g = groups.get(entry) ?? { roots: [], members: new Set() };
    g.roots.push(root);
    for (const k of members) {
      g.members.add(k);
      taken.add(k);
      for (const f of applies.get(k)!) owned.add(f);
      if (k.dir !== undefined && k.dir !== '') dirs.push(k.dir);
    }
    if (entry !== '') dirs.push(entry);
    groups.set(entry, g);
  };
  for (const k of order(ks.filter((k) => !reached.has(k)))) addRoot(k);
  // Kustomizations only in a cycle: the bootstrap among them, then any other.
  for (const k of order(ks.filter((k) => reached.has(k)))) if (!taken.has(k)) addRoot(k);

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
    const instance = g.roots.find((k) => k.instance)?.instance;
    clusters.push({
      name,
      entry,
      reason: `${instance ? `FluxInstance ${instance.name} sync path` : 'Flux entry point'} ${entry || '(repository root)'}: Kustomization${members.length > 1 ? 's' : ''} ${members
        .map((k) => k.name)
        .join(', ')}`,
      files,
      kustomizations: members,
    });
  }
  // Two entry points with the same last directory name keep their full paths.
  for (const c of clusters) if ((names.get(c.name) ?? 0) > 1 && c.entry) c.name = c.entry;
  return { clusters, applies, reports: fromArtifacts.reports, isThisRepository };
}

const depth = (file: string): number => file.split('/').length;

/** Scopes from the Flux layout, or from kustomize roots when there is no Flux Kustomization. */
export function autoScopes(tree: Tree, layout: FluxLayout | undefined): Scope[] {
  const scopes: Scope[] = [];
  if (layout && layout.clusters.length > 0) {
    for (const c of layout.clusters)
      scopes.push({ name: c.name, entry: c.entry, files: new Set(c.files), reason: c.reason });
  } else {
    const memo = new Map<string, Set<string>>();
    for (const dir of kustomizeRoots(tree)) {
      const k = tree.kustomizations.get(dir)!;
      scopes.push({
        name: dir || 'root',
        entry: dir,
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
