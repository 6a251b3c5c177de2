// How a GitOps controller sees the repository: chart values that create watched resources,
// Flux `${VAR}` substitution, clusters derived from Flux Kustomizations or kustomize roots.

import type { InputRuleId } from '../checks/input.ts';
import type { Config } from '../config.ts';
import type { Related, Report } from '../findings.ts';
import type { SourceDoc } from '../manifests/document.ts';
import { isRecord, type Loaded, type SourceFile, stringEntries, textReader } from '../manifests/load.ts';
import { type Resource, watchPattern } from '../manifests/resource.ts';
import { DEFAULT_SCOPE, type Scope } from '../manifests/scope.ts';
import { substitutedCopies, substitutionContexts } from './apply.ts';
import { type Artifact, isArtifactGenerator, readArtifacts } from './artifacts.ts';
import {
  applicationUses,
  chartResources,
  helmReleaseUse,
  isWatchedChart,
  k3sHelmChartUse,
} from './charts.ts';
import { autoScopes, fluxLayout } from './clusters.ts';
import { otherResource, readNamedDocuments } from './configmaps.ts';
import {
  type ConfigMapVars,
  type FluxKustomization,
  isArgoApplication,
  isConfigMap,
  isFluxKustomization,
  isHelmRelease,
  isK3sHelmChart,
  isK3sHelmChartConfig,
  isKustomizeConfig,
  type Other,
  readConfigMap,
  readFluxKustomization,
} from './flux.ts';
import { generatedConfigMaps, generatedResource } from './generators.ts';
import {
  hasOverlays,
  isKustomizationFile,
  type KustomizeFile,
  kustomizeRefs,
  makeTree,
  type Tree,
} from './kustomize.ts';
import {
  applyTransforms,
  mayTransform,
  readTransforms,
  type SourceLookup,
  type Transform,
} from './kustomize-patches.ts';
import { readKustomizeRefs } from './kustomize-read.ts';
import {
  chartFluxInstance,
  isFluxInstance,
  isResourceSet,
  readFluxInstance,
  resourceSetNotices,
} from './operator.ts';
import {
  fluxSources,
  remoteApplicationNotices,
  remoteBaseNotices,
  remoteKustomizationNotices,
} from './remote.ts';
import { parseValuesFile, type ValuesLookup } from './values.ts';

/**
 * Words that make a document worth parsing for this module: HelmReleases and Argo CD Applications,
 * and Flux Kustomizations by their API group, not by the word `Kustomization`, which every
 * kustomization.yaml holds (a Flux repository has one per folder; readKustomizeRefs reads those
 * without the parser). ConfigMaps are not here either: every repository has thousands, and
 * readNamedDocuments reads the few a substituteFrom names.
 */
export const GITOPS_WATCH_WORDS: readonly string[] = [
  'HelmRelease',
  'Application',
  'kustomize.toolkit.fluxcd.io',
  'helm.cattle.io',
  // Flux's ArtifactGenerator: ExternalArtifacts cut from this repository (see artifacts.ts).
  'source.extensions.fluxcd.io',
  // Flux sources: a Kustomization's sourceRef says which one, its url whether it is Flux's own.
  'source.toolkit.fluxcd.io',
  // The flux-operator: FluxInstance (a cluster's entry point), ResourceSet (templates).
  'fluxcd.controlplane.io',
];

export type GitOpsView = {
  /** The watched resources after chart expansion and substitution. */
  resources: Resource[];
  reports: Report<InputRuleId>[];
  /** Scopes derived from the repository's layout, when config asks for (or defaults to) `clusters: auto`. */
  scopes?: Scope[];
  /**
   * Where substituted values came from, keyed by `spanKey` of the value's position: a finding
   * there should carry these as `related` ("${LB_RANGE} = ... from ConfigMap cluster-settings").
   */
  provenance?: Map<string, Related[]>;
  /**
   * Resources that belong to only some scopes: a file shared by two clusters whose Kustomizations
   * substitute different values yields one copy per cluster, each valid in its own scope only.
   */
  onlyIn?: Map<Resource, ReadonlySet<string>>;
};

export { provenanceAt, spanKey } from './apply.ts';

type Kinds = {
  flux: FluxKustomization[];
  hosts: Other[];
  /** k3s HelmChartConfigs: values over the HelmChart of the same name and namespace. */
  chartConfigs: Other[];
  kustomize: KustomizeFile[];
  /** ExternalArtifacts that ArtifactGenerators make. */
  artifacts: Artifact[];
  /** flux-operator ResourceSets: templates lbguard does not expand. */
  resourceSets: Other[];
};

function classify(others: readonly Other[]): Kinds {
  const out: Kinds = {
    flux: [],
    hosts: [],
    chartConfigs: [],
    kustomize: [],
    artifacts: [],
    resourceSets: [],
  };
  for (const o of others) {
    const d = o.data;
    if (isFluxKustomization(d)) {
      const k = readFluxKustomization(o);
      if (k) out.flux.push(k);
    } else if (isFluxInstance(d)) {
      const k = readFluxInstance(o);
      if (k) out.flux.push(k);
    } else if (isResourceSet(d)) out.resourceSets.push(o);
    else if (isArtifactGenerator(d)) out.artifacts.push(...readArtifacts(o));
    else if (isHelmRelease(d) || isArgoApplication(d) || isK3sHelmChart(d)) out.hosts.push(o);
    else if (isK3sHelmChartConfig(d)) out.chartConfigs.push(o);
    else if (isKustomizationFile(o.doc.file) && isKustomizeConfig(d)) {
      const file = o.doc.file;
      const slash = file.lastIndexOf('/');
      out.kustomize.push({ file, dir: slash < 0 ? '' : file.slice(0, slash), ...kustomizeRefs(d) });
    }
  }
  return out;
}

/**
 * `files` (every selected file; the engine always passes them) is optional for tests: with it,
 * scopes list every file of a cluster, kustomization.yaml files are read (the loader parses none
 * that name no watched word), and the ConfigMaps a substituteFrom names are read straight from the
 * files that mention them, so ConfigMaps need not be a watch word (a repository can hold hundreds,
 * dashboards among them).
 */
export function prepareGitOps(loaded: Loaded, config: Config, files?: readonly SourceFile[]): GitOpsView {
  const kinds = classify(loaded.others);
  const auto = config.clusters === 'auto';
  const autoByDefault = config.clusters === undefined;
  if (files) kinds.kustomize.push(...unparsedKustomizations(files, kinds));
  const read = files ? textReader(files) : () => undefined;
  // Remote kustomize bases and unexpanded ResourceSets are gaps whatever else the repository holds.
  const remoteBases = [
    ...remoteBaseNotices(kinds.kustomize, read),
    ...resourceSetNotices(kinds.resourceSets, watchPattern()),
  ];
  // kustomize patches and namespaces change watched resources whatever the scopes are.
  const transformable = kinds.kustomize.some((k) => mayTransform(read(k.file)));
  // Nothing GitOps-shaped: no work at all. Plain kustomize matters only for scopes: under
  // `clusters: auto`, or by default when some overlay builds on a base.
  if (!kinds.flux.length && !kinds.hosts.length && !transformable) {
    if (!(auto || autoByDefault) || !kinds.kustomize.length) return plain(loaded, remoteBases);
    if (!auto && !hasOverlays(makeTree([], kinds.kustomize))) return plain(loaded, remoteBases);
  }
  const tree = treeOf(loaded, files, kinds.kustomize);
  const lookup = valuesLookup(loaded, kinds.hosts, config, files);
  // A FluxInstance made by the flux-instance chart is an entry point like a written one.
  kinds.flux.push(...kinds.hosts.flatMap((o) => chartFluxInstance(o, lookup) ?? []));
  const layout = kinds.flux.length ? fluxLayout(tree, kinds.flux, kinds.artifacts) : undefined;
  const view: GitOpsView = {
    resources: [],
    reports: [...(layout?.reports ?? [])],
    provenance: new Map(),
    onlyIn: new Map(),
  };
  // Sources outside this repository: one notice each (remote.ts).
  view.reports.push(
    ...remoteBases,
    ...(layout ? remoteKustomizationNotices(layout, fluxSources(loaded.others)) : []),
    ...remoteApplicationNotices(kinds.hosts, tree),
  );

  if (auto || (autoByDefault && (kinds.flux.length > 0 || hasOverlays(tree))))
    view.scopes = autoScopes(tree, layout);
  const written = [
    ...loaded.resources,
    ...kinds.hosts.flatMap((o) => expandCharts(o, view.reports, lookup, kinds.chartConfigs)),
  ];
  // kustomize build first (helmCharts, patches, namespace), then Flux's postBuild substitution.
  const transforms = transformable ? readTransforms(tree, read, lookup) : [];
  for (const t of transforms) {
    for (const u of t.charts) {
      view.reports.push(...(u.gaps ?? []));
      written.push(...chartResources(u));
    }
  }
  // A strategic-merge patch file holds a partial resource: kustomize reads it as a patch only.
  const reads = new Set(transforms.flatMap((t) => t.reads));
  const built = reads.size ? written.filter((r) => !reads.has(r.file)) : written;
  if (view.scopes && reads.size) view.scopes = withReadFiles(view.scopes, transforms);
  const base = transforms.length
    ? applyTransforms(built, tree, transforms, view.scopes, view, files && sourceLookup(files, config))
    : built;
  const contexts = layout
    ? substitutionContexts(layout, configMapsFor(loaded, kinds.flux, config, files))
    : undefined;
  for (const r of base) {
    if (!contexts) {
      view.resources.push(r);
      continue;
    }
    for (const copy of substitutedCopies(r, contexts, view)) view.resources.push(copy);
  }
  return view;
}

/** Patch and replacement files belong to the scopes of the kustomizations reading them, not to `default`. */
function withReadFiles(scopes: Scope[], transforms: readonly Transform[]): Scope[] {
  const placed = new Set<string>();
  for (const t of transforms)
    for (const s of scopes)
      if (s.name !== DEFAULT_SCOPE && s.files.has(t.file))
        for (const f of t.reads) {
          s.files.add(f);
          placed.add(f);
        }
  const rest = scopes.find((s) => s.name === DEFAULT_SCOPE);
  if (rest) for (const f of placed) rest.files.delete(f);
  return rest && rest.files.size === 0 && scopes.length > 1 ? scopes.filter((s) => s !== rest) : scopes;
}

/**
 * Documents a kustomize replacement reads that lbguard does not watch (a ConfigMap, written or from
 * a configMapGenerator), found by a text search for the name as kustomize selects them.
 */
function sourceLookup(files: readonly SourceFile[], config: Config): SourceLookup {
  const memo = new Map<string, Resource[]>();
  return (kind, name) => {
    // Secrets stay unread (a replacement from one is a gap notice).
    if (name === undefined || kind === 'Secret') return [];
    const key = `${kind ?? ''}\u0000${name}`;
    let found = memo.get(key);
    if (!found) {
      const written = kind ? readNamedDocuments(files, kind, [name], config.limits.maxFileBytes) : [];
      found = written.map(otherResource).filter((r) => r !== undefined);
      if (kind === undefined || kind === 'ConfigMap')
        found.push(...generatedConfigMaps(files, new Set([name]), false).map(generatedResource));
      memo.set(key, found);
    }
    return found;
  };
}

/** kustomization.yaml files the loader did not parse (most of them: they hold no watched word). */
function unparsedKustomizations(files: readonly SourceFile[], kinds: Kinds): KustomizeFile[] {
  const known = new Set(kinds.kustomize.map((k) => k.file));
  const out: KustomizeFile[] = [];
  for (const f of files) {
    if (!isKustomizationFile(f.path) || known.has(f.path)) continue;
    const refs = readKustomizeRefs(
      Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength).toString('utf8'),
    );
    if (refs === undefined) continue;
    const slash = f.path.lastIndexOf('/');
    out.push({ file: f.path, dir: slash < 0 ? '' : f.path.slice(0, slash), ...refs });
  }
  return out;
}

const plain = (loaded: Loaded, reports: Report<InputRuleId>[] = []): GitOpsView => ({
  resources: loaded.resources,
  reports,
});

function treeOf(loaded: Loaded, files: readonly SourceFile[] | undefined, kustomize: KustomizeFile[]): Tree {
  const paths: string[] = files?.map((f) => f.path) ?? [];
  for (const r of loaded.resources) paths.push(r.file);
  for (const o of loaded.others) paths.push(o.doc.file);
  for (const r of loaded.reports) paths.push(r.file);
  return makeTree(paths, kustomize);
}

/**
 * What chart hosts read besides themselves: the ConfigMaps their `valuesFrom` names (found by a
 * text search, like substituteFrom's), and values files by path, parsed once each.
 */
function valuesLookup(
  loaded: Loaded,
  hosts: readonly Other[],
  config: Config,
  files: readonly SourceFile[] | undefined,
): ValuesLookup {
  const names = new Set<string>();
  const charts = new Set<string>();
  for (const h of hosts) {
    const spec = isRecord(h.data.spec) ? h.data.spec : {};
    if (Array.isArray(spec.valuesFrom))
      for (const r of spec.valuesFrom)
        if (isRecord(r) && typeof r.name === 'string' && r.kind !== 'Secret') names.add(r.name);
    const ref = spec.chartRef;
    if (isRecord(ref) && ref.kind === 'OCIRepository' && typeof ref.name === 'string') charts.add(ref.name);
  }
  const ociRepositories = files
    ? readNamedDocuments(files, 'OCIRepository', [...charts], config.limits.maxFileBytes)
    : loaded.others.filter((o) => o.data.kind === 'OCIRepository');
  const maps =
    names.size === 0
      ? []
      : files
        ? readNamedDocuments(files, 'ConfigMap', [...names], config.limits.maxFileBytes)
        : loaded.others.filter((o) => isConfigMap(o.data));
  const read = files ? textReader(files) : () => undefined;
  const parsed = new Map<string, SourceDoc | undefined>();
  const yamlFile = (path: string) => {
    if (!parsed.has(path)) {
      const text = read(path);
      parsed.set(path, text === undefined ? undefined : parseValuesFile(path, text));
    }
    return parsed.get(path);
  };
  // `configMapGenerator: [{name: purelb-values, files: [values.yaml]}]` beside the HelmRelease.
  const generated = names.size && files ? generatedConfigMaps(files, names) : [];
  return {
    configMap: (name, namespace) => byName(maps, name, namespace),
    ociRepository: (name, namespace) => byName(ociRepositories, name, namespace),
    generated: (name, namespace, key) => {
      const named = generated.filter((g) => g.name === name && g.files?.has(key));
      const g =
        named.find((c) => c.namespace === namespace) ??
        named.find((c) => c.namespace === undefined || namespace === undefined);
      return g ? yamlFile(g.files!.get(key)!) : undefined;
    },
    yamlFile,
  };
}

/** The document of `name`, in `namespace` when one is there, else one without a namespace or any. */
function byName(list: readonly Other[], name: string, namespace: string | undefined): Other | undefined {
  const named = list.filter((o) => isRecord(o.data.metadata) && o.data.metadata.name === name);
  const ns = (o: Other) => (isRecord(o.data.metadata) ? o.data.metadata.namespace : undefined);
  return (
    named.find((o) => ns(o) === namespace) ??
    named.find((o) => ns(o) === undefined || namespace === undefined)
  );
}

function expandCharts(
  o: Other,
  reports: Report<InputRuleId>[],
  lookup: ValuesLookup,
  configs: readonly Other[],
): Resource[] {
  const annotations = stringEntries(isRecord(o.data.metadata) ? o.data.metadata.annotations : undefined);
  const uses = isHelmRelease(o.data)
    ? [helmReleaseUse(o.doc, o.doc, o.data, annotations, lookup)].filter((u) => u !== undefined)
    : isK3sHelmChart(o.data)
      ? [k3sHelmChartUse(o.doc, o.data, annotations, configs)].filter((u) => u !== undefined)
      : applicationUses(o.doc, o.doc, o.data, annotations, lookup);
  for (const u of uses) {
    if (!isWatchedChart(u.chart)) continue;
    if (u.valuesError) reports.push(u.valuesError);
    reports.push(...(u.gaps ?? []));
  }
  // With a values source unread, an empty spec says nothing about the cluster: the gap notice does.
  return uses.flatMap((u) =>
    chartResources(u).filter(
      (r) => !u.gaps?.length || (isRecord(r.data.spec) && Object.keys(r.data.spec).length > 0),
    ),
  );
}

/** Only the ConfigMaps some substituteFrom names are read (a repository has many ConfigMaps). */
function configMapsFor(
  loaded: Loaded,
  flux: readonly FluxKustomization[],
  config: Config,
  files: readonly SourceFile[] | undefined,
): ConfigMapVars[] {
  const wanted = new Set(
    flux.flatMap((k) =>
      [
        ...k.substituteFrom,
        ...k.patches.flatMap((p) => [...(p.substituteFrom ?? []), ...(p.appendFrom ?? [])]),
      ]
        .filter((r) => r.kind === 'ConfigMap')
        .map((r) => r.name),
    ),
  );
  if (wanted.size === 0) return [];
  // Generated (configMapGenerator) and written ConfigMaps alike; varsOf takes the first of a name.
  const out: ConfigMapVars[] = files ? generatedConfigMaps(files, wanted) : [];
  let others: readonly Other[] = loaded.others;
  if (files) others = readNamedDocuments(files, 'ConfigMap', [...wanted], config.limits.maxFileBytes);
  for (const o of others) {
    if (!isConfigMap(o.data)) continue;
    const name = isRecord(o.data.metadata) ? o.data.metadata.name : undefined;
    if (typeof name !== 'string' || !wanted.has(name)) continue;
    const cm = readConfigMap(o);
    if (cm) out.push(cm);
  }
  return out;
}
