// Section C, the operator Installation's shape, and namespaces on cluster-scoped Calico kinds.

import type { Path } from '../manifests/document.ts';
import { isRecord } from '../manifests/load.ts';
import { isUnresolved } from '../manifests/model.ts';
import type { Resource } from '../manifests/resource.ts';
import { caseHint, label, reportAt } from './calico-values.ts';
import { type CheckContext, defineRule } from './registry.ts';

const family = 'calico';
const INSTALLATION_TYPES = 'tigera/operator api/v1/installation_types.go';

/** CalicoNetworkSpec's JSON fields, over operator releases (tigera/operator api/v1/installation_types.go). */
const NETWORK_FIELDS = [
  'linuxDataplane',
  'windowsDataplane',
  'bpfNetworkBootstrap',
  'kubeProxyManagement',
  'bgp',
  'clusterRoutingMode',
  'ipPools',
  'mtu',
  'nodeAddressAutodetectionV4',
  'nodeAddressAutodetectionV6',
  'hostPorts',
  'multiInterfaceMode',
  'containerIPForwarding',
  'linuxPodInterfaceType',
  'sysctl',
  'linuxPolicySetupTimeoutSeconds',
];

/** The operator's IPPool JSON fields (not Calico's IPPool resource: no ipipMode, vxlanMode, disabled). */
const POOL_FIELDS = [
  'name',
  'cidr',
  'encapsulation',
  'natOutgoing',
  'nodeSelector',
  'blockSize',
  'disableBGPExport',
  'disableNewAllocations',
  'allowedUses',
  'assignmentMode',
];

const ENCAPSULATIONS = ['IPIP', 'IPIPCrossSubnet', 'VXLAN', 'VXLANCrossSubnet', 'None'];
const ENABLED_DISABLED = ['Enabled', 'Disabled'];

/** Calico IPPool fields people carry over into the operator's ipPools, and what to write instead. */
const POOL_MIXUPS: Record<string, string> = {
  ipipMode:
    'the operator takes `encapsulation: IPIP | IPIPCrossSubnet | None` instead (ipipMode is a Calico IPPool field)',
  vxlanMode:
    'the operator takes `encapsulation: VXLAN | VXLANCrossSubnet | None` instead (vxlanMode is a Calico IPPool field)',
  disabled: 'the operator takes `disableNewAllocations: true` instead (disabled is a Calico IPPool field)',
};

function unknownKeyHint(key: string, known: readonly string[], mixups: Record<string, string>): string {
  const mix = mixups[key];
  if (mix) return `; ${mix}`;
  const same = known.find((k) => k.toLowerCase() === key.toLowerCase());
  return same ? `; did you mean \`${same}\`? (field names are case-sensitive)` : '';
}

function checkEnum(
  ctx: CheckContext,
  res: Resource,
  path: Path,
  value: unknown,
  allowed: readonly string[],
  what: string,
): void {
  if (typeof value !== 'string' || isUnresolved(value) || allowed.includes(value)) return;
  ctx.report(
    reportAt(
      res,
      path,
      `${label(res)}: ${what} "${value}" is not one of ${allowed.join(', ')}${caseHint(value, allowed)}; the operator rejects it.`,
      value,
    ),
  );
}

function checkUnknownKeys(
  ctx: CheckContext,
  res: Resource,
  base: Path,
  obj: Record<string, unknown>,
  known: readonly string[],
  mixups: Record<string, string>,
): void {
  for (const key of Object.keys(obj)) {
    if (known.includes(key)) continue;
    ctx.report(
      reportAt(
        res,
        [...base, key],
        `${label(res)}: unknown field ${[...base.slice(1), key].join('.')}${unknownKeyHint(key, known, mixups)}.`,
        key,
        'key',
      ),
    );
  }
}

function checkInstallShape(ctx: CheckContext): void {
  for (const inst of ctx.model.installations) {
    const res = inst.res;
    const net = inst.spec.calicoNetwork;
    if (!net) continue;
    const base = ['spec', 'calicoNetwork'];
    checkUnknownKeys(ctx, res, base, net, NETWORK_FIELDS, {});
    checkEnum(ctx, res, [...base, 'bgp'], net.bgp, ENABLED_DISABLED, 'calicoNetwork.bgp');
    net.ipPools?.forEach((pool, i) => {
      const pb = [...base, 'ipPools', i];
      if (!isRecord(pool)) return;
      checkUnknownKeys(ctx, res, pb, pool, POOL_FIELDS, POOL_MIXUPS);
      checkEnum(
        ctx,
        res,
        [...pb, 'encapsulation'],
        pool.encapsulation,
        ENCAPSULATIONS,
        `ipPools[${i}].encapsulation`,
      );
      checkEnum(
        ctx,
        res,
        [...pb, 'natOutgoing'],
        pool.natOutgoing,
        ENABLED_DISABLED,
        `ipPools[${i}].natOutgoing`,
      );
    });
  }
}

const CALICO_GROUPS = new Set(['crd.projectcalico.org', 'projectcalico.org']);
const CLUSTER_SCOPED_CALICO = new Set(['IPPool', 'BGPConfiguration', 'BGPPeer', 'BGPFilter']);

function checkNamespaced(ctx: CheckContext): void {
  for (const res of ctx.model.resources) {
    if (!CLUSTER_SCOPED_CALICO.has(res.kind) || !CALICO_GROUPS.has(res.group) || res.namespace === undefined)
      continue;
    ctx.report({
      ...reportAt(
        res,
        ['metadata', 'namespace'],
        `${label(res)}: ${res.kind} is cluster-scoped, so metadata.namespace "${res.namespace}" is ignored; usually a sign of a copy-pasted namespaced manifest.`,
        res.namespace,
      ),
    });
  }
}

export const installShape = defineRule({
  id: 'install-shape',
  family,
  severity: 'error',
  title: 'operator Installation has a wrong enum value or an unknown field',
  rationale:
    'The operator validates calicoNetwork against its CRD: bgp and natOutgoing are Enabled or Disabled, encapsulation is IPIP, IPIPCrossSubnet, VXLAN, VXLANCrossSubnet or None (case matters), and unknown fields such as ipipMode (a Calico IPPool field) are rejected. All were seen in public repos.',
  remediation:
    'Use the exact enum spelling; write encapsulation instead of ipipMode/vxlanMode in the operator ipPools.',
  evidence: [INSTALLATION_TYPES, 'tigera/operator pkg/controller/ippool/validation.go'],
  check: checkInstallShape,
});

export const calicoNamespaced = defineRule({
  id: 'calico-namespaced',
  family,
  severity: 'notice',
  title: 'A cluster-scoped Calico resource carries metadata.namespace',
  rationale:
    'IPPool, BGPConfiguration, BGPPeer and BGPFilter are cluster-scoped; Kubernetes ignores the namespace. It usually means the manifest was copied from a namespaced one, or a kustomization namespace was expected to scope it.',
  remediation: 'Remove metadata.namespace.',
  evidence: [
    'calico api/pkg/apis/projectcalico/v3/ippool.go (+genclient:nonNamespaced)',
    'calico api/pkg/apis/projectcalico/v3/bgpconfig.go',
  ],
  check: checkNamespaced,
});
