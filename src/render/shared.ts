// Small wording and path helpers every renderer speaks alike.
import type { Gaps } from '../engine.ts';

/** `1 error`, `2 errors`. */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * GitHub resolves annotation and SARIF paths from the checkout's top level, while lbguard reports
 * paths from the folder it checked. `prefix` is that folder relative to the checkout top (`infra/`), or ''.
 */
export const joinPrefix = (prefix: string, file: string): string =>
  prefix === '' ? file : `${prefix.replace(/\/*$/, '/')}${file}`;

/**
 * What was not read, in words every format shares (`2 inputs not read, named in notices`), or
 * undefined when everything that could hold a watched kind was read.
 */
export function notReadText(g: Gaps | undefined): string | undefined {
  if (!g || g.total === 0) return undefined;
  return `${plural(g.total, 'input')} not read, named in ${g.total === 1 ? 'a notice' : 'notices'}`;
}

/** The template documents skipped and only counted (no gap: nothing PureLB or Calico in them). */
export function skippedText(g: Gaps | undefined): string | undefined {
  if (!g?.templates) return undefined;
  return `Skipped ${plural(g.templates, 'template document')} with nothing PureLB or Calico in ${g.templates === 1 ? 'it' : 'them'}`;
}

/** "No findings" only when everything was read; else it says the findings cover what was read. */
export const noFindingsText = (g: Gaps | undefined): string =>
  g && g.total > 0 ? `No findings in what was read; ${plural(g.total, 'input')} not read.` : 'No findings.';
