// Text from the repository (names, values in messages, file paths, source lines) printed safely:
// no line breaks, no terminal escapes, no other control characters. A resource named
// "x\n::error ..." must not become a GitHub Actions workflow command or recolour a terminal.

// C0 controls but tab, DEL, C1 controls (ESC-less CSI is \x9b), and the Unicode line separators.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r' };

// The same without CR and LF, for formats that escape line breaks themselves (GitHub's %0A).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_BUT_BREAKS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]/g;

/**
 * `s` with every control character shown as an escape (`\n`, `\x1b`, `\u2028`); with
 * `breaks: 'keep'`, CR and LF are left for the format's own escaping.
 */
export const visible = (s: string, breaks: 'show' | 'keep' = 'show'): string =>
  s.replace(
    breaks === 'keep' ? CONTROL_BUT_BREAKS : CONTROL,
    (c) =>
      NAMED[c] ??
      (c.charCodeAt(0) > 0xff
        ? `\\u${c.charCodeAt(0).toString(16)}`
        : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`),
  );

/** A line of output that starts with repository text: never a workflow command (`::name ...`). */
export const lineStart = (s: string): string => (s.startsWith('::') ? `\\x3a${s.slice(1)}` : s);
