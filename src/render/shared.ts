// Small wording and path helpers every renderer speaks alike.

/** `1 error`, `2 errors`. */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * GitHub resolves annotation and SARIF paths from the checkout's top level, while lbguard reports
 * paths from the folder it checked. `prefix` is that folder relative to the checkout top (`infra/`), or ''.
 */
export const joinPrefix = (prefix: string, file: string): string =>
  prefix === '' ? file : `${prefix.replace(/\/*$/, '/')}${file}`;
