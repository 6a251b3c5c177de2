// Schema validation at the edge: a watched resource whose fields have the wrong type becomes
// `resource-shape` findings at the offending keys. The offending fields are then left out and
// the rest is parsed again, so one bad field hides no independent check on the others (a
// boolean natOutgoing must not hide an unknown ipipMode beside it). Only a resource whose
// remainder still does not parse stays out of the model.
import type { z } from 'zod';
import type { InputRuleId } from '../checks/input.ts';
import type { Report } from '../findings.ts';
import { at, type Resource, refOf } from './resource.ts';

type Key = string | number;

/** A copy of `data` without the value at `path`; a bad list item takes its whole list with it. */
function without(data: unknown, path: readonly Key[]): unknown {
  const cut = typeof path.at(-1) === 'number' ? path.slice(0, -1) : path;
  if (cut.length === 0) return data;
  const copy = structuredClone(data) as Record<Key, unknown>;
  let node: unknown = copy;
  for (const k of cut.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return copy;
    node = (node as Record<Key, unknown>)[k];
  }
  if (node !== null && typeof node === 'object') {
    const last = cut.at(-1)!;
    if (Array.isArray(node) && typeof last === 'number') node.splice(last, 1);
    else delete (node as Record<Key, unknown>)[last];
  }
  return copy;
}

export function checkShape<T>(
  r: Resource,
  schema: z.ZodType<T>,
  reports: Report<InputRuleId>[],
): T | undefined {
  const result = schema.safeParse(r.data);
  if (result.success) return result.data;
  let rest: unknown = r.data;
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
    rest = without(rest, path);
  }
  const again = schema.safeParse(rest);
  return again.success ? again.data : undefined;
}
