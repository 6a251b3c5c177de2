// The BGP sessions one scope's routes leave on: the node-to-node mesh when it is on, and every
// BGPPeer with its selectors as written; and what each peer's export BGPFilters do to a route.

import type { Span } from '../findings.ts';
import type { BgpFilter, BgpPeer } from '../manifests/calico.ts';
import type { Model } from '../manifests/model.ts';
import { at, type Resource } from '../manifests/resource.ts';
import { blockAround, type Family, type Interval, parseAddress } from '../net/ip.ts';
import type { CalicoView } from './advertisement-view.ts';
import { blocksIn, type Decision, exportKey, filterRuns, firstDecision } from './bgp-filter.ts';

export type Peer = {
  /** "node-to-node mesh" or "BGPPeer <name>": one name per session set, used in every output. */
  name: string;
  kind: 'mesh' | 'bgppeer';
  /** The peer's address family, from peerIP; undefined when a selector picks the peers (both). */
  family?: Family;
  /** The fields that say which nodes peer with whom, as written. */
  written: {
    peerIP?: string;
    asNumber?: string;
    node?: string;
    nodeSelector?: string;
    peerSelector?: string;
  };
  /** Export filters in the peer's order (names no BGPFilter defines are skipped, as confd does). */
  chain: BgpFilter[];
  res?: Resource;
  at?: Span;
};

/** A BGPFilter rule that decides a route (or some of its blocks) for one peer. */
export type FilterHit = Decision & { peer: Peer; count: number; at: Span };

/** What one peer receives of a route. */
export type Receipt = {
  peer: Peer;
  /** Routes (blocks) the peer receives. */
  count: number;
  /** A filter Accept sent (some of) them before Calico's export function added the communities. */
  acceptedEarly?: FilterHit;
};

export type PeerVerdict = { receipt?: Receipt; hits: FilterHit[] };

/** Calico reads peerIP as `IP`, `IP:port` or `[IPv6]:port`. */
function peerFamily(peerIP: string | undefined): Family | undefined {
  if (peerIP === undefined) return undefined;
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(peerIP);
  const text = bracket ? bracket[1]! : peerIP.replace(/^([0-9.]+):\d+$/, '$1');
  return parseAddress(text)?.family;
}

const str = (v: unknown): string | undefined => (v === undefined ? undefined : String(v));

export function peersOf(m: Model, view: CalicoView): Peer[] {
  const out: Peer[] = [];
  const b = view.defaultConfig;
  // nodeToNodeMeshEnabled defaults to true, with or without a default BGPConfiguration.
  if (b?.spec.nodeToNodeMeshEnabled !== false) {
    out.push({
      name: 'node-to-node mesh',
      kind: 'mesh',
      written: {},
      chain: [],
      ...(b ? { res: b.res, at: at(b.res, ['metadata', 'name']) } : {}),
    });
  }
  const filters = new Map(m.bgpFilters.map((f) => [f.res.name, f]));
  for (const p of m.bgpPeers) out.push(bgpPeer(p, filters));
  return out;
}

function bgpPeer(p: BgpPeer, filters: ReadonlyMap<string, BgpFilter>): Peer {
  const s = p.spec ?? {};
  const written: Peer['written'] = {};
  for (const k of ['peerIP', 'node', 'nodeSelector', 'peerSelector'] as const) {
    if (typeof s[k] === 'string') written[k] = s[k];
  }
  const asn = str(s.asNumber);
  if (asn !== undefined) written.asNumber = asn;
  const family = peerFamily(s.peerIP);
  return {
    name: `BGPPeer ${p.res.name}`,
    kind: 'bgppeer',
    ...(family ? { family } : {}),
    written,
    chain: (s.filters ?? []).flatMap((n) => filters.get(n) ?? []),
    res: p.res,
    at: at(p.res, ['metadata', 'name']),
  };
}

/**
 * One peer's verdict on the route `span` of /n blocks: each run of blocks goes to the first
 * deciding filter rule, else to Calico's export function (`exported`). `live` is false when BIRD
 * never holds the route (BGP off, interface ignored): the filters are still evaluated, so their
 * findings do not depend on another problem, but nothing is received.
 */
export function peerVerdict(
  peer: Peer,
  route: { span: Interval; prefix: number; exported: boolean; live: boolean; interfaces: readonly string[] },
): PeerVerdict | undefined {
  const { span, prefix: n } = route;
  if (peer.family !== undefined && peer.family !== span.family) return undefined;
  const key = exportKey(span);
  const rules = peer.chain.flatMap((f) => f.spec[key] ?? []);
  const hits = new Map<string, FilterHit>();
  let count = 0;
  let early: FilterHit | undefined;
  for (const run of rules.length ? filterRuns(span, n, rules) : [span]) {
    const blocks = blocksIn(run, n);
    const block = blockAround(run.family, run.start, n);
    const d = rules.length ? firstDecision(peer.chain, key, block, n, route.interfaces) : undefined;
    if (d) {
      const id = `${d.filter.res.name}\u0000${d.index}`;
      const hit = hits.get(id) ?? { ...d, peer, count: 0, at: at(d.filter.res, ['spec', key, d.index]) };
      hit.count += blocks;
      hits.set(id, hit);
      if (d.action === 'Accept') {
        count += blocks;
        early ??= hit;
      }
    } else if (route.exported) count += blocks;
  }
  if (!route.live) return { hits: [...hits.values()] };
  const receipt: Receipt | undefined =
    count > 0 ? { peer, count, ...(early ? { acceptedEarly: early } : {}) } : undefined;
  return { ...(receipt ? { receipt } : {}), hits: [...hits.values()] };
}
