// Calico resources (crd.projectcalico.org/v1 and projectcalico.org/v3 share one spec) and the
// tigera operator's Installation.
import { z } from 'zod';
import type { Resource } from './resource.ts';

const metadata = z.object({ name: z.string({ error: 'metadata.name is required' }) }).loose();
const cidrEntry = z.object({ cidr: z.string().optional() }).loose();
/** AS numbers are written as integers or as asdot strings ("65000.1"); both are checked by `bgp-asnumber`. */
const asNumber = z.union([z.number(), z.string()]);

export const ipPoolSchema = z
  .object({
    metadata,
    spec: z
      .object({
        cidr: z.string({ error: 'spec.cidr is required (a CIDR string)' }),
        blockSize: z.number().int().optional(),
        ipipMode: z.string().optional(),
        vxlanMode: z.string().optional(),
        natOutgoing: z.boolean().optional(),
        disabled: z.boolean().optional(),
        disableBGPExport: z.boolean().optional(),
        nodeSelector: z.string().optional(),
        allowedUses: z.array(z.string()).optional(),
        assignmentMode: z.string().optional(),
      })
      .loose(),
  })
  .loose();

export const bgpConfigurationSchema = z
  .object({
    metadata,
    spec: z
      .object({
        asNumber: asNumber.optional(),
        nodeToNodeMeshEnabled: z.boolean().optional(),
        serviceClusterIPs: z.array(cidrEntry).optional(),
        serviceExternalIPs: z.array(cidrEntry).optional(),
        serviceLoadBalancerIPs: z.array(cidrEntry).optional(),
        communities: z
          .array(z.object({ name: z.string().optional(), value: z.string().optional() }).loose())
          .optional(),
        prefixAdvertisements: z
          .array(
            z.object({ cidr: z.string().optional(), communities: z.array(z.string()).optional() }).loose(),
          )
          .optional(),
        ignoredInterfaces: z.array(z.string()).optional(),
        nodeMeshPassword: z.unknown().optional(),
        nodeMeshMaxRestartTime: z.unknown().optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

export const bgpPeerSchema = z
  .object({
    metadata,
    spec: z
      .object({
        asNumber: asNumber.optional(),
        peerIP: z.string().optional(),
        node: z.string().optional(),
        nodeSelector: z.string().optional(),
        peerSelector: z.string().optional(),
        filters: z.array(z.string()).optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

const filterRule = z
  .object({
    action: z.string().optional(),
    matchOperator: z.string().optional(),
    cidr: z.string().optional(),
    source: z.string().optional(),
    interface: z.string().optional(),
    prefixLength: z.object({ min: z.number().optional(), max: z.number().optional() }).loose().optional(),
  })
  .loose();

export const bgpFilterSchema = z
  .object({
    metadata,
    spec: z
      .object({
        exportV4: z.array(filterRule).optional(),
        importV4: z.array(filterRule).optional(),
        exportV6: z.array(filterRule).optional(),
        importV6: z.array(filterRule).optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

const operatorIpPool = z
  .object({
    name: z.string().optional(),
    cidr: z.string().optional(),
    blockSize: z.number().int().optional(),
    encapsulation: z.string().optional(),
    natOutgoing: z.string().optional(),
    nodeSelector: z.string().optional(),
    disableBGPExport: z.boolean().optional(),
    disableNewAllocations: z.boolean().optional(),
    allowedUses: z.array(z.string()).optional(),
    assignmentMode: z.string().optional(),
  })
  .loose();

export const installationSchema = z
  .object({
    metadata,
    spec: z
      .object({
        calicoNetwork: z
          .object({ bgp: z.string().optional(), ipPools: z.array(operatorIpPool).optional() })
          .loose()
          .optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

export type IpPoolSpec = z.infer<typeof ipPoolSchema>['spec'];
export type BgpConfigurationSpec = NonNullable<z.infer<typeof bgpConfigurationSchema>['spec']>;
export type BgpPeerSpec = NonNullable<z.infer<typeof bgpPeerSchema>['spec']>;
export type BgpFilterSpec = NonNullable<z.infer<typeof bgpFilterSchema>['spec']>;
export type BgpFilterRule = z.infer<typeof filterRule>;
export type InstallationSpec = NonNullable<z.infer<typeof installationSchema>['spec']>;
export type OperatorIpPool = z.infer<typeof operatorIpPool>;

export type IpPool = { res: Resource; spec: IpPoolSpec };
export type BgpConfiguration = { res: Resource; spec: BgpConfigurationSpec };
export type BgpPeer = { res: Resource; spec: BgpPeerSpec };
export type BgpFilter = { res: Resource; spec: BgpFilterSpec };
export type Installation = { res: Resource; spec: InstallationSpec };
