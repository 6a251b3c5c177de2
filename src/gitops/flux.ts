// Flux objects lbguard reads: Kustomizations (what a cluster applies, with which variables) and
// the ConfigMaps their `postBuild.substituteFrom` names. Secrets are never read.
import { z } from 'zod';
import type { Span } from '../findings.ts';
import type { SourceDoc } from '../manifests/document.ts';
import { stringEntries } from '../manifests/load.ts';
import { normalizeDir } from './kustomize.ts';
import {
  type PostBuild,
  type PostBuildPatch,
  readPostBuildPatches,
  readSubstitute,
  readSubstituteFrom,
  type SubstituteRef,
} from './patches.ts';
import type { VarSource } from './substitute.ts';

export type Other = { doc: SourceDoc; data: Record<string, unknown> };

/** The API group of an apiVersion (`helm.toolkit.fluxcd.io/v2` -> `helm.toolkit.fluxcd.io`), '' for core. */
export const group = (apiVersion: unknown): string =>
  typeof apiVersion === 'string' && apiVersion.includes('/')
    ? apiVersion.slice(0, apiVersion.lastIndexOf('/'))
    : '';

export const isFluxKustomization = (d: Record<string, unknown>): boolean =>
  d.kind === 'Kustomization' && group(d.apiVersion) === 'kustomize.toolkit.fluxcd.io';
export const isKustomizeConfig = (d: Record<string, unknown>): boolean =>
  (d.kind === undefined || d.kind === 'Kustomization' || d.kind === 'Component') &&
  (d.apiVersion === undefined || group(d.apiVersion) === 'kustomize.config.k8s.io');
export const isHelmRelease = (d: Record<string, unknown>): boolean =>
  d.kind === 'HelmRelease' && group(d.apiVersion) === 'helm.toolkit.fluxcd.io';
export const isArgoApplication = (d: Record<string, unknown>): boolean =>
  d.kind === 'Application' && group(d.apiVersion) === 'argoproj.io';
/** k3s's Helm controller (helm.cattle.io/v1): HelmChart, and HelmChartConfig values over it. */
export const isK3sHelmChart = (d: Record<string, unknown>): boolean =>
  d.kind === 'HelmChart' && group(d.apiVersion) === 'helm.cattle.io';
export const isK3sHelmChartConfig = (d: Record<string, unknown>): boolean =>
  d.kind === 'HelmChartConfig' && group(d.apiVersion) === 'helm.cattle.io';
export const isConfigMap = (d: Record<string, unknown>): boolean =>
  d.kind === 'ConfigMap' && d.apiVersion === 'v1';

const fluxKustomizationSchema = z
  .object({
    metadata: z
      .object({
        name: z.string().optional(),
        namespace: z.string().optional(),
        labels: z.unknown().optional(),
        annotations: z.unknown().optional(),
      })
      .loose()
      .optional(),
    spec: z
      .object({
        path: z.string().optional(),
        sourceRef: z
          .object({
            kind: z.string().optional(),
            name: z.string().optional(),
            namespace: z.string().optional(),
          })
          .loose()
          .optional(),
        targetNamespace: z.string().optional(),
        postBuild: z
          .object({
            substitute: z.record(z.string(), z.unknown()).optional(),
            substituteFrom: z
              .array(
                z
                  .object({
                    kind: z.string().optional(),
                    name: z.string().optional(),
                    optional: z.boolean().optional(),
                  })
                  .loose(),
              )
              .optional(),
          })
          .loose()
          .optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

export type { SubstituteRef } from './patches.ts';

export type FluxKustomization = {
  doc: SourceDoc;
  file: string;
  name: string;
  namespace: string | undefined;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /**
   * spec.path as a repository directory ('' for the root); undefined when it applies nothing from
   * this tree: no `path`, a path leaving the repository, or a source that is not this repository
   * (`fluxLayout` decides which sources are, and clears `dir` for the others).
   */
  dir: string | undefined;
  /** spec.path as written (inside its source, which need not be this tree). */
  path: string | undefined;
  /**
   * spec.sourceRef; undefined when the Kustomization names none (read as this repository). Its
   * `namespace` defaults to the Kustomization's own.
   */
  source: { kind: string; name: string; namespace?: string } | undefined;
  /** spec.targetNamespace: the namespace of every namespaced resource it applies. */
  targetNamespace: string | undefined;
  /** postBuild.substitute, already as variable sources. */
  substitute: Map<string, VarSource>;
  substituteFrom: SubstituteRef[];
  /** spec.patches that set postBuild on the Kustomizations this one applies. */
  patches: PostBuildPatch[];
  /**
   * Set when this is the Kustomization a flux-operator FluxInstance's `spec.sync` makes
   * (operator.ts): a cluster entry point whatever applies its file; `url` is its source's address.
   */
  instance?: { name: string; url: string | undefined; at: Span };
};

export function readFluxKustomization(o: Other): FluxKustomization | undefined {
  const parsed = fluxKustomizationSchema.safeParse(o.data);
  if (!parsed.success) return undefined;
  const d = parsed.data;
  const name = d.metadata?.name ?? '';
  const owner = `Flux Kustomization ${name}`;
  return {
    doc: o.doc,
    file: o.doc.file,
    name,
    namespace: d.metadata?.namespace,
    labels: stringEntries(d.metadata?.labels),
    annotations: stringEntries(d.metadata?.annotations),
    // Read as this repository's path until the layout decides whose source it is (clusters.ts).
    dir: d.spec?.path !== undefined ? normalizeDir(d.spec.path) : undefined,
    path: d.spec?.path,
    source: d.spec?.sourceRef
      ? {
          kind: d.spec.sourceRef.kind ?? 'GitRepository',
          name: d.spec.sourceRef.name ?? '',
          ...(d.spec.sourceRef.namespace !== undefined ? { namespace: d.spec.sourceRef.namespace } : {}),
        }
      : undefined,
    targetNamespace: d.spec?.targetNamespace,
    substitute: readSubstitute(
      d.spec?.postBuild?.substitute,
      o.doc,
      ['spec', 'postBuild', 'substitute'],
      owner,
    ),
    substituteFrom: readSubstituteFrom(d.spec?.postBuild?.substituteFrom),
    patches: readPostBuildPatches(o.doc, d.spec, name),
  };
}

export type ConfigMapVars = {
  name: string;
  namespace: string | undefined;
  file: string;
  vars: Map<string, VarSource>;
  /** Data keys a configMapGenerator made from a whole file (`files:`), by key: that file's path. */
  files?: ReadonlyMap<string, string>;
};

/** A ConfigMap's `data` entries as variable sources pointing at each key's value. */
export function readConfigMap(o: Other): ConfigMapVars | undefined {
  const meta = o.data.metadata;
  if (typeof meta !== 'object' || meta === null) return undefined;
  const { name, namespace } = meta as Record<string, unknown>;
  if (typeof name !== 'string') return undefined;
  const vars = new Map<string, VarSource>();
  const data = o.data.data;
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
    for (const [key, v] of Object.entries(data)) {
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') continue;
      const value = String(v);
      vars.set(key, {
        ...o.doc.span(['data', key]),
        message: `\${${key}} = "${value}" from ConfigMap ${name}`,
        value,
      });
    }
  }
  return { name, namespace: typeof namespace === 'string' ? namespace : undefined, file: o.doc.file, vars };
}

/**
 * The variables one Kustomization substitutes, from ConfigMaps among `candidates` (the cluster's
 * own). Later substituteFrom entries override earlier ones; postBuild.substitute overrides all.
 */
export function varsOf(
  k: PostBuild & { namespace: string | undefined },
  candidates: readonly ConfigMapVars[],
): Map<string, VarSource> {
  const vars = new Map<string, VarSource>();
  for (const ref of k.substituteFrom) {
    if (ref.kind !== 'ConfigMap') continue; // Secrets (SOPS or not) are never read
    const named = candidates.filter((c) => c.name === ref.name);
    // Flux reads substituteFrom in the Kustomization's own namespace, never another one.
    const cm =
      named.find((c) => c.namespace === k.namespace) ??
      named.find((c) => c.namespace === undefined || k.namespace === undefined);
    if (cm) for (const [key, v] of cm.vars) vars.set(key, v);
  }
  for (const [key, v] of k.substitute) vars.set(key, v);
  return vars;
}
