// The rule registry: every rule lbguard knows, in catalog order.
import { advertisementRules } from './advertisement.ts';
import { calicoRules } from './calico.ts';
import { inputRules } from './input.ts';
import type { Rule } from './registry.ts';
import { routeRules } from './route-rules.ts';
import { serviceGroupRules } from './servicegroup.ts';
import { serviceRules } from './services.ts';

export const RULES: readonly Rule[] = [
  ...inputRules,
  ...serviceGroupRules,
  ...calicoRules,
  ...advertisementRules,
  ...serviceRules,
  ...routeRules,
];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.id, r]));
export const RULE_IDS: ReadonlySet<string> = new Set(RULES_BY_ID.keys());
