// kustomize's `patches` (strategic merge and JSON 6902, inline or from a file, with targets), the
// legacy `patchesStrategicMerge` / `patchesJson6902`, and `namespace`, applied to the watched
// resources a kustomization builds, as `kustomize build` (and Flux) would before applying them.
// A value a patch set points at the patch's line; the base's line is its `related` entry.
import { posix } from 'node:path';
import jsonpatch, { type Operation } from 'fast-json-patch';
import type { Related } from '../findings.ts';
import type { Locator, Path } from '../manifests/document.ts';
import { isRecord, stringEntries } from '../manifests/load.ts';
import type { Resource } from '../manifests/resource.ts';
import { type ChartUse, isWatchedChart, kustomizeHelmChartUse } from './charts.ts';
import { reach, type Tree } from './kustomize.ts';
import { EmbeddedLocator, MappedLocator } from './locator.ts';
import { matchesSelector } from './patches.ts';
import { parseValuesFile, type ValuesLookup } from './values.ts';

type Target = {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
};

/** One patch: what it selects, and its merge data or operations with where they are written. */
type Patch = { target: Target | undefined; loc: Locator } & (
  | { smp: Record<string, unknown> }
  | { ops: Operation[] }
);

/** What one kustomization file does to the resources it builds. */
export type Transform = {
  file: string;
  dir: string;
  /** `helmCharts` entries for the purelb and tigera-operator charts, and what could not be read. */
  charts: ChartUse[];
  patches: Patch[];
  namespace?: { value: string; loc: Locator };
};

const NAMESPACED = new Set(['ServiceGroup', 'LBNodeAgent', 'Service']);
const WORDS = /^(?:patches|patchesStrategicMerge|patchesJson6902|namespace|helmCharts):/m;

/** Whether a kustomization file's text can hold a transform: a cheap test before any parse. */
export const mayTransform = (text: string | undefined): boolean => text !== undefined && WORDS.test(text);

/** The transforms of every kustomization file that has patches or a namespace. */
export function readTransforms(
  tree: Tree,
  read: (file: string) => string | undefined,
  lookup: ValuesLookup,
): Transform[] {
  const out: Transform[] = [];
  for (const k of tree.kustomizations.values()) {
    const text = read(k.file);
    if (text === undefined || !mayTransform(text)) continue;
    const doc = parseValuesFile(k.file, text);
    const data: unknown = doc?.doc.toJS({ maxAliasCount: 100 });
    if (!doc || !isRecord(data)) continue;
    const t: Transform = { file: k.file, dir: k.dir, charts: [], patches: [] };
    if (Array.isArray(data.helmCharts)) {
      data.helmCharts.forEach((entry, i) => {
        const use = isRecord(entry) ? kustomizeHelmChartUse(doc, i, entry, k.dir, lookup) : undefined;
        if (use && isWatchedChart(use.chart)) t.charts.push(use);
      });
    }
    if (typeof data.namespace === 'string') t.namespace = { value: data.namespace, loc: doc };
    const fromFile = (p: string) => {
      const path = posix.join(k.dir, p);
      const text = read(path);
      return text === undefined ? undefined : parseValuesFile(path, text);
    };
    const add = (target: Target | undefined, value: unknown, loc: Locator) => {
      if (Array.isArray(value))
        t.patches.push({ target, loc, ops: value.filter(isRecord) as unknown as Operation[] });
      else if (isRecord(value)) t.patches.push({ target, loc, smp: value });
    };
    const inline = (at: Path) => {
      const e = new EmbeddedLocator(doc, at);
      return e.ok ? { value: e.data, loc: e as Locator } : undefined;
    };
    const entries: [string, (v: Record<string, unknown>, i: number) => void][] = [
      [
        'patches',
        (p, i) => {
          const target = readTarget(p.target);
          if (typeof p.patch === 'string') {
            const e = inline(['patches', i, 'patch']);
            if (e) add(target, e.value, e.loc);
          } else if (typeof p.path === 'string') {
            const f = fromFile(p.path);
            if (f) add(target, f.doc.toJS({ maxAliasCount: 100 }), f);
          }
        },
      ],
      [
        'patchesJson6902',
        (p, i) => {
          const target = readTarget(p.target);
          if (typeof p.patch === 'string') {
            const e = inline(['patchesJson6902', i, 'patch']);
            if (e && Array.isArray(e.value)) add(target, e.value, e.loc);
          } else if (typeof p.path === 'string') {
            const f = fromFile(p.path);
            const v: unknown = f?.doc.toJS({ maxAliasCount: 100 });
            if (f && Array.isArray(v)) add(target, v, f);
          }
        },
      ],
    ];
    for (const [key, each] of entries) {
      const list = data[key];
      if (!Array.isArray(list)) continue;
      list.forEach((p, i) => {
        if (isRecord(p)) each(p, i);
      });
    }
    if (Array.isArray(data.patchesStrategicMerge)) {
      data.patchesStrategicMerge.forEach((p, i) => {
        if (typeof p !== 'string') return;
        // A path, or (kustomize allows it) the patch itself inline.
        const f = p.includes('\n') ? undefined : fromFile(p);
        if (f) add(undefined, f.doc.toJS({ maxAliasCount: 100 }), f);
        else {
          const e = inline(['patchesStrategicMerge', i]);
          if (e && isRecord(e.value)) add(undefined, e.value, e.loc);
        }
      });
    }
    if (t.patches.length || t.namespace || t.charts.length) out.push(t);
  }
  return out;
}

function readTarget(v: unknown): Target | undefined {
  if (!isRecord(v)) return undefined;
  const t: Target = {};
  for (const k of [
    'group',
    'version',
    'kind',
    'name',
    'namespace',
    'labelSelector',
    'annotationSelector',
  ] as const)
    if (typeof v[k] === 'string') t[k] = v[k];
  return t;
}

const anchored = (pattern: string | undefined, value: string | undefined): boolean => {
  if (pattern === undefined) return true;
  try {
    return new RegExp(`^(?:${pattern})$`).test(value ?? '');
  } catch {
    return pattern === value;
  }
};

function selects(p: Patch, r: Resource): boolean {
  const meta = isRecord(r.data.metadata) ? r.data.metadata : {};
  let t = p.target;
  if (!t && 'smp' in p) {
    // Without a target a strategic-merge patch selects by its own kind and name (and namespace).
    const m = isRecord(p.smp.metadata) ? p.smp.metadata : {};
    t = { kind: String(p.smp.kind ?? ''), name: String(m.name ?? '') };
    if (typeof m.namespace === 'string') t.namespace = m.namespace;
    return (
      r.kind === t.kind && r.name === t.name && (t.namespace === undefined || t.namespace === r.namespace)
    );
  }
  if (!t) return false;
  return (
    (t.kind === undefined || t.kind === r.kind) &&
    (t.group === undefined || t.group === r.group) &&
    (t.version === undefined || t.version === r.version) &&
    anchored(t.name, r.name) &&
    anchored(t.namespace, r.namespace) &&
    matchesSelector(t.labelSelector, stringEntries(meta.labels)) &&
    matchesSelector(t.annotationSelector, stringEntries(meta.annotations))
  );
}

/** A place a patch wrote: the resource path it set, and where that is in the patch. */
type Written = { path: Path; loc: Locator; at: Path; by: string };

/** JSON merge as kustomize does it for custom resources: maps merge, lists and scalars replace, null deletes. */
function mergeInto(
  base: unknown,
  patch: unknown,
  path: Path,
  out: Written[],
  loc: Locator,
  by: string,
): unknown {
  if (!isRecord(patch) || !isRecord(base)) {
    out.push({ path, loc, at: path, by });
    return patch;
  }
  const res: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue;
    if (v === null) delete res[k];
    else res[k] = mergeInto(base[k], v, [...path, k], out, loc, by);
  }
  return res;
}

const pointer = (p: string): Path =>
  p
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));

/** The resource after `t`'s namespace and patches; undefined when a patch deletes it. */
function transform(r: Resource, t: Transform, written: Written[]): Record<string, unknown> | undefined {
  let data: Record<string, unknown> = r.data;
  if (t.namespace && NAMESPACED.has(r.kind)) {
    data = {
      ...data,
      metadata: { ...(isRecord(data.metadata) ? data.metadata : {}), namespace: t.namespace.value },
    };
    written.push({ path: ['metadata', 'namespace'], loc: t.namespace.loc, at: ['namespace'], by: t.file });
  }
  const current = { ...r, data } as Resource;
  for (const p of t.patches) {
    if (!selects(p, current)) continue;
    if ('smp' in p) {
      if (p.smp.$patch === 'delete') return undefined;
      const { apiVersion: _a, kind: _k, metadata, ...rest } = p.smp;
      const meta = isRecord(metadata) ? { ...metadata } : {};
      delete meta.name;
      delete meta.namespace;
      data = mergeInto(
        data,
        { ...rest, ...(Object.keys(meta).length ? { metadata: meta } : {}) },
        [],
        written,
        p.loc,
        t.file,
      ) as Record<string, unknown>;
    } else {
      try {
        data = jsonpatch.applyPatch(jsonpatch.deepClone(data), p.ops, true, false).newDocument;
      } catch {
        continue; // kustomize fails the build on a patch that does not apply; the base stands
      }
      p.ops.forEach((op, i) => {
        if ((op.op === 'add' || op.op === 'replace') && typeof op.path === 'string') {
          let path = pointer(op.path);
          if (path[path.length - 1] === '-') {
            const list = valueAtPath(data, path.slice(0, -1));
            path = [...path.slice(0, -1), Array.isArray(list) ? list.length - 1 : 0];
          }
          written.push({ path, loc: p.loc, at: [i, 'value'], by: t.file });
        }
      });
    }
    current.data = data;
  }
  return data;
}

function valueAtPath(data: unknown, path: Path): unknown {
  let v = data;
  for (const seg of path)
    v = isRecord(v) || Array.isArray(v) ? (v as Record<string, unknown>)[seg as string] : undefined;
  return v;
}

const startsWith = (path: Path, prefix: Path) =>
  prefix.length <= path.length && prefix.every((s, i) => s === path[i]);

/**
 * The resources after the transforms of the kustomizations that build them (deeper first: a
 * base's patches before its overlay's). `scopes` (layout scopes, when known) decide which
 * kustomizations apply where: a base shared by two overlays becomes one copy per overlay, each
 * valid only in the scopes that build through it (`onlyIn`). Without such scopes only a single
 * chain of kustomizations is applied; sibling overlays would need to say which is which.
 */
export function applyTransforms(
  resources: readonly Resource[],
  tree: Tree,
  transforms: readonly Transform[],
  scopes: readonly { name: string; files: ReadonlySet<string> }[] | undefined,
  sink: { onlyIn?: Map<Resource, ReadonlySet<string>>; provenance?: Map<string, Related[]> },
): Resource[] {
  if (transforms.length === 0) return [...resources];
  const memo = new Map<string, Set<string>>();
  const reaches = new Map(transforms.map((t) => [t, reach(tree, t.dir, memo)]));
  const out: Resource[] = [];
  for (const r of resources) {
    const mine = transforms
      .filter((t) => reaches.get(t)!.has(r.file))
      .sort((a, b) => b.dir.length - a.dir.length);
    if (mine.length === 0) {
      out.push(r);
      continue;
    }
    // Which transforms apply, per scope holding the file.
    const chains = new Map<string, { list: Transform[]; scopes: Set<string> }>();
    const holders = scopes?.filter((s) => s.files.has(r.file)) ?? [];
    if (holders.length > 0) {
      for (const s of holders) {
        const list = mine.filter((t) => s.files.has(t.file));
        const key = list.map((t) => t.file).join('\u0000');
        const c = chains.get(key) ?? { list, scopes: new Set() };
        c.scopes.add(s.name);
        chains.set(key, c);
      }
    } else {
      const chain = mine.every((t, i) => i === 0 || reaches.get(t)!.has(mine[i - 1]!.file));
      chains.set('', { list: chain ? mine : [], scopes: new Set() });
    }
    // A chain that changes nothing keeps the resource itself: one object, in all its scopes.
    const results = new Map<Resource, Set<string>>();
    for (const { list, scopes: where } of chains.values()) {
      const res = list.length ? patched(r, list, sink) : r;
      if (res === undefined) continue;
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
  return out;
}

function patched(
  r: Resource,
  list: readonly Transform[],
  sink: { provenance?: Map<string, Related[]> },
): Resource | undefined {
  let current = r;
  const written: Written[] = [];
  for (const t of list) {
    const data = transform(current, t, written);
    if (data === undefined) return undefined;
    current = { ...current, data };
  }
  if (written.length === 0) return r;
  const data = current.data;
  const place = (path: Path) => {
    let best: Written | undefined;
    for (const w of written)
      if (startsWith(path, w.path) && (!best || w.path.length >= best.path.length)) best = w;
    return best;
  };
  const doc = new MappedLocator(
    r.file,
    (path) => {
      const w = place(path);
      return w ? { loc: w.loc, path: [...w.at, ...path.slice(w.path.length)] } : { loc: r.doc, path };
    },
    () => data,
  );
  // The base's line, for a finding at the value the patch set.
  for (const w of written) {
    if (!r.doc.has(w.path)) continue;
    const at = w.loc.span(w.at);
    const key = `${at.file}:${at.line}:${at.column}`;
    const base: Related = {
      ...r.doc.span(w.path),
      message: `the base value in ${r.file}, changed by ${w.by}`,
    };
    sink.provenance?.set(key, [...(sink.provenance.get(key) ?? []), base]);
  }
  const meta = isRecord(data.metadata) ? data.metadata : {};
  const res: Resource = { ...r, data, doc, annotations: stringEntries(meta.annotations) };
  if (typeof meta.namespace === 'string') res.namespace = meta.namespace;
  return res;
}
