// Sources outside this repository. What a cluster applies from them cannot be read, so each one is
// a gap: one `value-unresolved` notice at the line that names it. Sources that hold only Flux
// itself are the exception: nothing lbguard watches can come from them.
import type { InputRuleId } from '../checks/input.ts';
import type { Report } from '../findings.ts';
import { isRecord } from '../manifests/load.ts';
import { chartName, isWatchedChart } from './charts.ts';
import type { FluxLayout } from './clusters.ts';
import { type FluxKustomization, isArgoApplication, type Other } from './flux.ts';
import { filesUnder, isRemote, type KustomizeFile, normalizeDir, type Tree } from './kustomize.ts';

/**
 * Sources that hold only Flux's own controllers, CRDs and RBAC, never a ServiceGroup, a Calico
 * resource or a chart host: applying one is no gap. Each is an address prefix (scheme, user and
 * `.git` dropped). Only sources that cannot hold a watched kind for sure belong here.
 */
export const FLUX_OWN_SOURCES: readonly string[] = [
  // flux2's install manifests as an OCI artifact (cluster-template's `flux` Kustomization).
  'ghcr.io/fluxcd/flux-manifests',
  // The flux-operator's distribution artifact (a FluxInstance's `spec.distribution.artifact`).
  'ghcr.io/controlplaneio-fluxcd/flux-operator-manifests',
  // The flux2 repository: `manifests/install` kustomize bases, release `install.yaml` downloads.
  'github.com/fluxcd/flux2',
  // The flux-operator repository: its release `install.yaml`.
  'github.com/controlplaneio-fluxcd/flux-operator',
];

/** `https://github.com/fluxcd/flux2.git` and `git@github.com:fluxcd/flux2` -> `github.com/fluxcd/flux2`. */
export function sourceAddress(url: string): string {
  return url
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/^[^@/]+@/, '')
    .replace(/^([^/:]+):(?!\d)/, '$1/')
    .replace(/\.git(?=$|[/?#])/, '');
}

export function isFluxOwn(url: string): boolean {
  const a = sourceAddress(url);
  return FLUX_OWN_SOURCES.some(
    (p) => a.startsWith(p) && (a.length === p.length || /^[/?:@#]/.test(a[p.length]!)),
  );
}

/** What a Flux Kustomization's `sourceRef` can name. */
const SOURCE_KINDS = new Set(['GitRepository', 'OCIRepository', 'Bucket', 'ExternalArtifact']);

/** Flux source objects (GitRepository, OCIRepository, Bucket) of the repository, by kind, namespace and name. */
export function fluxSources(others: readonly Other[]): Map<string, Other> {
  const out = new Map<string, Other>();
  for (const o of others) {
    const d = o.data;
    if (typeof d.kind !== 'string' || !SOURCE_KINDS.has(d.kind)) continue;
    if (typeof d.apiVersion !== 'string' || !d.apiVersion.startsWith('source.toolkit.fluxcd.io/')) continue;
    const meta = isRecord(d.metadata) ? d.metadata : {};
    if (typeof meta.name !== 'string') continue;
    const ns = typeof meta.namespace === 'string' ? meta.namespace : '';
    out.set(`${d.kind}/${ns}/${meta.name}`, o);
  }
  return out;
}

/** The source a Kustomization names: in its own namespace (Flux's default), else any of that name. */
function sourceOf(k: FluxKustomization, sources: ReadonlyMap<string, Other>): Other | undefined {
  const { kind, name } = k.source!;
  const exact = sources.get(`${kind}/${k.namespace ?? ''}/${name}`);
  if (exact) return exact;
  for (const [key, o] of sources) if (key.startsWith(`${kind}/`) && key.endsWith(`/${name}`)) return o;
  return undefined;
}

/**
 * A Flux Kustomization whose source is not this repository (an OCIRepository, a Bucket, another
 * project's GitRepository) inside a cluster: one notice at its `sourceRef`, naming the source and
 * its address when the source object is in the repository. A leftover that no cluster holds (an
 * archive folder) applies nothing to any cluster and is not noticed.
 */
export function remoteKustomizationNotices(
  layout: FluxLayout,
  sources: ReadonlyMap<string, Other>,
): Report<InputRuleId>[] {
  const inCluster = (k: FluxKustomization) =>
    k.instance !== undefined ||
    layout.clusters.length === 0 ||
    layout.clusters.some((c) => c.files.has(k.file));
  const out: Report<InputRuleId>[] = [];
  for (const k of layout.applies.keys()) {
    if (k.dir !== undefined || !k.source || !inCluster(k)) continue;
    if (layout.isThisRepository(k.source)) continue; // no path, or one leaving the tree: nothing to read
    if (k.instance) {
      if (!k.instance.url || !isFluxOwn(k.instance.url)) out.push(instanceNotice(k, k.instance));
      continue;
    }
    const src = sourceOf(k, sources);
    const spec = src && isRecord(src.data.spec) ? src.data.spec : {};
    const url =
      typeof spec.url === 'string' ? spec.url : typeof spec.bucketName === 'string' ? spec.bucketName : '';
    if (url && isFluxOwn(url)) continue;
    const named = `${k.source.kind} ${k.source.name}${url ? ` (${url})` : ''}`;
    out.push({
      ...k.doc.span(
        k.doc.has(['spec', 'sourceRef', 'name']) ? ['spec', 'sourceRef', 'name'] : ['spec', 'sourceRef'],
      ),
      rule: 'value-unresolved',
      message:
        k.source.kind === 'ExternalArtifact'
          ? `Flux Kustomization ${k.name} applies ${named}, which no ArtifactGenerator here makes from this repository (a pathPattern generator is not expanded): what it applies is not read.`
          : `Flux Kustomization ${k.name} applies ${named}, not this repository: what it applies is not read.`,
      ...(src && url
        ? { related: [{ ...src.doc.span(['spec', 'url']), message: `${k.source.kind} ${k.source.name}` }] }
        : {}),
    });
  }
  return out;
}

/** A FluxInstance syncing an artifact (OCIRepository, Bucket): at its `sync.url`. */
function instanceNotice(
  k: FluxKustomization,
  instance: NonNullable<FluxKustomization['instance']>,
): Report<InputRuleId> {
  return {
    ...instance.at,
    rule: 'value-unresolved',
    message: `FluxInstance ${instance.name} syncs ${k.source!.kind}${instance.url ? ` ${instance.url}` : ''}, not this repository: what it applies is not read.`,
  };
}

/**
 * kustomize `resources`/`components`/`bases` entries that are remote (`github.com/...`,
 * `https://...`): one notice at each entry in its kustomization.yaml. The entries are found in the
 * text (the refs were read line by line, without positions), only in the few files that have one.
 */
export function remoteBaseNotices(
  kustomizations: readonly KustomizeFile[],
  read: (path: string) => string | undefined,
): Report<InputRuleId>[] {
  const out: Report<InputRuleId>[] = [];
  for (const k of kustomizations) {
    const remote = k.refs.filter((r) => isRemote(r) && !isFluxOwn(r));
    if (remote.length === 0) continue;
    const text = read(k.file) ?? '';
    let from = 0;
    for (const ref of remote) {
      const at = text.indexOf(ref, from);
      from = at < 0 ? from : at + ref.length;
      const line = at < 0 ? 1 : countLines(text, at);
      const column = at < 0 ? 1 : at - text.lastIndexOf('\n', at - 1);
      out.push({
        file: k.file,
        line,
        column,
        endLine: line,
        endColumn: at < 0 ? 1 : column + ref.length,
        rule: 'value-unresolved',
        message: `kustomize resource ${ref} is remote (not this repository): what it adds or patches is not read.`,
      });
    }
  }
  return out;
}

/**
 * Argo CD Application sources of plain manifests (`path`, no `chart`) whose folder is not in this
 * tree: another repository's, so not read. Chart sources are charts: the purelb and tigera-operator
 * charts are read from their values, other charts are not lbguard's (as for a HelmRelease).
 */
export function remoteApplicationNotices(hosts: readonly Other[], tree: Tree): Report<InputRuleId>[] {
  const out: Report<InputRuleId>[] = [];
  for (const o of hosts) {
    if (!isArgoApplication(o.data)) continue;
    const spec = isRecord(o.data.spec) ? o.data.spec : {};
    const name = isRecord(o.data.metadata) ? String(o.data.metadata.name ?? '') : '';
    const sources: [Record<string, unknown>, (string | number)[]][] = [];
    if (isRecord(spec.source)) sources.push([spec.source, ['spec', 'source']]);
    if (Array.isArray(spec.sources))
      for (const [i, s] of spec.sources.entries()) if (isRecord(s)) sources.push([s, ['spec', 'sources', i]]);
    for (const [src, base] of sources) {
      if (typeof src.path !== 'string' || typeof src.chart === 'string') continue;
      const repo = typeof src.repoURL === 'string' ? src.repoURL : '';
      if (isWatchedChart(chartName(src.path)) || (repo && isFluxOwn(repo))) continue;
      const dir = normalizeDir(src.path);
      if (dir !== undefined && (tree.kustomizations.has(dir) || filesUnder(tree, dir).length > 0)) continue;
      out.push({
        ...o.doc.span([...base, 'path']),
        rule: 'value-unresolved',
        message: `Argo CD Application ${name} applies ${src.path}${repo ? ` from ${repo}` : ''}, not a folder of this repository: what it applies is not read.`,
      });
    }
  }
  return out;
}

function countLines(text: string, upTo: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < upTo; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
