// Scopes: which files describe one cluster. Cross-resource rules never look across scopes.
import { globMatcher } from '../glob.ts';

export type Scope = {
  name: string;
  files: Set<string>;
  reason: string;
  /** Where the cluster is entered from: its Flux entry folder, kustomize root, or alternative folder. */
  entry?: string;
};

export const DEFAULT_SCOPE = 'default';

/**
 * `clusters: {name: [globs]}` puts each file in every cluster whose globs match it (a shared
 * base can belong to several); files in no cluster form one more scope. No clusters: one scope.
 */
export function buildScopes(
  paths: readonly string[],
  clusters: Record<string, string[]> | undefined,
): Scope[] {
  if (!clusters || Object.keys(clusters).length === 0) {
    return [
      { name: DEFAULT_SCOPE, files: new Set(paths), reason: 'the whole repository (no clusters configured)' },
    ];
  }
  const scopes: Scope[] = Object.entries(clusters).map(([name, globs]) => ({
    name,
    files: new Set<string>(),
    reason: `config clusters.${name}: ${globs.join(', ')}`,
  }));
  const matchers = Object.values(clusters).map((globs) => globMatcher(globs));
  const rest: Scope = { name: DEFAULT_SCOPE, files: new Set(), reason: 'files in no configured cluster' };
  for (const p of paths) {
    let placed = false;
    matchers.forEach((m, i) => {
      if (m(p)) {
        scopes[i]!.files.add(p);
        placed = true;
      }
    });
    if (!placed) rest.files.add(p);
  }
  if (rest.files.size > 0) scopes.push(rest);
  return scopes;
}

/** `ServiceGroup/purelb-system/default` -> `ServiceGroup purelb-system/default`; `IPPool//x` -> `IPPool x`. */
const shown = (identity: string): string => {
  const [kind, namespace, ...name] = identity.split('/');
  return `${kind} ${namespace ? `${namespace}/` : ''}${name.join('/')}`;
};

/** Most scopes one loose scope is split into: past this, alternatives stay together. */
const MAX_ALTERNATIVES = 64;

const dirOf = (file: string): string => {
  const slash = file.lastIndexOf('/');
  return slash < 0 ? '' : file.slice(0, slash);
};

/** Folder names kustomize layouts use for one build's layers. */
const LAYERS = new Set([
  'base',
  'bases',
  'overlay',
  'overlays',
  'patch',
  'patches',
  'component',
  'components',
]);

/**
 * Where two files defining the same object are alternatives: the folder both lie below and the
 * two sibling folders below it that hold them. Undefined when one lies in the other's folder
 * (or in the common folder itself): that is one tree, and the duplicate is real.
 */
function siblings(a: string, b: string): { parent: string; dirs: [string, string] } | undefined {
  const sa = dirOf(a).split('/').filter(Boolean);
  const sb = dirOf(b).split('/').filter(Boolean);
  let i = 0;
  while (i < sa.length && i < sb.length && sa[i] === sb[i]) i++;
  if (i === sa.length || i === sb.length) return undefined;
  // A base and its overlays or patches define the same objects on purpose: one build, not alternatives.
  if (LAYERS.has(sa[i]!) || LAYERS.has(sb[i]!)) return undefined;
  const parent = sa.slice(0, i).join('/');
  const join = (seg: string) => (parent ? `${parent}/${seg}` : seg);
  return { parent, dirs: [join(sa[i]!), join(sb[i]!)] };
}

/**
 * A loose scope (no GitOps structure says what is applied together) whose sibling folders define
 * the same object (`tests/a` and `tests/b` both hold ServiceGroup `default`) holds alternatives,
 * not one cluster: each such folder becomes a scope of its own, with the files outside them. The
 * shallowest folder with alternatives splits first; each part is split again the same way.
 */
export function splitAlternatives(
  scope: Scope,
  resources: readonly { file: string; identity: string }[],
  limit = MAX_ALTERNATIVES,
): Scope[] {
  const byIdentity = new Map<string, Set<string>>();
  for (const r of resources) {
    if (!scope.files.has(r.file)) continue;
    const set = byIdentity.get(r.identity) ?? new Set();
    set.add(r.file);
    byIdentity.set(r.identity, set);
  }
  let best: { parent: string; dirs: Set<string>; identity: string } | undefined;
  for (const [identity, files] of byIdentity) {
    const list = [...files].sort();
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const s = siblings(list[i]!, list[j]!);
        if (!s) continue;
        const shallower =
          !best ||
          s.parent.length < best.parent.length ||
          (s.parent.length === best.parent.length && s.parent < best.parent);
        if (shallower) best = { parent: s.parent, dirs: new Set(s.dirs), identity };
        else if (best!.parent === s.parent) for (const d of s.dirs) best!.dirs.add(d);
      }
    }
  }
  if (!best || limit < best.dirs.size) return [scope];
  const dirs = [...best.dirs].sort();
  const inside = (f: string, d: string) => f.startsWith(`${d}/`);
  const rest = [...scope.files].filter((f) => !dirs.some((d) => inside(f, d)));
  const out: Scope[] = [];
  for (const d of dirs) {
    const others = dirs.filter((o) => o !== d);
    const part: Scope = {
      name: d,
      entry: d,
      files: new Set([...[...scope.files].filter((f) => inside(f, d)), ...rest]),
      reason: `alternative to ${others.join(', ')}: sibling folders that both define ${shown(best.identity)}, so not one cluster (config clusters puts them together)`,
    };
    out.push(...splitAlternatives(part, resources, Math.floor(limit / dirs.length)));
  }
  return out;
}
