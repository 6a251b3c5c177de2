// The flux-operator's kinds (fluxcd.controlplane.io): a FluxInstance's `spec.sync` is a cluster's
// entry point, and a ResourceSet makes resources from templates lbguard does not expand.
import { stringify } from 'yaml';
import { z } from 'zod';
import type { InputRuleId } from '../checks/input.ts';
import type { Report, Span } from '../findings.ts';
import type { SourceDoc } from '../manifests/document.ts';
import { isRecord, mayHoldWatched } from '../manifests/load.ts';
import { helmReleaseUse } from './charts.ts';
import { type FluxKustomization, group, isHelmRelease, type Other } from './flux.ts';
import { normalizeDir } from './kustomize.ts';
import type { ValuesLookup } from './values.ts';

export const isFluxInstance = (d: Record<string, unknown>): boolean =>
  d.kind === 'FluxInstance' && group(d.apiVersion) === 'fluxcd.controlplane.io';
export const isResourceSet = (d: Record<string, unknown>): boolean =>
  d.kind === 'ResourceSet' && group(d.apiVersion) === 'fluxcd.controlplane.io';

const syncSchema = z
  .object({
    kind: z.string().optional(),
    name: z.string().optional(),
    url: z.string().optional(),
    path: z.string().optional(),
  })
  .loose();
type Sync = z.infer<typeof syncSchema>;

const fluxInstanceSchema = z
  .object({
    metadata: z.object({ name: z.string().optional(), namespace: z.string().optional() }).loose().optional(),
    spec: z.object({ sync: syncSchema.optional() }).loose().optional(),
  })
  .loose();

/**
 * A FluxInstance's `spec.sync` as the Kustomization the operator makes of it: named after the
 * instance's namespace, its source `sync.name` (else the namespace too), applying `sync.path`. Its
 * file is often applied by hand or by a bootstrap script, never by a parent Kustomization, so it is
 * an entry point whatever applies it. Whether its source is this repository (a GitRepository, or
 * this repository pushed as an OCI artifact, as controlplaneio-fluxcd's d2-fleet does) is the
 * layout's to decide (`thisRepository` in clusters.ts). Without `sync` the instance only installs
 * Flux: nothing to read.
 */
export function readFluxInstance(o: Other): FluxKustomization | undefined {
  const parsed = fluxInstanceSchema.safeParse(o.data);
  const sync = parsed.success ? parsed.data.spec?.sync : undefined;
  if (!sync) return undefined;
  const at = o.doc.span(o.doc.has(['spec', 'sync', 'url']) ? ['spec', 'sync', 'url'] : ['spec', 'sync']);
  const namespace = parsed.data?.metadata?.namespace ?? 'flux-system';
  return syncKustomization(o.doc, sync, namespace, parsed.data?.metadata?.name ?? 'flux', at);
}

/**
 * A HelmRelease of the operator's `flux-instance` chart (cluster-template's layout): its values'
 * `instance.sync`, inline or from `valuesFrom` (a generated ConfigMap included), read as the
 * FluxInstance the chart makes in the release namespace, named `flux` (the chart's fullname).
 */
export function chartFluxInstance(o: Other, lookup: ValuesLookup): FluxKustomization | undefined {
  // Only releases that name the chart are built (every HelmRelease is built again for its charts).
  if (!isHelmRelease(o.data) || !stringify(o.data.spec ?? null).includes('flux-instance')) return undefined;
  const use = helmReleaseUse(o.doc, o.doc, o.data, {}, lookup);
  if (use?.chart !== 'flux-instance' || !isRecord(use.values.instance)) return undefined;
  const parsed = syncSchema.safeParse(use.values.instance.sync);
  if (!parsed.success) return undefined;
  const where = use.at(['instance', 'sync', ...(parsed.data.url !== undefined ? ['url'] : [])]);
  const at = where.loc.span(where.path);
  return syncKustomization(o.doc, parsed.data, use.namespace ?? 'flux-system', 'flux', at);
}

function syncKustomization(
  doc: SourceDoc,
  sync: Sync,
  namespace: string,
  name: string,
  at: Span,
): FluxKustomization {
  const kind = sync.kind ?? 'GitRepository';
  return {
    doc,
    file: doc.file,
    name: namespace,
    namespace,
    labels: {},
    annotations: {},
    // Read as this repository's path until the layout decides whose source it is (clusters.ts).
    dir: sync.path !== undefined ? normalizeDir(sync.path) : undefined,
    path: sync.path,
    // The operator names the source it makes `sync.name`, else after the instance's namespace.
    source: { kind, name: sync.name ?? namespace },
    targetNamespace: undefined,
    substitute: new Map(),
    substituteFrom: [],
    patches: [],
    instance: { name, url: sync.url, at },
  };
}

/**
 * A ResourceSet whose templates could make a watched kind (their text names one, or a purelb or
 * tigera-operator chart): one notice at its resources, as they are not expanded. Its inputs may
 * come from a ResourceSetInputProvider (a Git host's pull requests, an OCI registry), which only
 * feeds a ResourceSet and so gets no notice of its own.
 */
export function resourceSetNotices(sets: readonly Other[], ours: RegExp): Report<InputRuleId>[] {
  const out: Report<InputRuleId>[] = [];
  for (const o of sets) {
    const spec = isRecord(o.data.spec) ? o.data.spec : {};
    const key = spec.resourcesTemplate !== undefined ? 'resourcesTemplate' : 'resources';
    // The objects written back as YAML, so they read as a document's text would.
    const value = spec[key];
    const text = typeof value === 'string' ? value : stringify(value ?? null);
    if (!mayHoldWatched(text, ours)) continue;
    const name = isRecord(o.data.metadata) ? String(o.data.metadata.name ?? '') : '';
    out.push({
      ...o.doc.span(['spec', key], 'key'),
      rule: 'value-unresolved',
      message: `ResourceSet ${name} makes resources from templates (spec.${key}), which lbguard does not expand: what it makes is not read.`,
    });
  }
  return out;
}
