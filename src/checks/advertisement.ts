// Section D: PureLB against Calico. Every rule needs Calico managed in the scope; the engine
// reports calico-not-in-scope once when it is not. Catalog order.
import {
  lbBgpDisabled,
  lbCommunityMissing,
  lbCommunityNodeOverride,
  lbInterfaceIgnored,
  lbNoBgpPeers,
} from './advertisement-bgp.ts';
import {
  lbIpPoolAllocatable,
  lbIpPoolEncapsulated,
  lbIpPoolExportDisabled,
  lbLocalPoolExported,
  lbOperatorPool,
  lbPoolNotExported,
} from './advertisement-export.ts';
import { lbBgpFilterRejects } from './advertisement-filter.ts';
import {
  lbCalicoLbIpamUnscoped,
  lbPoolOverlapsCalicoLbPool,
  lbPoolOverlapsPodPool,
  lbServiceIpsDoubleAdvertised,
} from './advertisement-overlap.ts';
import type { Rule } from './registry.ts';

export const advertisementRules: readonly Rule[] = [
  lbPoolNotExported,
  lbIpPoolAllocatable,
  lbIpPoolExportDisabled,
  lbIpPoolEncapsulated,
  lbPoolOverlapsPodPool,
  lbPoolOverlapsCalicoLbPool,
  lbCalicoLbIpamUnscoped,
  lbServiceIpsDoubleAdvertised,
  lbCommunityMissing,
  lbCommunityNodeOverride,
  lbBgpDisabled,
  lbNoBgpPeers,
  lbInterfaceIgnored,
  lbBgpFilterRejects,
  lbLocalPoolExported,
  lbOperatorPool,
];
