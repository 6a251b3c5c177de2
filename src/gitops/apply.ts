// Substitution applied per cluster: which Kustomization's variables a file gets, the resulting
// copies of a resource, and where each substituted value came from (for a finding's `related`).
import type { Related, ResourceRef, Span } from '../findings.ts';
import { isRecord } from '../manifests/load.ts';
import { type Resource, refKey } from '../manifests/resource.ts';
import { isChartMade } from './charts.ts';
import type { Cluster, FluxLayout } from './clusters.ts';
import { type ConfigMapVars, type FluxKustomization, varsOf } from './flux.ts';
import { substitutedLocator } from './locator.ts';
import { applyPatch, type PostBuild, targets } from './patches.ts';
import { type Substitution, substitute, type Vars } from './substitute.ts';

/** What substitution adds to the GitOps view. */
export type Sink = {
  /** Set when the scopes are per cluster (so per-cluster copies can be told apart). */
  scopes?: unknown;
  provenance?: Map<string, Related[]>;
  onlyIn?: Map<Resource, ReadonlySet<string>>;
};

export const spanKey = (s: Pick<Span, 'file' | 'line' | 'column'>): string =>
  `${s.file}:${s.line}:${s.column}`;

/**
 * Key of a provenance entry that holds for one resource only: one kustomization line (a
 * namePrefix, a patch with a wide target) changes many resources, each from its own base line.
 */
export const resourceSpanKey = (ref: ResourceRef, s: Pick<Span, 'file' | 'line' | 'column'>): string =>
  `${refKey(ref)}\u0000${spanKey(s)}`;

/**
 * The `related` entries a finding at `span` should carry because its value was substituted or
 * set by kustomize. With the finding's scope, a file shared by clusters names only that cluster's
 * source; with its resource, a line that changed many resources names this one's base.
 */
export const provenanceAt = (
  view: Pick<Sink, 'provenance'>,
  span: Pick<Span, 'file' | 'line' | 'column'>,
  scope?: string,
  resource?: ResourceRef,
): Related[] | undefined => {
  const own = resource ? view.provenance?.get(resourceSpanKey(resource, span)) : undefined;
  const shared =
    (scope !== undefined ? view.provenance?.get(`${scope}\u0000${spanKey(span)}`) : undefined) ??
    view.provenance?.get(spanKey(span));
  return own && shared ? [...own, ...shared] : (own ?? shared);
};

/** For a file: the Kustomization that applies it and its variables, per cluster it is in. */
export type Contexts = (file: string) => { cluster: Cluster; vars: Vars; by: FluxKustomization }[];

export function substitutionContexts(layout: FluxLayout, configMaps: readonly ConfigMapVars[]): Contexts {
  const varsByK = new Map<FluxKustomization, Vars>();
  for (const c of layout.clusters) {
    const own = configMaps.filter((cm) => c.files.has(cm.file));
    for (const k of c.kustomizations) varsByK.set(k, varsOf(effectivePostBuild(k, layout), own));
  }
  return (file) => {
    const out: ReturnType<Contexts> = [];
    for (const c of layout.clusters) {
      // The deepest Kustomization path containing the file is the one that applies it.
      let best: FluxKustomization | undefined;
      for (const k of c.kustomizations) {
        if (!layout.applies.get(k)?.has(file)) continue;
        if (!best || (k.dir ?? '').length > (best.dir ?? '').length) best = k;
      }
      if (best) out.push({ cluster: c, vars: varsByK.get(best) ?? new Map(), by: best });
    }
    return out;
  };
}

/**
 * A Kustomization's postBuild after the patches of the Kustomizations that apply its file, the
 * shallower parent first (Flux applies the parent's build, patches included, to create the child).
 */
export function effectivePostBuild(
  k: FluxKustomization,
  layout: Pick<FluxLayout, 'applies'>,
): PostBuild & { namespace: string | undefined } {
  let pb: PostBuild = { substitute: k.substitute, substituteFrom: k.substituteFrom };
  const parents = [...layout.applies.entries()]
    // A FluxInstance is no Kustomization: a parent's patches of Kustomizations do not reach it.
    .filter(([p, files]) => p !== k && !k.instance && p.patches.length > 0 && files.has(k.file))
    .map(([p]) => p)
    .sort((a, b) => (a.dir ?? '').length - (b.dir ?? '').length);
  for (const p of parents)
    for (const patch of p.patches) if (targets(patch.target, k)) pb = applyPatch(pb, patch);
  return { ...pb, namespace: k.namespace };
}

// Namespaced watched kinds: what a Flux targetNamespace moves. Calico's kinds are cluster-scoped
// (Kubernetes ignores a namespace on them), and so is the operator's Installation.
const NAMESPACED = new Set(['ServiceGroup', 'LBNodeAgent', 'Service']);

/**
 * The resource as each cluster applying it sees it: `${VAR}` substituted, and moved to the
 * applying Kustomization's targetNamespace. One copy when every cluster sees the same.
 */
export function substitutedCopies(r: Resource, contexts: Contexts, view: Sink): Resource[] {
  const substitutes =
    hasPlaceholder(r.data) && r.annotations['kustomize.toolkit.fluxcd.io/substitute'] !== 'disabled';
  // Chart-made resources stay in their release namespace as read: the HelmRelease's own would
  // move too, but a chart's ServiceGroup is in PureLB's namespace whatever it is called, and
  // moving it would only feed sg-namespace a false warning (see docs/gitops.md).
  const movable = NAMESPACED.has(r.kind) && !isChartMade(r);
  if (!substitutes && !movable) return [r];
  const applied = contexts(r.file);
  if (!substitutes && !applied.some((c) => c.by.targetNamespace && c.by.targetNamespace !== r.namespace))
    return [r];
  type Copy = { res: Resource; subs: readonly Substitution[]; scopes: Set<string> };
  const seen = new Map<string, Copy>();
  // A copy already valid in some clusters only (a kustomize overlay patched it) stays in those.
  const allowed = view.onlyIn?.get(r);
  for (const { cluster, vars, by } of applied) {
    if (allowed && !allowed.has(cluster.name)) continue;
    const out = substitutes
      ? substitute(r.data, vars)
      : { value: r.data as unknown, subs: [] as Substitution[], changed: false };
    const ns = movable ? by.targetNamespace : undefined;
    if (ns !== undefined && ns !== r.namespace) {
      const data = out.value as Record<string, unknown>;
      out.value = { ...data, metadata: { ...(isRecord(data.metadata) ? data.metadata : {}), namespace: ns } };
      out.changed = true;
      out.subs = [
        ...out.subs,
        {
          path: ['metadata', 'namespace'],
          name: 'targetNamespace',
          source: {
            ...by.doc.span(['spec', 'targetNamespace']),
            message: `namespace ${ns}: spec.targetNamespace of Flux Kustomization ${by.name}`,
            value: ns,
          },
        },
      ];
    }
    const { value, subs, changed } = out;
    const key = changed ? JSON.stringify(value) : '';
    let entry = seen.get(key);
    if (!entry) {
      const data = value as Record<string, unknown>;
      const res: Resource = changed ? withData(r, data) : r;
      entry = { res, subs, scopes: new Set() };
      seen.set(key, entry);
    }
    entry.scopes.add(cluster.name);
  }
  const copies = [...seen.values()];
  if (copies.length === 0) return [r];
  // Per-cluster copies need per-cluster scopes; scopes from config cannot say which copy is whose,
  // so the value stays unresolved there rather than checked with the wrong cluster's variables.
  if (copies.length > 1 && !view.scopes) return [r];
  for (const c of copies) {
    recordProvenance(c, view);
    if (copies.length > 1 || allowed) view.onlyIn?.set(c.res, c.scopes);
  }
  return copies.map((c) => c.res);
}

/** The resource with substituted data; name, namespace and annotations are read from it again. */
function withData(r: Resource, data: Record<string, unknown>): Resource {
  const meta = isRecord(data.metadata) ? data.metadata : {};
  const annotations: Record<string, string> = {};
  if (isRecord(meta.annotations)) {
    for (const [k, v] of Object.entries(meta.annotations)) {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
        annotations[k] = String(v);
    }
  }
  const copy: Resource = {
    ...r,
    data,
    doc: substitutedLocator(r.doc, () => data),
    annotations,
    name: typeof meta.name === 'string' ? meta.name : r.name,
  };
  if (typeof meta.namespace === 'string') copy.namespace = meta.namespace;
  return copy;
}

const hasPlaceholder = (v: unknown): boolean => JSON.stringify(v).includes('${');

/** Provenance is kept per cluster too, so a shared file's finding names its own cluster's ConfigMap. */
function recordProvenance(
  c: { res: Resource; subs: readonly Substitution[]; scopes: Set<string> },
  view: Sink,
): void {
  const add = (key: string, related: Related) => {
    const list = view.provenance?.get(key) ?? [];
    if (!list.some((x) => x.message === related.message && x.file === related.file)) list.push(related);
    view.provenance?.set(key, list);
  };
  for (const s of c.subs) {
    if (s.source === 'default') continue;
    const key = spanKey(c.res.doc.span(s.path));
    const { value: _v, ...related } = s.source;
    add(key, related);
    for (const scope of c.scopes) add(`${scope}\u0000${key}`, related);
  }
}
