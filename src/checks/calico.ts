// Section C: Calico resources on their own, in catalog order.

import {
  bgpAsnumber,
  bgpCommunity4byteAsn,
  bgpCommunityFormat,
  bgpCommunityUndefined,
  bgpCommunityUnused,
  bgpDefaultOnlyField,
  bgpPrefixCidr,
  bgpServiceCidrOverlapsPool,
} from './calico-bgp.ts';
import { calicoNamespaced, installShape } from './calico-install.ts';
import {
  ippoolAllowedUses,
  ippoolBlockSize,
  ippoolCidr,
  ippoolEncapsulation,
  ippoolLinkLocal,
  ippoolOverlap,
} from './calico-ippool.ts';
import type { Rule } from './registry.ts';

export const calicoRules: readonly Rule[] = [
  ippoolCidr,
  ippoolOverlap,
  ippoolBlockSize,
  ippoolEncapsulation,
  ippoolLinkLocal,
  ippoolAllowedUses,
  bgpAsnumber,
  bgpCommunityFormat,
  bgpCommunityUndefined,
  bgpCommunityUnused,
  bgpCommunity4byteAsn,
  bgpPrefixCidr,
  bgpDefaultOnlyField,
  bgpServiceCidrOverlapsPool,
  installShape,
  calicoNamespaced,
];
