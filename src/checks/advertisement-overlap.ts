// Section D, ownership: addresses that both PureLB and Calico think they own.

import { at, refOf } from '../manifests/resource.ts';
import { isLoadBalancer } from '../manifests/service.ts';
import { IntervalIndex } from '../net/intervals.ts';
import { formatInterval } from '../net/ip.ts';
import {
  type CalicoPool,
  describePool,
  describePools,
  inPodPool,
  rangePath,
  relatedCalico,
  relatedPool,
  sharesCalicoLbPool,
  strictCidr,
  viewOf,
} from './advertisement-view.ts';
import type { PoolInfo } from './pools.ts';
import { defineRule } from './registry.ts';

const family = 'advertisement';

const lbPools = (ps: readonly PoolInfo[]): PoolInfo[] => ps.filter((p) => p.valid && p.range && p.subnet);

export const lbPoolOverlapsPodPool = defineRule({
  id: 'lb-pool-overlaps-pod-pool',
  family,
  severity: 'error',
  needsCalico: true,
  title: 'A PureLB pool overlaps an enabled Calico pod pool wider than its subnet',
  rationale:
    'Calico IPAM hands addresses of an enabled pool to pods; when the pod network contains LoadBalancer addresses, a pod and a Service end up with the same address and traffic to either breaks.',
  remediation:
    'Move the PureLB pool out of the pod network, or shrink the IPPool so it no longer contains the LoadBalancer range.',
  evidence: [
    'calico api/pkg/apis/projectcalico/v3/ippool.go (allowedUses, disabled)',
    'purelb internal/allocator/localpool.go',
  ],
  check(ctx) {
    const view = viewOf(ctx);
    for (const p of lbPools(ctx.pools())) {
      for (const c of view.poolIndex.overlapping(p.range!)) {
        if (!inPodPool(c, p)) continue;
        ctx.report({
          ...at(p.group.res, rangePath(p)),
          message: `${describePool(p)} overlaps ${c.label}, an enabled pod pool wider than the subnet ${p.subnet!.network}: Calico can give these addresses to pods.`,
          resource: refOf(p.group.res),
          value: `${formatInterval(p.range!)} ${c.cidr.network}`,
          related: [relatedCalico(c, `the Calico pod pool: ${c.label}`)],
        });
      }
    }
  },
});

export const lbPoolOverlapsCalicoLbPool = defineRule({
  id: 'lb-pool-overlaps-calico-lb-pool',
  family,
  severity: 'error',
  needsCalico: true,
  title: 'A PureLB pool overlaps a Calico LoadBalancer pool',
  rationale:
    "Calico's kube-controllers assign LoadBalancer addresses from allowedUses: [LoadBalancer] pools. Two allocators owning the same addresses give two Services the same IP.",
  remediation:
    'Give PureLB and Calico LoadBalancer IPAM disjoint ranges, or drop the Calico LoadBalancer pool.',
  evidence: [
    'calico api/pkg/apis/projectcalico/v3/ippool.go (allowedUses LoadBalancer)',
    'purelb internal/allocator/allocator.go',
  ],
  check(ctx) {
    const view = viewOf(ctx);
    for (const p of lbPools(ctx.pools())) {
      for (const c of view.poolIndex.overlapping(p.range!)) {
        if (!sharesCalicoLbPool(c, p)) continue;
        ctx.report({
          ...at(p.group.res, rangePath(p)),
          message: `${describePool(p)} overlaps ${c.label}, a Calico LoadBalancer pool: PureLB and Calico would both assign these addresses.`,
          resource: refOf(p.group.res),
          value: `${formatInterval(p.range!)} ${c.cidr.network}`,
          related: [relatedCalico(c, `the Calico LoadBalancer pool: ${c.label}`)],
        });
      }
    }
  },
});

export const lbCalicoLbIpamUnscoped = defineRule({
  id: 'lb-calico-lb-ipam-unscoped',
  family,
  severity: 'warning',
  needsCalico: true,
  title: 'Calico LoadBalancer IPAM is on and PureLB Services have no loadBalancerClass',
  rationale:
    'With a LoadBalancer IPPool, Calico assigns an address to every LoadBalancer Service that has no loadBalancerClass, so it races PureLB for the same Services.',
  remediation:
    'Set spec.loadBalancerClass on PureLB Services (purelb.io/purelb for v1, purelb.io/purelbv2 for v2), or remove the Calico LoadBalancer pool.',
  evidence: [
    'calico api/pkg/apis/projectcalico/v3/ippool.go (allowedUses LoadBalancer)',
    'calico issue 11607',
  ],
  check(ctx) {
    if (ctx.model.serviceGroups.length === 0) return;
    const lb: CalicoPool | undefined = viewOf(ctx).pools.find((c) => c.loadBalancer && !disabled(c));
    if (!lb) return;
    for (const s of ctx.model.services) {
      if (!isLoadBalancer(s) || s.spec.loadBalancerClass !== undefined) continue;
      ctx.report({
        ...at(s.res, ['spec', 'type']),
        message: `LoadBalancer Service ${s.res.name} has no loadBalancerClass while ${lb.label} enables Calico's LoadBalancer IPAM: Calico assigns it an address too.`,
        resource: refOf(s.res),
        value: lb.cidr.network,
        related: [relatedCalico(lb, `the Calico LoadBalancer pool: ${lb.label}`)],
      });
    }
  },
});

const disabled = (c: CalicoPool): boolean =>
  c.origin === 'ippool' ? c.fields.disabled === true : c.fields.disableNewAllocations === true;

export const lbServiceIpsDoubleAdvertised = defineRule({
  id: 'lb-service-ips-double-advertised',
  family,
  severity: 'warning',
  needsCalico: true,
  title: 'BGPConfiguration serviceLoadBalancerIPs/serviceExternalIPs overlaps a PureLB pool',
  rationale:
    'Calico advertises service*IPs ranges from every node, on top of the routes PureLB puts on kube-lb0: traffic lands on nodes that may not serve the address.',
  remediation:
    'Remove the overlapping CIDR from serviceLoadBalancerIPs/serviceExternalIPs; PureLB already advertises its pools.',
  evidence: [
    'calico api/pkg/apis/projectcalico/v3/bgpconfig.go',
    'calico issue 11607 (serviceLoadBalancerIPs)',
  ],
  check(ctx) {
    const b = viewOf(ctx).defaultConfig;
    if (!b) return;
    const index = new IntervalIndex(lbPools(ctx.pools()).map((p) => ({ iv: p.range!, value: p })));
    for (const key of ['serviceLoadBalancerIPs', 'serviceExternalIPs'] as const) {
      b.spec[key]?.forEach((e, i) => {
        // Host bits set: bgp-prefix-cidr already says Calico rejects the resource.
        const cidr = strictCidr(e.cidr);
        if (!cidr) return;
        const hit = index.overlapping(cidr);
        if (hit.length === 0) return;
        ctx.report({
          ...at(b.res, ['spec', key, i, 'cidr']),
          message: `${key} ${e.cidr} overlaps PureLB ${describePools(hit)}: Calico advertises the range from every node as well.`,
          resource: refOf(b.res),
          value: `${key} ${cidr.network}`,
          related: hit.map((p) => relatedPool(p, `${describePool(p)}: the PureLB pool it overlaps`)),
        });
      });
    }
  },
});
