// kustomize `replacements` (api/filters/replacement): a value read from one resource of the build
// (or a `sourceValue`) written into fields of others. Field paths are kyaml's: `.`-separated,
// `\.` and `[a.b]` keep a dot inside a key, `[name=x]` picks a list item by a field, `[=x]` by its
// value, a number by index, `-` the last item, and (in targets only) `*` every item. kustomize
// fails the build when a source or a target field is missing; lbguard then leaves the resource as
// written (the value-unresolved notices and other rules still read it).
import type { Locator, Path, SourceDoc } from '../manifests/document.ts';
import { isRecord } from '../manifests/load.ts';
import type { Resource } from '../manifests/resource.ts';
import { readSelector, type Target } from './patches.ts';

type Options = { delimiter?: string; index: number; create: boolean };

/** Where a replacement's value comes from: a resource of the build, or `sourceValue` as written. */
export type ReplacementSource =
  | { id: Target; fieldPath: string; options: Options }
  | { value: string; loc: Locator; at: Path };

export type Replacement = {
  source: ReplacementSource;
  /** Where the source is written, for a notice when it cannot be read. */
  where: { loc: Locator; at: Path };
  targets: { select: Target; reject: Target[]; fieldPaths: string[]; options: Options }[];
};

/** A value and where it is written. */
export type Source = { value: unknown; loc: Locator; at: Path };

const DEFAULT_FIELD = 'metadata.name';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function options(v: unknown): Options {
  const o = isRecord(v) ? v : {};
  const out: Options = { index: typeof o.index === 'number' ? o.index : 0, create: o.create === true };
  if (typeof o.delimiter === 'string' && o.delimiter !== '') out.delimiter = o.delimiter;
  return out;
}

function one(v: unknown, loc: Locator, at: Path): Replacement | undefined {
  if (!isRecord(v) || !Array.isArray(v.targets)) return undefined;
  let source: ReplacementSource;
  if (typeof v.sourceValue === 'string') source = { value: v.sourceValue, loc, at: [...at, 'sourceValue'] };
  else if (isRecord(v.source)) {
    source = {
      id: readSelector(v.source),
      fieldPath: str(v.source.fieldPath) ?? DEFAULT_FIELD,
      options: options(v.source.options),
    };
  } else return undefined;
  const targets = v.targets.filter(isRecord).flatMap((t) =>
    isRecord(t.select)
      ? [
          {
            select: readSelector(t.select),
            reject: Array.isArray(t.reject) ? t.reject.map(readSelector) : [],
            fieldPaths: Array.isArray(t.fieldPaths)
              ? t.fieldPaths.filter((p): p is string => typeof p === 'string')
              : [DEFAULT_FIELD],
            options: options(t.options),
          },
        ]
      : [],
  );
  return { source, where: { loc, at: [...at, 'value' in source ? 'sourceValue' : 'source'] }, targets };
}

/** The `replacements` of a kustomization: inline entries, and `path:` files of one or a list. */
export function readReplacements(
  doc: SourceDoc,
  data: Record<string, unknown>,
  fromFile: (path: string) => SourceDoc | undefined,
): Replacement[] {
  if (!Array.isArray(data.replacements)) return [];
  return data.replacements.flatMap((entry, i): Replacement[] => {
    if (!isRecord(entry)) return [];
    if (typeof entry.path !== 'string') {
      const r = one(entry, doc, ['replacements', i]);
      return r ? [r] : [];
    }
    const f = fromFile(entry.path);
    const v: unknown = f?.doc.toJS({ maxAliasCount: 100 });
    if (!f) return [];
    const list = Array.isArray(v) ? v.map((x, j) => one(x, f, [j])) : [one(v, f, [])];
    return list.filter((r) => r !== undefined);
  });
}

/** kyaml's SmarterPathSplitter: `.` splits, `\.` does not, `[a.b]` is the key `a.b`, `[a.b=c]` stays a matcher. */
export function splitFieldPath(path: string): string[] {
  const raw: string[] = [];
  for (const part of path.split('.')) {
    const last = raw.length - 1;
    if (last >= 0 && raw[last]!.endsWith('\\')) raw[last] = `${raw[last]!.slice(0, -1)}.${part}`;
    else raw.push(part);
  }
  if (raw.length > 1 && raw[0] === '') raw.shift();
  const out: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const elem = raw[i]!;
    if (!elem.startsWith('[') || elem.endsWith(']')) {
      out.push(elem);
      continue;
    }
    const parts = [elem];
    while (i < raw.length - 1) {
      i++;
      parts.push(raw[i]!);
      if (raw[i]!.endsWith(']')) break;
    }
    const joined = parts.join('.');
    out.push(joined.includes('=') ? joined : joined.replace(/^\[+|\]+$/g, ''));
  }
  return out;
}

const matcher = (part: string): { key: string; value: string } | undefined => {
  if (!part.startsWith('[') || !part.endsWith(']')) return undefined;
  const eq = part.indexOf('=');
  return eq < 0 ? undefined : { key: part.slice(1, eq), value: part.slice(eq + 1, -1) };
};

const matches = (item: unknown, m: { key: string; value: string }): boolean =>
  m.key === '' ? String(item) === m.value : isRecord(item) && String(item[m.key]) === m.value;

/** The value at a source field path (no wildcards), with its concrete path. */
export function lookup(data: unknown, parts: readonly string[]): { value: unknown; path: Path } | undefined {
  let v = data;
  const path: (string | number)[] = [];
  for (const part of parts) {
    if (Array.isArray(v)) {
      const m = matcher(part);
      const i = m
        ? v.findIndex((x) => matches(x, m))
        : part === '-'
          ? v.length - 1
          : /^\d+$/.test(part)
            ? Number(part)
            : -1;
      if (i < 0 || i >= v.length) return undefined;
      path.push(i);
      v = v[i];
    } else if (isRecord(v) && part in v) {
      path.push(part);
      v = v[part];
    } else return undefined;
  }
  return v === undefined || v === null ? undefined : { value: v, path };
}

/** The source's value as the replacement reads it (a `delimiter` picks one part of a string). */
export function sourceValue(
  s: Resource,
  src: Extract<ReplacementSource, { id: Target }>,
): Source | undefined {
  const found = lookup(s.data, splitFieldPath(src.fieldPath));
  if (!found) return undefined;
  let value = found.value;
  if (src.options.delimiter !== undefined) {
    if (typeof value === 'object') return undefined;
    const parts = String(value).split(src.options.delimiter);
    if (src.options.index < 0 || src.options.index >= parts.length) return undefined;
    value = parts[src.options.index];
  }
  return { value, loc: s.doc, at: found.path };
}

/**
 * Concrete paths a target field path names in `data`, creating what is missing when `create`
 * (maps, and `[k=v]` items), as kyaml's PathMatcher does; `*` takes every list item.
 */
function targetPaths(data: Record<string, unknown>, parts: readonly string[], create: boolean): Path[] {
  const out: Path[] = [];
  const walk = (v: unknown, i: number, path: Path) => {
    if (i === parts.length) {
      out.push(path);
      return;
    }
    const part = parts[i]!;
    if (Array.isArray(v)) {
      const m = matcher(part);
      if (part === '*') {
        v.forEach((x, j) => {
          walk(x, i + 1, [...path, j]);
        });
      } else if (m) {
        let j = v.findIndex((x) => matches(x, m));
        if (j < 0 && create) j = v.push(m.key === '' ? m.value : { [m.key]: m.value }) - 1;
        if (j >= 0) walk(v[j], i + 1, [...path, j]);
      } else if (/^\d+$/.test(part) && Number(part) < v.length)
        walk(v[Number(part)], i + 1, [...path, Number(part)]);
      else if (part === '-' && v.length > 0) walk(v[v.length - 1], i + 1, [...path, v.length - 1]);
      return;
    }
    if (!isRecord(v)) return;
    if (!(part in v) || v[part] === null) {
      if (!create || part === '*' || matcher(part)) return;
      const next = parts[i + 1];
      v[part] =
        next !== undefined && (matcher(next) || /^\d+$/.test(next))
          ? []
          : i + 1 < parts.length
            ? {}
            : undefined;
    }
    walk(v[part], i + 1, [...path, part]);
  };
  walk(data, 0, []);
  return out;
}

/**
 * `r` after one replacement target's field paths took `src` (each field keeps its own scalar type,
 * as kyaml keeps the target node's tag); undefined when a field path is missing (kustomize fails).
 */
export function replaceTarget(
  r: Resource,
  target: Replacement['targets'][number],
  src: Source,
): { data: Record<string, unknown>; paths: Path[] } | undefined {
  const data = structuredClone(r.data);
  const written: Path[] = [];
  for (const fp of target.fieldPaths) {
    const paths = targetPaths(data, splitFieldPath(fp), target.options.create);
    if (paths.length === 0) return undefined;
    for (const path of paths) {
      const parent = path.length
        ? (lookupPath(data, path.slice(0, -1)) as Record<string, unknown>)
        : undefined;
      if (!parent) continue;
      const key = path[path.length - 1] as string;
      const old = parent[key];
      let value: unknown = structuredClone(src.value);
      if (target.options.delimiter !== undefined) {
        if (typeof old === 'object' && old !== null) return undefined;
        const parts = old === undefined ? [] : String(old).split(target.options.delimiter);
        const v = String(value);
        const i = target.options.index;
        if (i < 0) parts.unshift(v);
        else if (i >= parts.length) parts.push(v);
        else parts[i] = v;
        value = parts.join(target.options.delimiter);
      }
      parent[key] = retype(old, value);
      written.push(path);
    }
  }
  return { data, paths: written };
}

function lookupPath(data: unknown, path: Path): unknown {
  let v = data;
  for (const seg of path)
    v = isRecord(v) || Array.isArray(v) ? (v as Record<string, unknown>)[seg as string] : undefined;
  return v;
}

/** A scalar target keeps its type: a number stays a number when the new text reads as one. */
function retype(old: unknown, value: unknown): unknown {
  if (typeof value === 'object' || old === undefined || typeof old === 'object') return value;
  const text = String(value);
  if (typeof old === 'string') return text;
  if (typeof old === 'number' && /^-?\d+(?:\.\d+)?$/.test(text)) return Number(text);
  if (typeof old === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}
