import type { Rule } from './registry.ts';

export const advertisementRules: Rule[] = [];
