// Chart values that create watched resources: the PureLB chart's ServiceGroup and LBNodeAgent,
// the tigera-operator chart's Installation. Each synthesized resource's positions are the lines
// of the values inside the HelmRelease or Application. Other charts are ignored.
import { posix } from 'node:path';
import type { InputRuleId } from '../checks/input.ts';
import type { Report } from '../findings.ts';
import { type Locator, type Path, SourceDoc } from '../manifests/document.ts';
import { isRecord } from '../manifests/load.ts';
import { type Resource, splitApiVersion } from '../manifests/resource.ts';
import { pureLbVersionOf } from './chart-version.ts';
import { EmbeddedLocator, MappedLocator, type Target } from './locator.ts';
import {
  deepMerge,
  dottedPath,
  helmReleaseValuesFrom,
  type Layer,
  layered,
  NO_LOOKUP,
  setAt,
  typedValue,
  type ValuesLookup,
} from './values.ts';

export { newestAllowed, pureLbVersionOf } from './chart-version.ts';

import { valueAt } from './substitute.ts';

/** One chart installation: its name and version, its values, and where each value is written. */
export type ChartUse = {
  host: SourceDoc;
  hostLoc: Locator;
  annotations: Record<string, string>;
  chart: string;
  version: string | undefined;
  values: Record<string, unknown>;
  /** Where a path below the values is written. */
  at: (path: Path) => Target;
  namespace: string | undefined;
  namespaceAt: Target;
  chartAt: Target;
  /** The values string does not parse (Argo CD `helm.values`): Argo CD cannot render the chart. */
  valuesError?: Report<InputRuleId>;
  /** Values sources that could not be read (a Secret, a file not in the repository). */
  gaps?: Report<InputRuleId>[];
};

export const chartName = (ref: string): string =>
  posix.basename(ref.replace(/\/+$/, '').replace(/^oci:\/\//, ''));

/** Flux HelmRelease (helm.toolkit.fluxcd.io v2beta1, v2beta2, v2). */
export function helmReleaseUse(
  host: SourceDoc,
  hostLoc: Locator,
  data: Record<string, unknown>,
  annotations: Record<string, string>,
  lookup: ValuesLookup = NO_LOOKUP,
): ChartUse | undefined {
  const spec = isRecord(data.spec) ? data.spec : {};
  const meta = isRecord(data.metadata) ? data.metadata : {};
  const own = typeof meta.namespace === 'string' ? meta.namespace : undefined;
  const chartSpec = valueAt(spec, ['chart', 'spec']);
  const chartRef = valueAt(spec, ['chartRef', 'name']);
  let chart: string | undefined;
  let chartAt: Path;
  let version: string | undefined;
  if (isRecord(chartSpec) && typeof chartSpec.chart === 'string') {
    chart = chartName(chartSpec.chart);
    chartAt = ['spec', 'chart', 'spec', 'chart'];
    if (typeof chartSpec.version === 'string') version = chartSpec.version;
  } else if (typeof chartRef === 'string') {
    chartAt = ['spec', 'chartRef', 'name'];
    // The OCIRepository names the chart in its url and the version in its ref; without it in the
    // repository, one named after the chart is the common convention.
    const refNs = valueAt(spec, ['chartRef', 'namespace']);
    const oci =
      valueAt(spec, ['chartRef', 'kind']) === 'OCIRepository'
        ? lookup.ociRepository?.(chartRef, typeof refNs === 'string' ? refNs : own)
        : undefined;
    const url = oci ? valueAt(oci.data, ['spec', 'url']) : undefined;
    chart = chartName(typeof url === 'string' ? url : chartRef);
    const tag = oci
      ? (valueAt(oci.data, ['spec', 'ref', 'tag']) ?? valueAt(oci.data, ['spec', 'ref', 'semver']))
      : undefined;
    if (typeof tag === 'string') version = tag;
  } else return undefined;
  const targetNs = typeof spec.targetNamespace === 'string' ? spec.targetNamespace : undefined;
  const ns = targetNs ?? own;
  // valuesFrom is read in the HelmRelease's own namespace; inline values win over it.
  const from = helmReleaseValuesFrom(host, spec, own, lookup);
  const inline: Layer = {
    values: isRecord(spec.values) ? spec.values : {},
    at: (path) => ({ loc: hostLoc, path: ['spec', 'values', ...path] }),
  };
  const merged = layered([...from.layers, inline], inline.at);
  return {
    host,
    hostLoc,
    annotations,
    chart,
    version,
    values: merged.values,
    at: merged.at,
    ...(from.gaps.length ? { gaps: from.gaps } : {}),
    namespace: ns,
    namespaceAt: { loc: hostLoc, path: targetNs ? ['spec', 'targetNamespace'] : ['metadata', 'namespace'] },
    chartAt: { loc: hostLoc, path: chartAt },
  };
}

/**
 * k3s HelmChart (helm.cattle.io/v1): `spec.chart`, `spec.version`, values from the
 * `spec.valuesContent` string, then a HelmChartConfig of the same name and namespace (its
 * `valuesContent` over the chart's), then `spec.set` (`--set` each). The release goes to
 * `spec.targetNamespace`, else the HelmChart's namespace.
 */
export function k3sHelmChartUse(
  host: SourceDoc,
  data: Record<string, unknown>,
  annotations: Record<string, string>,
  configs: readonly { doc: SourceDoc; data: Record<string, unknown> }[],
): ChartUse | undefined {
  const spec = isRecord(data.spec) ? data.spec : {};
  if (typeof spec.chart !== 'string') return undefined;
  const meta = isRecord(data.metadata) ? data.metadata : {};
  const name = meta.name;
  const own = typeof meta.namespace === 'string' ? meta.namespace : undefined;
  const layers: Layer[] = [];
  const content = (doc: SourceDoc, d: Record<string, unknown>): Layer | undefined => {
    const s = isRecord(d.spec) ? d.spec : {};
    if (typeof s.valuesContent !== 'string') return undefined;
    const inner = new EmbeddedLocator(doc, ['spec', 'valuesContent']);
    return inner.ok && isRecord(inner.data)
      ? { values: inner.data, at: (path) => ({ loc: inner, path }) }
      : undefined;
  };
  const base = content(host, data);
  if (base) layers.push(base);
  for (const c of configs) {
    const m = isRecord(c.data.metadata) ? c.data.metadata : {};
    if (m.name !== name || (m.namespace ?? own) !== own) continue;
    const over = content(c.doc, c.data);
    if (over) layers.push(over);
  }
  if (isRecord(spec.set)) {
    for (const [key, v] of Object.entries(spec.set)) {
      const path = dottedPath(key);
      if (!path || (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')) continue;
      layers.push({
        values: setAt(path, typeof v === 'string' ? typedValue(v) : v),
        at: () => ({ loc: host, path: ['spec', 'set', key] }),
      });
    }
  }
  const targetNs = typeof spec.targetNamespace === 'string' ? spec.targetNamespace : undefined;
  const merged = layered(layers, () => ({ loc: host, path: ['spec', 'valuesContent'] }));
  return {
    host,
    hostLoc: host,
    annotations,
    chart: chartName(spec.chart),
    version: typeof spec.version === 'string' ? spec.version : undefined,
    values: merged.values,
    at: merged.at,
    namespace: targetNs ?? own,
    namespaceAt: { loc: host, path: targetNs ? ['spec', 'targetNamespace'] : ['metadata', 'namespace'] },
    chartAt: { loc: host, path: ['spec', 'chart'] },
  };
}

/**
 * kustomize `helmCharts[i]` in a kustomization.yaml (`kustomize build --enable-helm`): values from
 * `valuesFile` (and `additionalValuesFiles`, relative to the kustomization), then `valuesInline`
 * over them. The release namespace is the entry's `namespace` (kustomize's own `namespace` moves
 * the resources afterwards, like any other).
 */
export function kustomizeHelmChartUse(
  host: SourceDoc,
  index: number,
  entry: Record<string, unknown>,
  dir: string,
  lookup: ValuesLookup,
): ChartUse | undefined {
  if (typeof entry.name !== 'string') return undefined;
  const at: Path = ['helmCharts', index];
  const layers: Layer[] = [];
  const gaps: Report<InputRuleId>[] = [];
  const files = [
    ...(typeof entry.valuesFile === 'string' ? [{ f: entry.valuesFile, key: ['valuesFile'] as Path }] : []),
    ...(Array.isArray(entry.additionalValuesFiles)
      ? entry.additionalValuesFiles.flatMap((f, i) =>
          typeof f === 'string' ? [{ f, key: ['additionalValuesFiles', i] as Path }] : [],
        )
      : []),
  ];
  for (const { f, key } of files) {
    const doc = lookup.yamlFile(posix.normalize(posix.join(dir, f)));
    const values: unknown = doc?.doc.toJS({ maxAliasCount: 100 });
    if (doc && isRecord(values)) layers.push({ values, at: (p) => ({ loc: doc, path: p }) });
    else
      gaps.push({
        ...host.span([...at, ...key]),
        rule: 'value-unresolved',
        message: `Values file ${f} is not read: ${doc ? 'it is not a YAML map' : 'not in this repository'}; the chart's resources are checked without it.`,
        value: `valuesFile:${f}`,
      });
  }
  const inline: Layer = {
    values: isRecord(entry.valuesInline) ? entry.valuesInline : {},
    at: (p) => ({ loc: host, path: [...at, 'valuesInline', ...p] }),
  };
  const merged = layered([...layers, inline], inline.at);
  const ns = typeof entry.namespace === 'string' ? entry.namespace : undefined;
  return {
    host,
    hostLoc: host,
    annotations: {},
    chart: entry.name,
    version: typeof entry.version === 'string' ? entry.version : undefined,
    values: merged.values,
    at: merged.at,
    namespace: ns,
    namespaceAt: { loc: host, path: [...at, ns ? 'namespace' : 'name'] },
    chartAt: { loc: host, path: [...at, 'name'] },
    ...(gaps.length ? { gaps } : {}),
  };
}

/** Argo CD Application: `spec.source` and each of `spec.sources`, values from valuesObject and the values string. */
export function applicationUses(
  host: SourceDoc,
  hostLoc: Locator,
  data: Record<string, unknown>,
  annotations: Record<string, string>,
  lookup: ValuesLookup = NO_LOOKUP,
): ChartUse[] {
  const spec = isRecord(data.spec) ? data.spec : {};
  const sources: { src: Record<string, unknown>; base: Path }[] = [];
  if (isRecord(spec.source)) sources.push({ src: spec.source, base: ['spec', 'source'] });
  if (Array.isArray(spec.sources)) {
    spec.sources.forEach((s, i) => {
      if (isRecord(s)) sources.push({ src: s, base: ['spec', 'sources', i] });
    });
  }
  const ns = valueAt(spec, ['destination', 'namespace']);
  const out: ChartUse[] = [];
  for (const { src, base } of sources) {
    const ref =
      typeof src.chart === 'string' ? src.chart : typeof src.path === 'string' ? src.path : undefined;
    if (!ref) continue;
    const helm = isRecord(src.helm) ? src.helm : {};
    const object = isRecord(helm.valuesObject) ? helm.valuesObject : undefined;
    // The values string is parsed from the manifest as written, so its positions map back into the file.
    const embedded =
      typeof helm.values === 'string' && typeof host.doc.getIn([...base, 'helm', 'values']) === 'string'
        ? new EmbeddedLocator(host, [...base, 'helm', 'values'])
        : undefined;
    const fromString = embedded?.ok && isRecord(embedded.data) ? embedded.data : {};
    const objectPath: Path = [...base, 'helm', 'valuesObject'];
    const error = embedded?.error;
    const extra = argoLayers(host, src, base, lookup);
    // Argo CD's precedence: valueFiles < values < valuesObject < parameters.
    const own: Layer = {
      values: deepMerge(fromString, object ?? {}),
      at: (path) =>
        object && valueAt(object, path) !== undefined
          ? { loc: hostLoc, path: [...objectPath, ...path] }
          : embedded?.ok
            ? { loc: embedded, path }
            : { loc: hostLoc, path: object ? [...objectPath, ...path] : [...base, 'helm'] },
    };
    const merged = layered([...extra.files, own, ...extra.parameters], own.at);
    out.push({
      ...(error
        ? {
            valuesError: {
              ...error,
              rule: 'yaml-syntax',
              message: `YAML does not parse: ${error.message} (the helm.values string of this Application)`,
              value: error.code,
            } satisfies Report<InputRuleId>,
          }
        : {}),
      host,
      hostLoc,
      annotations,
      chart: chartName(ref),
      version: typeof src.targetRevision === 'string' ? src.targetRevision : undefined,
      values: merged.values,
      at: merged.at,
      ...(extra.gaps.length ? { gaps: extra.gaps } : {}),
      namespace: typeof ns === 'string' ? ns : undefined,
      namespaceAt: { loc: hostLoc, path: ['spec', 'destination', 'namespace'] },
      chartAt: { loc: hostLoc, path: [...base, typeof src.chart === 'string' ? 'chart' : 'path'] },
    });
  }
  return out;
}

type ArgoLayers = { files: Layer[]; parameters: Layer[]; gaps: Report<InputRuleId>[] };

/**
 * Argo CD `helm.valueFiles` (relative to the source's `path`, or `$ref/...` into a `ref` source,
 * read as this repository) and `helm.parameters` (`--set` each, typed unless `forceString`). A
 * values file lbguard cannot find is a gap.
 */
function argoLayers(
  host: SourceDoc,
  src: Record<string, unknown>,
  base: Path,
  lookup: ValuesLookup,
): ArgoLayers {
  const helm = isRecord(src.helm) ? src.helm : {};
  const out: ArgoLayers = { files: [], parameters: [], gaps: [] };
  if (Array.isArray(helm.valueFiles)) {
    helm.valueFiles.forEach((f, i) => {
      if (typeof f !== 'string') return;
      const ref = /^\$[^/]+\/(.*)$/.exec(f);
      const dir = typeof src.path === 'string' ? src.path : undefined;
      const path = ref ? ref[1]! : dir !== undefined ? posix.join(dir, f) : undefined;
      const doc =
        path !== undefined ? lookup.yamlFile(posix.normalize(path).replace(/^\.?\//, '')) : undefined;
      const values: unknown = doc?.doc.toJS({ maxAliasCount: 100 });
      if (!doc || !isRecord(values)) {
        out.gaps.push({
          ...host.span([...base, 'helm', 'valueFiles', i]),
          rule: 'value-unresolved',
          message: `Values file ${f} is not read: ${path === undefined ? 'it is inside the chart' : doc ? 'it is not a YAML map' : 'not in this repository'}; the chart's resources are checked without it.`,
          value: `valueFiles:${f}`,
        });
        return;
      }
      out.files.push({ values, at: (p) => ({ loc: doc, path: p }) });
    });
  }
  if (Array.isArray(helm.parameters)) {
    helm.parameters.forEach((p, i) => {
      if (!isRecord(p) || typeof p.name !== 'string' || typeof p.value !== 'string') return;
      const path = dottedPath(p.name);
      if (!path) return;
      const value = p.forceString === true ? p.value : typedValue(p.value);
      const at: Path = [...base, 'helm', 'parameters', i, 'value'];
      out.parameters.push({ values: setAt(path, value), at: () => ({ loc: host, path: at }) });
    });
  }
  return out;
}

/**
 * Resources made from chart values. A chart's ServiceGroup is in the release namespace, which is
 * PureLB's own by construction (exported for the namespace rule; see docs/gitops.md).
 */
export const chartMade = new WeakSet<Resource>();
export const isChartMade = (r: Resource): boolean => chartMade.has(r);

type Build = {
  kind: string;
  apiVersion: string;
  name: string;
  namespace: string | undefined;
  spec: Record<string, unknown>;
  map: (path: Path) => Target;
};

function synthesize(use: ChartUse, b: Build): Resource {
  const { group, version } = splitApiVersion(b.apiVersion);
  const metadata: Record<string, unknown> = { name: b.name };
  if (b.namespace !== undefined) metadata.namespace = b.namespace;
  const data: Record<string, unknown> = { apiVersion: b.apiVersion, kind: b.kind, metadata, spec: b.spec };
  const res: Resource = {
    kind: b.kind,
    apiVersion: b.apiVersion,
    group,
    version,
    name: b.name,
    file: use.host.file,
    doc: new MappedLocator(use.host.file, b.map, () => data),
    data,
    annotations: use.annotations,
  };
  if (b.namespace !== undefined) res.namespace = b.namespace;
  chartMade.add(res);
  return res;
}

/** Go templates' `if`: false, 0, "", null and empty collections are false; the string "false" is true. */
export function helmTruthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (isRecord(v)) return Object.keys(v).length > 0;
  return v !== false && v !== 0 && v !== '' && v !== null && v !== undefined;
}

const PURELB_CHARTS = new Set(['purelb']);
const TIGERA_CHARTS = new Set(['tigera-operator']);

/** Whether lbguard reads this chart's values (PureLB, tigera-operator). */
export const isWatchedChart = (chart: string): boolean =>
  PURELB_CHARTS.has(chart) || TIGERA_CHARTS.has(chart);

/** The watched resources a chart installation creates. */
export function chartResources(use: ChartUse): Resource[] {
  if (PURELB_CHARTS.has(use.chart)) return pureLbResources(use);
  if (TIGERA_CHARTS.has(use.chart)) return tigeraResources(use);
  return [];
}

function pureLbResources(use: ChartUse): Resource[] {
  const out: Resource[] = [];
  const sg = use.values.serviceGroup;
  if (isRecord(sg) && helmTruthy(sg.create)) {
    const version =
      typeof sg.apiVersion === 'string' && /^purelb\.io\/v[12]$/.test(sg.apiVersion)
        ? (sg.apiVersion.slice(-2) as 'v1' | 'v2')
        : pureLbVersionOf(use.version, sg.spec);
    const here = use.at(['serviceGroup']);
    out.push(
      synthesize(use, {
        kind: 'ServiceGroup',
        apiVersion: `purelb.io/${version}`,
        name: typeof sg.name === 'string' ? sg.name : 'default',
        namespace: use.namespace,
        spec: isRecord(sg.spec) ? sg.spec : {},
        map: (path) => {
          if (path[0] === 'spec') return use.at(['serviceGroup', ...path]);
          if (path[0] === 'metadata' && path[1] === 'name' && sg.name !== undefined)
            return use.at(['serviceGroup', 'name']);
          if (path[0] === 'metadata' && path[1] === 'namespace') return use.namespaceAt;
          return here;
        },
      }),
    );
  }
  out.push(...extraObjects(use));
  const agent = use.values.lbnodeagent;
  if (isRecord(agent)) {
    const v2 = pureLbVersionOf(use.version, undefined) === 'v2';
    // The chart's LBNodeAgent template renames the values: v1 localint/extlbint, v2 localInterface/dummyInterface.
    const keys = v2
      ? ['localInterface', 'dummyInterface', 'garpConfig', 'addressGuard']
      : ['localint', 'extlbint', 'sendgarp'];
    const local: Record<string, unknown> = {};
    for (const k of keys) if (agent[k] !== undefined) local[k] = agent[k];
    const here = use.at(['lbnodeagent']);
    out.push(
      synthesize(use, {
        kind: 'LBNodeAgent',
        apiVersion: `purelb.io/${v2 ? 'v2' : 'v1'}`,
        name: 'default',
        namespace: use.namespace,
        spec: { local },
        map: (path) =>
          path[0] === 'spec' && path[1] === 'local' && path.length > 2
            ? use.at(['lbnodeagent', ...path.slice(2)])
            : here,
      }),
    );
  }
  return out;
}

/**
 * The chart's `extraObjects`: manifests it renders as given (through `tpl`), a common place for
 * further ServiceGroups. Objects and YAML strings are read; a string holding `{{ }}` is a template.
 */
function extraObjects(use: ChartUse): Resource[] {
  const list = use.values.extraObjects;
  if (!Array.isArray(list)) return [];
  const out: Resource[] = [];
  list.forEach((item, i) => {
    let data: unknown = item;
    let at = (path: Path): Target => use.at(['extraObjects', i, ...path]);
    if (typeof item === 'string') {
      const t = use.at(['extraObjects', i]);
      if (item.includes('{{') || !(t.loc instanceof SourceDoc)) return;
      const inner = new EmbeddedLocator(t.loc, t.path);
      if (!inner.ok) return;
      data = inner.data;
      at = (path) => ({ loc: inner, path });
    }
    if (!isRecord(data) || data.kind !== 'ServiceGroup' || typeof data.apiVersion !== 'string') return;
    if (!/^purelb\.io\/v[12]$/.test(data.apiVersion)) return;
    const meta = isRecord(data.metadata) ? data.metadata : {};
    const ns = typeof meta.namespace === 'string' ? meta.namespace : use.namespace;
    out.push(
      synthesize(use, {
        kind: 'ServiceGroup',
        apiVersion: data.apiVersion,
        name: typeof meta.name === 'string' ? meta.name : '',
        namespace: ns,
        spec: isRecord(data.spec) ? data.spec : {},
        map: (path) =>
          path[0] === 'metadata' && path[1] === 'namespace' && meta.namespace === undefined
            ? use.namespaceAt
            : at(path),
      }),
    );
  });
  return out;
}

function tigeraResources(use: ChartUse): Resource[] {
  const inst = use.values.installation;
  // The chart's default is enabled: true; only a value Go templates find false turns it off.
  if (!isRecord(inst) || (inst.enabled !== undefined && !helmTruthy(inst.enabled))) return [];
  const { enabled: _enabled, ...spec } = inst;
  const here = use.at(['installation']);
  return [
    synthesize(use, {
      kind: 'Installation',
      apiVersion: 'operator.tigera.io/v1',
      name: 'default',
      namespace: undefined,
      spec,
      map: (path) => (path[0] === 'spec' ? use.at(['installation', ...path.slice(1)]) : here),
    }),
  ];
}
