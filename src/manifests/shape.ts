// Schema validation at the edge: a watched resource whose fields have the wrong type becomes
// `resource-shape` findings at the offending keys, and stays out of the model.
import type { z } from 'zod';
import type { InputRuleId } from '../checks/input.ts';
import type { Report } from '../findings.ts';
import { at, type Resource, refOf } from './resource.ts';

export function checkShape<T>(
  r: Resource,
  schema: z.ZodType<T>,
  reports: Report<InputRuleId>[],
): T | undefined {
  const result = schema.safeParse(r.data);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const where = path.length > 0 ? path.join('.') : '(document)';
    reports.push({
      ...at(r, path),
      rule: 'resource-shape',
      message: `${r.kind} ${r.name || '(unnamed)'}: ${where}: ${issue.message}`,
      resource: refOf(r),
      value: where,
    });
  }
  return undefined;
}
