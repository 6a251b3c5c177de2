// Section F: the route model's own rule. Catalog order.
import { refOf } from '../manifests/resource.ts';
import { defineRule } from './registry.ts';
import { peerCounts, routesOf } from './routes.ts';

export const routesMaxPerPeer = defineRule({
  id: 'routes-max-per-peer',
  family: 'routes',
  severity: 'warning',
  needsCalico: true,
  title: 'A scope announces more routes to one BGP peer than routes.maxPerPeer allows',
  rationale:
    "Routers protect themselves with a max-prefix limit per session: a peer that sends more prefixes than that gets its session torn down, and every route on it is lost, not only the new ones. A /32 aggregation over a range announces one route per address, so a wider pool or a new ServiceGroup can multiply a cluster's routes.",
  remediation:
    "Aggregate the pool (aggregation default or a shorter /N), narrow the range, filter the prefixes off that peer with a BGPFilter, or raise the router's limit and routes.maxPerPeer together.",
  evidence: [
    'purelb internal/local/network.go (addVirtualInt: the address mask is the aggregation)',
    'calico confd/pkg/backends/calico/bgp_processor.go (buildExportFilter: per-peer BGPFilters, then calico_export_to_bgp_peers)',
    'docs/routes.md (how lbguard counts routes per peer)',
  ],
  check(ctx) {
    const max = ctx.config.routes.maxPerPeer;
    if (max === undefined) return;
    const model = routesOf(ctx);
    for (const { peer, count } of peerCounts(model)) {
      if (count <= max) continue;
      const largest = model.routes
        .map((r) => ({ r, n: r.receipts.find((x) => x.peer === peer)?.count ?? 0 }))
        .filter((x) => x.n > 0)
        .sort((a, b) => b.n - a.n)
        .slice(0, 3);
      // The peer's own resource; the mesh has the default BGPConfiguration, or else its largest route.
      const where = peer.at ?? largest[0]!.r.source.at;
      const res = peer.res ?? largest[0]!.r.source.res;
      ctx.report({
        ...where,
        message: `Scope "${ctx.scope}" announces ${count} routes to ${peer.name}, over routes.maxPerPeer ${max}: a router with that max-prefix limit drops the session. The most come from ${largest.map((x) => `${x.r.prefix} (${x.n})`).join(', ')}.`,
        resource: refOf(res),
        value: peer.name,
        related: largest.map(({ r, n }) => ({
          ...r.source.at,
          message: `${r.prefix}: ${n} routes to ${peer.name}`,
        })),
      });
    }
  },
});

export const routeRules = [routesMaxPerPeer];
