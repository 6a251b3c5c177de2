// Section D, BGP side: is BIRD running and peering, does it see kube-lb0, and which communities
// does each advertised prefix leave with.

import type { Fix } from '../findings.ts';
import type { BgpConfiguration } from '../manifests/calico.ts';
import { at, refOf } from '../manifests/resource.ts';
import type { FixOrReason } from './advertisement-fixes.ts';
import {
  addCommunitiesFix,
  advertEntryFix,
  resolvable,
  wantedCommunities,
  withFix,
} from './advertisement-fixes.ts';
import {
  advertEntries,
  type CalicoView,
  coveringEntries,
  describeP,
  describePool,
  describePools,
  missingRequired,
  poolPath,
  relatedPool,
  routedPools,
  viewOf,
} from './advertisement-view.ts';
import type { PoolInfo } from './pools.ts';
import { type CheckContext, defineRule } from './registry.ts';
import { routesOf } from './routes.ts';

const family = 'advertisement';
const COMMUNITIES = 'calico confd bird.cfg.template (apply_communities)';

export const lbCommunityMissing = defineRule({
  id: 'lb-community-missing',
  family,
  severity: 'notice',
  needsCalico: true,
  title: 'A routed PureLB prefix leaves without the communities border routers filter on',
  rationale:
    "PureLB's Calico guide tags LoadBalancer routes with communities so border routers can tell them apart. Calico adds communities only to routes inside a prefixAdvertisements CIDR of the BGPConfiguration; without one, the route leaves untagged (an error when the config lists required communities).",
  remediation:
    'Add {cidr: <subnet>, communities: [...]} to the default BGPConfiguration prefixAdvertisements, defining any named community in its spec.communities.',
  evidence: [
    COMMUNITIES,
    'purelb website/content/cni/calico/_index.md',
    'calico api/pkg/apis/projectcalico/v3/bgpconfig.go',
  ],
  fix: 'add {cidr: <subnet>, communities: [...]} to the default BGPConfiguration (or the missing required community to the entry that covers the prefix), defining named communities it uses from another BGPConfiguration of the scope; the communities are communities.required, else those every other PureLB entry carries; no fix when none is known or a required name has no value anywhere',
  check(ctx) {
    const view = viewOf(ctx);
    if (view.unresolvedAdverts) return;
    const required = ctx.config.requiredCommunities;
    const severity = required.length > 0 ? ({ severity: 'error' } as const) : {};
    const b = view.defaultConfig;
    const all = ctx.model.bgpConfigurations;
    const routed = routedPools(ctx.pools());
    for (const p of routed) {
      const adv = p.advertised!;
      const entries = coveringEntries(view.defaultAdverts, adv.span, adv.prefix);
      if (entries.length === 0) {
        // The default BGPConfiguration is what must change; without one, the pool is the only place to point at.
        const where = b
          ? at(
              b.res,
              b.res.doc.has(['spec', 'prefixAdvertisements'])
                ? ['spec', 'prefixAdvertisements']
                : ['metadata', 'name'],
              'key',
            )
          : at(p.group.res, poolPath(p));
        const message = `No prefixAdvertisements entry of the default BGPConfiguration covers ${describeP(p)} (${describePool(p)}): the route leaves without communities${required.length ? ` (required: ${required.join(', ')})` : ''}.`;
        ctx.report({
          ...where,
          ...severity,
          ...(b
            ? withFix({ message }, advertEntryFix(b, all, p, wantedCommunities(ctx.config, view, routed, p)))
            : { message }),
          resource: refOf(b ? b.res : p.group.res),
          value: describeP(p),
          ...(b ? { related: [relatedPool(p, `${describePool(p)}: the routed pool`)] } : {}),
        });
        continue;
      }
      const missing = missingRequired(required, entries);
      if (missing.length === 0) continue;
      const e = entries[0]!;
      ctx.report({
        ...at(e.config.res, ['spec', 'prefixAdvertisements', e.index]),
        ...severity,
        ...withFix(
          {
            message: `prefixAdvertisements entry ${e.cidr.network} covers ${describeP(p)} (${describePool(p)}) but does not add required communit${missing.length > 1 ? 'ies' : 'y'} ${missing.join(', ')}.`,
          },
          addCommunitiesFix(e.config, all, e.index, missing),
        ),
        resource: refOf(e.config.res),
        value: `${e.cidr.network} ${missing.join(',')}`,
        related: [relatedPool(p, `${describePool(p)}: the routed pool`)],
      });
    }
  },
});

/**
 * The entries the default BGPConfiguration gives each pool (as written), or, when it has none and
 * communities are required, a new one; named communities get defined in the node resource.
 */
function nodeEntriesFix(
  ctx: CheckContext,
  view: CalicoView,
  b: BgpConfiguration,
  hit: readonly PoolInfo[],
): FixOrReason {
  const all = ctx.model.bgpConfigurations;
  const fixes: Fix[] = [];
  for (const p of hit) {
    const { span, prefix } = p.advertised!;
    const entries = coveringEntries(view.defaultAdverts, span, prefix);
    const e = entries[0];
    // The default's entry as written, less names nothing defines (confd drops those anyway).
    const f = e
      ? advertEntryFix(
          b,
          all,
          p,
          e.communities.filter((c) => resolvable(c, all)),
          e.cidr.network,
        )
      : advertEntryFix(b, all, p, ctx.config.requiredCommunities);
    if ('reason' in f) return f;
    fixes.push(f.fix);
  }
  const changes = fixes.flatMap((f) => f.changes);
  return { fix: { title: fixes.map((f) => f.title).join('; '), changes } };
}

export const lbCommunityNodeOverride = defineRule({
  id: 'lb-community-node-override',
  family,
  severity: 'warning',
  needsCalico: true,
  title: "A per-node BGPConfiguration's prefixAdvertisements leave out a PureLB prefix",
  rationale:
    "confd uses a node's own prefixAdvertisements list instead of the global one (they replace, they do not merge), so on that node the PureLB route loses the communities the default BGPConfiguration gives it.",
  remediation: "Copy the PureLB entry of the default BGPConfiguration into the node's prefixAdvertisements.",
  evidence: [
    COMMUNITIES + ': the node key replaces the global key',
    'calico confd/pkg/backends/calico/client.go (getPrefixAdvertisementsKVPair writes ip_v4 and ip_v6 keys)',
  ],
  fix: "add the default BGPConfiguration's entry for the prefix to the node's list (names nothing defines left out, the others defined in the node resource when it lacks them); with no such entry, a new one with communities.required",
  check(ctx) {
    const view = viewOf(ctx);
    const routed = routedPools(ctx.pools());
    for (const b of ctx.model.bgpConfigurations) {
      // confd writes both family keys for a node that sets the field at all (an empty or
      // other-family list included), so the node list replaces the global one for both families.
      if (!b.res.name.startsWith('node.') || b.spec.prefixAdvertisements === undefined) continue;
      const own = advertEntries(b);
      const hit = routed.filter((p) => {
        const { span, prefix } = p.advertised!;
        if (coveringEntries(own, span, prefix).length > 0) return false;
        return (
          coveringEntries(view.defaultAdverts, span, prefix).length > 0 ||
          ctx.config.requiredCommunities.length > 0
        );
      });
      if (hit.length === 0) continue;
      ctx.report({
        ...at(b.res, ['spec', 'prefixAdvertisements'], 'key'),
        ...withFix(
          {
            message: `BGPConfiguration ${b.res.name} has its own prefixAdvertisements without ${describeP(hit[0]!)} (PureLB ${describePools(hit)}): on that node it replaces the global list, so the route leaves without its communities.`,
          },
          nodeEntriesFix(ctx, view, b, hit),
        ),
        resource: refOf(b.res),
        value: hit.map(describeP).join(','),
        related: hit.map((p) => relatedPool(p, `${describePool(p)}: the routed pool`)),
      });
    }
  },
});

export const lbBgpDisabled = defineRule({
  id: 'lb-bgp-disabled',
  family,
  severity: 'error',
  needsCalico: true,
  title: 'The operator Installation disables BGP while PureLB has routed pools',
  rationale:
    'With calicoNetwork.bgp: Disabled the operator runs no BIRD, so nothing PureLB puts on kube-lb0 is ever advertised.',
  remediation: 'Set calicoNetwork.bgp: Enabled, or make the pools local (L2).',
  evidence: ['tigera/operator api/v1/installation_types.go (calicoNetwork.bgp)'],
  check(ctx) {
    const routed = routedPools(ctx.pools());
    if (routed.length === 0) return;
    // The route model's reason for every route of the scope: one list, read here and there.
    for (const b of routesOf(ctx).bgpDisabled) {
      ctx.report({
        ...b.at!,
        message: `${b.text}, so routed PureLB ${describePools(routed)} is never advertised.`,
        resource: refOf(b.res!),
        value: 'Disabled',
        related: routed.map((p) => relatedPool(p, `${describePool(p)}: a routed pool`)),
      });
    }
  },
});

export const lbNoBgpPeers = defineRule({
  id: 'lb-no-bgp-peers',
  family,
  severity: 'notice',
  needsCalico: true,
  title: 'The node mesh is off and the scope has no BGPPeer',
  rationale:
    'With nodeToNodeMeshEnabled: false and no BGPPeer, BIRD has no session to send PureLB routes to. Peers may be managed elsewhere, hence a notice.',
  remediation:
    'Add a BGPPeer for the upstream router(s), or check that the repository managing them is the one deployed.',
  evidence: ['calico confd bird.cfg.template (node-to-node mesh and peers)'],
  check(ctx) {
    const b = viewOf(ctx).defaultConfig;
    const routed = routedPools(ctx.pools());
    if (b?.spec.nodeToNodeMeshEnabled !== false || ctx.model.bgpPeers.length > 0 || routed.length === 0)
      return;
    ctx.report({
      ...at(b.res, ['spec', 'nodeToNodeMeshEnabled']),
      message: `The default BGPConfiguration turns the node mesh off and this scope has no BGPPeer: the routes of PureLB ${describePools(routed)} go to no BGP session defined here.`,
      resource: refOf(b.res),
      value: 'nodeToNodeMeshEnabled',
      related: routed.map((p) => relatedPool(p, `${describePool(p)}: a routed pool`)),
    });
  },
});

export const lbInterfaceIgnored = defineRule({
  id: 'lb-interface-ignored',
  family,
  severity: 'error',
  needsCalico: true,
  title: "BIRD ignores PureLB's dummy interface",
  rationale:
    "BIRD's protocol direct imports every interface except cali*, kube-ipvs* and the BGPConfiguration's ignoredInterfaces. If the dummy interface PureLB puts routed addresses on is excluded, BIRD never sees them and nothing is advertised.",
  remediation:
    'Remove the matching ignoredInterfaces pattern, or rename the LBNodeAgent interface (default kube-lb0).',
  evidence: [
    'calico confd bird.cfg.template (protocol direct interface list)',
    'purelb internal/local/announcer_local.go',
  ],
  check(ctx) {
    const routed = routedPools(ctx.pools());
    if (routed.length === 0) return;
    const related = routed.map((p) => relatedPool(p, `${describePool(p)}: a routed pool`));
    for (const b of routesOf(ctx).interfaceIgnored) {
      ctx.report({
        ...b.at!,
        message: b.message!,
        resource: refOf(b.res!),
        value: b.value!,
        related,
      });
    }
  },
});
