// Substitution applied per cluster: which Kustomization's variables a file gets, the resulting
// copies of a resource, and where each substituted value came from (for a finding's `related`).
import type { Related, Span } from '../findings.ts';
import { isRecord } from '../manifests/load.ts';
import type { Resource } from '../manifests/resource.ts';
import type { Cluster, FluxLayout } from './clusters.ts';
import { type ConfigMapVars, type FluxKustomization, varsOf } from './flux.ts';
import { substitutedLocator } from './locator.ts';
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
 * The `related` entries a finding at `span` should carry because its value was substituted. With
 * the finding's scope, a file shared by clusters names only that cluster's source.
 */
export const provenanceAt = (
  view: Pick<Sink, 'provenance'>,
  span: Pick<Span, 'file' | 'line' | 'column'>,
  scope?: string,
): Related[] | undefined =>
  (scope !== undefined ? view.provenance?.get(`${scope}\u0000${spanKey(span)}`) : undefined) ??
  view.provenance?.get(spanKey(span));

/** For a file: the variables of the Kustomization that applies it, per cluster it is in. */
export type Contexts = (file: string) => { cluster: Cluster; vars: Vars }[];

export function substitutionContexts(layout: FluxLayout, configMaps: readonly ConfigMapVars[]): Contexts {
  const varsByK = new Map<FluxKustomization, Vars>();
  for (const c of layout.clusters) {
    const own = configMaps.filter((cm) => c.files.has(cm.file));
    for (const k of c.kustomizations) varsByK.set(k, varsOf(k, own));
  }
  return (file) => {
    const out: { cluster: Cluster; vars: Vars }[] = [];
    for (const c of layout.clusters) {
      // The deepest Kustomization path containing the file is the one that applies it.
      let best: FluxKustomization | undefined;
      for (const k of c.kustomizations) {
        if (!layout.applies.get(k)?.has(file)) continue;
        if (!best || (k.dir ?? '').length > (best.dir ?? '').length) best = k;
      }
      if (best) out.push({ cluster: c, vars: varsByK.get(best) ?? new Map() });
    }
    return out;
  };
}

/** The resource as each cluster applying it sees it; one copy when every cluster sees the same. */
export function substitutedCopies(r: Resource, contexts: Contexts, view: Sink): Resource[] {
  if (!hasPlaceholder(r.data) || r.annotations['kustomize.toolkit.fluxcd.io/substitute'] === 'disabled')
    return [r];
  type Copy = { res: Resource; subs: readonly Substitution[]; scopes: Set<string> };
  const seen = new Map<string, Copy>();
  for (const { cluster, vars } of contexts(r.file)) {
    const { value, subs, changed } = substitute(r.data, vars);
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
    if (copies.length > 1) view.onlyIn?.set(c.res, c.scopes);
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
