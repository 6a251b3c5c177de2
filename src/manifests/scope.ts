// Scopes: which files describe one cluster. Cross-resource rules never look across scopes.
import picomatch from 'picomatch';

export type Scope = { name: string; files: Set<string>; reason: string };

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
  const matchers = Object.values(clusters).map((globs) => picomatch(globs, { dot: true }));
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
