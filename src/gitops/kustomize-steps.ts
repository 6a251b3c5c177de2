// One step of a kustomization applied to one resource (kustomize-patches.ts runs them in build
// order): a patch (strategic merge or JSON 6902), the namespace, the name prefix/suffix, or a
// replacement. Each says what it wrote, so the caller can point the new values at their lines.
import jsonpatch, { type Operation } from 'fast-json-patch';
import type { Locator, Path } from '../manifests/document.ts';
import { isRecord } from '../manifests/load.ts';
import type { Resource } from '../manifests/resource.ts';
import { type Move, strategicMerge, type Write } from './kustomize-merge.ts';
import { type Replacement, replaceTarget, type Source } from './kustomize-replacements.ts';
import { type Ids, matchesTarget } from './kustomize-select.ts';
import type { Patch, Step } from './kustomize-transforms.ts';
import type { Target } from './patches.ts';

const NAMESPACED = new Set(['ServiceGroup', 'LBNodeAgent', 'Service']);

/** What one step did: the new data, what it wrote (in `loc`) and which base subtrees moved. */
export type Done = { data: Record<string, unknown>; writes: Write[]; moves: Move[]; loc: Locator };

export function apply(
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
