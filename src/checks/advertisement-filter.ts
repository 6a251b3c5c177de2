// Section D, BGPFilter: a peer's export filters run before Calico's own export function, so a
// Reject drops the PureLB route and an Accept sends it before prefixAdvertisements add communities.
import type { BgpFilter, BgpFilterRule, BgpPeer } from '../manifests/calico.ts';
import { at, refOf } from '../manifests/resource.ts';
import { bits, blockAround, contains, type Interval, overlaps, parseCidr } from '../net/ip.ts';
import {
  birdPatternMatches,
  communitiesOf,
  coveringEntries,
  describeP,
  describePool,
  dummyInterfaces,
  relatedPool,
  routedPools,
  viewOf,
} from './advertisement-view.ts';
import { defineRule } from './registry.ts';

/** Does the rule match the connected route `block` of prefix length `n`? Mirrors confd's BGPFilter BIRD functions. */
function ruleMatches(r: BgpFilterRule, block: Interval, n: number, interfaces: readonly string[]): boolean {
  const raw: Record<string, unknown> = r;
  // A connected route has no BGP source, no communities yet, an empty AS path and no priority.
  if (r.source !== undefined || raw.communities !== undefined || raw.asPathPrefix !== undefined) return false;
  if (raw.priority !== undefined) return false;
  if (r.interface !== undefined && !interfaces.some((i) => birdPatternMatches(r.interface!, i))) return false;
  if (r.cidr === undefined) return true;
  const c = parseCidr(r.cidr);
  if (!c?.canonical || c.family !== block.family) return false;
  const min = r.prefixLength?.min ?? c.prefix;
  const max = r.prefixLength?.max ?? bits(c.family);
  const inside = contains(c, block) && n >= c.prefix && n >= min && n <= max;
  const equal = c.start === block.start && c.end === block.end;
  switch (r.matchOperator) {
    case 'In':
      return inside;
    case 'NotIn':
      return !inside;
    case 'Equal':
      return equal;
    case 'NotEqual':
      return !equal;
    default:
      return false;
  }
}

/**
 * Blocks of P worth testing: its ends, and the blocks at and beside each filter CIDR's edges.
 * Any rule that matches some block matches one of these, so P's /32s are never enumerated.
 */
function sampleBlocks(span: Interval, n: number, rules: readonly BgpFilterRule[]): Interval[] {
  const points = new Set<bigint>([span.start, span.end]);
  const size = 1n << BigInt(bits(span.family) - n);
  for (const r of rules) {
    const c = r.cidr !== undefined ? parseCidr(r.cidr) : undefined;
    if (!c || !overlaps(c, span)) continue;
    for (const v of [c.start, c.end, c.start - size, c.end + size])
      if (v >= span.start && v <= span.end) points.add(v);
  }
  return [...points].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((v) => blockAround(span.family, v, n));
}

type Verdict = {
  filter: BgpFilter;
  key: string;
  index: number;
  action: 'Accept' | 'Reject';
  block: Interval;
};

/** The first Accept/Reject the peer's export filters reach for `block`, or undefined (Calico's filter decides). */
function firstDecision(
  chain: readonly BgpFilter[],
  key: 'exportV4' | 'exportV6',
  block: Interval,
  n: number,
  interfaces: readonly string[],
): Verdict | undefined {
  for (const f of chain) {
    const rules = f.spec[key] ?? [];
    for (let index = 0; index < rules.length; index++) {
      const r = rules[index]!;
      if (r.action !== 'Accept' && r.action !== 'Reject') continue;
      if (ruleMatches(r, block, n, interfaces)) return { filter: f, key, index, action: r.action, block };
    }
  }
  return undefined;
}

export const lbBgpFilterRejects = defineRule({
  id: 'lb-bgpfilter-rejects',
  family: 'advertisement',
  severity: 'warning',
  needsCalico: true,
  title: 'A BGPPeer export filter rejects a PureLB prefix, or accepts it before communities are applied',
  rationale:
    "confd calls a peer's BGPFilter export functions before calico_export_to_bgp_peers. A matching Reject drops the LoadBalancer route for that peer; a matching Accept ends the filter, so the prefixAdvertisements communities are never added.",
  remediation:
    "Narrow the filter rule so it does not match the PureLB prefix, or add an earlier rule for it; add communities with the rule's own operations if it must accept.",
  evidence: [
    'calico api/pkg/apis/projectcalico/v3/bgpfilter.go',
    'calico confd bird.cfg.template (peer export filter: BGPFilter functions, then calico_export_to_bgp_peers)',
  ],
  check(ctx) {
    const view = viewOf(ctx);
    const routed = routedPools(ctx.pools());
    if (routed.length === 0 || ctx.model.bgpFilters.length === 0) return;
    const filters = new Map(ctx.model.bgpFilters.map((f) => [f.res.name, f]));
    const interfaces = dummyInterfaces(ctx.model);
    const required = ctx.config.requiredCommunities.length > 0;
    const seen = new Set<string>();
    const peerChains = ctx.model.bgpPeers
      .map((peer: BgpPeer) => ({
        peer,
        chain: (peer.spec.filters ?? []).flatMap((n) => filters.get(n) ?? []),
      }))
      .filter((x) => x.chain.length > 0);
    for (const p of routed) {
      const { span, prefix } = p.advertised!;
      const key = span.family === 4 ? 'exportV4' : 'exportV6';
      for (const { peer, chain } of peerChains) {
        const rules = chain.flatMap((f) => f.spec[key] ?? []);
        for (const block of sampleBlocks(span, prefix, rules)) {
          const v = firstDecision(chain, key, block, prefix, interfaces);
          if (!v) continue;
          const tagged =
            communitiesOf(coveringEntries(view.defaultAdverts, block, prefix)).length > 0 || required;
          if (v.action === 'Accept' && !tagged) continue;
          const id = `${v.filter.res.name}\u0000${key}\u0000${v.index}\u0000${p.group.res.name}\u0000${p.pool.pool}`;
          if (seen.has(id)) continue;
          seen.add(id);
          const j = (peer.spec.filters ?? []).indexOf(v.filter.res.name);
          const effect =
            v.action === 'Reject'
              ? 'rejects it, so that peer never learns the route'
              : 'accepts it before Calico adds the prefixAdvertisements communities, so it leaves untagged';
          ctx.report({
            ...at(v.filter.res, ['spec', key, v.index]),
            message: `BGPFilter ${v.filter.res.name} ${key}[${v.index}] (used by BGPPeer ${peer.res.name}) matches ${describeP(p)} of PureLB ${describePool(p)} and ${effect}.`,
            resource: refOf(v.filter.res),
            value: `${key}[${v.index}] ${describeP(p)}`,
            related: [
              relatedPool(p, `${describePool(p)}: the routed pool`),
              {
                ...at(peer.res, ['spec', 'filters', j]),
                message: `BGPPeer ${peer.res.name} applies the filter`,
              },
            ],
          });
        }
      }
    }
  },
});
