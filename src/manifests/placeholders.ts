// `${VAR}` placeholders left in watched resources: one `value-unresolved` notice per file.
import type { InputRuleId } from '../checks/input.ts';
import type { Report } from '../findings.ts';
import type { Path } from './document.ts';
import { PLACEHOLDER } from './model.ts';
import { at, OTHER_CONTROLLER_POOLS, type Resource } from './resource.ts';

function* strings(v: unknown, path: (string | number)[]): Generator<[Path, string]> {
  if (typeof v === 'string') yield [path, v];
  else if (Array.isArray(v)) for (let i = 0; i < v.length; i++) yield* strings(v[i], [...path, i]);
  else if (typeof v === 'object' && v !== null)
    for (const [k, x] of Object.entries(v)) yield* strings(x, [...path, k]);
}

/** The spec, and the PureLB annotations Services carry their requests in. */
function* watchedStrings(r: Resource): Generator<[Path, string]> {
  for (const [key, value] of Object.entries(r.annotations)) {
    if (key.startsWith('purelb.io/')) yield [['metadata', 'annotations', key], value];
  }
  yield* strings(r.data.spec ?? {}, ['spec']);
}

export function unresolvedReports(resources: readonly Resource[]): Report<InputRuleId>[] {
  const byFile = new Map<string, { first: { r: Resource; path: Path }; names: Set<string> }>();
  for (const r of resources) {
    if (OTHER_CONTROLLER_POOLS[r.kind] !== undefined) continue; // only their presence is read
    for (const [path, s] of watchedStrings(r)) {
      if (!s.includes('${')) continue;
      const entry = byFile.get(r.file) ?? { first: { r, path }, names: new Set<string>() };
      for (const m of s.matchAll(PLACEHOLDER)) entry.names.add(m[1]!);
      byFile.set(r.file, entry);
    }
  }
  return [...byFile.entries()].map(([file, e]) => ({
    ...at(e.first.r, e.first.path),
    file,
    rule: 'value-unresolved',
    message: `Unresolved placeholders, values not checked: ${[...e.names].sort().join(', ') || '(unnamed)'}.`,
    value: [...e.names].sort().join(','),
  }));
}
