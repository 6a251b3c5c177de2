// Services as PureLB's allocator sees them: which ones it acts on, the addresses they request,
// and the ServiceGroups and pools a name or an address leads to. Computed once per scope and
// shared by the section-E rules.
import type { Path } from '../manifests/document.ts';
import { isUnresolved } from '../manifests/model.ts';
import type { PureLbVersion, ServiceGroup } from '../manifests/purelb.ts';
import { at, refOf } from '../manifests/resource.ts';
import { isLoadBalancer, PURELB_ANNOTATIONS, type Service } from '../manifests/service.ts';
import { IntervalIndex } from '../net/intervals.ts';
import { type Family, formatAddress, type Interval, parseAddress, parseCidr } from '../net/ip.ts';
import type { PoolInfo } from './pools.ts';
import type { CheckContext, RuleReport } from './registry.ts';

/** Service.spec.loadBalancerClass values PureLB answers to (purelb pkg/apis/purelb/v2/classes.go). */
export const PURELB_CLASSES: Readonly<Record<string, PureLbVersion>> = {
  'purelb.io/purelb': 'v1',
  'purelb.io/purelbv2': 'v2',
};

export const ANNOTATION_PATH = (key: string): Path => ['metadata', 'annotations', key];

/**
 * The other LoadBalancer controllers lbguard knows, by the Service annotations and
 * loadBalancerClass values that hand a Service to them. MetalLB answers to any class it is
 * started with (--lb-class), so only its annotations name it.
 */
export const OTHER_LB_CONTROLLERS: readonly {
  name: string;
  annotations: readonly string[];
  classes: readonly string[];
}[] = [
  { name: 'MetalLB', annotations: ['metallb.universe.tf/', 'metallb.io/'], classes: [] },
  {
    name: 'Cilium LB-IPAM',
    annotations: ['lbipam.cilium.io/', 'io.cilium/lb-ipam-'],
    classes: ['io.cilium/bgp-control-plane', 'io.cilium/l2-announcer'],
  },
  { name: 'kube-vip', annotations: ['kube-vip.io/'], classes: ['kube-vip.io/kube-vip-class'] },
];

/**
 * The controller other than PureLB that a LoadBalancer Service is handed to: a loadBalancerClass
 * that is not PureLB's, or (without any purelb.io annotation) another controller's annotations.
 */
export function otherOwner(svc: Service): string | undefined {
  const cls = svc.spec.loadBalancerClass;
  if (cls !== undefined && !isUnresolved(cls) && PURELB_CLASSES[cls] === undefined) {
    const named = OTHER_LB_CONTROLLERS.find((c) => c.classes.includes(cls));
    return named ? `${named.name} (loadBalancerClass ${cls})` : `the controller of loadBalancerClass ${cls}`;
  }
  const keys = Object.keys(svc.res.annotations);
  if (keys.some((k) => k.startsWith('purelb.io/'))) return undefined;
  for (const c of OTHER_LB_CONTROLLERS) {
    const key = keys.find((k) => c.annotations.some((prefix) => k.startsWith(prefix)));
    if (key) return `${c.name} (annotation ${key})`;
  }
  return undefined;
}

export type RequestedAddress = { text: string; family: Family; value: bigint };

/** Where a Service asks for addresses: the annotation, or (only without it) spec.loadBalancerIP. */
export type AddressRequest = {
  source: 'annotation' | 'loadBalancerIP';
  text: string;
  path: Path;
};

export type AddressParse = { ok: true; addresses: RequestedAddress[] } | { ok: false; error: string };

/**
 * PureLB's serviceAddresses: split on commas, each part through Go's net.ParseIP, no trimming
 * (purelb internal/allocator/allocator.go).
 */
export function parseAddressList(text: string): AddressParse {
  if (text === '') return { ok: false, error: 'it is empty' };
  const addresses: RequestedAddress[] = [];
  for (const part of text.split(',')) {
    if (part === '') return { ok: false, error: 'it has an empty entry (a stray comma)' };
    const parsed = parseAddress(part);
    if (parsed) {
      addresses.push({ text: part, ...parsed });
      continue;
    }
    if (/\s/.test(part)) {
      const trimmed = part.trim();
      const hint = parseAddress(trimmed) ? `; write "${trimmed}"` : '';
      return { ok: false, error: `"${part}" has whitespace, which PureLB does not trim${hint}` };
    }
    if (parseCidr(part))
      return { ok: false, error: `"${part}" is a CIDR; give single addresses, not prefixes` };
    return { ok: false, error: `"${part}" is not an IP address` };
  }
  return { ok: true, addresses };
}

export type ServiceView = {
  svc: Service;
  /** `type: LoadBalancer` with no loadBalancerClass or a PureLB one, and not handed to another controller. */
  purelb: boolean;
  /** Another LoadBalancer controller this Service is handed to (see `otherOwner`). */
  owner?: string;
  /** The service-group annotation, when set and free of placeholders. */
  group?: string;
  request?: AddressRequest;
  /** Parsed request; undefined when absent, unresolved or malformed. */
  addresses?: RequestedAddress[];
};

export type ServicesView = {
  services: ServiceView[];
  /** Every ServiceGroup of the scope by name. v2 groups outside PureLB's namespace count too: `sg-namespace` owns that cause. */
  groupsByName: Map<string, ServiceGroup[]>;
  versions: Set<PureLbVersion>;
  poolsOf: Map<ServiceGroup, PoolInfo[]>;
  /** Valid pools with a range, for "which pool holds this address". */
  validPools: IntervalIndex<PoolInfo>;
  /** Pools that might hold an address but cannot be judged (invalid, unresolved). */
  unsurePools: PoolInfo[];
  /** Some group gets its addresses from outside the manifests (netbox, external IPAM). */
  externalIpam: boolean;
};

export const hasGroupIpamElsewhere = (g: ServiceGroup): boolean =>
  g.mode === 'netbox' || g.mode === 'external';

/** The Service itself names PureLB: a purelb.io annotation or a PureLB loadBalancerClass. */
const namesPureLb = (svc: Service): boolean =>
  Object.keys(svc.res.annotations).some((k) => k.startsWith('purelb.io/')) ||
  (svc.spec.loadBalancerClass !== undefined && PURELB_CLASSES[svc.spec.loadBalancerClass] !== undefined);

/**
 * `purelbHere`: the scope defines a ServiceGroup or an LBNodeAgent. Without either, a plain
 * LoadBalancer Service belongs to whatever serves the cluster (a cloud, MetalLB, Cilium): PureLB
 * rules would only tell a cluster without PureLB to use PureLB's annotations.
 */
function toView(svc: Service, purelbHere: boolean): ServiceView {
  const spec = svc.spec;
  const cls = spec.loadBalancerClass;
  const owner = otherOwner(svc);
  const purelb =
    isLoadBalancer(svc) &&
    owner === undefined &&
    (purelbHere || namesPureLb(svc)) &&
    (cls === undefined || (!isUnresolved(cls) && PURELB_CLASSES[cls] !== undefined));
  const view: ServiceView = { svc, purelb };
  if (owner) view.owner = owner;
  const ann = svc.res.annotations;
  const group = ann[PURELB_ANNOTATIONS.serviceGroup];
  if (group !== undefined && !isUnresolved(group)) view.group = group;
  const annotated = ann[PURELB_ANNOTATIONS.addresses];
  if (annotated !== undefined) {
    view.request = {
      source: 'annotation',
      text: annotated,
      path: ANNOTATION_PATH(PURELB_ANNOTATIONS.addresses),
    };
  } else if (spec.loadBalancerIP !== undefined && spec.loadBalancerIP !== '') {
    view.request = { source: 'loadBalancerIP', text: spec.loadBalancerIP, path: ['spec', 'loadBalancerIP'] };
  }
  if (view.request && !isUnresolved(view.request.text)) {
    const parsed = parseAddressList(view.request.text);
    if (parsed.ok) view.addresses = parsed.addresses;
  }
  return view;
}

function pushTo<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** Cluster identity: two manifests with one namespace/name are one Service (a base and its overlay). */
export const serviceIdentity = (s: ServiceView): string => `${s.svc.res.namespace ?? ''}/${s.svc.res.name}`;

export function servicesView(ctx: CheckContext): ServicesView {
  return ctx.memo('services.view', () => {
    const groupsByName = new Map<string, ServiceGroup[]>();
    const versions = new Set<PureLbVersion>();
    for (const g of ctx.model.serviceGroups) {
      pushTo(groupsByName, g.res.name, g);
      versions.add(g.version);
    }
    const purelbHere = ctx.model.serviceGroups.length > 0 || ctx.model.lbNodeAgents.length > 0;
    const poolsOf = new Map<ServiceGroup, PoolInfo[]>();
    const valid: { iv: Interval; value: PoolInfo }[] = [];
    const unsurePools: PoolInfo[] = [];
    for (const p of ctx.pools()) {
      pushTo(poolsOf, p.group, p);
      if (p.valid && p.range) valid.push({ iv: p.range, value: p });
      else unsurePools.push(p);
    }
    return {
      services: ctx.model.services.map((svc) => toView(svc, purelbHere)),
      groupsByName,
      versions,
      poolsOf,
      validPools: new IntervalIndex(valid),
      unsurePools,
      externalIpam: ctx.model.serviceGroups.some(hasGroupIpamElsewhere),
    };
  });
}

/** True when an unjudgeable pool might hold the address (no range, or a range that holds it). */
export const mightHold = (p: PoolInfo, a: RequestedAddress): boolean =>
  !p.range || (p.range.family === a.family && p.range.start <= a.value && a.value <= p.range.end);

export const poolsHolding = (v: ServicesView, a: RequestedAddress): PoolInfo[] =>
  v.validPools.containing({ family: a.family, start: a.value, end: a.value });

/** One spelling per address, so `2001:db8::1` and `2001:DB8:0::1` meet. */
export const addressKey = (a: RequestedAddress): string => formatAddress(a.family, a.value);

export const ANNOTATIONS_GO = 'purelb pkg/apis/purelb/v2/annotations.go';
export const CLASSES_GO = 'purelb pkg/apis/purelb/v2/classes.go';
export const ALLOCATOR_GO = 'purelb internal/allocator/allocator.go';

/** Reports at `path` of the Service, with the offending text as the fingerprint value. */
export function reportAt(
  ctx: CheckContext,
  s: ServiceView,
  path: Path,
  message: string,
  value: string,
  extra: { part?: 'value' | 'key'; related?: RuleReport['related'] } = {},
): void {
  const res = s.svc.res;
  ctx.report({
    ...at(res, path, extra.part ?? 'value'),
    message,
    resource: refOf(res),
    value,
    ...(extra.related ? { related: extra.related } : {}),
  });
}

export const svcName = (s: ServiceView): string =>
  s.svc.res.namespace ? `${s.svc.res.namespace}/${s.svc.res.name}` : s.svc.res.name;

/** "a, b, c" (at most five), for messages that list what the scope does define. */
export function listNames(names: Iterable<string>): string {
  const all = [...names].sort();
  return all.length > 5 ? `${all.slice(0, 5).join(', ')}, ...` : all.join(', ');
}

export const hasAnnotation = (s: ServiceView, key: string): boolean =>
  s.svc.res.annotations[key] !== undefined;
