// Config globs, bounded. picomatch compiles a glob to a backtracking RegExp, and the App reads the
// config from the pull request: `@(+(a)|+(a))+b` against a 26-character name runs for minutes.
// So a glob is accepted only in shapes whose RegExp backtracks polynomially, with a small degree.
import picomatch from 'picomatch';

/** picomatch refuses longer patterns too (its `maxLength`). */
export const MAX_GLOB_LENGTH = 512;
/** `*` runs and repeated groups in one path segment: each one multiplies the backtracking by a name's length. */
export const MAX_STARS_PER_SEGMENT = 3;

const OPTIONS = { dot: true, maxLength: MAX_GLOB_LENGTH } as const;

/** One matcher for a list of globs (any matches), compiled with the same bounds the config checked. */
export const globMatcher = (globs: readonly string[]): ((path: string) => boolean) =>
  picomatch([...globs], OPTIONS);

const EXTGLOB = /[@?!+*]\(/y;

/**
 * Why `g` is too complex to match safely, or undefined. Extglobs do not nest, a repeated group
 * (`+(...)`, `*(...)`) holds plain text only (no `|`, wildcards or braces: `+(a|aa)` is
 * exponential), and a path segment has at most MAX_STARS_PER_SEGMENT stars and repeated groups.
 */
export function globComplexity(g: string): string | undefined {
  if (g.length > MAX_GLOB_LENGTH) return `longer than ${MAX_GLOB_LENGTH} characters`;
  let stars = 0;
  let group: { repeated: boolean } | undefined;
  for (let i = 0; i < g.length; i++) {
    const c = g[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    EXTGLOB.lastIndex = i;
    if (EXTGLOB.test(g)) {
      if (group) return 'an extglob inside another extglob';
      group = { repeated: c === '+' || c === '*' };
      // A negation compiles to a lazy `.*?` too.
      if ((group.repeated || c === '!') && ++stars > MAX_STARS_PER_SEGMENT) return tooMany;
      i++;
      continue;
    }
    if (group) {
      if (c === ')') group = undefined;
      else if (group.repeated && '|*?[{,('.includes(c))
        return 'a repeated extglob (+(...) or *(...)) may hold plain text only';
      else if (c === '(') return 'an extglob inside another extglob';
      else if (c === '*' && ++stars > MAX_STARS_PER_SEGMENT) return tooMany;
      continue;
    }
    if (c === '/') stars = 0;
    else if (c === '*') {
      const start = i;
      while (g[i + 1] === '*') i++;
      // `**` as a whole segment matches across segments without backtracking inside one.
      const globstar =
        i > start && (start === 0 || g[start - 1] === '/') && (i + 1 === g.length || g[i + 1] === '/');
      if (!globstar && ++stars > MAX_STARS_PER_SEGMENT) return tooMany;
    }
  }
  return undefined;
}

const tooMany = `more than ${MAX_STARS_PER_SEGMENT} wildcards (* or a repeated extglob) in one path segment`;
