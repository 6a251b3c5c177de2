// Which resources lbguard reads, and the generic shape every one of them has.
import type { ResourceRef, Span } from '../findings.ts';
import type { Locator, Path } from './document.ts';

/** API groups of each watched kind. A kind in another group (a Service in some CRD) is not ours. */
export const WATCHED: Record<string, readonly string[]> = {
  ServiceGroup: ['purelb.io'],
  LBNodeAgent: ['purelb.io'],
  Service: [''],
  IPPool: ['crd.projectcalico.org', 'projectcalico.org'],
  BGPConfiguration: ['crd.projectcalico.org', 'projectcalico.org'],
  BGPPeer: ['crd.projectcalico.org', 'projectcalico.org'],
  BGPFilter: ['crd.projectcalico.org', 'projectcalico.org'],
  Installation: ['operator.tigera.io'],
  // Other LoadBalancer controllers' pools: read only to know that the controller runs in a scope.
  IPAddressPool: ['metallb.io'],
  CiliumLoadBalancerIPPool: ['cilium.io'],
};

/**
 * Kinds whose presence in a scope means another controller hands out LoadBalancer addresses there,
 * by the controller's name. Only their presence is read: their values are never checked, so an
 * unresolved `${VAR}`, a template or a parse error in one is not lbguard's to report.
 */
export const OTHER_CONTROLLER_POOLS: Readonly<Record<string, string>> = {
  IPAddressPool: 'MetalLB',
  CiliumLoadBalancerIPPool: 'Cilium LB-IPAM',
};

/**
 * Words one of which a document's text must contain to be worth a full parse. Services count
 * only when they are LoadBalancers or carry PureLB annotations. Other modules (Flux, Argo CD)
 * add their own words through `watchWords`.
 */
export const WATCH_WORDS = [
  ...Object.keys(WATCHED).filter((k) => k !== 'Service'),
  'LoadBalancer',
  'purelb.io',
];

const wordsPattern = (words: readonly string[]): RegExp =>
  new RegExp(`\\b(?:${words.map((w) => w.replace(/\./g, '\\.')).join('|')})\\b`);

export const watchPattern = (extra: readonly string[] = []): RegExp =>
  wordsPattern([...WATCH_WORDS, ...extra]);

/** Words of what lbguard checks (not the other controllers' pools): what makes a problem ours to report. */
export const ownPattern = (): RegExp =>
  wordsPattern(WATCH_WORDS.filter((w) => OTHER_CONTROLLER_POOLS[w] === undefined));

export type Resource = {
  kind: string;
  apiVersion: string;
  /** The API group, '' for the core group. */
  group: string;
  version: string;
  name: string;
  namespace?: string;
  file: string;
  doc: Locator;
  data: Record<string, unknown>;
  annotations: Record<string, string>;
};

export const refOf = (r: Resource): ResourceRef =>
  r.namespace === undefined
    ? { kind: r.kind, name: r.name }
    : { kind: r.kind, name: r.name, namespace: r.namespace };

/** Where `path` stands in the resource's file; see SourceDoc.span. */
export const at = (r: Resource, path: Path, part: 'value' | 'key' = 'value'): Span => r.doc.span(path, part);

/**
 * Whether the resource is written as itself in its file, not built by lbguard from chart values
 * (a HelmRelease's or Application's values: their kind is not written there).
 */
export const writtenAsManifest = (r: Resource): boolean => r.doc.source(['kind']) === r.kind;

/** Key of a resource reference for fingerprints, ignore annotations and duplicate checks. */
export const refKey = (r: ResourceRef): string => `${r.kind}/${r.namespace ?? ''}/${r.name}`;

/** Identity of a resource for fingerprints and duplicate checks. */
export const identity = (r: Resource): string => refKey(refOf(r));

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** `lbguard.dev/ignore: "rule-a,rule-b: reason"` on a resource (manifests/ignore.ts reads it). */
export const IGNORE_ANNOTATION = 'lbguard.dev/ignore';
