// kustomize's strategic merge (kyaml merge2, as its PatchStrategicMergeTransformer and
// PatchTransformer call it): maps merge, `null` deletes a key, `$patch: delete|replace|merge` acts
// on the map or list it sits in. Lists merge by key only where kustomize's built-in OpenAPI
// schema gives a patch strategy (`x-kubernetes-patch-strategy: merge` with
// `x-kubernetes-list-map-keys`, else `x-kubernetes-patch-merge-key`); kustomize does not infer
// keys for kinds it has no schema for (the walker's InferAssociativeLists is off), so a custom
// resource's list (an IPPool's, a ServiceGroup's) is replaced by the patch's, as written.
// Patch items come first in a merged list (MergeOptionsListPrepend), then the base's others.
import type { Path } from '../manifests/document.ts';
import { isRecord } from '../manifests/load.ts';

/**
 * Merge keys of the lists in the watched built-in kinds, from kustomize's Kubernetes 1.21 schema:
 * Service `spec.ports` (list-map-keys port, protocol), and every object's `metadata.finalizers`
 * (a merged primitive list) and `metadata.ownerReferences` (uid).
 */
const MERGE_KEYS: Record<string, Record<string, readonly string[]>> = {
  Service: { 'spec.ports': ['port', 'protocol'] },
};
const META_KEYS: Record<string, readonly string[]> = {
  'metadata.finalizers': [],
  'metadata.ownerReferences': ['uid'],
};

const schemaKeys = (kind: string, path: Path): readonly string[] | undefined => {
  const at = path.filter((s) => typeof s === 'string').join('.');
  return path.some((s) => typeof s === 'number') ? undefined : (MERGE_KEYS[kind]?.[at] ?? META_KEYS[at]);
};

/** A subtree of the result set by the patch (`at`, in the patch's document). */
export type Write = { path: Path; at: Path };
/** A subtree of the result that is the base's subtree `from` (a list element that moved). */
export type Move = { path: Path; from: Path };
export type MergeResult = { data: Record<string, unknown>; writes: Write[]; moves: Move[] };

const DIRECTIVE = '$patch';
const directive = (v: Record<string, unknown>) => (typeof v[DIRECTIVE] === 'string' ? v[DIRECTIVE] : 'merge');
const DELETE = Symbol('delete');

/** The resource after the patch; undefined when the patch deletes it (`$patch: delete` at the top). */
export function strategicMerge(
  kind: string,
  base: Record<string, unknown>,
  patch: Record<string, unknown>,
): MergeResult | undefined {
  const out: MergeResult = { data: base, writes: [], moves: [] };
  const merged = new Merge(kind, out).value(base, patch, [], [], []);
  if (merged === DELETE || !isRecord(merged)) return undefined;
  out.data = merged;
  return out;
}

class Merge {
  private readonly kind: string;
  private readonly out: MergeResult;

  constructor(kind: string, out: MergeResult) {
    this.kind = kind;
    this.out = out;
  }

  /** `at`: the result's path; `from`: the base's; `p`: the patch's. */
  value(base: unknown, patch: unknown, at: Path, from: Path, p: Path): unknown {
    if (isRecord(patch)) return this.map(base, patch, at, from, p);
    if (Array.isArray(patch)) return this.list(base, patch, at, from, p);
    this.out.writes.push({ path: at, at: p });
    return patch;
  }

  map(base: unknown, patch: Record<string, unknown>, at: Path, from: Path, p: Path): unknown {
    const how = directive(patch);
    if (how === 'delete') return DELETE;
    if (!isRecord(base) || how === 'replace') {
      // Added (or replaced) whole: still read for directives inside it.
      this.out.writes.push({ path: at, at: p });
      return this.fields({}, patch, at, p, p, true);
    }
    if (at.join('/') !== from.join('/')) this.out.moves.push({ path: at, from });
    return this.fields(base, patch, at, from, p, false);
  }

  fields(
    base: Record<string, unknown>,
    patch: Record<string, unknown>,
    at: Path,
    from: Path,
    p: Path,
    fresh: boolean,
  ) {
    const res: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(patch)) {
      if (k.startsWith('$')) continue;
      if (v === null) {
        delete res[k];
        continue;
      }
      const merged = fresh
        ? this.value(undefined, v, [...at, k], [...p, k], [...p, k])
        : this.value(base[k], v, [...at, k], [...from, k], [...p, k]);
      if (merged === DELETE) delete res[k];
      else res[k] = merged;
    }
    return res;
  }

  list(base: unknown, patch: unknown[], at: Path, from: Path, p: Path): unknown {
    const keys = schemaKeys(this.kind, at);
    if (keys === undefined) {
      // No schema: the patch's list replaces the base's, as written.
      this.out.writes.push({ path: at, at: p });
      return patch;
    }
    const only = patch.find((e) => isRecord(e) && Object.keys(e).length === 1 && DIRECTIVE in e);
    const how = only && isRecord(only) ? directive(only) : 'merge';
    if (how === 'delete') return DELETE;
    const items = patch.map((e, i) => ({ e, i })).filter(({ e }) => e !== only);
    const old = Array.isArray(base) && how !== 'replace' ? base : [];
    const res: unknown[] = [];
    const used = new Set<number>();
    for (const { e, i } of items) {
      const j = old.findIndex((b, n) => !used.has(n) && sameItem(keys, b, e));
      if (j >= 0) used.add(j);
      const merged =
        j >= 0
          ? this.value(old[j], e, [...at, res.length], [...from, j], [...p, i])
          : this.value(undefined, e, [...at, res.length], [...p, i], [...p, i]);
      if (merged !== DELETE) res.push(merged);
    }
    old.forEach((b, j) => {
      if (used.has(j)) return;
      this.out.moves.push({ path: [...at, res.length], from: [...from, j] });
      res.push(b);
    });
    if (!Array.isArray(base) || how === 'replace') this.out.writes.push({ path: at, at: p });
    return res;
  }
}

/**
 * Whether two list items are one by the merge keys, as kyaml's `match`: some key equal, and the
 * others equal or missing on one side (a port without `protocol` is the TCP port of that number).
 * A primitive list (no keys) matches by value.
 */
function sameItem(keys: readonly string[], a: unknown, b: unknown): boolean {
  if (keys.length === 0) return a === b;
  if (!isRecord(a) || !isRecord(b)) return false;
  let common = false;
  for (const k of keys) {
    const x = a[k] === undefined ? '' : String(a[k]);
    const y = b[k] === undefined ? '' : String(b[k]);
    if (x === y && x !== '') common = true;
    else if (x !== '' && y !== '') return false;
  }
  return common;
}
