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
 * What was not read, in words every format shares (`2 inputs not read: 1 named in a notice, 1 template
 * document with nothing PureLB or Calico in it`), or undefined when everything was read.
 */
export function notReadText(g: Gaps | undefined): string | undefined {
  if (!g || g.total === 0) return undefined;
  const parts = [
    ...(g.noticed ? [`${g.noticed} named in ${g.noticed === 1 ? 'a notice' : 'notices'}`] : []),
    ...(g.templates
      ? [
          `${plural(g.templates, 'template document')} with nothing PureLB or Calico in ${g.templates === 1 ? 'it' : 'them'}`,
        ]
      : []),
  ];
  return `${plural(g.total, 'input')} not read: ${parts.join(', ')}`;
}

/** "No findings" only when everything was read; else it says the findings cover what was read. */
export const noFindingsText = (g: Gaps | undefined): string =>
  g && g.total > 0 ? `No findings in what was read; ${plural(g.total, 'input')} not read.` : 'No findings.';
