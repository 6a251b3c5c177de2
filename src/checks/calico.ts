// Section C: Calico resources on their own, in catalog order.
import { bgpRules } from './calico-bgp.ts';
import { installRules } from './calico-install.ts';
import { ipPoolRules } from './calico-ippool.ts';
import type { Rule } from './registry.ts';

export const calicoRules: Rule[] = [...ipPoolRules, ...bgpRules, ...installRules];
