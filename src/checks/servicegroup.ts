import type { Rule } from './registry.ts';

export const serviceGroupRules: Rule[] = [];
