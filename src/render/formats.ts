// Every output format behind one name: `--format NAME` picks the renderer here, and help lists these.
import type { Analysis } from '../engine.ts';
import { renderCodeQuality } from './codequality.ts';
import { renderGithub } from './github.ts';
import { renderJson } from './json.ts';
import { renderJunit } from './junit.ts';
import { renderSarif } from './sarif.ts';
import { renderText } from './text.ts';

export type RenderOptions = {
  color: boolean;
  /** The terminal's width for text, or undefined. */
  columns?: number;
  /** The checked folder relative to the git checkout's top level (`infra/`), or ''. */
  pathPrefix: string;
  /** A file's text, for the offending line under a finding. */
  source: (file: string) => string | undefined;
};

export const FORMATS = {
  text: renderText,
  json: renderJson,
  sarif: renderSarif,
  github: renderGithub,
  junit: renderJunit,
  codequality: renderCodeQuality,
} satisfies Record<string, (a: Analysis, opts: RenderOptions) => string>;

export type Format = keyof typeof FORMATS;

export const FORMAT_NAMES: readonly string[] = Object.keys(FORMATS);

export const isFormat = (name: string): name is Format => Object.hasOwn(FORMATS, name);
