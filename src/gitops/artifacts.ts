// Flux's ArtifactGenerator (source-watcher, Flux >= 2.7): ExternalArtifacts cut out of a source by
// `copy` operations. flux2-kustomize-helm-example and the layouts built on it point every cluster
// Kustomization at such an artifact (`sourceRef: {kind: ExternalArtifact, name: apps}`,
// `path: ./production`), so without this a whole cluster reads as applying nothing.
//
// The copies are replayed on this tree's paths, as source-watcher's builder does them
// (internal/builder/builder.go): an artifact becomes a map from its paths to this repository's
// files, and a Kustomization applies what kustomize reaches from its `path` inside the artifact.
import { posix } from 'node:path';
import picomatch from 'picomatch';
import { z } from 'zod';
import type { SourceDoc } from '../manifests/document.ts';
import type { Other } from './flux.ts';
import { filesUnder, type KustomizeFile, makeTree, normalizeDir, reach, type Tree } from './kustomize.ts';

const group = (apiVersion: unknown): string =>
  typeof apiVersion === 'string' && apiVersion.includes('/')
    ? apiVersion.slice(0, apiVersion.lastIndexOf('/'))
    : '';

export const isArtifactGenerator = (d: Record<string, unknown>): boolean =>
  d.kind === 'ArtifactGenerator' && group(d.apiVersion) === 'source.extensions.fluxcd.io';

const schema = z
  .object({
    metadata: z.object({ name: z.string().optional(), namespace: z.string().optional() }).loose().optional(),
    spec: z
      .object({
        pathPattern: z.string().optional(),
        sources: z
          .array(
            z
              .object({
                alias: z.string(),
                kind: z.string(),
                name: z.string(),
                namespace: z.string().optional(),
              })
              .loose(),
          )
          .optional(),
        artifacts: z
          .array(
            z
              .object({
                name: z.string(),
                copy: z
                  .array(
                    z
                      .object({
                        from: z.string(),
                        to: z.string(),
                        exclude: z.array(z.string()).optional(),
                        strategy: z.string().optional(),
                      })
                      .loose(),
                  )
                  .optional(),
              })
              .loose(),
          )
          .optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

export type Copy = { from: string; to: string; exclude: readonly string[]; strategy: string | undefined };

/** One ExternalArtifact an ArtifactGenerator makes. */
export type Artifact = {
  name: string;
  /** Its place in the generator's spec.artifacts, for positions. */
  index: number;
  namespace: string | undefined;
  doc: SourceDoc;
  /** The generator's sources by alias. */
  sources: ReadonlyMap<string, { kind: string; name: string }>;
  copies: readonly Copy[];
  /** `spec.pathPattern` (`@alias/apps/{app}`): this artifact is a template, one per matched folder. */
  pathPattern?: string;
};

export function readArtifacts(o: Other): Artifact[] {
  const parsed = schema.safeParse(o.data);
  if (!parsed.success) return [];
  const d = parsed.data;
  const sources = new Map((d.spec?.sources ?? []).map((s) => [s.alias, { kind: s.kind, name: s.name }]));
  const pathPattern = d.spec?.pathPattern;
  return (d.spec?.artifacts ?? []).map((a, index) => ({
    ...(pathPattern !== undefined ? { pathPattern } : {}),
    name: a.name,
    index,
    namespace: d.metadata?.namespace,
    doc: o.doc,
    sources,
    copies: (a.copy ?? []).map((c) => ({
      from: c.from,
      to: c.to,
      exclude: c.exclude ?? [],
      strategy: c.strategy,
    })),
  }));
}

const GLOB = /[*?[\]]/;

/**
 * Go's fs.Glob (what the builder uses for all but Extract): `*` stays inside one path segment, and
 * `**` is no globstar there, just `*`. Dot files match.
 */
const goGlob = (pattern: string) =>
  picomatch(pattern.replace(/\*\*+/g, '*'), { dot: true, noglobstar: true, nobrace: true, noextglob: true });

/** Exclude patterns: relative to the source's literal prefix; without a `/`, the file name at any depth. */
function excluder(copy: Copy, base: string): (path: string) => boolean {
  if (copy.exclude.length === 0) return () => false;
  const tests = copy.exclude.map((p) => picomatch(p, { dot: true }));
  return (path) => {
    const rel = base === '' ? path : path.startsWith(`${base}/`) ? path.slice(base.length + 1) : path;
    const name = posix.basename(path);
    return copy.exclude.some(
      (p, i) => tests[i]!(rel) || tests[i]!(path) || (!p.includes('/') && tests[i]!(name)),
    );
  };
}

/** Entries (files and folders) of the tree with exactly `depth` segments, as fs.Glob sees them. */
function entriesAt(tree: Tree, depth: number): Set<string> {
  const out = new Set<string>();
  for (const f of tree.sorted) {
    const segs = f.split('/');
    if (segs.length >= depth) out.add(segs.slice(0, depth).join('/'));
  }
  return out;
}

/** Files at or below `entry` (a file, or a folder). */
const filesAt = (tree: Tree, entry: string): string[] =>
  tree.files.has(entry) ? [entry] : filesUnder(tree, entry);

/**
 * Artifact path -> repository file, replaying the copies whose source is this repository. Copies
 * from any other source, and the Merge and Extract strategies (YAML merged, tarballs unpacked),
 * cannot be replayed from this tree: they are returned as `unread`.
 */
export function artifactFiles(
  tree: Tree,
  artifact: Artifact,
  rootOf: (source: { kind: string; name: string }) => string | undefined,
): { files: Map<string, string>; unread: Copy[] } {
  const files = new Map<string, string>();
  const unread: Copy[] = [];
  for (const copy of artifact.copies) {
    const m = /^@([^/]+)\/(.*)$/.exec(copy.from);
    const source = m ? artifact.sources.get(m[1]!) : undefined;
    const root = source ? rootOf(source) : undefined;
    const dest = copy.to.startsWith('@artifact/') ? copy.to.slice('@artifact/'.length) : undefined;
    const replayable = copy.strategy === undefined || copy.strategy === 'Overwrite';
    if (!m || root === undefined || dest === undefined || !replayable) {
      unread.push(copy);
      continue;
    }
    // The source as its controller sees it: this tree, or the folder pushed as its artifact.
    replay(subTree(tree, root), copy, m[2]!, dest, (to, from) =>
      files.set(to, root === '' ? from : `${root}/${from}`),
    );
  }
  return { files, unread };
}

// Every artifact of a generator over one pushed folder reads the same view of it.
const subTrees = new WeakMap<Tree, Map<string, Tree>>();

/** The files below `root`, as paths relative to it. */
function subTree(tree: Tree, root: string): Tree {
  if (root === '') return tree;
  const views = subTrees.get(tree) ?? new Map<string, Tree>();
  subTrees.set(tree, views);
  const view =
    views.get(root) ??
    makeTree(
      filesUnder(tree, root).map((f) => f.slice(root.length + 1)),
      [],
    );
  views.set(root, view);
  return view;
}

/** One copy operation on `tree`'s paths: `put(artifact path, source path)` for each file it copies. */
function replay(
  tree: Tree,
  copy: Copy,
  pattern: string,
  dest: string,
  put0: (to: string, from: string) => void,
) {
  const destDir = normalizeDir(dest) ?? '';
  const excluded = excluder(copy, literalPrefix(pattern));
  const put = (to: string, from: string) => {
    if (!excluded(from)) put0(to, from);
  };
  if (!GLOB.test(pattern)) {
    const src = normalizeDir(pattern);
    if (src === undefined) return;
    if (tree.files.has(src)) {
      // A file: into the folder when `to` ends in `/`, else to that path.
      put(dest.endsWith('/') ? join(destDir, posix.basename(src)) : destDir, src);
    } else {
      // A folder is copied as a subfolder: `cp -r src dest/`.
      const into = join(destDir, posix.basename(src));
      for (const f of filesAt(tree, src)) put(join(into, f.slice(src.length + 1)), f);
    }
    return;
  }
  const match = goGlob(pattern);
  const recursive = pattern.endsWith('/**') ? pattern.slice(0, -3) : undefined;
  for (const entry of entriesAt(tree, pattern.split('/').length)) {
    if (!match(entry) || excluded(entry)) continue;
    // `dir/**` copies dir's contents; any other glob keeps the whole matched path.
    const base =
      recursive !== undefined && entry.startsWith(`${recursive}/`)
        ? join(destDir, entry.slice(recursive.length + 1))
        : join(destDir, entry);
    for (const f of filesAt(tree, entry)) put(f === entry ? base : join(base, f.slice(entry.length + 1)), f);
  }
}

const join = (dir: string, rel: string): string => (dir === '' ? rel : rel === '' ? dir : `${dir}/${rel}`);

function literalPrefix(pattern: string): string {
  const out: string[] = [];
  for (const seg of pattern.split('/')) {
    if (GLOB.test(seg)) break;
    out.push(seg);
  }
  return out.join('/');
}

/**
 * The repository files a Kustomization applies from `path` inside an artifact: kustomize's reach
 * run on the artifact's own paths, then mapped back. `dir` is the repository folder `path` was
 * copied from, when one folder was (for naming and depth), else undefined.
 */
export function reachInArtifact(
  tree: Tree,
  files: ReadonlyMap<string, string>,
  path: string,
): { applies: Set<string>; dir: string | undefined } {
  const start = normalizeDir(path);
  if (start === undefined) return { applies: new Set(), dir: undefined };
  const kustomizations: KustomizeFile[] = [];
  for (const [virtual, real] of files) {
    const k = tree.kustomizations.get(posix.dirname(real) === '.' ? '' : posix.dirname(real));
    if (k?.file !== real) continue;
    const slash = virtual.lastIndexOf('/');
    kustomizations.push({ file: virtual, dir: slash < 0 ? '' : virtual.slice(0, slash), refs: k.refs });
  }
  const virtualTree = makeTree(files.keys(), kustomizations);
  const applies = new Set<string>();
  for (const v of reach(virtualTree, start)) {
    const real = files.get(v);
    if (real !== undefined) applies.add(real);
  }
  return { applies, dir: sourceFolder(files, start, virtualTree.kustomizations.get(start)?.file) };
}

/** The repository folder the artifact's folder `start` was copied from, when its files say so. */
function sourceFolder(files: ReadonlyMap<string, string>, start: string, first: string | undefined) {
  const probes = first === undefined ? files.keys() : [first, ...files.keys()];
  for (const v of probes) {
    if (start !== '' && !v.startsWith(`${start}/`)) continue;
    const rel = start === '' ? v : v.slice(start.length + 1);
    const real = files.get(v)!;
    if (real === rel) return '';
    return real.endsWith(`/${rel}`) ? real.slice(0, -(rel.length + 1)) : undefined;
  }
  return undefined;
}

/**
 * Generators with `spec.pathPattern` (`@monorepo/apps/{app}/envs/{env}`): one artifact per folder of
 * the source that matches, each `{capture}` a folder name, put into the artifact's name (lowercased,
 * as the controller does) and its copies (as found). Patterns over a source that is not this
 * repository stay as they are (nothing matches; a Kustomization on them gets its notice).
 */
export function expandPatterns(
  tree: Tree,
  artifacts: readonly Artifact[],
  rootOf: (source: { kind: string; name: string }) => string | undefined,
): Artifact[] {
  const out: Artifact[] = [];
  for (const a of artifacts) {
    const m = a.pathPattern === undefined ? undefined : /^@([^/]+)\/(.+)$/.exec(a.pathPattern);
    const source = m ? a.sources.get(m[1]!) : undefined;
    const root = source ? rootOf(source) : undefined;
    if (!m || root === undefined) {
      out.push(a);
      continue;
    }
    const segs = m[2]!.replace(/\/+$/, '').split('/');
    const view = subTree(tree, root);
    for (const entry of entriesAt(view, segs.length)) {
      const parts = entry.split('/');
      const caps = new Map<string, string>();
      const fits = segs.every((seg, i) => {
        const cap = /^\{(\w+)\}$/.exec(seg);
        if (!cap) return seg === parts[i];
        caps.set(cap[1]!, parts[i]!);
        return true;
      });
      if (!fits || view.files.has(entry)) continue; // folders only
      const fill = (text: string, lower: boolean) =>
        text.replace(/\{(\w+)\}/g, (all, k: string) => {
          const v = caps.get(k);
          return v === undefined ? all : lower ? v.toLowerCase() : v;
        });
      out.push({
        ...a,
        name: fill(a.name, true),
        copies: a.copies.map((c) => ({ ...c, from: fill(c.from, false), to: fill(c.to, false) })),
      });
    }
  }
  return out;
}
