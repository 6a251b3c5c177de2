// Paths inside a repository, as config and fixes name them: relative, `/`-separated, never `..`.

/** Why `p` is not a plain path inside the repository, or undefined. */
export function repoPathProblem(p: string): string | undefined {
  if (p === '') return 'the path is empty';
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p))
    return 'an absolute path; give it relative to the repository root';
  if (p.includes('\\')) return 'a backslash; use / between folders';
  if (p.includes('\0')) return 'a NUL character';
  if (p.split('/').some((s) => s === '..')) return 'a `..` segment leaves the repository';
  return undefined;
}
