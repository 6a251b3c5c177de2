// Section D, BGPFilter: a peer's export filters run before Calico's own export function, so a
// Reject drops the PureLB route and an Accept sends it before prefixAdvertisements add communities.
import { at, refOf } from '../manifests/resource.ts';
import { describeP, describePool, relatedPool } from './advertisement-view.ts';
import { defineRule } from './registry.ts';
import { routesOf } from './routes.ts';

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
    const required = ctx.config.requiredCommunities.length > 0;
    const seen = new Set<string>();
    // The route model evaluates every peer's filters once; this rule reports the decisive rules.
    for (const r of routesOf(ctx).routes) {
      const p = r.pool;
      if (!p) continue;
      for (const h of r.hits) {
        if (h.action === 'Accept' && r.communities.length === 0 && !required) continue;
        const id = `${h.filter.res.name}\u0000${h.key}\u0000${h.index}\u0000${p.group.res.name}\u0000${p.pool.pool}`;
        if (seen.has(id)) continue;
        seen.add(id);
        const peer = h.peer.res!;
        const j = (ctx.model.bgpPeers.find((x) => x.res === peer)?.spec.filters ?? []).indexOf(
          h.filter.res.name,
        );
        const effect =
          h.action === 'Reject'
            ? 'rejects it, so that peer never learns the route'
            : 'accepts it before Calico adds the prefixAdvertisements communities, so it leaves untagged';
        ctx.report({
          ...h.at,
          message: `BGPFilter ${h.filter.res.name} ${h.key}[${h.index}] (used by ${h.peer.name}) matches ${describeP(p)} of PureLB ${describePool(p)} and ${effect}.`,
          resource: refOf(h.filter.res),
          value: `${h.key}[${h.index}] ${describeP(p)}`,
          related: [
            relatedPool(p, `${describePool(p)}: the routed pool`),
            { ...at(peer, ['spec', 'filters', j]), message: `${h.peer.name} applies the filter` },
          ],
        });
      }
    }
  },
});
