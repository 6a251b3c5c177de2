// Colour for people, through Node's own util.styleText; whether to colour at all is decided once,
// by the CLI (useColor), from the terminal and NO_COLOR / FORCE_COLOR / TERM.
import { styleText } from 'node:util';
import type { Severity } from '../findings.ts';

export type StyleName = Severity | 'dim' | 'bold' | 'new';

const FORMAT: Record<StyleName, Parameters<typeof styleText>[0]> = {
  error: 'red',
  warning: 'yellow',
  notice: 'cyan',
  dim: 'dim',
  bold: 'bold',
  new: ['bold', 'magenta'],
};

export type Paint = (style: StyleName, text: string) => string;

/** The decision is the caller's, so styleText must not second-guess it against process.stdout. */
export const painter =
  (color: boolean): Paint =>
  (style, text) =>
    color ? styleText(FORMAT[style], text, { validateStream: false }) : text;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Node's own order (tty.getColorDepth): FORCE_COLOR wins ("0" or "false" turns colour off), then
 * NO_COLOR (https://no-color.org: any non-empty value) and TERM=dumb turn it off, then a terminal
 * turns it on.
 */
export function colorWanted(isTTY: boolean, env: Env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.NO_COLOR || env.TERM === 'dumb') return false;
  return isTTY;
}

/**
 * Greedy word wrap of one paragraph that starts `indent.length` columns in, to a terminal `width`
 * wide; later lines get `indent`. No width (not a terminal): one line, for grep and pipes.
 */
export function wrap(text: string, width: number | undefined, indent: string): string {
  const room = (width ?? 0) - indent.length;
  if (room < 20 || text.length <= room) return text;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > room) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.join(`\n${indent}`);
}
