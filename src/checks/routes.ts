// The routes one scope puts on the wire: every prefix Calico's BIRD would export (routed PureLB
// pools as their aggregation makes kube-lb0 routes, and the default BGPConfiguration's service
// CIDRs), with its source, communities, the peers that receive it, and for a route that is not
// exported, why. The section-D rules that say a route is not exported read their verdicts from
// here, so the route table and the findings never disagree. docs/routes.md gives the sources.
import type { Span } from '../findings.ts';
import type { BgpConfiguration } from '../manifests/calico.ts';
import type { Path } from '../manifests/document.ts';
import { type Model, managesCalico } from '../manifests/model.ts';
import { at, type Resource, refKey, refOf } from '../manifests/resource.ts';
import { bits, blockAround, type Family, formatAddress, type Interval } from '../net/ip.ts';
import {
  type AdvertEntry,
  advertEntries,
  birdPatternMatches,
  type Coverage,
  communitiesOf,
  coverageOf,
  coveringEntries,
  describePool,
  dummyInterfaces,
  entryValues,
  poolPath,
  rangePath,
  routedPools,
  strictCidr,
  viewOf,
} from './advertisement-view.ts';
import { blocksIn } from './bgp-filter.ts';
import type { PoolInfo } from './pools.ts';
import type { CheckContext } from './registry.ts';
import { type FilterHit, type Peer, peersOf, peerVerdict, type Receipt } from './route-peers.ts';

export type SourceKind = 'pool' | 'serviceClusterIPs' | 'serviceExternalIPs' | 'serviceLoadBalancerIPs';
export const SERVICE_KINDS = ['serviceClusterIPs', 'serviceExternalIPs', 'serviceLoadBalancerIPs'] as const;

export type RouteSource = { kind: SourceKind; res: Resource; path: Path; at: Span };

export type BlockCode =
  | 'bgp-disabled'
  | 'interface-ignored'
  | 'export-disabled'
  | 'no-covering-ippool'
  | 'unresolved';

/** Why BIRD does not export a route, and the finding that says so (`rule` at `at`). */
export type Blocker = {
  code: BlockCode;
  text: string;
  rule?: string;
  at?: Span;
  res?: Resource;
  path?: Path;
  /** The finding's whole message and offending value, when the rule reports the blocker as is. */
  message?: string;
  value?: string;
};

/** One input a route depends on: what explains a difference between two trees (`cause`). */
export type Dep = { key: string; value: string; at: Span };

export type Route = {
  /** One CIDR, or `first/N-last/N` for a run of aggregated blocks. */
  prefix: string;
  family: Family;
  span: Interval;
  /** The prefix length of each announced block. */
  length: number;
  /** Routes the prefix stands for: one per /N block (a /32 aggregation announces one per address). */
  count: number;
  source: RouteSource;
  pool?: PoolInfo;
  coverage?: Coverage;
  /** BIRD holds the route and Calico's export function accepts it. */
  exported: boolean;
  blockers: Blocker[];
  /** The communities the default BGPConfiguration's prefixAdvertisements add. */
  communities: string[];
  /** Nodes whose own BGPConfiguration replaces that list, when it gives this route other communities. */
  nodeCommunities: { node: string; communities: string[]; at: Span }[];
  receipts: Receipt[];
  /** Filter rules that decide some of the route for some peer (Reject and Accept). */
  hits: FilterHit[];
  deps: Dep[];
};

export type RouteModel = {
  calico: boolean;
  routes: Route[];
  peers: Peer[];
  /** Sources that are not modelled, and why (a CIDR still a ${VAR}, a per-Service address). */
  skipped: string[];
  bgpDisabled: Blocker[];
  interfaceIgnored: Blocker[];
};

/** Interfaces BIRD's `protocol direct` never imports, whatever the config says. */
export const BUILT_IN_IGNORED = ['cali*', 'kube-ipvs*'];

/** lb-bgp-disabled: the operator runs no BIRD. */
function bgpDisabled(m: Model): Blocker[] {
  return m.installations
    .filter((i) => i.spec.calicoNetwork?.bgp === 'Disabled')
    .map((i) => {
      const path = ['spec', 'calicoNetwork', 'bgp'];
      return {
        code: 'bgp-disabled',
        text: `Installation ${i.res.name} sets calicoNetwork.bgp: Disabled: no BIRD runs`,
        rule: 'lb-bgp-disabled',
        at: at(i.res, path),
        res: i.res,
        path,
      };
    });
}

/** lb-interface-ignored: BIRD's protocol direct never imports PureLB's dummy interface. */
function interfaceIgnored(m: Model): Blocker[] {
  const out: Blocker[] = [];
  for (const a of m.lbNodeAgents) {
    const pat = BUILT_IN_IGNORED.find((g) => birdPatternMatches(g, a.dummyInterface));
    if (!a.dummyInterfaceSet || !pat) continue;
    const path = ['spec', 'local', a.res.version === 'v1' ? 'extlbint' : 'dummyInterface'];
    out.push({
      code: 'interface-ignored',
      text: `LBNodeAgent ${a.res.name} puts routed addresses on ${a.dummyInterface}, which BIRD never imports (it excludes ${pat})`,
      message: `LBNodeAgent ${a.res.name} puts routed addresses on ${a.dummyInterface}, which BIRD never imports (it excludes ${pat}).`,
      value: a.dummyInterface,
      rule: 'lb-interface-ignored',
      at: at(a.res, path),
      res: a.res,
      path,
    });
  }
  const names = dummyInterfaces(m);
  for (const b of m.bgpConfigurations) {
    b.spec.ignoredInterfaces?.forEach((pattern, i) => {
      const hit = names.filter((n) => birdPatternMatches(pattern, n));
      if (hit.length === 0) return;
      const path = ['spec', 'ignoredInterfaces', i];
      out.push({
        code: 'interface-ignored',
        text: `ignoredInterfaces "${pattern}" matches PureLB's dummy interface ${hit.join(', ')}`,
        message: `ignoredInterfaces "${pattern}" matches PureLB's dummy interface ${hit.join(', ')}: BIRD never imports the LoadBalancer addresses.`,
        value: pattern,
        rule: 'lb-interface-ignored',
        at: at(b.res, path),
        res: b.res,
        path,
      });
    });
  }
  return out;
}

/** `10.0.0.0/24`, or `10.0.0.10/32-10.0.0.20/32` for a run of blocks. */
export function routePrefix(span: Interval, n: number): string {
  const first = `${formatAddress(span.family, span.start)}/${n}`;
  const last = blockAround(span.family, span.end, n).start;
  return last === span.start ? first : `${first}-${formatAddress(span.family, last)}/${n}`;
}

const json = (v: unknown): string => JSON.stringify(v) ?? '';

function valueAt(data: unknown, path: Path): unknown {
  let v = data;
  for (const k of path)
    v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

const depOf = (res: Resource, path: Path, at_: Span, tag: string): Dep => ({
  key: `${tag}:${refKey(refOf(res))}:${path.join('.')}`,
  value: json(valueAt(res.data, path)),
  at: at_,
});

function entryDep(e: AdvertEntry): Dep {
  const path = ['spec', 'prefixAdvertisements', e.index];
  // The resolved values, so redefining a community name is a change of the entry too.
  return {
    ...depOf(e.config.res, path, at(e.config.res, path), 'advert'),
    value: json([valueAt(e.config.res.data, path), [...entryValues(e)]]),
  };
}

type Draft = Pick<Route, 'span' | 'length' | 'source' | 'pool' | 'coverage' | 'blockers'> & {
  /** Calico's export function accepts it (it may still never be exported: `live`). */
  accepted: boolean;
  live: boolean;
  interfaces: readonly string[];
  deps: Dep[];
};

function finish(
  d: Draft,
  peers: readonly Peer[],
  adverts: readonly AdvertEntry[],
  nodes: readonly BgpConfiguration[],
): Route {
  const { span, length } = d;
  const global = coveringEntries(adverts, span, length);
  const communities = communitiesOf(global).sort();
  const nodeCommunities: Route['nodeCommunities'] = [];
  const deps: Dep[] = [...d.deps];
  for (const b of nodes) {
    const own = coveringEntries(advertEntries(b), span, length);
    deps.push(...own.map(entryDep));
    const list = communitiesOf(own).sort();
    if (json(list) !== json(communities))
      nodeCommunities.push({
        node: b.res.name.slice('node.'.length),
        communities: list,
        at: at(b.res, ['spec', 'prefixAdvertisements'], 'key'),
      });
  }
  deps.push(...global.map(entryDep));
  const receipts: Receipt[] = [];
  const hits: FilterHit[] = [];
  const exported = d.accepted && d.live;
  for (const peer of peers) {
    const v = peerVerdict(peer, { span, prefix: length, exported, live: d.live, interfaces: d.interfaces });
    if (!v) continue;
    if (v.receipt) receipts.push(v.receipt);
    hits.push(...v.hits);
    if (peer.res && peer.at)
      deps.push({ key: `peer:${peer.name}`, value: json({ ...peer.written, kind: peer.kind }), at: peer.at });
    else deps.push({ key: `peer:${peer.name}`, value: 'on', at: d.source.at });
  }
  for (const h of hits)
    deps.unshift({
      key: `filter:${h.filter.res.name}:${h.key}:${h.index}:${h.peer.name}`,
      value: json(valueAt(h.filter.res.data, ['spec', h.key, h.index])),
      at: h.at,
    });
  deps.push({ key: 'source', value: json(valueAt(d.source.res.data, d.source.path)), at: d.source.at });
  const route: Route = {
    prefix: routePrefix(span, length),
    family: span.family,
    span,
    length,
    count: blocksIn(span, length),
    source: d.source,
    exported,
    blockers: d.blockers,
    communities,
    nodeCommunities,
    receipts,
    hits,
    deps,
  };
  if (d.pool) route.pool = d.pool;
  if (d.coverage) route.coverage = d.coverage;
  return route;
}

function poolDraft(ctx: CheckContext, p: PoolInfo, shared: Blocker[], interfaces: readonly string[]): Draft {
  const view = viewOf(ctx);
  const { span, prefix } = p.advertised!;
  const blockers = [...shared];
  const deps: Dep[] = [];
  const cov = coverageOf(ctx, p);
  if (view.unresolvedExport)
    blockers.push({
      code: 'unresolved',
      text: 'an IPPool or service CIDR is still a ${VAR}, so whether BIRD exports it is unknown',
    });
  for (const c of cov?.rejecting ?? []) {
    const path = [...c.path, 'disableBGPExport'];
    blockers.push({
      code: 'export-disabled',
      text: `${c.label} has disableBGPExport: true`,
      rule: 'lb-ippool-export-disabled',
      at: at(c.res, path),
      res: c.res,
      path,
    });
    deps.push(depOf(c.res, c.path, at(c.res, path), 'ippool'));
  }
  // With a CIDR still a ${VAR}, the missing cover may be that one: no verdict (value-unresolved says why).
  if (cov?.uncovered && !view.unresolvedExport) {
    const path = poolPath(p);
    blockers.push({
      code: 'no-covering-ippool',
      text: `${formatAddress(span.family, cov.uncovered.start)}/${prefix} lies in no IPPool that exports it`,
      rule: 'lb-pool-not-exported',
      at: at(p.group.res, path),
      res: p.group.res,
      path,
    });
  }
  for (const e of cov?.covering ?? []) {
    const path = e.pool ? e.pool.path : e.path;
    deps.push(depOf(e.res, path, at(e.res, e.path), 'export'));
  }
  const live = !blockers.some((b) => b.code === 'bgp-disabled' || b.code === 'interface-ignored');
  const accepted = !blockers.some((b) => b.code !== 'bgp-disabled' && b.code !== 'interface-ignored');
  const path = rangePath(p);
  const draft: Draft = {
    span,
    length: prefix,
    source: { kind: 'pool', res: p.group.res, path: p.pool.path, at: at(p.group.res, path) },
    pool: p,
    blockers,
    accepted,
    live,
    interfaces,
    deps: [
      ...shared.flatMap((b) => (b.res && b.path ? [depOf(b.res, b.path, b.at!, 'blocker')] : [])),
      ...deps,
    ],
  };
  if (cov) draft.coverage = cov;
  return draft;
}

/** The default BGPConfiguration's service CIDRs that confd turns into static routes on every node. */
function serviceDrafts(ctx: CheckContext, off: Blocker[], skipped: string[]): Draft[] {
  const view = viewOf(ctx);
  const b = view.defaultConfig;
  if (!b) return [];
  const out: Draft[] = [];
  const lbAggregation = (b.spec as Record<string, unknown>).serviceLoadBalancerAggregation;
  for (const kind of SERVICE_KINDS) {
    b.spec[kind]?.forEach((entry, i) => {
      const path = ['spec', kind, i, 'cidr'];
      const cidr = strictCidr(entry.cidr);
      if (!cidr) {
        skipped.push(
          `BGPConfiguration default ${kind}[${i}]: ${String(entry.cidr)} is not a CIDR lbguard can read`,
        );
        return;
      }
      // Single addresses are advertised per Service, from the nodes that host it (confd routes.go).
      if (kind !== 'serviceClusterIPs' && cidr.prefix === bits(cidr.family)) {
        skipped.push(
          `BGPConfiguration default ${kind} ${cidr.network}: a single address is announced per Service, not from this config`,
        );
        return;
      }
      if (kind === 'serviceLoadBalancerIPs' && lbAggregation === 'Disabled') {
        skipped.push(
          `BGPConfiguration default ${kind} ${cidr.network}: serviceLoadBalancerAggregation: Disabled announces one /${bits(cidr.family)} per Service instead`,
        );
        return;
      }
      const blockers = [...off];
      const deps: Dep[] = [];
      // reject_disabled_pools runs first in calico_export_to_bgp_peers, for static routes too.
      for (const c of view.rejecters.containing(cidr)) {
        const at_ = at(c.res, [...c.path, 'disableBGPExport']);
        blockers.push({ code: 'export-disabled', text: `${c.label} has disableBGPExport: true`, at: at_ });
        deps.push(depOf(c.res, c.path, at_, 'ippool'));
      }
      out.push({
        span: cidr,
        length: cidr.prefix,
        source: { kind, res: b.res, path: ['spec', kind, i], at: at(b.res, path) },
        blockers,
        accepted: blockers.every((x) => x.code === 'bgp-disabled'),
        live: off.length === 0,
        interfaces: [],
        deps: [
          ...off.flatMap((x) => (x.res && x.path ? [depOf(x.res, x.path, x.at!, 'blocker')] : [])),
          ...deps,
        ],
      });
    });
  }
  return out;
}

export function buildRoutes(ctx: CheckContext): RouteModel {
  const m = ctx.model;
  const empty: RouteModel = {
    calico: false,
    routes: [],
    peers: [],
    skipped: [],
    bgpDisabled: [],
    interfaceIgnored: [],
  };
  if (!managesCalico(m)) return empty;
  const view = viewOf(ctx);
  const off = bgpDisabled(m);
  const ignored = interfaceIgnored(m);
  const peers = peersOf(m, view);
  const skipped: string[] = [];
  const nodes = m.bgpConfigurations.filter(
    (b) => b.res.name.startsWith('node.') && b.spec.prefixAdvertisements !== undefined,
  );
  const interfaces = dummyInterfaces(m);
  const routed = routedPools(ctx.pools());
  // Say what is not modelled rather than show a table that looks complete.
  for (const p of ctx.pools()) {
    if (!p.routed || p.valid) continue;
    const where = at(p.group.res, rangePath(p));
    const why = p.unresolved ? 'a value is still a ${VAR}' : 'a section-B error makes PureLB drop it';
    skipped.push(`${describePool(p)} (${where.file}:${where.line}): ${why}, so its routes are unknown`);
  }
  if (view.unresolvedAdverts)
    skipped.push('a prefixAdvertisements CIDR is still a ${VAR}: the communities shown may be incomplete');
  // lb-bgp-disabled speaks only when PureLB has routed pools; otherwise no finding says it.
  const offForServices = routed.length ? off : off.map(({ rule: _r, ...b }) => b);
  const drafts = [
    ...routed.map((p) => poolDraft(ctx, p, [...off, ...ignored], interfaces)),
    ...serviceDrafts(ctx, offForServices, skipped),
  ];
  return {
    calico: true,
    routes: drafts.map((d) => finish(d, peers, view.defaultAdverts, nodes)),
    peers,
    skipped,
    bgpDisabled: off,
    interfaceIgnored: ignored,
  };
}

/** The scope's route model, built once and shared by the rules that read it and the outputs. */
export const routesOf = (ctx: CheckContext): RouteModel => ctx.memo('routes', () => buildRoutes(ctx));

/** Routes each peer receives, in peer order. */
export function peerCounts(model: RouteModel): { peer: Peer; count: number }[] {
  return model.peers.map((peer) => ({
    peer,
    count: model.routes.reduce(
      (n, r) => n + r.receipts.filter((x) => x.peer === peer).reduce((a, x) => a + x.count, 0),
      0,
    ),
  }));
}
