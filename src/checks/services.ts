import type { Rule } from './registry.ts';

export const serviceRules: Rule[] = [];
