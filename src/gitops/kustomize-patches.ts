// The transforms of kustomization files (kustomize-transforms.ts reads them) applied to the
// watched resources they build, as `kustomize build` (and Flux) would before applying them: per
// resource, the kustomizations that build it from the deepest up, each running its included
// components first (on everything it has built so far) and then its own transformers. Each step
// wraps the resource's locator, so a value a step set points at the line that set it, and the
// previous layer's line is its `related` entry.
import jsonpatch, { type Operation } from 'fast-json-patch';
import type { InputRuleId } from '../checks/input.ts';
import type { Related, Report, Span } from '../findings.ts';
import type { Locator, Path } from '../manifests/document.ts';
import { isRecord, stringEntries } from '../manifests/load.ts';
import { type Resource, refOf, WATCHED } from '../manifests/resource.ts';
import { PURELB_ANNOTATIONS } from '../manifests/service.ts';
import { resourceSpanKey } from './apply.ts';
import { joinRef, reach, type Tree } from './kustomize.ts';
import { type Move, strategicMerge, type Write } from './kustomize-merge.ts';
import { type Replacement, replaceTarget, type Source, sourceValue } from './kustomize-replacements.ts';
import { type Ids, matchesId, matchesTarget, type Target } from './kustomize-select.ts';
import type { Patch, Step, Transform } from './kustomize-transforms.ts';
import { MappedLocator } from './locator.ts';

export { mayTransform, readTransforms, type Transform } from './kustomize-transforms.ts';

const NAMESPACED = new Set(['ServiceGroup', 'LBNodeAgent', 'Service']);

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

/** What one step did: the new data, what it wrote (in `loc`) and which base subtrees moved. */
type Done = { data: Record<string, unknown>; writes: Write[]; moves: Move[]; loc: Locator };

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

function apply(
  step: Step,
  r: Resource,
  ids: Ids,
  source: () => Source | undefined,
): Done | 'deleted' | undefined {
  const meta = isRecord(r.data.metadata) ? r.data.metadata : {};
  const withMeta = (key: string, value: string) => ({ ...r.data, metadata: { ...meta, [key]: value } });
  switch (step.kind) {
    case 'namespace':
      if (!NAMESPACED.has(r.kind)) return undefined;
      return {
        data: withMeta('namespace', step.value),
        writes: [{ path: ['metadata', 'namespace'], at: ['namespace'] }],
        moves: [],
        loc: step.loc,
      };
    case 'rename':
      // PrefixTransformer/SuffixTransformer skip only CustomResourceDefinition, APIService and
      // Namespace: every watched kind is renamed, the cluster-scoped Calico ones too.
      return {
        data: withMeta('name', `${step.prefix}${r.name}${step.suffix}`),
        writes: [{ path: ['metadata', 'name'], at: step.at }],
        moves: [],
        loc: step.loc,
      };
    case 'patch':
      if (!selects(step.patch, r, ids)) return undefined;
      return 'smp' in step.patch ? merge(step.patch, r) : jsonPatch(step.patch.ops, r, step.patch.loc);
    case 'replacement':
      return replace(step.replacement, r, ids, source);
  }
}

/** The replaced fields point at the source value (its line in the source resource, or sourceValue). */
function replace(
  rep: Replacement,
  r: Resource,
  ids: Ids,
  source: () => Source | undefined,
): Done | undefined {
  const targets = rep.targets.filter((t) => matchesTarget(t.select, r, ids) && !rejected(t.reject, r, ids));
  if (targets.length === 0) return undefined;
  const src = source();
  if (!src) return undefined;
  let current = r;
  const writes: Write[] = [];
  for (const t of targets) {
    const res = replaceTarget(current, t, src);
    if (!res) continue; // kustomize fails the build on a missing field; the resource stands
    current = { ...current, data: res.data };
    for (const path of res.paths) writes.push({ path, at: src.at });
  }
  return writes.length ? { data: current.data, writes, moves: [], loc: src.loc } : undefined;
}

/** kustomize rejects by id (when one is given) or by label/annotation selectors (when given). */
const rejected = (reject: readonly Target[], r: Resource, ids: Ids): boolean =>
  reject.some((j) => {
    const { labelSelector, annotationSelector, ...id } = j;
    const byId = Object.keys(id).length > 0 && matchesTarget(id, r, ids);
    const bySelector =
      (labelSelector !== undefined || annotationSelector !== undefined) &&
      matchesTarget(
        {
          ...(labelSelector ? { labelSelector } : {}),
          ...(annotationSelector ? { annotationSelector } : {}),
        },
        r,
        ids,
      );
    return byId || bySelector;
  });

function merge(p: Patch & { smp: Record<string, unknown> }, r: Resource): Done | 'deleted' {
  // kustomize keeps the resource's kind, name and namespace whatever the patch says.
  const { apiVersion: _a, kind: _k, metadata, ...rest } = p.smp;
  const meta = isRecord(metadata) ? { ...metadata } : {};
  delete meta.name;
  delete meta.namespace;
  const res = strategicMerge(r.kind, r.data, {
    ...rest,
    ...(Object.keys(meta).length ? { metadata: meta } : {}),
  });
  return res ? { ...res, loc: p.loc } : 'deleted';
}

function jsonPatch(ops: Operation[], r: Resource, loc: Locator): Done | undefined {
  let data: Record<string, unknown>;
  try {
    data = jsonpatch.applyPatch(jsonpatch.deepClone(r.data), ops, true, false).newDocument;
  } catch {
    return undefined; // kustomize fails the build on a patch that does not apply; the base stands
  }
  const writes: Write[] = [];
  ops.forEach((op, i) => {
    if ((op.op === 'add' || op.op === 'replace') && typeof op.path === 'string') {
      let path = pointer(op.path);
      if (path[path.length - 1] === '-') {
        const list = valueAtPath(data, path.slice(0, -1));
        path = [...path.slice(0, -1), Array.isArray(list) ? list.length - 1 : 0];
      }
      writes.push({ path, at: [i, 'value'] });
    }
  });
  return { data, writes, moves: [], loc };
}

const pointer = (p: string): Path =>
  p
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));

function valueAtPath(data: unknown, path: Path): unknown {
  let v = data;
  for (const seg of path)
    v = isRecord(v) || Array.isArray(v) ? (v as Record<string, unknown>)[seg as string] : undefined;
  return v;
}

function selects(p: Patch, r: Resource, ids: Ids): boolean {
  if (p.target) return matchesTarget(p.target, r, ids);
  if (!('smp' in p)) return false;
  // Without a target a strategic-merge patch selects by its own kind and name (and namespace).
  const m = isRecord(p.smp.metadata) ? p.smp.metadata : {};
  return (
    r.kind === String(p.smp.kind ?? '') &&
    ids.names.has(String(m.name ?? '')) &&
    (typeof m.namespace !== 'string' || ids.namespaces.has(m.namespace))
  );
}

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
