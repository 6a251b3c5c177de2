// Section D, export path: does BIRD's export filter accept each advertised prefix, and are the
// IPPools made for PureLB pools shaped so Calico neither rejects the route nor hands out the addresses.

import { editFix, remove, set } from '../fixes/build.ts';
import { at, refOf } from '../manifests/resource.ts';
import { contains, formatAddress } from '../net/ip.ts';
import { exportPoolFix, withFix } from './advertisement-fixes.ts';
import {
  allocatableFor,
  type CalicoPool,
  coverageOf,
  describeP,
  describePool,
  describePools,
  encapsulationField,
  familyName,
  groupByCalico,
  type OperatorProblem,
  operatorPoolFor,
  operatorPoolProblems,
  poolPath,
  relatedCalico,
  relatedPool,
  routedPools,
  viewOf,
} from './advertisement-view.ts';
import type { PoolInfo } from './pools.ts';
import { defineRule } from './registry.ts';
import { routesOf } from './routes.ts';

const family = 'advertisement';
const EXPORT_FILTER =
  'calico confd bird.cfg.template and bird_ipam.cfg.template (calico_export_to_bgp_peers export filter)';

const relatedAll = (ps: readonly PoolInfo[], what: string) =>
  ps.map((p) => relatedPool(p, `${describePool(p)}: ${what}`));

export const lbPoolNotExported = defineRule({
  id: 'lb-pool-not-exported',
  family,
  severity: 'error',
  needsCalico: true,
  title: "A routed PureLB pool's advertised prefix lies in no IPPool, so BIRD does not export it",
  rationale:
    "Calico's BIRD exports a connected route only when it lies inside one IPPool CIDR whose disableBGPExport is not true (or a service*IPs CIDR); everything else hits the final reject. The address is on kube-lb0 but no router learns it: the service is unreachable from outside. With aggregation default PureLB advertises the whole subnet, so an IPPool covering only the range is not enough.",
  remediation:
    "Add an IPPool whose CIDR is the pool's subnet (or contains every advertised block), with disabled: true so Calico never gives its addresses to pods.",
  evidence: [
    EXPORT_FILTER,
    'calico issue 9572 (only IPPool CIDRs are advertised)',
    'purelb website/content/cni/calico/_index.md',
  ],
  fix: "new IPPool {cidr: <subnet>, disabled: true, ipipMode/vxlanMode: Never, natOutgoing: false} named purelb-<cidr>, in calico.apiVersion or else the API flavour the scope's Calico resources use (projectcalico.org/v3 by default), appended to the file holding the scope's IPPools (else a new file in fixes.directory, else beside the BGPConfiguration); when a narrower disabled IPPool inside the subnet is the only pool in the way, that IPPool is widened to the subnet instead; no fix when anything else would overlap",
  check(ctx) {
    const view = viewOf(ctx);
    // The route model decides which routes are not exported and why; this rule says so.
    for (const r of routesOf(ctx).routes) {
      const p = r.pool;
      const cov = r.coverage;
      if (!p?.advertised || !cov?.uncovered || !r.blockers.some((b) => b.code === 'no-covering-ippool'))
        continue;
      const block = cov.uncovered;
      const nearest =
        view.poolIndex.overlapping(block)[0] ?? view.poolIndex.overlapping(p.advertised.span)[0];
      const blockText = `${formatAddress(block.family, block.start)}/${p.advertised.prefix}`;
      const whole = block.start === p.advertised.span.start && block.end === p.advertised.span.end;
      const nothing = cov.covering.length === 0 && cov.rejecting.length === 0;
      const narrow =
        (p.aggregation === 'default' || p.aggregation === undefined) &&
        nearest &&
        !contains(nearest.cidr, block)
          ? ` Aggregation default advertises the whole subnet ${blockText}, and ${nearest.label} covers only part of it.`
          : '';
      const fam = familyName(block.family);
      const what = whole
        ? `${describeP(p)}, which lies in no ${fam} IPPool that exports it`
        : nothing
          ? `${describeP(p)}, none of which lies in an ${fam} IPPool that exports it`
          : `${describeP(p)}, and ${blockText} among them lies in no ${fam} IPPool that exports it`;
      const report = withFix(
        {
          message: `PureLB ${describePool(p)} advertises ${what}: Calico's BIRD export filter rejects the route and the service is unreachable from outside the cluster.${narrow}`,
        },
        exportPoolFix(ctx.model, ctx.config, view, p),
      );
      ctx.report({
        ...at(p.group.res, poolPath(p)),
        ...report,
        resource: refOf(p.group.res),
        value: describeP(p),
        ...(nearest
          ? {
              related: [
                relatedCalico(
                  nearest,
                  `nearest Calico pool: ${nearest.label}, does not contain ${blockText}`,
                ),
              ],
            }
          : {}),
      });
    }
  },
});

export const lbIpPoolAllocatable = defineRule({
  id: 'lb-ippool-allocatable',
  family,
  severity: 'error',
  needsCalico: true,
  title: 'An IPPool made for a PureLB pool lets Calico give its addresses to pods',
  rationale:
    'An IPPool inside a PureLB subnet exists to make BIRD export the LoadBalancer routes. Enabled for Workload/Tunnel use, Calico IPAM also assigns those addresses to pods, and a pod and a Service then share an address.',
  remediation: 'Set disabled: true on the IPPool (disabled pools are still exported).',
  evidence: [
    EXPORT_FILTER,
    'calico api/pkg/apis/projectcalico/v3/ippool.go',
    'purelb website/content/cni/calico/_index.md',
  ],
  fix: 'disabled: true on the IPPool',
  check(ctx) {
    const view = viewOf(ctx);
    const pairs: [CalicoPool, PoolInfo][] = [];
    for (const p of ctx.pools()) {
      if (!p.valid || !p.subnet) continue;
      for (const c of view.poolIndex.overlapping(p.subnet)) {
        if (allocatableFor(c, p)) pairs.push([c, p]);
      }
    }
    for (const [c, ps] of groupByCalico(pairs)) {
      const path = c.res.doc.has([...c.path, 'disabled']) ? [...c.path, 'disabled'] : [...c.path, 'cidr'];
      ctx.report({
        ...at(c.res, path),
        message: `${c.label} lies within the subnet of PureLB ${describePools(ps)} but is enabled for Workload/Tunnel use: Calico can give these addresses to pods. Set disabled: true.`,
        resource: refOf(c.res),
        value: c.cidr.network,
        // allocatableFor picks IPPool resources only: operator ipPools are lb-operator-pool's.
        fix: editFix(`Set disabled: true on IPPool ${c.res.name}`, c.res, set([...c.path, 'disabled'], true)),
        related: relatedAll(ps, 'the PureLB pool this IPPool was made for'),
      });
    }
  },
});

export const lbIpPoolExportDisabled = defineRule({
  id: 'lb-ippool-export-disabled',
  family,
  severity: 'error',
  needsCalico: true,
  title: 'An IPPool containing a PureLB prefix has disableBGPExport: true',
  rationale:
    "BIRD's export filter rejects every route inside a disableBGPExport pool before any IPPool can accept it, so the LoadBalancer addresses are never advertised.",
  remediation: 'Remove disableBGPExport from the IPPool (or set it to false).',
  evidence: [EXPORT_FILTER + ': reject_disabled_pools() runs first'],
  fix: 'drop the disableBGPExport field',
  check(ctx) {
    const pairs: [CalicoPool, PoolInfo][] = [];
    for (const r of routesOf(ctx).routes)
      if (r.pool) for (const c of r.coverage?.rejecting ?? []) pairs.push([c, r.pool]);
    for (const [c, ps] of groupByCalico(pairs)) {
      ctx.report({
        ...at(c.res, [...c.path, 'disableBGPExport']),
        message: `${c.label} has disableBGPExport: true and contains ${describeP(ps[0]!)} of PureLB ${describePools(ps)}: BIRD rejects the route before any IPPool accepts it.`,
        resource: refOf(c.res),
        value: c.cidr.network,
        fix: editFix(
          `Remove disableBGPExport from ${c.origin === 'ippool' ? `IPPool ${c.res.name}` : c.label}`,
          c.res,
          remove([...c.path, 'disableBGPExport']),
        ),
        related: relatedAll(ps, 'the PureLB pool whose routes are rejected'),
      });
    }
  },
});

export const lbIpPoolEncapsulated = defineRule({
  id: 'lb-ippool-encapsulated',
  family,
  severity: 'warning',
  needsCalico: true,
  title: 'The IPPool that exports a PureLB prefix has IPIP or VXLAN enabled',
  rationale:
    "Calico's own LoadBalancer pools must have no encapsulation; with ipipMode/vxlanMode set, routes inside the pool are programmed as tunnel routes (or not at all, for VXLAN) on other nodes instead of following BGP.",
  remediation: 'Set ipipMode: Never and vxlanMode: Never on the IPPool.',
  evidence: [
    'calico confd bird_ipam.cfg.template (calico_kernel_programming: VXLAN routes are not programmed)',
    'calico libcalico-go/lib/validator/v3/validator.go (LoadBalancer pools: no encapsulation)',
  ],
  fix: 'set ipipMode and vxlanMode to Never',
  check(ctx) {
    const pairs: [CalicoPool, PoolInfo][] = [];
    for (const p of routedPools(ctx.pools())) {
      for (const e of coverageOf(ctx, p)?.covering ?? []) {
        if (e.pool && encapsulationField(e.pool)) pairs.push([e.pool, p]);
      }
    }
    for (const [c, ps] of groupByCalico(pairs)) {
      const field = encapsulationField(c)!;
      ctx.report({
        ...at(c.res, [...c.path, field]),
        message: `${c.label} exports ${describeP(ps[0]!)} of PureLB ${describePools(ps)} but has ${field}: ${String(c.fields[field])}; LoadBalancer routes need Never.`,
        resource: refOf(c.res),
        value: c.cidr.network,
        fix: editFix(
          `Set ipipMode and vxlanMode to Never on IPPool ${c.res.name}`,
          c.res,
          // Both, so fixing one mode does not leave the other for a second run.
          ...(['ipipMode', 'vxlanMode'] as const)
            .filter((f) => typeof c.fields[f] === 'string' && c.fields[f] !== 'Never')
            .map((f) => set([...c.path, f], 'Never')),
        ),
        related: relatedAll(ps, 'the PureLB pool this IPPool exports'),
      });
    }
  },
});

export const lbLocalPoolExported = defineRule({
  id: 'lb-local-pool-exported',
  family,
  severity: 'notice',
  needsCalico: true,
  title: 'A local (L2) PureLB pool is covered by an exporting Calico IPPool',
  rationale:
    "A local pool's addresses sit on the node's LAN interface and are announced by ARP/ND. A Calico IPPool that contains them makes BIRD export the LAN's connected route from every node too (inferred from the export filter).",
  remediation: 'Remove the IPPool (local pools need none), or set disableBGPExport: true on it.',
  evidence: [EXPORT_FILTER, 'purelb internal/local/announcer_local.go'],
  check(ctx) {
    const view = viewOf(ctx);
    const pairs: [CalicoPool, PoolInfo][] = [];
    for (const p of ctx.pools()) {
      if (!p.valid || p.routed || !p.advertised) continue;
      const { span, prefix } = p.advertised;
      // BIRD exports a connected route only when one pool CIDR contains it (`net ~ cidr`): the
      // IPPool must be at least as wide as the blocks the local pool puts on the LAN interface.
      for (const c of view.poolIndex.overlapping(span)) {
        if (!c.exportDisabled && c.cidr.prefix <= prefix) pairs.push([c, p]);
      }
    }
    for (const [c, ps] of groupByCalico(pairs)) {
      ctx.report({
        ...at(c.res, [...c.path, 'cidr']),
        message: `${c.label} contains local (L2) PureLB ${describePools(ps)}: Calico would also export the node LAN's route by BGP.`,
        resource: refOf(c.res),
        value: c.cidr.network,
        related: relatedAll(ps, 'the local pool, announced by ARP/ND'),
      });
    }
  },
});

/** What each operator ipPool field must say for a pool made for PureLB. */
const OPERATOR_FIX: Record<OperatorProblem['field'], (c: CalicoPool) => string | number | boolean> = {
  encapsulation: () => 'None',
  disableNewAllocations: () => true,
};

export const lbOperatorPool = defineRule({
  id: 'lb-operator-pool',
  family,
  severity: 'error',
  needsCalico: true,
  title: 'An operator Installation ipPool made for a PureLB pool is not shaped for it',
  rationale:
    'The tigera operator creates the IPPool from the Installation: without encapsulation: None (it defaults IPv4 pools to IPIP) its routes are tunnelled, and without disableNewAllocations: true Calico IPAM gives the addresses to pods. A blockSize the operator refuses is ippool-block-size (every operator pool).',
  remediation: 'Set encapsulation: None and disableNewAllocations: true.',
  evidence: [
    'tigera/operator api/v1/installation_types.go',
    'tigera/operator pkg/controller/ippool/defaults.go (IPIP by default for IPv4 with the Calico CNI)',
  ],
  fix: 'set encapsulation: None and disableNewAllocations: true',
  check(ctx) {
    const view = viewOf(ctx);
    const pairs: [CalicoPool, PoolInfo][] = [];
    for (const p of ctx.pools()) {
      if (!p.valid || !p.subnet) continue;
      for (const c of view.poolIndex.overlapping(p.subnet)) if (operatorPoolFor(c, p)) pairs.push([c, p]);
    }
    for (const [c, ps] of groupByCalico(pairs)) {
      for (const { field, problem } of operatorPoolProblems(c)) {
        // A missing field points at the ipPool item, a wrong one at its value.
        const path = c.res.doc.has([...c.path, field]) ? [...c.path, field] : c.path;
        ctx.report({
          ...at(c.res, path),
          message: `${c.label} is made for PureLB ${describePools(ps)} but ${problem}.`,
          resource: refOf(c.res),
          value: `${c.cidr.network} ${field}`,
          fix: editFix(
            `Set ${field}: ${String(OPERATOR_FIX[field](c))} on ${c.label}`,
            c.res,
            set([...c.path, field], OPERATOR_FIX[field](c)),
          ),
          related: relatedAll(ps, 'the PureLB pool this ipPool was made for'),
        });
      }
    }
  },
});
