// `lbguard.dev/ignore: "rule-a,rule-b: reason"` on a resource: which rules it silences there and
// why. Suppressed findings are counted and kept (SARIF suppressions), never silently dropped, and an
// id that names no rule is itself a finding, with the nearest real id.
import type { InputRuleId } from '../checks/input.ts';
import type { Report } from '../findings.ts';
import { nearest } from '../suggest.ts';
import { IGNORE_ANNOTATION, type Resource, refOf } from './resource.ts';

export type Ignore = { rules: Set<string>; reason?: string };

/** The ids before the first colon, comma-separated; the reason after it. */
export function parseIgnore(value: string): Ignore {
  const colon = value.indexOf(':');
  const ids = colon < 0 ? value : value.slice(0, colon);
  const reason = colon < 0 ? '' : value.slice(colon + 1).trim();
  return {
    rules: new Set(
      ids
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
    ...(reason ? { reason } : {}),
  };
}

export function ignoreOf(r: Resource): Ignore | undefined {
  const v = r.annotations[IGNORE_ANNOTATION];
  return v === undefined ? undefined : parseIgnore(v);
}

/** One `ignore-unknown-rule` per id that is no rule, at the annotation's value. */
export function unknownIgnoreReports(
  resources: readonly Resource[],
  known: ReadonlySet<string>,
): Report<InputRuleId>[] {
  const out: Report<InputRuleId>[] = [];
  for (const r of resources) {
    const ignore = ignoreOf(r);
    for (const id of ignore?.rules ?? []) {
      if (known.has(id)) continue;
      const guess = nearest(id, known);
      out.push({
        ...r.doc.span(['metadata', 'annotations', IGNORE_ANNOTATION]),
        rule: 'ignore-unknown-rule',
        message: `${IGNORE_ANNOTATION} names "${id}", which is no rule id${guess ? ` (did you mean ${guess}?)` : ''}; nothing is suppressed for it.`,
        resource: refOf(r),
        value: id,
      });
    }
  }
  return out;
}
