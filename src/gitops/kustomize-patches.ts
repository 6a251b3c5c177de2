// The transforms of kustomization files (kustomize-transforms.ts reads them) applied to the
// watched resources they build, as `kustomize build` (and Flux) would before applying them: per
// resource, the kustomizations that build it from the deepest up, each running its included
// components first (on everything it has built so far) and then its own transformers. Each step
// wraps the resource's locator, so a value a step set points at the line that set it, and the
// previous layer's line is its `related` entry.
import type { InputRuleId } from '../checks/input.ts';
import type { Related, Report, Span } from '../findings.ts';
import type { Path } from '../manifests/document.ts';
import { isRecord, stringEntries } from '../manifests/load.ts';
import { OTHER_CONTROLLER_POOLS, type Resource, refOf, WATCHED } from '../manifests/resource.ts';
import { PURELB_ANNOTATIONS } from '../manifests/service.ts';
import { resourceSpanKey } from './apply.ts';
import { joinRef, reach, type Tree } from './kustomize.ts';
import { type Replacement, type Source, sourceValue } from './kustomize-replacements.ts';
import { matchesId } from './kustomize-select.ts';
import { apply, type Done } from './kustomize-steps.ts';
import type { Transform } from './kustomize-transforms.ts';
import { MappedLocator } from './locator.ts';

export { mayTransform, readTransforms, type Transform } from './kustomize-transforms.ts';

/** A transform run by the build of one kustomization (`via`): its own, or that of a component it includes. */
type Unit = { t: Transform; via: string; dir: string; order: number };

type Sink = {
  onlyIn?: Map<Resource, ReadonlySet<string>>;
  provenance?: Map<string, Related[]>;
  reports?: Report<InputRuleId>[];
};

/** Documents of a kind and name that are not watched (a ConfigMap), as replacement sources. */
export type SourceLookup = (kind: string | undefined, name: string | undefined) => Resource[];

/** What a step may need from the rest of the build: a replacement's source value. */
type Build = {
  source(rep: Replacement, u: Unit, step: number): Source | undefined;
  /** A replacement selected a watched resource but its source could not be read: a gap. */
  gap(rep: Replacement, target: Resource): void;
};

/** A resource as built so far, with every name and namespace it had on the way. */
type Built = { res: Resource; ids: { names: Set<string>; namespaces: Set<string> } };

/** ServiceGroups a unit's namePrefix/nameSuffix renamed: old name -> new name and the line that did it. */
type Renames = Map<Unit, Map<string, { to: string; at: Span }>>;

function units(tree: Tree, transforms: readonly Transform[]): Unit[] {
  const byDir = new Map(transforms.map((t) => [t.dir, t]));
  const out: Unit[] = [];
  for (const t of transforms) if (!t.component) out.push({ t, via: t.file, dir: t.dir, order: 0 });
  // kustomize accumulates a kustomization's resources, then runs each component (its own
  // components first) on all of them, then the kustomization's own transformers.
  const expand = (dir: string, seen: Set<string>): Transform[] =>
    (tree.kustomizations.get(dir)?.components ?? []).flatMap((ref) => {
      const c = joinRef(dir, ref);
      if (c === undefined || seen.has(c)) return [];
      seen.add(c);
      const own = byDir.get(c);
      return [...expand(c, seen), ...(own ? [own] : [])];
    });
  for (const k of tree.kustomizations.values()) {
    if (!k.components?.length) continue;
    const list = expand(k.dir, new Set([k.dir]));
    list.forEach((t, i) => {
      out.push({ t, via: k.file, dir: k.dir, order: i - list.length });
    });
  }
  return out;
}

/**
 * The resources after the transforms of the kustomizations that build them. `scopes` (layout
 * scopes, when known) decide which kustomizations apply where: a base shared by two overlays
 * becomes one copy per overlay, each valid only in the scopes that build through it (`onlyIn`).
 * Without such scopes only a single chain of kustomizations is applied; sibling overlays would
 * need to say which is which.
 */
export function applyTransforms(
  resources: readonly Resource[],
  tree: Tree,
  transforms: readonly Transform[],
  scopes: readonly { name: string; files: ReadonlySet<string> }[] | undefined,
  sink: Sink,
  lookup?: SourceLookup,
): Resource[] {
  const all = units(tree, transforms);
  if (all.length === 0) return [...resources];
  const memo = new Map<string, Set<string>>();
  const reaches = new Map(all.map((u) => [u, reach(tree, u.dir, memo)]));
  // A kustomization reaches all its bases reach: fewer files first is build order.
  const size = (u: Unit) => reaches.get(u)!.size;
  const chainOf = (file: string) =>
    all.filter((u) => reaches.get(u)!.has(file)).sort((a, b) => size(a) - size(b) || a.order - b.order);
  // A replacement reads its source as built up to that replacement; sources may need sources.
  let depth = 0;
  const gaps = new Set<Replacement>();
  const ctx: Build = {
    gap(rep, target) {
      // Another controller's pool is read for its presence only: its values are not lbguard's.
      if (OTHER_CONTROLLER_POOLS[target.kind] !== undefined) return;
      if (gaps.has(rep) || 'value' in rep.source) return;
      gaps.add(rep);
      const { kind, name } = rep.source.id;
      const what = `${kind ?? 'resource'} ${name ?? ''}`.trim();
      sink.reports?.push({
        ...rep.where.loc.span(rep.where.at),
        rule: 'value-unresolved',
        message: `The kustomize replacement source ${what} (${rep.source.fieldPath}) is not read: a Secret, not in the files this kustomization builds, or not exactly one resource. ${target.kind} ${target.name} keeps the values written for it.`,
        value: what,
      });
    },
    source(rep, u, step) {
      const src = rep.source;
      if ('value' in src) return { value: src.value, loc: src.loc, at: src.at };
      if (depth > 4) return undefined;
      const watched = src.id.kind !== undefined && WATCHED[src.id.kind] !== undefined;
      const pool = watched ? resources : (lookup?.(src.id.kind, src.id.name) ?? []);
      const files = reaches.get(u)!;
      const hits: Resource[] = [];
      depth++;
      for (const s of pool) {
        if (!files.has(s.file)) continue;
        const chain = chainOf(s.file);
        const upTo = chain.slice(0, chain.indexOf(u) + 1);
        const b = build(s, upTo, {}, new Map(), ctx, { unit: u, step });
        if (b && matchesId(src.id, b.res, b.ids)) hits.push(b.res);
      }
      depth--;
      // kustomize fails the build unless exactly one resource matches.
      return hits.length === 1 ? sourceValue(hits[0]!, src) : undefined;
    },
  };
  const out: Resource[] = [];
  const built = new Map<Resource, readonly Unit[]>();
  const renames: Renames = new Map();
  for (const r of resources) {
    const mine = chainOf(r.file);
    if (mine.length === 0) {
      out.push(r);
      continue;
    }
    // Which units apply, per scope holding the file.
    const chains = new Map<string, { list: Unit[]; scopes: Set<string> }>();
    const holders = scopes?.filter((s) => s.files.has(r.file)) ?? [];
    if (holders.length > 0) {
      for (const s of holders) {
        const list = mine.filter((u) => s.files.has(u.via));
        const key = list.map((u) => `${u.via}>${u.t.file}`).join('\u0000');
        const c = chains.get(key) ?? { list, scopes: new Set() };
        c.scopes.add(s.name);
        chains.set(key, c);
      }
    } else {
      const prev = (i: number) => mine[i - 1]!.via;
      const chain = mine.every((u, i) => i === 0 || u.via === prev(i) || reaches.get(u)!.has(prev(i)));
      chains.set('', { list: chain ? mine : [], scopes: new Set() });
    }
    // A chain that changes nothing keeps the resource itself: one object, in all its scopes.
    const results = new Map<Resource, Set<string>>();
    for (const { list, scopes: where } of chains.values()) {
      const res = list.length ? build(r, list, sink, renames, ctx)?.res : r;
      if (res === undefined) continue;
      if (res !== r) built.set(res, list);
      const seen = results.get(res) ?? new Set<string>();
      for (const s of where) seen.add(s);
      results.set(res, seen);
    }
    const split = results.size > 1 || (results.size === 1 && chains.size > 1 && !results.has(r));
    for (const [res, where] of results) {
      if (split && where.size > 0) sink.onlyIn?.set(res, where);
      out.push(res);
    }
  }
  if (renames.size > 0) staleGroupReferences(out, built, renames, sink);
  return out;
}

/** The resource after a chain of units (up to a step, for a source); undefined when a patch deletes it. */
function build(
  r: Resource,
  list: readonly Unit[],
  sink: Sink,
  renames: Renames,
  ctx: Build,
  stop?: { unit: Unit; step: number },
): Built | undefined {
  let current = r;
  // kustomize selects a target by any name (and namespace) the resource had on the way.
  const ids = { names: new Set([r.name]), namespaces: new Set([r.namespace ?? '']) };
  const bases: { at: Span; related: Related }[] = [];
  for (const u of list) {
    for (const [i, step] of u.t.steps.entries()) {
      if (stop && u === stop.unit && i >= stop.step) break;
      const done = apply(step, current, ids, () => {
        if (step.kind !== 'replacement') return undefined;
        const src = ctx.source(step.replacement, u, i);
        if (!src && sink.reports) ctx.gap(step.replacement, current);
        return src;
      });
      if (done === 'deleted') return undefined;
      if (!done) continue;
      const before = current.name;
      current = layer(current, done, u.t.file, bases);
      ids.names.add(current.name);
      ids.namespaces.add(current.namespace ?? '');
      if (step.kind === 'rename' && r.kind === 'ServiceGroup') {
        const m: Map<string, { to: string; at: Span }> = renames.get(u) ?? new Map();
        m.set(before, { to: current.name, at: step.loc.span(step.at) });
        renames.set(u, m);
      }
    }
  }
  // Keyed by the built resource: one kustomization line changes many resources, each from its own base.
  const ref = refOf(current);
  for (const { at, related } of bases) add(sink, resourceSpanKey(ref, at), related);
  return { res: current, ids };
}

const add = (sink: Sink, key: string, related: Related) =>
  sink.provenance?.set(key, [...(sink.provenance.get(key) ?? []), related]);

const startsWith = (path: Path, prefix: Path) =>
  prefix.length <= path.length && prefix.every((s, i) => s === path[i]);

/** The longest entry whose `path` leads to `path` (the later of equals). */
function longest<T extends { path: Path }>(list: readonly T[], path: Path): T | undefined {
  let best: T | undefined;
  for (const w of list)
    if (startsWith(path, w.path) && (!best || w.path.length >= best.path.length)) best = w;
  return best;
}

/** The resource after one step: its locator maps what the step wrote to the step's lines. */
function layer(r: Resource, done: Done, by: string, bases: { at: Span; related: Related }[]): Resource {
  const prev = r.doc;
  const { data } = done;
  const below = (path: Path): Path => {
    const m = longest(done.moves, path);
    return m ? [...m.from, ...path.slice(m.path.length)] : path;
  };
  const doc = new MappedLocator(
    r.file,
    (path) => {
      const w = longest(done.writes, path);
      const m = longest(done.moves, path);
      if (w && (!m || w.path.length >= m.path.length))
        return { loc: done.loc, path: [...w.at, ...path.slice(w.path.length)] };
      return { loc: prev, path: below(path) };
    },
    () => data,
  );
  // The base's line, for a finding at the value the step set.
  for (const w of done.writes) {
    const base = below(w.path);
    if (!prev.has(base)) continue;
    const was = prev.span(base);
    bases.push({
      at: done.loc.span(w.at),
      related: { ...was, message: `the base value in ${was.file}, changed by ${by}` },
    });
  }
  const meta = isRecord(data.metadata) ? data.metadata : {};
  const res: Resource = { ...r, data, doc, annotations: stringEntries(meta.annotations) };
  if (typeof meta.name === 'string') res.name = meta.name;
  if (typeof meta.namespace === 'string') res.namespace = meta.namespace;
  return res;
}

/**
 * kustomize's nameReference knows no PureLB field: a namePrefix that renames a ServiceGroup leaves
 * `purelb.io/service-group` on the Services of the same build naming the old group. The rules then
 * report the unknown group at the annotation; this says which line renamed it.
 */
function staleGroupReferences(
  out: readonly Resource[],
  built: ReadonlyMap<Resource, readonly Unit[]>,
  renames: Renames,
  sink: Sink,
) {
  const path = ['metadata', 'annotations', PURELB_ANNOTATIONS.serviceGroup];
  for (const s of out) {
    const group = s.kind === 'Service' ? s.annotations[PURELB_ANNOTATIONS.serviceGroup] : undefined;
    if (group === undefined) continue;
    for (const u of built.get(s) ?? []) {
      const hit: { to: string; at: Span } | undefined = renames.get(u)?.get(group);
      if (!hit || hit.to === group) continue;
      add(sink, resourceSpanKey(refOf(s), s.doc.span(path)), {
        ...hit.at,
        message: `${u.t.file} renames ServiceGroup "${group}" to "${hit.to}"; kustomize does not rewrite ${PURELB_ANNOTATIONS.serviceGroup}`,
      });
    }
  }
}
