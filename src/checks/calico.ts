import type { Rule } from './registry.ts';

export const calicoRules: Rule[] = [];
